import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { invalidState, validationFailed } from '@jicai/common';
import { BatchStatus, BatchesService } from '@jicai/batches';
import { ImportHandler, ImportHandlerFor, ImportRun, ImportWritten } from '@jicai/spreadsheets';
import { technicalScoreFromCriteria, TechnicalCriterion } from './evaluation.rules';
import { EvaluationService } from './evaluation.service';
import { openedBids } from '@jicai/bidding';
import { criteriaOfRows, TECHNICAL_SCORES_IMPORT_KIND, TechnicalScoreImportRow } from './technical-scores.import';

/** Writes a validated technical-score sheet (the job of POST /batches/:id/technical-scores/import). */
@Injectable()
@ImportHandlerFor(TECHNICAL_SCORES_IMPORT_KIND)
export class TechnicalScoresImportHandler implements ImportHandler<TechnicalScoreImportRow> {
  constructor(
    private readonly batches: BatchesService,
    private readonly evaluation: EvaluationService,
  ) {}

  async write(m: EntityManager, { batchId, actor, rows }: ImportRun<TechnicalScoreImportRow>): Promise<ImportWritten> {
    // Locked as PUT /bids/:id/technical-score and the evaluation lock it: scores change
    // only while the batch is OPENED, and the evaluation may have run since the request.
    const batch = await this.batches.lock(m, batchId!);
    if (batch.status !== BatchStatus.OPENED)
      throw invalidState(`Technical scores can be imported only while the batch is OPENED; it is ${batch.status}; nothing was imported`);
    const opened = new Set((await openedBids(m, batch.id)).map((b) => b.bidId));
    const scored: { bidId: number; technicalScore: string; criteria: TechnicalCriterion[] }[] = [];
    for (const [bidId, { rows: rowNumbers, criteria }] of criteriaOfRows(rows)) {
      if (!opened.has(bidId)) throw invalidState(`Bid ${bidId} (row ${rowNumbers[0]}) is no longer an opened bid of batch ${batch.code}; nothing was imported`);
      // The request checked these against the same rules; computed again from the locked batch.
      const r = technicalScoreFromCriteria(criteria, batch.rules.technicalWeight);
      if (!r.ok) throw validationFailed(`Bid ${bidId} (row ${rowNumbers[0]}): ${r.errors.map((e) => e.message).join('; ')}; nothing was imported`);
      scored.push({ bidId, technicalScore: r.technicalScore, criteria });
    }
    await this.evaluation.upsertScores(m, actor, batch.id, scored);
    return {
      result: { imported: rows.length, bids: scored.length },
      audit: { action: 'bid.technical-score.import', entity: 'batch', entityId: batch.id, data: { bids: scored.length, rows: rows.length } },
    };
  }
}
