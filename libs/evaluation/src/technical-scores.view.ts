import type { EntityManager } from 'typeorm';
import { itemsOfBatch } from '@jicai/batches';
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
  const [{ n }] = await m.query("SELECT COUNT(*) AS n FROM bids WHERE batch_id = ? AND status = 'OPENED'", [batchId]);
  const rows = await m.query(
    `SELECT b.id AS bidId, b.item_id AS itemId, b.group_name AS \`group\`, b.supplier_id AS supplierId,
            o.name AS supplierName, b.product_id AS productId, ts.technical_score AS technicalScore, ts.criteria, ts.scored_by AS scoredBy,
            ts.scored_at AS scoredAt
     FROM bids b
     JOIN organizations o ON o.id = b.supplier_id
     LEFT JOIN technical_scores ts ON ts.bid_id = b.id
     WHERE b.batch_id = ? AND b.status = 'OPENED'
     ORDER BY b.id${page ? ' LIMIT ? OFFSET ?' : ''}`,
    page ? [batchId, page.limit, page.offset] : [batchId],
  );
  return {
    total: Number(n),
    items: rows.map((r: any) => ({
      bidId: Number(r.bidId),
      itemId: Number(r.itemId),
      genericName: items.get(Number(r.itemId)) ?? '',
      group: r.group,
      supplierId: Number(r.supplierId),
      supplierName: r.supplierName,
      productId: Number(r.productId),
      technicalScore: r.technicalScore ?? null,
      criteria: parseCriteria(r.criteria),
      scoredBy: r.scoredBy === null ? null : Number(r.scoredBy),
      scoredAt: r.scoredAt ? new Date(r.scoredAt).toISOString() : null,
    })),
  };
}
