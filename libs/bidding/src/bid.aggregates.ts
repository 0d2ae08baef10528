import { EntityManager } from 'typeorm';

/**
 * Opened bids per item of a batch, for the dashboards' funnel. Only bids in status OPENED are
 * counted, so before opening every count is 0: nothing about sealed bids (how many, by whom)
 * leaves this function. Never per bidder. One GROUP BY over idx_bids_batch_status.
 */
export async function openedBidCountsByItem(m: EntityManager, batchId: number): Promise<Map<number, number>> {
  const rows: { item_id: number; bids: string }[] = await m.query(
    `SELECT item_id, COUNT(*) AS bids FROM bids WHERE batch_id = ? AND status = 'OPENED' GROUP BY item_id`,
    [batchId],
  );
  return new Map(rows.map((r) => [Number(r.item_id), Number(r.bids)]));
}
