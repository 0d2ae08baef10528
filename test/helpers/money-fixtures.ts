import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { normalizeName } from '@jicai/catalog';
import { PaymentStandardsService } from '@jicai/reimbursement';
import { originalAwardUcps } from '@jicai/evaluation';
import { bearer, TestApp } from './test-app';

/**
 * Upstream state for the prepayment and reimbursement suites, seeded directly: batches and
 * items through the API (then moved to the wanted status with SQL), products, winners,
 * agreements, deliveries and settlement runs with SQL. Evaluation, award and allocation are
 * built elsewhere; these suites must not depend on them.
 */

export const dataSource = (t: TestApp): DataSource => t.app.get(DataSource);

let n = 0;
const next = () => ++n;

export interface ItemSpec {
  genericName: string;
  dosageForm: string;
  representativeStrength: { value: string; unit: string };
  ceilingUnitPrice?: string;
}

export interface SeededBatch {
  id: number;
  code: string;
  items: { id: number; genericName: string; dosageForm: string }[];
}

/** POST /batches + POST /batches/:id/items as the admin, then UPDATE the status. */
export async function seedBatch(
  t: TestApp,
  opts: {
    agreementStart?: string;
    agreementMonths?: 12 | 24 | 36;
    rules?: Record<string, unknown>;
    items: ItemSpec[];
    status: string;
  },
): Promise<SeededBatch> {
  const code = `MB-${process.pid}-${next()}`;
  const now = Date.now();
  const res = await t
    .http()
    .post('/api/v1/batches')
    .set(bearer(t.adminToken))
    .send({
      code,
      name: `Batch ${code}`,
      biddingOpensAt: new Date(now + 3600_000).toISOString(),
      biddingClosesAt: new Date(now + 2 * 3600_000).toISOString(),
      openingAt: new Date(now + 3 * 3600_000).toISOString(),
      agreementStart: opts.agreementStart ?? '2027-01-01',
      agreementMonths: opts.agreementMonths ?? 12,
      ...(opts.rules ? { rules: opts.rules } : {}),
    });
  if (res.status !== 201) throw new Error(`create batch: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.id as number;
  const items = [];
  for (const item of opts.items) {
    const r = await t
      .http()
      .post(`/api/v1/batches/${id}/items`)
      .set(bearer(t.adminToken))
      .send({ ceilingUnitPrice: '9.9999', ...item });
    if (r.status !== 201) throw new Error(`create item: ${r.status} ${JSON.stringify(r.body)}`);
    items.push({ id: r.body.id as number, genericName: item.genericName, dosageForm: item.dosageForm });
  }
  // The batch jobs (close and open bidding) are not ours: take them away so they never run.
  for (const jobId of [`close-batch-${id}`, `open-batch-${id}`]) {
    const job = await t.app.get<Queue>(getQueueToken('opening'), { strict: false }).getJob(jobId);
    if (job) await job.remove();
  }
  await setBatchStatus(t, id, opts.status);
  return { id, code, items };
}

export async function setBatchStatus(t: TestApp, batchId: number, status: string): Promise<void> {
  await dataSource(t).query('UPDATE batches SET status = ? WHERE id = ?', [status, batchId]);
}

export interface ProductSpec {
  supplierId: number;
  genericName: string;
  dosageForm: string;
  strength: { value: string; unit: string };
  packSize: number;
  qualityTier: 'ORIGINATOR' | 'REFERENCE' | 'CONSISTENCY_PASSED' | 'GENERIC';
}

export async function insertProduct(t: TestApp, p: ProductSpec): Promise<number> {
  const r = await dataSource(t).query(
    `INSERT INTO products (supplier_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, strength_value, strength_unit,
       pack_size, smallest_unit, quality_tier, approval_number, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,NOW(3))`,
    [
      p.supplierId,
      p.genericName,
      normalizeName(p.genericName),
      p.dosageForm,
      normalizeName(p.dosageForm),
      p.strength.value,
      p.strength.unit,
      p.packSize,
      '片',
      p.qualityTier,
      `国药准字H${process.pid}${next()}`,
    ],
  );
  return Number(r.insertId);
}

let bidSeq = 900_000;

/** A winner row (as the award writes it); returns its bid id. */
export async function insertWinner(
  t: TestApp,
  w: {
    batchId: number;
    itemId: number;
    group: string;
    supplierId: number;
    productId: number;
    rank?: number;
    awardPrice: string;
    awardUnitPrice: string;
    awardedAt?: Date;
  },
): Promise<number> {
  const bidId = ++bidSeq;
  await dataSource(t).query(
    `INSERT INTO winners (bid_id, batch_id, item_id, group_name, supplier_id, product_id, \`rank\`, award_price, award_unit_price,
       supply_capacity, measure_units_per_pack, awarded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    [bidId, w.batchId, w.itemId, w.group, w.supplierId, w.productId, w.rank ?? 1, w.awardPrice, w.awardUnitPrice, 1_000_000, 1, w.awardedAt ?? new Date()],
  );
  return bidId;
}

/** An agreement row (as allocation writes it); returns its id. */
export async function insertAgreement(
  t: TestApp,
  a: {
    batchId: number;
    itemId: number;
    group: string;
    hospitalId: number;
    supplierId: number;
    bidId: number;
    productId: number;
    amount: string;
    status: 'PENDING_CONFIRMATION' | 'CONFIRMED';
    units?: number;
  },
): Promise<number> {
  const r = await dataSource(t).query(
    `INSERT INTO agreements (batch_id, item_id, group_name, hospital_id, supplier_id, bid_id, product_id, units, award_price,
       unit_comparable_price, amount, status, confirmed_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NOW(3))`,
    [
      a.batchId,
      a.itemId,
      a.group,
      a.hospitalId,
      a.supplierId,
      a.bidId,
      a.productId,
      a.units ?? 1000,
      '1.00',
      '0.0100',
      a.amount,
      a.status,
      a.status === 'CONFIRMED' ? new Date() : null,
    ],
  );
  return Number(r.insertId);
}

/** Runs PaymentStandardsService.recordAward in a transaction, as the award does, and marks the batch AWARDED. */
export async function award(t: TestApp, batchId: number, awardedAt: Date): Promise<void> {
  const standards = t.app.get(PaymentStandardsService, { strict: false });
  await dataSource(t).transaction(async (m) => {
    await standards.recordAward(m, batchId, awardedAt, await originalAwardUcps(m, batchId));
    await m.query('UPDATE batches SET status = ?, awarded_at = ? WHERE id = ?', ['AWARDED', awardedAt, batchId]);
  });
}

/** A payment standard row written directly (for cases the award would not produce). */
export async function insertPaymentStandard(
  t: TestApp,
  s: {
    batchId: number;
    itemId: number;
    group: string;
    tiers: string;
    genericName: string;
    dosageForm: string;
    rep: { value: string; unit: string };
    k?: string;
    standardUnitPrice: string;
    basis?: 'ITEM_HIGHEST' | 'GROUP_HIGHEST';
    awardedAt: Date;
  },
): Promise<number> {
  const r = await dataSource(t).query(
    `INSERT INTO payment_standards (batch_id, item_id, group_name, tiers, generic_name_norm, dosage_form_norm, rep_strength_value,
       rep_strength_unit, strength_ratio_coefficient, standard_unit_price, basis, awarded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    [
      s.batchId,
      s.itemId,
      s.group,
      s.tiers,
      normalizeName(s.genericName),
      normalizeName(s.dosageForm),
      s.rep.value,
      s.rep.unit,
      s.k ?? '1.7',
      s.standardUnitPrice,
      s.basis ?? 'ITEM_HIGHEST',
      s.awardedAt,
    ],
  );
  return Number(r.insertId);
}

/** A settlement run row, for prepayment draws (settlement is built elsewhere). */
export async function insertSettlementRun(t: TestApp): Promise<number> {
  const r = await dataSource(t).query(`INSERT INTO settlement_runs (cutoff, status, trigger_kind, created_at) VALUES (NOW(3), 'RUNNING', 'MANUAL', NOW(3))`);
  return Number(r.insertId);
}

/** An accepted delivery row against an agreement, for prepayment draws. */
export async function insertDelivery(
  t: TestApp,
  d: { agreementId: number; batchId: number; hospitalId: number; supplierId: number; packs: number; acceptedAmount: string },
): Promise<number> {
  const r = await dataSource(t).query(
    `INSERT INTO deliveries (agreement_id, batch_id, hospital_id, supplier_id, packs, lot_number, delivered_at, status, accepted_packs,
       accepted_at, accepted_amount, due_date, created_at) VALUES (?,?,?,?,?,?,NOW(3),'ACCEPTED',?,NOW(3),?,NOW(3),NOW(3))`,
    [d.agreementId, d.batchId, d.hospitalId, d.supplierId, d.packs, `LOT-${next()}`, d.packs, d.acceptedAmount],
  );
  return Number(r.insertId);
}
