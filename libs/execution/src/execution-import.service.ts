import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, Role } from '@jicai/common';
import { itemsOfBatch } from '@jicai/batches';
import { hospitalOfRow, hospitalsNamed } from '@jicai/organizations';
import { buildTemplate, ImportAccepted, ImportJobsService, runImport } from '@jicai/spreadsheets';
import {
  MAX_NON_SELECTED_IMPORT_ROWS,
  MAX_SCORES_IMPORT_ROWS,
  NON_SELECTED_COLUMNS,
  NON_SELECTED_HOSPITAL_TEMPLATE_COLUMNS,
  NON_SELECTED_IMPORT_KIND,
  NON_SELECTED_TEMPLATE_NOTES,
  NonSelectedEntry,
  NonSelectedRow,
  SCORES_COLUMNS,
  SCORES_IMPORT_KIND,
  SCORES_TEMPLATE_NOTES,
  ScoreEntry,
  ScoreRow,
} from './execution-imports';
import { ExecutionBatches } from './execution-batches';
import { agreementYears } from './progress.rules';

/** Scores of these hospitals and years whose retention is FIXED (execution's own table): "hospital|year" keys. */
export async function fixedRetentionKeys(m: EntityManager, batchId: number, hospitalIds: readonly number[], lock = false): Promise<Set<string>> {
  const out = new Set<string>();
  const ids = [...new Set(hospitalIds)];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows: { hospital_id: number; year: number }[] = await m.query(
      `SELECT hospital_id, year FROM retention WHERE batch_id = ? AND hospital_id IN (?) AND status = 'FIXED'${lock ? ' FOR UPDATE' : ''}`,
      [batchId, ids.slice(i, i + 1000)],
    );
    for (const r of rows) out.add(`${Number(r.hospital_id)}|${Number(r.year)}`);
  }
  return out;
}

/**
 * Execution's spreadsheets (exec2, issue 13 items 2 and 3): non-selected purchases
 * [hospital: its own; admin: any hospital] and assessment scores [admin]. Templates, then
 * all-or-nothing imports: the request checks every row (400 with sheet, row, column and
 * value), a job writes them in one transaction, audited once (libs/spreadsheets).
 */
@Injectable()
export class ExecutionImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: ExecutionBatches,
    private readonly imports: ImportJobsService,
  ) {}

  /** GET /batches/:id/progress/non-selected/template.xlsx: a row per item × agreement year; a hospital's carry its current figures. */
  async nonSelectedTemplate(viewer: Principal, batchId: number): Promise<Buffer> {
    const batch = await this.batches.get(batchId);
    const items = await itemsOfBatch(this.dataSource.manager, batchId);
    const admin = viewer.role === Role.ADMIN;
    const current = new Map<string, number>();
    if (!admin) {
      const rows: any[] = await this.dataSource.query('SELECT item_id, year, units FROM non_selected_purchases WHERE batch_id = ? AND hospital_id = ?', [
        batchId,
        viewer.organizationId,
      ]);
      for (const r of rows) current.set(`${r.item_id}|${r.year}`, Number(r.units));
    }
    const rows = items.flatMap((i) =>
      agreementYears(batch.agreementMonths).map((y) => {
        const cells = [i.id, i.genericName, y, current.get(`${i.id}|${y}`) ?? null];
        return admin ? [null, null, ...cells] : cells;
      }),
    );
    return buildTemplate({
      sheetName: 'NonSelected',
      columns: admin ? NON_SELECTED_COLUMNS : NON_SELECTED_HOSPITAL_TEMPLATE_COLUMNS,
      rows,
      notes: [`Batch ${batch.code}.`, ...NON_SELECTED_TEMPLATE_NOTES],
    });
  }

  /** POST /batches/:id/progress/non-selected/import: 202 {jobId, rows}, or 400 naming every bad cell. */
  async importNonSelected(actor: Principal, batchId: number, file: Buffer): Promise<ImportAccepted> {
    const batch = await this.batches.get(batchId);
    const itemIds = new Set((await itemsOfBatch(this.dataSource.manager, batchId)).map((i) => i.id));
    const years = agreementYears(batch.agreementMonths);
    let entries: NonSelectedEntry[] = [];
    await runImport<NonSelectedRow>(file, NON_SELECTED_COLUMNS, { maxRows: MAX_NON_SELECTED_IMPORT_ROWS }, async (rows, errors) => {
      const hospitals = await hospitalsNamed(
        this.dataSource.manager,
        actor,
        rows.map((r) => r.value),
      );
      const first = new Map<string, number>();
      for (const { row, value: v } of rows) {
        let good = true;
        const hospitalId = hospitalOfRow(actor, row, v, hospitals, errors, 'you may report only your own purchases');
        if (hospitalId === null) good = false;
        if (!itemIds.has(v.itemId)) {
          errors.add(row, 'itemId', `item ${v.itemId} is not in batch ${batch.code}`);
          good = false;
        }
        if (!years.includes(v.year)) {
          errors.add(row, 'year', `batch ${batch.code} has agreement years ${years.join(', ')}`);
          good = false;
        }
        if (!good) continue;
        const key = `${hospitalId}|${v.itemId}|${v.year}`;
        if (first.has(key)) {
          errors.add(row, 'itemId', `item ${v.itemId}, year ${v.year} is also on row ${first.get(key)}`);
          continue;
        }
        first.set(key, row);
        entries.push({ hospitalId: hospitalId!, itemId: v.itemId, year: v.year, units: v.units });
      }
    });
    entries = entries.sort((a, b) => a.hospitalId - b.hospitalId || a.itemId - b.itemId || a.year - b.year);
    return this.imports.enqueueImport(NON_SELECTED_IMPORT_KIND, actor, entries, { batchId });
  }

  /** GET /batches/:id/assessment-scores/template.xlsx [admin]: the columns to fill in, one row per hospital × year. */
  async scoresTemplate(batchId: number): Promise<Buffer> {
    const batch = await this.batches.get(batchId);
    return buildTemplate({
      sheetName: 'Scores',
      columns: SCORES_COLUMNS,
      notes: [`Batch ${batch.code}: agreement years ${agreementYears(batch.agreementMonths).join(', ')}.`, ...SCORES_TEMPLATE_NOTES],
    });
  }

  /** POST /batches/:id/assessment-scores/import [admin]: 202 {jobId, rows}, or 400 naming every bad cell (fixed rows included). */
  async importScores(actor: Principal, batchId: number, file: Buffer): Promise<ImportAccepted> {
    const batch = await this.batches.get(batchId);
    const years = agreementYears(batch.agreementMonths);
    let entries: ScoreEntry[] = [];
    await runImport<ScoreRow>(file, SCORES_COLUMNS, { maxRows: MAX_SCORES_IMPORT_ROWS }, async (rows, errors) => {
      const hospitals = await hospitalsNamed(
        this.dataSource.manager,
        actor,
        rows.map((r) => r.value),
      );
      const first = new Map<string, number>();
      const checked: { row: number; entry: ScoreEntry }[] = [];
      for (const { row, value: v } of rows) {
        let good = true;
        const hospitalId = hospitalOfRow(actor, row, v, hospitals, errors, '');
        if (hospitalId === null) good = false;
        if (!years.includes(v.year)) {
          errors.add(row, 'year', `batch ${batch.code} has agreement years ${years.join(', ')}`);
          good = false;
        }
        if (!good) continue;
        const key = `${hospitalId}|${v.year}`;
        if (first.has(key)) {
          errors.add(row, 'year', `hospital ${hospitalId}, year ${v.year} is also on row ${first.get(key)}`);
          continue;
        }
        first.set(key, row);
        checked.push({ row, entry: { hospitalId: hospitalId!, year: v.year, score: v.score } });
      }
      const fixed = await fixedRetentionKeys(
        this.dataSource.manager,
        batchId,
        checked.map((c) => c.entry.hospitalId),
      );
      for (const c of checked) {
        if (fixed.has(`${c.entry.hospitalId}|${c.entry.year}`))
          errors.add(c.row, 'score', `the retention of year ${c.entry.year} is fixed: its score cannot change`);
        else entries.push(c.entry);
      }
    });
    entries = entries.sort((a, b) => a.hospitalId - b.hospitalId || a.year - b.year);
    return this.imports.enqueueImport(SCORES_IMPORT_KIND, actor, entries, { batchId });
  }
}
