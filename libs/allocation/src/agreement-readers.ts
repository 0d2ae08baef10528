import { EntityManager } from 'typeorm';
import { AgreementStatus } from './agreement.entity';

/** What modules above allocation need of an agreement while they write against it. */
export interface SharedAgreement {
  id: number;
  batchId: number;
  itemId: number;
  group: string;
  hospitalId: number;
  supplierId: number;
  bidId: number;
  productId: number;
  units: number;
  awardPrice: string;
  unitComparablePrice: string;
  status: AgreementStatus;
}

/** The agreement row under a shared lock for the rest of the transaction; null if there is none. */
export async function shareLockAgreement(m: EntityManager, id: number): Promise<SharedAgreement | null> {
  const [r] = await m.query(
    `SELECT id, batch_id, item_id, group_name, hospital_id, supplier_id, bid_id, product_id, units, award_price, unit_comparable_price, status
       FROM agreements WHERE id = ? LOCK IN SHARE MODE`,
    [id],
  );
  if (!r) return null;
  return {
    id: Number(r.id),
    batchId: Number(r.batch_id),
    itemId: Number(r.item_id),
    group: r.group_name,
    hospitalId: Number(r.hospital_id),
    supplierId: Number(r.supplier_id),
    bidId: Number(r.bid_id),
    productId: Number(r.product_id),
    units: Number(r.units),
    awardPrice: r.award_price,
    unitComparablePrice: r.unit_comparable_price,
    status: r.status,
  };
}
