import { EntityManager } from 'typeorm';

export interface WinnerTotalsOfItem {
  itemId: number;
  winners: number;
  /** Lowest and highest award UCP (per measure unit), 4 decimals. */
  lowestAwardUnitPrice: string;
  highestAwardUnitPrice: string;
}

/** Winners per item of a batch (count, lowest and highest award UCP): one GROUP BY over idx_winners_group. */
export async function winnerTotalsByItem(m: EntityManager, batchId: number): Promise<Map<number, WinnerTotalsOfItem>> {
  const rows: any[] = await m.query(
    `SELECT item_id, COUNT(*) AS winners, MIN(award_unit_price) AS lo, MAX(award_unit_price) AS hi
       FROM winners WHERE batch_id = ? GROUP BY item_id`,
    [batchId],
  );
  return new Map(
    rows.map((r) => [
      Number(r.item_id),
      { itemId: Number(r.item_id), winners: Number(r.winners), lowestAwardUnitPrice: String(r.lo), highestAwardUnitPrice: String(r.hi) },
    ]),
  );
}
