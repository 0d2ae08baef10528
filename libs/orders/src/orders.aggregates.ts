import { EntityManager } from 'typeorm';

export interface OrdersOfMonth {
  /** YYYY-MM (UTC) of placedAt. */
  month: string;
  orders: number;
  packs: number;
}

/**
 * A supplier's purchase orders per month of placedAt in [from, to) (refused and cancelled ones
 * left out), optionally of one batch: one GROUP BY over idx_po_supplier_placed.
 */
export async function ordersByMonth(m: EntityManager, f: { supplierId: number; batchId?: number; from: Date; to: Date }): Promise<OrdersOfMonth[]> {
  const rows: any[] = await m.query(
    `SELECT DATE_FORMAT(placed_at, '%Y-%m') AS month, COUNT(*) AS orders, SUM(packs) AS packs
       FROM purchase_orders
      WHERE supplier_id = ? AND placed_at >= ? AND placed_at < ? AND status NOT IN ('REFUSED', 'CANCELLED')
        ${f.batchId !== undefined ? 'AND batch_id = ?' : ''}
      GROUP BY month ORDER BY month`,
    [f.supplierId, f.from, f.to, ...(f.batchId !== undefined ? [f.batchId] : [])],
  );
  return rows.map((r) => ({ month: r.month, orders: Number(r.orders), packs: Number(r.packs) }));
}
