import { bearer, createOrgUser, TestApp, waitForJob } from './test-app';
import { dataSource, seedAgreement, seedBatch } from './settlement-fixtures';

export type User = Awaited<ReturnType<typeof createOrgUser>>;
const API = '/api/v1';
const HOUR = 3600_000;

export interface DashboardRound {
  s1: User;
  s2: User;
  s3: User;
  h1: User;
  h2: User;
  fund: User;
  b: { batchId: number; itemId: number };
  item2: number;
}

/**
 * One small hand-worked round for the dashboards (issue 15), through the API where the
 * platform has the path and seeded with SQL where it is upstream of what is shown:
 * agreements of 10,000 measure units a year each, award UCP 0.1000, 28 measure units per
 * pack, agreement years from 2027-01-01; the clock left at 2027-03-10T12:00Z, 68.5 days into
 * the year: expected 68.5 / 365 = 0.1877.
 * - item I1 (ceiling 9.9999): opened bids of S1, S2, S3; winners S1 (3.33 a pack) and S2 (5.60);
 *   item I2 (ceiling 0.5000): no bid.
 * - H1 (SECONDARY): A1 with S1, ordered 300 packs on 2027-02-15, 299 delivered on 02-17 and
 *   accepted on 03-10 (8,372 units, 299 × 3.33 = 995.67); A2 with S2, 400 packs ordered and
 *   accepted in March (11,200 units, 400 × 5.60 = 2,240.00).
 * - H2 (TERTIARY): A3 with S1, 20 packs ordered 2027-03-01, delivered and accepted in March
 *   (560 units, 20 × 3.33 = 66.60); an order of 10 refused.
 * - Payment instructions (as a settlement run writes them, created 2027-03-10):
 *   S1/H1 995.67 (all from the prepaid balance) due 03-20, paid 03-15 (on time);
 *   S1/H2 66.60 (hospital) due 03-05, unpaid: overdue; S2/H1 2,240.00 (hospital) due 03-22, unpaid;
 *   a second run's S1/H1 100.00 (hospital) due 03-02, paid 03-04 (late).
 * - Prepayments disbursed 2027-01-05: H1 5,000.00, H2 1,000.00.
 */
export async function seedDashboardRound(t: TestApp): Promise<DashboardRound> {
  const as = (token: string) => ({
    post: (path: string, body: object = {}) => t.http().post(`${API}${path}`).set(bearer(token)).send(body),
  });
  const sql = (q: string, p: unknown[] = []) => dataSource(t).query(q, p);
  const expectStatus = (res: { status: number; body: unknown }, status: number) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  };
  async function supply(h: User, s: User, agreementId: number, packs: number, delivered: number, afterHours: number) {
    const o = await as(h.token).post('/orders', { agreementId, packs, requestedBy: '药剂科' });
    expectStatus(o, 201);
    expectStatus(await as(s.token).post(`/orders/${o.body.id}/confirm`), 200);
    return {
      deliver: async () => {
        const deliveredAt = new Date(Date.parse(o.body.placedAt) + afterHours * HOUR).toISOString();
        const d = await as(s.token).post('/deliveries', { agreementId, orderId: o.body.id, packs: delivered, lotNumber: `L-${o.body.id}`, deliveredAt });
        expectStatus(d, 201);
        return d.body.id as number;
      },
    };
  }
  const accept = async (h: User, deliveryId: number, packs: number) =>
    expectStatus(await as(h.token).post(`/deliveries/${deliveryId}/accept`, { acceptedPacks: packs, acceptedAt: '2027-03-10T06:00:00.000Z' }), 200);
  async function instruction(
    runId: number,
    h: User,
    s: User,
    amount: string,
    fromPrepayment: string,
    fromHospital: string,
    due: string,
    paidAt: string | null,
  ) {
    await sql(
      `INSERT INTO payment_instructions (run_id, hospital_id, supplier_id, amount, from_prepayment, from_hospital, due_date, status, paid_at, created_at)
       VALUES (?,?,?,?,?,?,?,?,?,'2027-03-10 00:00:00')`,
      [runId, h.orgId, s.orgId, amount, fromPrepayment, fromHospital, due, paidAt ? 'PAID' : 'PENDING', paidAt],
    );
  }

  const s1 = await createOrgUser(t, 'SUPPLIER', '甲制药');
  const s2 = await createOrgUser(t, 'SUPPLIER', '乙制药');
  const s3 = await createOrgUser(t, 'SUPPLIER', '丙制药');
  const h1 = await createOrgUser(t, 'HOSPITAL', '第一医院');
  const h2 = await createOrgUser(t, 'HOSPITAL', '第二医院');
  const fund = await createOrgUser(t, 'FUND');
  await sql("UPDATE organizations SET level = 'TERTIARY' WHERE id = ?", [h2.orgId]);
  const b = await seedBatch(t, { ordersRequired: true });
  const i2 = await sql(
    `INSERT INTO batch_items (batch_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, rep_strength_value, rep_strength_unit, ceiling_unit_price, created_at)
     VALUES (?, '无人投标药', '无人投标药', '片剂', '片剂', 5, 'mg', 0.5000, NOW(3))`,
    [b.batchId],
  );
  const a1 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
  const a2 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s2.orgId, awardPrice: '5.60' });
  const a3 = await seedAgreement(t, { ...b, hospitalId: h2.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
  for (const s of [s1, s2, s3]) await insertBid(t, b.batchId, b.itemId, s.orgId, 'OPENED');

  t.clock.set('2027-02-15T12:00:00.000Z');
  const o1 = await supply(h1, s1, a1, 300, 299, 48);
  t.clock.set('2027-02-20T12:00:00.000Z');
  const d1 = await o1.deliver();
  t.clock.set('2027-03-01T12:00:00.000Z');
  const o2 = await supply(h1, s2, a2, 400, 400, 25);
  const refused = await as(h2.token).post('/orders', { agreementId: a3, packs: 10, requestedBy: '病区' });
  expectStatus(await as(s1.token).post(`/orders/${refused.body.id}/refuse`, { reason: 'STOCK_OUT' }), 200);
  const o3 = await supply(h2, s1, a3, 20, 20, 72);
  t.clock.set('2027-03-10T12:00:00.000Z');
  const d2 = await o2.deliver();
  const d3 = await o3.deliver();
  await accept(h1, d1, 299);
  await accept(h1, d2, 400);
  await accept(h2, d3, 20);

  const r = await as(t.adminToken).post(`/batches/${b.batchId}/progress/recompute`);
  expectStatus(r, 202);
  const job = await waitForJob(t, t.adminToken, r.body.jobId, 60_000);
  if (job.state !== 'completed') throw new Error(`progress recompute ${job.state}`);

  const run1 = Number(
    (await sql(`INSERT INTO settlement_runs (cutoff, status, trigger_kind, created_at) VALUES ('2027-03-10', 'COMPLETED', 'MANUAL', '2027-03-10')`)).insertId,
  );
  const run2 = Number(
    (await sql(`INSERT INTO settlement_runs (cutoff, status, trigger_kind, created_at) VALUES ('2027-03-01', 'COMPLETED', 'MANUAL', '2027-03-10')`)).insertId,
  );
  await instruction(run1, h1, s1, '995.67', '995.67', '0.00', '2027-03-20 00:00:00', '2027-03-15 09:00:00');
  await instruction(run1, h2, s1, '66.60', '0.00', '66.60', '2027-03-05 00:00:00', null);
  await instruction(run1, h1, s2, '2240.00', '0.00', '2240.00', '2027-03-22 00:00:00', null);
  await instruction(run2, h1, s1, '100.00', '0.00', '100.00', '2027-03-02 00:00:00', '2027-03-04 10:00:00');
  for (const [h, amount] of [
    [h1, '5000.00'],
    [h2, '1000.00'],
  ] as const) {
    await sql(
      `INSERT INTO prepayments (batch_id, hospital_id, year, amount, due_date, year_end, status, balance, disbursed_at, created_at)
       VALUES (?, ?, 1, ?, '2027-01-01', '2028-01-01', 'DISBURSED', ?, '2027-01-05 08:00:00', NOW(3))`,
      [b.batchId, h.orgId, amount, amount],
    );
  }
  return { s1, s2, s3, h1, h2, fund, b, item2: Number(i2.insertId) };
}

/** A bid row in the given status (as bidding writes it), on the first product. */
export async function insertBid(t: TestApp, batchId: number, itemId: number, supplierId: number, status: 'OPENED' | 'SEALED'): Promise<void> {
  const ds = dataSource(t);
  const [p] = await ds.query('SELECT id FROM products ORDER BY id LIMIT 1');
  await ds.query(
    `INSERT INTO bids (batch_id, item_id, supplier_id, product_id, group_name, status, live, pack_size, strength_value, strength_unit,
       measure_units_per_pack, ciphertext, nonce_salt, receipt, submitted_at) VALUES (?,?,?,?,'B',?,1,28,2.5,'mg',28,'x',?,?,NOW(3))`,
    [batchId, itemId, supplierId, p.id, status, 'a'.repeat(32), 'b'.repeat(64)],
  );
}
