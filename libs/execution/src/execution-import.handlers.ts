import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, invalidState, notFound } from '@jicai/common';
import { ImportHandler, ImportHandlerFor, ImportRun, ImportWritten } from '@jicai/spreadsheets';
import { EXECUTION_IMPORT_CHUNK, NON_SELECTED_IMPORT_KIND, NonSelectedEntry, SCORES_IMPORT_KIND, ScoreEntry } from './execution-imports';
import { ExecutionBatches } from './execution-batches';
import { fixedRetentionKeys } from './execution-import.service';
import { RetentionService } from './retention.service';

const tuples = (n: number, width: number) =>
  Array(n)
    .fill(`(${Array(width).fill('?').join(',')})`)
    .join(',');

/** Writes a checked non-selected purchases sheet (the job of POST /batches/:id/progress/non-selected/import). */
@Injectable()
@ImportHandlerFor(NON_SELECTED_IMPORT_KIND)
export class NonSelectedImportHandler implements ImportHandler<NonSelectedEntry> {
  constructor(
    private readonly batches: ExecutionBatches,
    private readonly clock: Clock,
  ) {}

  async write(m: EntityManager, { batchId, actor, rows }: ImportRun<NonSelectedEntry>): Promise<ImportWritten> {
    if (!(await this.batches.find(batchId!, m))) throw notFound('Batch');
    const now = this.clock.now();
    for (let i = 0; i < rows.length; i += EXECUTION_IMPORT_CHUNK) {
      const chunk = rows.slice(i, i + EXECUTION_IMPORT_CHUNK);
      await m.query(
        `INSERT INTO non_selected_purchases (batch_id, year, hospital_id, item_id, units, reported_by, updated_at) VALUES ${tuples(chunk.length, 7)}
         ON DUPLICATE KEY UPDATE units = VALUES(units), reported_by = VALUES(reported_by), updated_at = VALUES(updated_at)`,
        chunk.flatMap((r) => [batchId, r.year, r.hospitalId, r.itemId, r.units, actor?.userId ?? null, now]),
      );
    }
    return {
      result: { imported: rows.length },
      audit: {
        action: 'non-selected.import',
        entity: 'batch',
        entityId: batchId!,
        data: { rows: rows.length, hospitals: new Set(rows.map((r) => r.hospitalId)).size },
      },
    };
  }
}

/** Writes a checked assessment scores sheet (the job of POST /batches/:id/assessment-scores/import) and applies them to provisional retention rows. */
@Injectable()
@ImportHandlerFor(SCORES_IMPORT_KIND)
export class ScoresImportHandler implements ImportHandler<ScoreEntry> {
  constructor(
    private readonly batches: ExecutionBatches,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
  ) {}

  async write(m: EntityManager, { batchId, actor, rows }: ImportRun<ScoreEntry>): Promise<ImportWritten> {
    const batch = await this.batches.find(batchId!, m);
    if (!batch) throw notFound('Batch');
    // The year-end job may have fixed a row since the request checked the file: refuse it whole.
    const fixed = await fixedRetentionKeys(
      m,
      batch.id,
      rows.map((r) => r.hospitalId),
      true,
    );
    const late = rows.find((r) => fixed.has(`${r.hospitalId}|${r.year}`));
    if (late) throw invalidState(`The retention of hospital ${late.hospitalId}, year ${late.year} was fixed since the file was checked; nothing was imported`);
    const now = this.clock.now();
    for (let i = 0; i < rows.length; i += EXECUTION_IMPORT_CHUNK) {
      const chunk = rows.slice(i, i + EXECUTION_IMPORT_CHUNK);
      await m.query(
        `INSERT INTO assessment_scores (batch_id, year, hospital_id, score, entered_by, updated_at) VALUES ${tuples(chunk.length, 6)}
         ON DUPLICATE KEY UPDATE score = VALUES(score), entered_by = VALUES(entered_by), updated_at = VALUES(updated_at)`,
        chunk.flatMap((r) => [batch.id, r.year, r.hospitalId, r.score, actor?.userId ?? null, now]),
      );
      await this.retention.applyScoresOf(
        m,
        batch.id,
        batch.rules,
        chunk.map((r) => r.hospitalId),
      );
    }
    return {
      result: { imported: rows.length },
      audit: {
        action: 'assessment.import',
        entity: 'batch',
        entityId: batch.id,
        data: { rows: rows.length, hospitals: new Set(rows.map((r) => r.hospitalId)).size },
      },
    };
  }
}
