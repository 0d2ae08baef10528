import { DataSource, EntityManager } from 'typeorm';

/** A live bid after opening, with its revealed price and capacity (section 4). */
export interface OpenedBid {
  bidId: number;
  batchId: number;
  itemId: number;
  group: string;
  supplierId: number;
  productId: number;
  packPrice: string;
  supplyCapacity: number;
  unitComparablePrice: string;
  measureUnitsPerPack: number;
  /** The final submission's time (the live version's), for the rank tie-break. */
  submittedAt: Date;
}

/** The live, revealed bids of an opened batch, as raw rows. */
export async function openedBids(m: EntityManager | DataSource, batchId: number): Promise<OpenedBid[]> {
  const rows = await m.query(
    `SELECT id AS bidId, batch_id AS batchId, item_id AS itemId, group_name AS \`group\`, supplier_id AS supplierId, product_id AS productId,
            pack_price AS packPrice, supply_capacity AS supplyCapacity, unit_comparable_price AS unitComparablePrice,
            measure_units_per_pack AS measureUnitsPerPack, submitted_at AS submittedAt
     FROM bids WHERE batch_id = ? AND status = 'OPENED' ORDER BY id`,
    [batchId],
  );
  return rows.map((r: any) => ({
    bidId: Number(r.bidId),
    batchId: Number(r.batchId),
    itemId: Number(r.itemId),
    group: r.group,
    supplierId: Number(r.supplierId),
    productId: Number(r.productId),
    packPrice: r.packPrice,
    supplyCapacity: Number(r.supplyCapacity),
    unitComparablePrice: r.unitComparablePrice,
    measureUnitsPerPack: Number(r.measureUnitsPerPack),
    submittedAt: new Date(r.submittedAt),
  }));
}

/** The batch a bid belongs to, or null when there is no such bid. */
export async function batchIdOfBid(m: EntityManager | DataSource, bidId: number): Promise<number | null> {
  const [row] = await m.query('SELECT batch_id AS batchId FROM bids WHERE id = ?', [bidId]);
  return row ? Number(row.batchId) : null;
}

/** The suppliers with a live bid in an opened batch (those the results are published to at evaluation), as a recipients SELECT. */
export function biddingSuppliersQuery(batchId: number): { sql: string; params: unknown[] } {
  return { sql: "SELECT DISTINCT supplier_id AS organization_id FROM bids WHERE batch_id = ? AND status = 'OPENED'", params: [batchId] };
}

/** An opened bid's identity: what a list beside it (scores, names) needs. */
export interface OpenedBidRef {
  bidId: number;
  itemId: number;
  group: string;
  supplierId: number;
  productId: number;
}

/** A page (all when `page` is absent) of the OPENED bids of a batch in bid order, and their total. */
export async function openedBidsPage(
  m: EntityManager | DataSource,
  batchId: number,
  page?: { limit: number; offset: number },
): Promise<{ total: number; items: OpenedBidRef[] }> {
  const [{ n }] = await m.query("SELECT COUNT(*) AS n FROM bids WHERE batch_id = ? AND status = 'OPENED'", [batchId]);
  const rows = await m.query(
    `SELECT id AS bidId, item_id AS itemId, group_name AS \`group\`, supplier_id AS supplierId, product_id AS productId
     FROM bids WHERE batch_id = ? AND status = 'OPENED' ORDER BY id${page ? ' LIMIT ? OFFSET ?' : ''}`,
    page ? [batchId, page.limit, page.offset] : [batchId],
  );
  return {
    total: Number(n),
    items: rows.map((r: any) => ({
      bidId: Number(r.bidId),
      itemId: Number(r.itemId),
      group: r.group,
      supplierId: Number(r.supplierId),
      productId: Number(r.productId),
    })),
  };
}
