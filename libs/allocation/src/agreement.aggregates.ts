import { EntityManager } from 'typeorm';

export interface AgreementTotalsOfSupplier {
  supplierId: number;
  agreements: number;
  /** Agreed measure units per year, summed over the supplier's agreements. */
  units: number;
  /** Σ amount (2 decimals), all agreements and the confirmed ones. */
  amount: string;
  confirmedAmount: string;
}

/**
 * Agreements per supplier (count, agreed units, amounts): of one batch (GROUP BY over
 * idx_agreements_batch_status) and/or of one supplier (idx_agreements_supplier).
 * At least one of batchId and supplierId is required.
 */
export async function agreementTotalsBySupplier(m: EntityManager, f: { batchId?: number; supplierId?: number }): Promise<AgreementTotalsOfSupplier[]> {
  if (f.batchId === undefined && f.supplierId === undefined) throw new Error('agreementTotalsBySupplier: batchId or supplierId required');
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.batchId !== undefined) where.push('batch_id = ?') && params.push(f.batchId);
  if (f.supplierId !== undefined) where.push('supplier_id = ?') && params.push(f.supplierId);
  const rows: any[] = await m.query(
    `SELECT supplier_id, COUNT(*) AS agreements, COALESCE(SUM(units), 0) AS units, COALESCE(SUM(amount), 0) AS amount,
            COALESCE(SUM(CASE WHEN status = 'CONFIRMED' THEN amount ELSE 0 END), 0) AS confirmed_amount
       FROM agreements WHERE ${where.join(' AND ')} GROUP BY supplier_id ORDER BY amount DESC, supplier_id`,
    params,
  );
  return rows.map((r) => ({
    supplierId: Number(r.supplier_id),
    agreements: Number(r.agreements),
    units: Number(r.units),
    amount: String(r.amount),
    confirmedAmount: String(r.confirmed_amount),
  }));
}
