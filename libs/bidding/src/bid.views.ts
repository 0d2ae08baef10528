import { Dec } from '@jicai/common';
import { BidIdentity } from './bid-integrity';
import { BidStatus } from './bid.entity';

/** A bids row as raw queries return it (see BID_COLUMNS). */
export interface BidRow {
  id: number;
  batchId: number;
  itemId: number;
  supplierId: number;
  productId: number;
  groupName: string;
  status: BidStatus;
  live: number | null;
  packSize: number;
  strengthValue: string;
  strengthUnit: string;
  measureUnitsPerPack: number;
  ciphertext: string;
  nonceSalt: string;
  receipt: string;
  submittedAt: Date;
  replacedBy: number | null;
  replacedAt: Date | null;
  withdrawnAt: Date | null;
  nonce: string | null;
  packPrice: string | null;
  supplyCapacity: number | null;
  unitComparablePrice: string | null;
  openedAt: Date | null;
}

export const BID_COLUMNS = `b.id, b.batch_id AS batchId, b.item_id AS itemId, b.supplier_id AS supplierId,
  b.product_id AS productId, b.group_name AS groupName, b.status, b.live, b.pack_size AS packSize,
  b.strength_value AS strengthValue, b.strength_unit AS strengthUnit, b.measure_units_per_pack AS measureUnitsPerPack,
  b.ciphertext, b.nonce_salt AS nonceSalt, b.receipt, b.submitted_at AS submittedAt, b.replaced_by AS replacedBy,
  b.replaced_at AS replacedAt, b.withdrawn_at AS withdrawnAt, b.nonce, b.pack_price AS packPrice,
  b.supply_capacity AS supplyCapacity, b.unit_comparable_price AS unitComparablePrice, b.opened_at AS openedAt`;

export function identityOf(r: Pick<BidRow, 'batchId' | 'itemId' | 'supplierId' | 'productId' | 'nonceSalt'>): BidIdentity {
  return { batchId: r.batchId, itemId: r.itemId, supplierId: r.supplierId, productId: r.productId, nonceSalt: r.nonceSalt };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** What a bid's price fields are, to the caller allowed to see them. */
export interface Revealed {
  packPrice: string | null;
  supplyCapacity: number | null;
  unitComparablePrice: string | null;
  nonce: string | null;
}

/**
 * The bid as the API shows it (api.md "Bids"). Callers choose `revealed`: the opened
 * columns after opening, the decrypted content for the owning supplier; never anything
 * else before opening.
 */
export function bidView(r: BidRow, revealed: Revealed) {
  return {
    id: r.id,
    batchId: r.batchId,
    itemId: r.itemId,
    group: r.groupName,
    supplierId: r.supplierId,
    productId: r.productId,
    packPrice: revealed.packPrice === null ? null : new Dec(revealed.packPrice).toFixed(2),
    supplyCapacity: revealed.supplyCapacity,
    unitComparablePrice: revealed.unitComparablePrice === null ? null : new Dec(revealed.unitComparablePrice).toFixed(4),
    measureUnitsPerPack: r.measureUnitsPerPack,
    receipt: r.receipt,
    nonce: revealed.nonce,
    status: r.status,
    submittedAt: iso(r.submittedAt),
    replacedBy: r.replacedBy,
    withdrawnAt: iso(r.withdrawnAt),
    openedAt: iso(r.openedAt),
  };
}

/** Names beside the ids, only in lists of bids the viewer may see whole (opened, or its own): never before opening to anyone else. */
export type BidView = ReturnType<typeof bidView> & { supplierName?: string; productName?: string; productSpec?: string };

export const revealedColumns = (r: BidRow): Revealed => ({
  packPrice: r.packPrice,
  supplyCapacity: r.supplyCapacity,
  unitComparablePrice: r.unitComparablePrice,
  nonce: r.nonce,
});
