import type { EntityManager } from 'typeorm';
import { itemsOfBatch } from '@jicai/batches';
import { openedBidsPage } from '@jicai/bidding';
import { organizationsByIds } from '@jicai/organizations';
import type { Page } from '@jicai/common';
import type { TechnicalCriterion } from './evaluation.rules';

/** GET /batches/:id/technical-scores: an opened bid with its stored technical score (null until scored) and criteria. */
export interface TechnicalScoreView {
  bidId: number;
  itemId: number;
  genericName: string;
  group: string;
  supplierId: number;
  supplierName: string;
  productId: number;
  technicalScore: string | null;
  criteria: TechnicalCriterion[];
  scoredBy: number | null;
  scoredAt: string | null;
}

const parseCriteria = (v: unknown): TechnicalCriterion[] => {
  if (v === null || v === undefined) return [];
  return (typeof v === 'string' ? JSON.parse(v) : v) as TechnicalCriterion[];
};

/**
 * The opened bids of a batch with their stored scores, in bid order; only bids whose
 * status is OPENED, so nothing of a sealed bid shows before opening.
 */
export async function technicalScoresOf(m: EntityManager, batchId: number, page?: { limit: number; offset: number }): Promise<Page<TechnicalScoreView>> {
  const items = new Map((await itemsOfBatch(m, batchId)).map((i) => [i.id, i.genericName]));
  const bids = await openedBidsPage(m, batchId, page);
  const ids = bids.items.map((b) => b.bidId);
  const scores = new Map<number, any>();
  if (ids.length) {
    for (const r of await m.query(
      'SELECT bid_id AS bidId, technical_score AS technicalScore, criteria, scored_by AS scoredBy, scored_at AS scoredAt FROM technical_scores WHERE bid_id IN (?)',
      [ids],
    ))
      scores.set(Number(r.bidId), r);
  }
  const suppliers = await organizationsByIds(
    m,
    bids.items.map((b) => b.supplierId),
  );
  return {
    total: bids.total,
    items: bids.items.map((b) => {
      const s = scores.get(b.bidId);
      return {
        bidId: b.bidId,
        itemId: b.itemId,
        genericName: items.get(b.itemId) ?? '',
        group: b.group,
        supplierId: b.supplierId,
        supplierName: suppliers.get(b.supplierId)?.name ?? '',
        productId: b.productId,
        technicalScore: s?.technicalScore ?? null,
        criteria: parseCriteria(s?.criteria),
        scoredBy: s?.scoredBy === null || s?.scoredBy === undefined ? null : Number(s.scoredBy),
        scoredAt: s?.scoredAt ? new Date(s.scoredAt).toISOString() : null,
      };
    }),
  };
}
