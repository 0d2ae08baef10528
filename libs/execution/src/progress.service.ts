import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, JobsService, notFound, OrganizationType, Page, Principal, QueueName, Role, validationFailed } from '@jicai/common';
import { agreementHospitalIds, AgreementYearWindow, confirmedAgreementsQuery } from '@jicai/allocation';
import { BatchRules, findBatchItem } from '@jicai/batches';
import { namesOf } from '@jicai/catalog';
import { findOrganization } from '@jicai/organizations';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { organizationIdsOfTypesQuery } from '@jicai/organizations';
import { orderedPacksByAgreementYearQuery } from '@jicai/orders';
import { AcceptedScope, deliveredPacksByAgreementYearQuery } from '@jicai/settlement';
import { agreementYear, agreementYears, consecutiveRuns, expectedCompletion, ProgressFlag } from './progress.rules';
import { BatchForExecution, ExecutionBatches } from './execution-batches';
import { PROGRESS_HOSPITAL_JOB, progressHospitalJobIds } from './execution.queue';
import { NonSelectedPurchaseDto, ProgressQueryDto } from './dto/execution.dto';
import { RetentionService } from './retention.service';

/** Hospitals per transaction of a recompute: small transactions, the api keeps answering. */
const HOSPITALS_PER_CHUNK = 500;
/** A hospital's progress job waits this long, so a burst of acceptances shares one run. */
const HOSPITAL_JOB_DELAY_MS = 1000;

export interface ProgressView {
  batchId: number;
  year: number;
  hospitalId: number;
  /** Set on the list's rows (names beside ids for clerks); the export keeps ids. */
  hospitalName?: string;
  supplierName?: string | null;
  itemId: number;
  group: string;
  /** Set on a supplier's rows (one agreement each); null on hospital × item × group rows. */
  supplierId: number | null;
  agreementId: number | null;
  agreedUnits: number;
  orderedUnits: number;
  deliveredUnits: number;
  acceptedUnits: number;
  completion: string | null;
  expectedCompletion: string;
  nonSelectedUnits: number | null;
  nonSelectedShare: string | null;
  flags: ProgressFlag[];
  computedAt: string;
}

const n = (v: unknown) => Number(v);
function view(r: any, level: 'hospital' | 'agreement'): ProgressView {
  const flags: ProgressFlag[] = [];
  if (Number(r.behind)) flags.push(ProgressFlag.BEHIND);
  if (level === 'hospital' && Number(r.non_selected_flag)) flags.push(ProgressFlag.NON_SELECTED_SHARE);
  return {
    batchId: n(r.batch_id),
    year: n(r.year),
    hospitalId: n(r.hospital_id),
    itemId: n(r.item_id),
    group: r.group_name,
    supplierId: level === 'agreement' ? n(r.supplier_id) : null,
    agreementId: level === 'agreement' ? n(r.agreement_id) : null,
    agreedUnits: n(r.agreed_units),
    orderedUnits: n(r.ordered_units),
    deliveredUnits: n(r.delivered_units),
    acceptedUnits: n(r.accepted_units),
    completion: r.completion,
    expectedCompletion: r.expected,
    nonSelectedUnits: level === 'hospital' ? n(r.non_selected_units) : null,
    nonSelectedShare: level === 'hospital' ? r.non_selected_share : null,
    flags,
    computedAt: new Date(r.computed_at).toISOString(),
  };
}

/** Half-up to 4 decimals of an exact ratio of integers: the division keeps 14 decimals, so rounding sees the true digits. */
const ratioSql = (num: string, den: string) => `CASE WHEN (${den}) > 0 THEN ROUND(CAST(${num} AS DECIMAL(30,10)) / (${den}), 4) END`;

/**
 * Execution progress (执行进度), issue 13 item 2. `recompute` rebuilds one batch's rows in
 * set-based SQL (INSERT ... SELECT ... ON DUPLICATE KEY UPDATE over the owners' SELECTs), a
 * chunk of hospitals per transaction; the nightly job runs it for every batch in force.
 */
@Injectable()
export class ProgressService {
  private readonly logger = new Logger('Progress');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly batches: ExecutionBatches,
    private readonly notifications: NotificationsService,
    private readonly retention: RetentionService,
    private readonly jobs: JobsService,
  ) {}

  async recompute(batchId: number): Promise<{ batchId: number; hospitals: number; rows: number; computedAt: string }> {
    const batch = await this.batches.get(batchId);
    const now = this.clock.now();
    const years = agreementYears(batch.agreementMonths);
    const expected = years.map((y) => expectedCompletion(agreementYear(batch.agreementStart, y), now).toFixed(4));
    const hospitals = await agreementHospitalIds(this.dataSource.manager, batchId);
    let rows = 0;
    for (let i = 0; i < hospitals.length; i += HOSPITALS_PER_CHUNK) {
      const chunk = hospitals.slice(i, i + HOSPITALS_PER_CHUNK);
      rows += await this.recomputeChunk(batch, batch.rules, years, expected, chunk[0], chunk[chunk.length - 1], now);
    }
    await this.notifyFlags(batchId, batch.code);
    this.logger.log(`batch ${batchId}: progress of ${hospitals.length} hospitals recomputed (${rows} rows)`);
    return { batchId, hospitals: hospitals.length, rows, computedAt: now.toISOString() };
  }

  private async recomputeChunk(batch: BatchForExecution, rules: BatchRules, years: number[], expected: string[], from: number, to: number, now: Date) {
    return this.dataSource.transaction((m) => this.writeRange(m, batch, rules, years, expected, from, to, now));
  }

  /**
   * Deliveries accepted (settlement's DELIVERIES_ACCEPTED listener, after the acceptance
   * committed): a deduplicated job per batch × hospital recomputes that hospital's rows soon,
   * besides the nightly job. A job still waiting takes the new acceptance with it; while one
   * runs, the other id of the pair is used (progressHospitalJobIds). A queue failure is
   * logged, never thrown at the hospital whose acceptance is already committed: the nightly
   * recompute catches up.
   */
  async accepted(scopes: readonly AcceptedScope[]): Promise<void> {
    for (const { batchId, hospitalId } of scopes) {
      try {
        const queue = this.jobs.queue(QueueName.EXECUTION);
        const ids = progressHospitalJobIds(batchId, hospitalId);
        let jobId: string = ids[0];
        for (const id of ids) {
          const job = await queue.getJob(id);
          jobId = id;
          if (!job || (await job.getState()) !== 'active') break;
        }
        await this.jobs.enqueue(QueueName.EXECUTION, PROGRESS_HOSPITAL_JOB, { batchId, hospitalId }, { jobId, delay: HOSPITAL_JOB_DELAY_MS });
      } catch (e) {
        this.logger.warn(`progress of hospital ${hospitalId} in batch ${batchId} not enqueued (the nightly job will catch up): ${(e as Error).message}`);
      }
    }
  }

  /** One transaction per run of consecutive hospital ids: the same set-based statements as the full recompute, on those hospitals only. */
  async recomputeHospitals(batchId: number, hospitalIds: readonly number[]): Promise<{ batchId: number; hospitals: number; rows: number }> {
    const batch = await this.batches.find(batchId);
    if (!batch) return { batchId, hospitals: 0, rows: 0 };
    const now = this.clock.now();
    const years = agreementYears(batch.agreementMonths);
    const expected = years.map((y) => expectedCompletion(agreementYear(batch.agreementStart, y), now).toFixed(4));
    let rows = 0;
    for (const [from, to] of consecutiveRuns(hospitalIds)) rows += await this.recomputeChunk(batch, batch.rules, years, expected, from, to, now);
    return { batchId, hospitals: new Set(hospitalIds).size, rows };
  }

  private async writeRange(
    m: EntityManager,
    batch: BatchForExecution,
    rules: BatchRules,
    years: number[],
    expected: string[],
    from: number,
    to: number,
    now: Date,
  ): Promise<number> {
    const yearsSql = years.map(() => 'SELECT ? AS year, CAST(? AS DECIMAL(6,4)) AS expected').join(' UNION ALL ');
    const yearsParams = years.flatMap((y, i) => [y, expected[i]]);
    const a = confirmedAgreementsQuery(batch.id, from, to);
    const window: AgreementYearWindow = { batchId: batch.id, agreementStart: batch.agreementStart, years: years.length, hospitalFrom: from, hospitalTo: to };
    const o = orderedPacksByAgreementYearQuery(window);
    const d = deliveredPacksByAgreementYearQuery(window);
    const accepted = 'COALESCE(d.accepted_packs, 0) * a.measure_units_per_pack';
    // Per agreement × year: agreed units (per year), ordered, delivered and accepted units
    // (packs × measure units per pack), completion and BEHIND.
    const r1 = await m.query(
      `INSERT INTO progress_agreements (batch_id, year, agreement_id, hospital_id, supplier_id, item_id, group_name, award_ucp,
           agreed_units, ordered_units, delivered_units, accepted_units, completion, expected, behind, computed_at)
         SELECT ?, y.year, a.agreement_id, a.hospital_id, a.supplier_id, a.item_id, a.group_name, a.unit_comparable_price, a.units,
                COALESCE(o.packs, 0) * a.measure_units_per_pack, COALESCE(d.delivered_packs, 0) * a.measure_units_per_pack, ${accepted},
                ${ratioSql(accepted, 'a.units')}, y.expected,
                COALESCE(${ratioSql(accepted, 'a.units')} < CAST(? AS DECIMAL(10,4)) * y.expected, 0), ?
           FROM (${a.sql}) a
           JOIN (${yearsSql}) y
           LEFT JOIN (${o.sql}) o ON o.agreement_id = a.agreement_id AND o.year = y.year
           LEFT JOIN (${d.sql}) d ON d.agreement_id = a.agreement_id AND d.year = y.year
          WHERE TRUE
         ON DUPLICATE KEY UPDATE award_ucp = VALUES(award_ucp), agreed_units = VALUES(agreed_units), ordered_units = VALUES(ordered_units),
           delivered_units = VALUES(delivered_units), accepted_units = VALUES(accepted_units), completion = VALUES(completion),
           expected = VALUES(expected), behind = VALUES(behind), computed_at = VALUES(computed_at)`,
      [batch.id, rules.progressAlertRatio, now, ...a.params, ...yearsParams, ...o.params, ...d.params],
    );
    // Per hospital × item × group × year: the sums, completion on the sums, BEHIND; the
    // non-selected share over the item (all groups) against the reported non-selected units.
    const sum = (c: string) => `SUM(pa.${c})`;
    const r2 = await m.query(
      `INSERT INTO progress (batch_id, year, hospital_id, item_id, group_name, agreed_units, ordered_units, delivered_units, accepted_units,
           non_selected_units, completion, expected, non_selected_share, behind, non_selected_flag, computed_at)
         SELECT g.batch_id, g.year, g.hospital_id, g.item_id, g.group_name, g.agreed, g.ordered, g.delivered, g.accepted,
                COALESCE(ns.units, 0), ${ratioSql('g.accepted', 'g.agreed')}, g.expected,
                ${ratioSql('COALESCE(ns.units, 0)', 'COALESCE(ns.units, 0) + it.accepted')},
                COALESCE(${ratioSql('g.accepted', 'g.agreed')} < CAST(? AS DECIMAL(10,4)) * g.expected, 0),
                COALESCE(${ratioSql('COALESCE(ns.units, 0)', 'COALESCE(ns.units, 0) + it.accepted')} > CAST(? AS DECIMAL(10,4)), 0), ?
           FROM (SELECT pa.batch_id, pa.year, pa.hospital_id, pa.item_id, pa.group_name, MAX(pa.expected) AS expected, ${sum('agreed_units')} AS agreed,
                        ${sum('ordered_units')} AS ordered, ${sum('delivered_units')} AS delivered, ${sum('accepted_units')} AS accepted
                   FROM progress_agreements pa FORCE INDEX (idx_progress_agreements_hospital) WHERE pa.batch_id = ? AND pa.hospital_id BETWEEN ? AND ?
                  GROUP BY pa.batch_id, pa.year, pa.hospital_id, pa.item_id, pa.group_name) g
           JOIN (SELECT pa.year, pa.hospital_id, pa.item_id, ${sum('accepted_units')} AS accepted
                   FROM progress_agreements pa FORCE INDEX (idx_progress_agreements_hospital) WHERE pa.batch_id = ? AND pa.hospital_id BETWEEN ? AND ?
                  GROUP BY pa.year, pa.hospital_id, pa.item_id) it ON it.year = g.year AND it.hospital_id = g.hospital_id AND it.item_id = g.item_id
           LEFT JOIN non_selected_purchases ns ON ns.batch_id = g.batch_id AND ns.year = g.year AND ns.hospital_id = g.hospital_id AND ns.item_id = g.item_id
          WHERE TRUE
         ON DUPLICATE KEY UPDATE agreed_units = VALUES(agreed_units), ordered_units = VALUES(ordered_units), delivered_units = VALUES(delivered_units),
           accepted_units = VALUES(accepted_units), non_selected_units = VALUES(non_selected_units), completion = VALUES(completion),
           expected = VALUES(expected), non_selected_share = VALUES(non_selected_share), behind = VALUES(behind),
           non_selected_flag = VALUES(non_selected_flag), computed_at = VALUES(computed_at)`,
      [rules.progressAlertRatio, rules.nonSelectedShareLimit, now, batch.id, from, to, batch.id, from, to],
    );
    await this.retention.recomputeChunk(m, batch.id, rules, from, to, now);
    return Number(r1.affectedRows ?? 0) > 0 || Number(r2.affectedRows ?? 0) > 0 ? await this.countRows(m, batch.id, from, to) : 0;
  }

  private async countRows(m: EntityManager, batchId: number, from: number, to: number): Promise<number> {
    const [{ c }] = await m.query('SELECT COUNT(*) AS c FROM progress WHERE batch_id = ? AND hospital_id BETWEEN ? AND ?', [batchId, from, to]);
    return Number(c);
  }

  /**
   * A flag raised tells the hospital (one notification per hospital, year and flag: rows are
   * counted in the message) and the procurement offices (one per batch, year and flag), each
   * written by one INSERT ... SELECT; a rerun writes nothing twice.
   */
  private async notifyFlags(batchId: number, code: string): Promise<void> {
    for (const [flag, column] of [
      [ProgressFlag.BEHIND, 'behind'],
      [ProgressFlag.NON_SELECTED_SHARE, 'non_selected_flag'],
    ] as const) {
      await this.notifications.notifyEach(
        null,
        {
          sql: `SELECT hospital_id AS organization_id, NULL AS entity_id,
                       CONCAT('Batch ${code.replace(/'/g, "''")} year ', year, ': ', COUNT(*), ' item × group row(s) flagged ${flag}') AS message,
                       CONCAT('progress:', batch_id, ':', year, ':${flag}') AS dedupe_key
                  FROM progress WHERE batch_id = ? AND ${column} = 1 GROUP BY batch_id, hospital_id, year`,
          params: [batchId],
        },
        { kind: NotificationKind.PROGRESS_FLAG, entity: 'batch', batchId },
      );
      const [{ c }] = await this.dataSource.query(`SELECT COUNT(DISTINCT hospital_id) AS c FROM progress WHERE batch_id = ? AND ${column} = 1`, [batchId]);
      if (Number(c) > 0) {
        await this.notifications.notifyFrom(null, organizationIdsOfTypesQuery([OrganizationType.PROCUREMENT_OFFICE]), {
          kind: NotificationKind.PROGRESS_FLAG,
          message: `Batch ${code}: ${c} hospital(s) flagged ${flag}`,
          entity: 'batch',
          entityId: batchId,
          batchId,
          dedupeKey: `progress:${batchId}:${flag}:${this.clock.now().toISOString().slice(0, 10)}`,
        });
      }
    }
  }

  /**
   * GET /batches/:id/progress. Admins and the fund: every hospital × item × group row;
   * hospitals: their own; suppliers: their own agreements' rows only (never another
   * supplier's volumes). A supplierId filter switches to agreement rows of that supplier.
   */
  async list(viewer: Principal, batchId: number, q: ProgressQueryDto): Promise<Page<ProgressView>> {
    await this.batches.get(batchId);
    const { sql, params, level } = this.scope(viewer, batchId, q);
    const rows = await this.dataSource.query(
      `SELECT * ${sql} ORDER BY year, hospital_id, item_id, group_name${level === 'agreement' ? ', agreement_id' : ''} LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${sql}`, params);
    const items: ProgressView[] = rows.map((r: any) => view(r, level));
    const names = await namesOf(this.dataSource.manager, {
      organizations: items.flatMap((v) => (v.supplierId === null ? [v.hospitalId] : [v.hospitalId, v.supplierId])),
    });
    return {
      items: items.map((v) => ({
        ...v,
        hospitalName: names.organization(v.hospitalId),
        supplierName: v.supplierId === null ? null : names.organization(v.supplierId),
      })),
      total: Number(total),
    };
  }

  /** The same rows for the xlsx export, a page at a time (keyset on the primary key order). */
  async *exportPages(viewer: Principal, batchId: number, q: ProgressQueryDto): AsyncGenerator<ProgressView[]> {
    await this.batches.get(batchId);
    const { sql, params, level } = this.scope(viewer, batchId, q);
    const order = `year, hospital_id, item_id, group_name${level === 'agreement' ? ', agreement_id' : ''}`;
    for (let offset = 0; ; offset += 5000) {
      const rows = await this.dataSource.query(`SELECT * ${sql} ORDER BY ${order} LIMIT 5000 OFFSET ?`, [...params, offset]);
      if (rows.length === 0) return;
      yield rows.map((r: any) => view(r, level));
      if (rows.length < 5000) return;
    }
  }

  private scope(viewer: Principal, batchId: number, q: ProgressQueryDto): { sql: string; params: unknown[]; level: 'hospital' | 'agreement' } {
    const level = viewer.role === Role.SUPPLIER || q.supplierId !== undefined ? 'agreement' : 'hospital';
    const where = ['batch_id = ?'];
    const params: unknown[] = [batchId];
    const eq = (column: string, value: unknown) => {
      where.push(`${column} = ?`);
      params.push(value);
    };
    if (viewer.role === Role.HOSPITAL) eq('hospital_id', viewer.organizationId);
    if (viewer.role === Role.SUPPLIER) eq('supplier_id', viewer.organizationId);
    if (q.supplierId !== undefined) eq('supplier_id', q.supplierId);
    if (q.hospitalId !== undefined) eq('hospital_id', q.hospitalId);
    if (q.itemId !== undefined) eq('item_id', q.itemId);
    if (q.group !== undefined) eq('group_name', q.group);
    if (q.year !== undefined) eq('year', q.year);
    if (q.flag === ProgressFlag.BEHIND) where.push('behind = 1');
    // Agreement rows carry no non-selected share: that flag is the hospital's over the item.
    if (q.flag === ProgressFlag.NON_SELECTED_SHARE) where.push(level === 'hospital' ? 'non_selected_flag = 1' : '0 = 1');
    return { sql: `FROM ${level === 'hospital' ? 'progress' : 'progress_agreements'} WHERE ${where.join(' AND ')}`, params, level };
  }

  /**
   * A hospital (its own) or an admin (any hospital) reports the units of non-selected products
   * of an item's generic name bought in an agreement year; the next recompute weighs them.
   */
  async setNonSelected(viewer: Principal, batchId: number, dto: NonSelectedPurchaseDto) {
    const batch = await this.batches.get(batchId);
    const hospitalId = viewer.role === Role.HOSPITAL ? viewer.organizationId : dto.hospitalId;
    if (viewer.role === Role.HOSPITAL && dto.hospitalId !== undefined && dto.hospitalId !== viewer.organizationId) {
      throw validationFailed('A hospital reports its own purchases', [{ field: 'hospitalId', message: 'must be your own or left out' }]);
    }
    if (hospitalId === undefined) throw validationFailed('hospitalId is required', [{ field: 'hospitalId', message: 'required for admins' }]);
    if (!agreementYears(batch.agreementMonths).includes(dto.year))
      throw validationFailed('No such agreement year', [{ field: 'year', message: 'no such agreement year' }]);
    if (!(await findBatchItem(this.dataSource.manager, batchId, dto.itemId))) {
      throw validationFailed('No such item in this batch', [{ field: 'itemId', message: 'not an item of this batch' }]);
    }
    if ((await findOrganization(this.dataSource.manager, hospitalId))?.type !== OrganizationType.HOSPITAL) {
      throw validationFailed('No such hospital', [{ field: 'hospitalId', message: 'not a hospital' }]);
    }
    const now = this.clock.now();
    await this.dataSource.query(
      `INSERT INTO non_selected_purchases (batch_id, year, hospital_id, item_id, units, reported_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE units = VALUES(units), reported_by = VALUES(reported_by), updated_at = VALUES(updated_at)`,
      [batchId, dto.year, hospitalId, dto.itemId, dto.units, viewer.userId, now],
    );
    return { batchId, year: dto.year, hospitalId, itemId: dto.itemId, units: dto.units, updatedAt: now.toISOString() };
  }

  /** Ensures the batch exists (404 otherwise). */
  async requireBatch(batchId: number): Promise<void> {
    const b = await this.batches.find(batchId);
    if (!b) throw notFound('Batch');
  }
}
