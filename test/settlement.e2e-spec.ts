import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { SettlementEngine } from '@jicai/settlement';
import { sheetsOf } from '@jicai/spreadsheets';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import {
  AcceptedDeliverySpec,
  dataSource,
  expectSound,
  seedAcceptedDeliveries,
  seedAgreement,
  seedBatch,
  seedOrganizations,
  seedPrepayment,
  settlementViolations,
  waitForRun,
} from './helpers/settlement-fixtures';

jest.setTimeout(60_000);

type User = Awaited<ReturnType<typeof createOrgUser>>;
const API = '/api/v1';
const DAY = 86_400_000;

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('deliveries and settlement (e2e, domain.md section 10)', () => {
  let t: TestApp;
  let ds: DataSource;
  let s1: User, s2: User, h1: User, h2: User, fund: User;
  let b1: { batchId: number; itemId: number }, b2: { batchId: number; itemId: number };
  let a1: number, a2: number, a3: number, a4: number;
  let p1: number, p2: number, p3: number;
  const d: Record<string, number> = {};

  const deliver = async (supplier: User, agreementId: number, packs: number, deliveredAt: string) => {
    const res = await t
      .http()
      .post(`${API}/deliveries`)
      .set(bearer(supplier.token))
      .send({ agreementId, packs, lotNumber: `LOT-${packs}-${deliveredAt.slice(5, 13)}`, deliveredAt });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body as { id: number; status: string };
  };
  const accept = async (hospital: User, id: number, acceptedPacks: number, acceptedAt?: string) => {
    const res = await t
      .http()
      .post(`${API}/deliveries/${id}/accept`)
      .set(bearer(hospital.token))
      .send({ acceptedPacks, ...(acceptedAt ? { acceptedAt } : {}) });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body;
  };
  const startRun = async (cutoff: string) => {
    const res = await t.http().post(`${API}/settlements/runs`).set(bearer(fund.token)).send({ cutoff });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 202 });
    return res.body as { runId: number; jobId: string };
  };
  const runToEnd = async (cutoff: string) => {
    const { runId, jobId } = await startRun(cutoff);
    const job = await waitForJob(t, fund.token, jobId);
    expect(job.state).toBe('completed');
    const run = await t.http().get(`${API}/settlements/runs/${runId}`).set(bearer(fund.token));
    expect(run.status).toBe(200);
    return run.body;
  };
  const byParty = (instructions: any[], hospitalId: number, supplierId: number) =>
    instructions.find((i) => i.hospitalId === hospitalId && i.supplierId === supplierId);

  beforeAll(async () => {
    t = await createTestApp();
    ds = dataSource(t);
    s1 = await createOrgUser(t, 'SUPPLIER', 'Supplier One');
    s2 = await createOrgUser(t, 'SUPPLIER', 'Supplier Two');
    h1 = await createOrgUser(t, 'HOSPITAL', 'Hospital One');
    h2 = await createOrgUser(t, 'HOSPITAL', 'Hospital Two');
    fund = await createOrgUser(t, 'FUND');
    t.clock.set('2027-03-10T00:00:00.000Z');
    b1 = await seedBatch(t, { paymentTermDays: 30 });
    b2 = await seedBatch(t, { paymentTermDays: 60 });
    a1 = await seedAgreement(t, { ...b1, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    a2 = await seedAgreement(t, { ...b1, hospitalId: h1.orgId, supplierId: s2.orgId, awardPrice: '5.60' });
    a3 = await seedAgreement(t, { ...b2, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '12.50' });
    a4 = await seedAgreement(t, { ...b1, hospitalId: h2.orgId, supplierId: s2.orgId, awardPrice: '1.05' });
    // H1's prepaid balance for B1: year 1 then year 2 (FIFO); none for B2. H2: 120.00 for B1.
    p1 = await seedPrepayment(t, { batchId: b1.batchId, hospitalId: h1.orgId, year: 1, amount: '50.00' });
    p2 = await seedPrepayment(t, { batchId: b1.batchId, hospitalId: h1.orgId, year: 2, amount: '20.00' });
    p3 = await seedPrepayment(t, { batchId: b1.batchId, hospitalId: h2.orgId, year: 1, amount: '120.00' });
  });
  afterAll(async () => t?.close());

  describe('deliveries', () => {
    it('records deliveries and accepts them: amount = acceptedPacks × award price, due = acceptedAt + paymentTermDays', async () => {
      // Created in this order; d5 is accepted first although it is created after d1..d4.
      d.d1 = (await deliver(s1, a1, 10, '2027-03-02T08:00:00.000Z')).id;
      d.d2 = (await deliver(s2, a2, 8, '2027-03-02T08:00:00.000Z')).id;
      d.d3 = (await deliver(s1, a3, 2, '2027-03-03T08:00:00.000Z')).id;
      d.d4 = (await deliver(s1, a1, 4, '2027-03-04T08:00:00.000Z')).id;
      const d5 = await deliver(s2, a2, 6, '2027-03-01T07:00:00.000Z');
      d.d5 = d5.id;
      expect(d5).toMatchObject({
        status: 'DELIVERED',
        agreementId: a2,
        batchId: b1.batchId,
        hospitalId: h1.orgId,
        supplierId: s2.orgId,
        packs: 6,
        acceptedAmount: null,
      });
      d.d6 = (await deliver(s2, a4, 100, '2027-03-03T08:00:00.000Z')).id;
      d.d9 = (await deliver(s1, a3, 5, '2027-03-04T08:00:00.000Z')).id;
      d.d7 = (await deliver(s1, a1, 2, '2027-03-06T08:00:00.000Z')).id;
      d.d8 = (await deliver(s1, a1, 7, '2027-03-04T08:00:00.000Z')).id;
      d.d10 = (await deliver(s2, a4, 20, '2027-03-07T08:00:00.000Z')).id;

      // 10 × 3.33 = 33.30, due 30 days later.
      expect(await accept(h1, d.d1, 10, '2027-03-02T09:00:00.000Z')).toMatchObject({
        status: 'ACCEPTED',
        acceptedPacks: 10,
        acceptedAmount: '33.30',
        acceptedAt: '2027-03-02T09:00:00.000Z',
        dueDate: '2027-04-01T09:00:00.000Z',
      });
      // Partial: 5 of 8 × 5.60 = 28.00.
      expect(await accept(h1, d.d2, 5, '2027-03-02T10:00:00.000Z')).toMatchObject({
        acceptedPacks: 5,
        acceptedAmount: '28.00',
        dueDate: '2027-04-01T10:00:00.000Z',
      });
      // Batch B2 has paymentTermDays 60: 2 × 12.50 = 25.00, due 60 days later.
      expect(await accept(h1, d.d3, 2, '2027-03-03T09:00:00.000Z')).toMatchObject({ acceptedAmount: '25.00', dueDate: '2027-05-02T09:00:00.000Z' });
      // Partial: 3 of 4 × 3.33 = 9.99.
      expect(await accept(h1, d.d4, 3, '2027-03-04T09:00:00.000Z')).toMatchObject({ acceptedAmount: '9.99', dueDate: '2027-04-03T09:00:00.000Z' });
      // 6 × 5.60 = 33.60.
      expect(await accept(h1, d.d5, 6, '2027-03-01T08:00:00.000Z')).toMatchObject({ acceptedAmount: '33.60', dueDate: '2027-03-31T08:00:00.000Z' });
      // 100 × 1.05 = 105.00.
      expect(await accept(h2, d.d6, 100, '2027-03-03T10:00:00.000Z')).toMatchObject({ acceptedAmount: '105.00', dueDate: '2027-04-02T10:00:00.000Z' });
      // Nothing accepted: 0 × 12.50 = 0.00 (still settled, with a zero line).
      expect(await accept(h1, d.d9, 0, '2027-03-04T12:00:00.000Z')).toMatchObject({
        acceptedPacks: 0,
        acceptedAmount: '0.00',
        dueDate: '2027-05-03T12:00:00.000Z',
      });
      // After the first run's cut-off: 2 × 3.33 = 6.66; 20 × 1.05 = 21.00.
      expect(await accept(h1, d.d7, 2, '2027-03-06T09:00:00.000Z')).toMatchObject({ acceptedAmount: '6.66' });
      expect(await accept(h2, d.d10, 20, '2027-03-07T10:00:00.000Z')).toMatchObject({ acceptedAmount: '21.00' });
      // d8 stays DELIVERED.
    });

    it('defaults acceptedAt to the server clock', async () => {
      const x = await deliver(s1, a1, 1, '2027-03-09T00:00:00.000Z');
      t.clock.set('2027-03-09T12:00:00.000Z');
      const res = await accept(h1, x.id, 1);
      t.clock.set('2027-03-10T00:00:00.000Z');
      const at = new Date(res.acceptedAt).getTime();
      expect(at).toBeGreaterThanOrEqual(Date.parse('2027-03-09T12:00:00.000Z'));
      expect(at).toBeLessThan(Date.parse('2027-03-09T12:00:00.000Z') + 60_000);
      expect(new Date(res.dueDate).getTime() - at).toBe(30 * DAY);
      d.dNow = x.id;
    });

    it('accepts a delivery once (409), never more packs than delivered (422), never in the future or before delivery (400)', async () => {
      const again = await t.http().post(`${API}/deliveries/${d.d1}/accept`).set(bearer(h1.token)).send({ acceptedPacks: 1 });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_STATE');

      const more = await t.http().post(`${API}/deliveries/${d.d8}/accept`).set(bearer(h1.token)).send({ acceptedPacks: 8 });
      expect(more.status).toBe(422);
      expect(more.body.code).toBe('ACCEPTED_PACKS_EXCEED_DELIVERED');
      const future = await t
        .http()
        .post(`${API}/deliveries/${d.d8}/accept`)
        .set(bearer(h1.token))
        .send({ acceptedPacks: 1, acceptedAt: '2027-03-11T00:00:00.000Z' });
      expect(future.status).toBe(400);
      expect(future.body.details).toEqual([expect.objectContaining({ field: 'acceptedAt' })]);
      const early = await t
        .http()
        .post(`${API}/deliveries/${d.d8}/accept`)
        .set(bearer(h1.token))
        .send({ acceptedPacks: 1, acceptedAt: '2027-03-03T00:00:00.000Z' });
      expect(early.status).toBe(400);
      for (const body of [{ acceptedPacks: -1 }, { acceptedPacks: 1.5 }, {}, { acceptedPacks: 1, acceptedAt: 'yesterday' }]) {
        const bad = await t.http().post(`${API}/deliveries/${d.d8}/accept`).set(bearer(h1.token)).send(body);
        expect(bad.status).toBe(400);
      }
      const [row] = await ds.query('SELECT status, accepted_packs AS acceptedPacks FROM deliveries WHERE id = ?', [d.d8]);
      expect(row).toEqual({ status: 'DELIVERED', acceptedPacks: null });
    });

    it('refuses deliveries against a pending agreement or a batch not IN_FORCE (409), and bad input (400)', async () => {
      const pending = await seedAgreement(t, { ...b1, hospitalId: h2.orgId, supplierId: s1.orgId, awardPrice: '3.33', status: 'PENDING_CONFIRMATION' });
      const r1 = await t
        .http()
        .post(`${API}/deliveries`)
        .set(bearer(s1.token))
        .send({ agreementId: pending, packs: 1, lotNumber: 'L1', deliveredAt: '2027-03-05T00:00:00.000Z' });
      expect(r1.status).toBe(409);
      expect(r1.body.code).toBe('INVALID_STATE');

      for (const status of ['ALLOCATED', 'COMPLETED']) {
        const b = await seedBatch(t, { status });
        const a = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '1.00' });
        const r = await t
          .http()
          .post(`${API}/deliveries`)
          .set(bearer(s1.token))
          .send({ agreementId: a, packs: 1, lotNumber: 'L1', deliveredAt: '2027-03-05T00:00:00.000Z' });
        expect({ status, code: r.status, body: r.body.code }).toEqual({ status, code: 409, body: 'INVALID_STATE' });
      }
      const bodies = [
        { agreementId: a1, packs: 0, lotNumber: 'L', deliveredAt: '2027-03-05T00:00:00.000Z' },
        { agreementId: a1, packs: 2.5, lotNumber: 'L', deliveredAt: '2027-03-05T00:00:00.000Z' },
        { agreementId: a1, packs: 1, lotNumber: '', deliveredAt: '2027-03-05T00:00:00.000Z' },
        { agreementId: a1, packs: 1, lotNumber: 'L', deliveredAt: 'soon' },
        { agreementId: a1, packs: 1, lotNumber: 'L', deliveredAt: '2027-03-11T00:00:00.000Z' },
        { agreementId: a1, packs: 1, lotNumber: 'L', deliveredAt: '2027-03-05T00:00:00.000Z', status: 'ACCEPTED' },
      ];
      for (const body of bodies) {
        const r = await t.http().post(`${API}/deliveries`).set(bearer(s1.token)).send(body);
        expect({ body, status: r.status, code: r.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM deliveries WHERE agreement_id NOT IN (?)', [[a1, a2, a3, a4]]);
      expect(Number(n)).toBe(0);
    });

    it('hides other sides: 404 for another supplier’s agreement or another hospital’s delivery; 403 for wrong roles', async () => {
      const other = await t
        .http()
        .post(`${API}/deliveries`)
        .set(bearer(s2.token))
        .send({ agreementId: a1, packs: 1, lotNumber: 'L', deliveredAt: '2027-03-05T00:00:00.000Z' });
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('NOT_FOUND');
      const unknown = await t
        .http()
        .post(`${API}/deliveries`)
        .set(bearer(s1.token))
        .send({ agreementId: 999999, packs: 1, lotNumber: 'L', deliveredAt: '2027-03-05T00:00:00.000Z' });
      expect(unknown.status).toBe(404);
      const notMine = await t.http().post(`${API}/deliveries/${d.d8}/accept`).set(bearer(h2.token)).send({ acceptedPacks: 1 });
      expect(notMine.status).toBe(404);
      const none = await t.http().post(`${API}/deliveries/999999/accept`).set(bearer(h1.token)).send({ acceptedPacks: 1 });
      expect(none.status).toBe(404);

      const body = { agreementId: a1, packs: 1, lotNumber: 'L', deliveredAt: '2027-03-05T00:00:00.000Z' };
      for (const u of [h1, fund, { token: t.adminToken }]) {
        const r = await t.http().post(`${API}/deliveries`).set(bearer(u.token)).send(body);
        expect({ status: r.status, code: r.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      for (const u of [s1, fund, { token: t.adminToken }]) {
        const r = await t.http().post(`${API}/deliveries/${d.d8}/accept`).set(bearer(u.token)).send({ acceptedPacks: 1 });
        expect({ status: r.status, code: r.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      expect((await t.http().get(`${API}/deliveries`)).status).toBe(401);
    });

    it('lists deliveries: each side its own, the fund and admins all, filtered by agreement and status', async () => {
      const ids = async (token: string, query = '') => {
        const r = await t.http().get(`${API}/deliveries?limit=500${query}`).set(bearer(token));
        expect(r.status).toBe(200);
        expect(r.body.total).toBe(r.body.items.length);
        return r.body.items.map((x: { id: number }) => x.id).sort((x: number, y: number) => x - y);
      };
      const sorted = (...xs: number[]) => xs.sort((x, y) => x - y);
      expect(await ids(s1.token)).toEqual(sorted(d.d1, d.d3, d.d4, d.d9, d.d7, d.d8, d.dNow));
      expect(await ids(s2.token)).toEqual(sorted(d.d2, d.d5, d.d6, d.d10));
      expect(await ids(h1.token)).toEqual(sorted(d.d1, d.d2, d.d3, d.d4, d.d5, d.d9, d.d7, d.d8, d.dNow));
      expect(await ids(h2.token)).toEqual(sorted(d.d6, d.d10));
      const all = sorted(...Object.values(d));
      expect(await ids(fund.token)).toEqual(all);
      expect(await ids(t.adminToken)).toEqual(all);
      expect(await ids(s1.token, `&agreementId=${a1}&status=DELIVERED`)).toEqual([d.d8]);
      expect(await ids(s2.token, `&agreementId=${a1}`)).toEqual([]);
      expect(await ids(h1.token, `&status=ACCEPTED&agreementId=${a3}`)).toEqual(sorted(d.d3, d.d9));
      const page = await t.http().get(`${API}/deliveries?limit=2&offset=1`).set(bearer(fund.token));
      expect(page.body).toMatchObject({ total: all.length, items: [{ id: all[1] }, { id: all[2] }] });
      expect((await t.http().get(`${API}/deliveries?status=LOST`).set(bearer(fund.token))).status).toBe(400);
    });
  });

  describe('settlement runs', () => {
    let run1: any;

    it('settles FIFO across suppliers and batches, drawing prepaid balances oldest year first (numbers worked by hand)', async () => {
      run1 = await runToEnd('2027-03-05T00:00:00.000Z');
      // H1, in acceptance order, B1 prepaid 50.00 (year 1) + 20.00 (year 2), B2 none:
      //   d5 03-01 33.60 B1 → prepay 33.60 (y1 left 16.40), B1 left 36.40
      //   d1 03-02 33.30 B1 → prepay 33.30 (y1 16.40 + y2 16.90), B1 left 3.10
      //   d2 03-02 28.00 B1 → prepay 3.10 (y2), hospital 24.90, B1 left 0
      //   d3 03-03 25.00 B2 → hospital 25.00 (no B2 balance)
      //   d4 03-04  9.99 B1 → hospital 9.99
      //   d9 03-04  0.00 B2 → 0 / 0
      //   H1×S1 = d1 + d3 + d4 + d9 = 68.29 = 33.30 + 34.99, due min(04-01, 05-02, 04-03, 05-03) = 04-01T09:00
      //   H1×S2 = d5 + d2 = 61.60 = 36.70 + 24.90, due min(03-31, 04-01) = 03-31T08:00
      // H2: d6 105.00 B1, prepaid 120.00 → prepay 105.00, 15.00 left; H2×S2 = 105.00 = 105.00 + 0.00.
      // Run: 234.89 = 175.00 + 59.89. d7 and d10 are after the cut-off, d8 is not accepted, dNow after it too.
      expect(run1).toMatchObject({
        status: 'COMPLETED',
        cutoff: '2027-03-05T00:00:00.000Z',
        progress: { hospitalsTotal: 2, hospitalsDone: 2 },
        totals: { amount: '234.89', fromPrepayment: '175.00', fromHospital: '59.89' },
        instructionsTotal: 3,
      });
      const line = (id: number, amount: string, fromPrepayment: string, fromHospital: string) => ({ deliveryId: id, amount, fromPrepayment, fromHospital });
      expect(byParty(run1.instructions, h1.orgId, s1.orgId)).toMatchObject({
        runId: run1.id,
        amount: '68.29',
        fromPrepayment: '33.30',
        fromHospital: '34.99',
        dueDate: '2027-04-01T09:00:00.000Z',
        status: 'PENDING',
        overdue: false,
        lines: [
          line(d.d1, '33.30', '33.30', '0.00'),
          line(d.d3, '25.00', '0.00', '25.00'),
          line(d.d4, '9.99', '0.00', '9.99'),
          line(d.d9, '0.00', '0.00', '0.00'),
        ],
      });
      expect(byParty(run1.instructions, h1.orgId, s2.orgId)).toMatchObject({
        amount: '61.60',
        fromPrepayment: '36.70',
        fromHospital: '24.90',
        dueDate: '2027-03-31T08:00:00.000Z',
        lines: [line(d.d5, '33.60', '33.60', '0.00'), line(d.d2, '28.00', '3.10', '24.90')],
      });
      expect(byParty(run1.instructions, h2.orgId, s2.orgId)).toMatchObject({
        amount: '105.00',
        fromPrepayment: '105.00',
        fromHospital: '0.00',
        dueDate: '2027-04-02T10:00:00.000Z',
        lines: [line(d.d6, '105.00', '105.00', '0.00')],
      });
      // Draws, first in first out: year 1 gives 33.60 + 16.40, year 2 gives 16.90 + 3.10.
      const draws = await ds.query('SELECT prepayment_id AS p, delivery_id AS d, amount FROM prepayment_draws WHERE run_id = ? ORDER BY prepayment_id, id', [
        run1.id,
      ]);
      expect(draws).toEqual([
        { p: p1, d: d.d5, amount: '33.60' },
        { p: p1, d: d.d1, amount: '16.40' },
        { p: p2, d: d.d1, amount: '16.90' },
        { p: p2, d: d.d2, amount: '3.10' },
        { p: p3, d: d.d6, amount: '105.00' },
      ]);
      const balances = await ds.query('SELECT id, balance FROM prepayments WHERE id IN (?) ORDER BY id', [[p1, p2, p3]]);
      expect(balances).toEqual([
        { id: p1, balance: '0.00' },
        { id: p2, balance: '0.00' },
        { id: p3, balance: '15.00' },
      ]);
      const settled = await ds.query('SELECT id, status, settlement_run_id AS runId FROM deliveries WHERE id IN (?) ORDER BY id', [[d.d1, d.d7, d.d8]]);
      expect(settled).toEqual([
        { id: d.d1, status: 'SETTLED', runId: run1.id },
        { id: d.d7, status: 'ACCEPTED', runId: null },
        { id: d.d8, status: 'DELIVERED', runId: null },
      ]);
      expectSound(await settlementViolations(ds, { acceptedBefore: new Date('2027-03-05T00:00:00.000Z') }));
    });

    it('a second run pays nothing twice: only what was accepted since, drawing what balance is left', async () => {
      const run2 = await runToEnd('2027-03-09T00:00:00.000Z');
      // d7 6.66 (H1, B1 balance 0 → hospital); d10 21.00 (H2, B1 balance 15.00 → 15.00 + 6.00).
      expect(run2).toMatchObject({
        status: 'COMPLETED',
        progress: { hospitalsTotal: 2, hospitalsDone: 2 },
        totals: { amount: '27.66', fromPrepayment: '15.00', fromHospital: '12.66' },
      });
      expect(run2.instructions).toHaveLength(2);
      expect(byParty(run2.instructions, h1.orgId, s1.orgId)).toMatchObject({
        amount: '6.66',
        fromPrepayment: '0.00',
        dueDate: '2027-04-05T09:00:00.000Z',
        lines: [{ deliveryId: d.d7 }],
      });
      expect(byParty(run2.instructions, h2.orgId, s2.orgId)).toMatchObject({
        amount: '21.00',
        fromPrepayment: '15.00',
        fromHospital: '6.00',
        lines: [{ deliveryId: d.d10 }],
      });
      const [{ balance }] = await ds.query('SELECT balance FROM prepayments WHERE id = ?', [p3]);
      expect(balance).toBe('0.00');

      // Nothing left up to that cut-off: an empty run completes with zero totals.
      const run3 = await runToEnd('2027-03-09T00:00:00.000Z');
      expect(run3).toMatchObject({
        status: 'COMPLETED',
        progress: { hospitalsTotal: 0, hospitalsDone: 0 },
        totals: { amount: '0.00', fromPrepayment: '0.00', fromHospital: '0.00' },
        instructions: [],
      });
      expectSound(await settlementViolations(ds, { acceptedBefore: new Date('2027-03-09T00:00:00.000Z') }));
    });

    it('lists payments: the fund all, suppliers and hospitals their own, with filters', async () => {
      const list = async (token: string, query = '') => {
        const r = await t.http().get(`${API}/payments?limit=500${query}`).set(bearer(token));
        expect(r.status).toBe(200);
        return r.body as { items: any[]; total: number };
      };
      const fundAll = await list(fund.token);
      expect(fundAll.total).toBe(5);
      expect(fundAll.items[0]).toEqual({
        id: expect.any(Number),
        runId: run1.id,
        hospitalId: expect.any(Number),
        hospitalName: expect.any(String),
        supplierId: expect.any(Number),
        supplierName: expect.any(String),
        amount: expect.any(String),
        fromPrepayment: expect.any(String),
        fromHospital: expect.any(String),
        dueDate: expect.any(String),
        status: 'PENDING',
        paidAt: null,
        overdue: false,
        daysOverdue: 0,
        createdAt: expect.any(String),
        lines: expect.any(Array),
      });
      expect((await list(s1.token)).items.map((i) => [i.hospitalId, i.supplierId, i.amount])).toEqual([
        [h1.orgId, s1.orgId, '68.29'],
        [h1.orgId, s1.orgId, '6.66'],
      ]);
      expect((await list(h2.token)).items.map((i) => i.amount)).toEqual(['105.00', '21.00']);
      expect((await list(h1.token, `&supplierId=${s2.orgId}`)).items.map((i) => i.amount)).toEqual(['61.60']);
      // Another side's filter never widens what one sees.
      expect((await list(s1.token, `&supplierId=${s2.orgId}`)).total).toBe(0);
      expect((await list(h1.token, `&hospitalId=${h2.orgId}`)).total).toBe(0);
      // A hospital's instructions come in the order of each supplier's first line (d5 of S2 first).
      expect((await list(fund.token, `&runId=${run1.id}&hospitalId=${h1.orgId}`)).items.map((i) => i.amount)).toEqual(['61.60', '68.29']);
      expect((await list(fund.token, '&status=PAID')).total).toBe(0);
      expect((await t.http().get(`${API}/payments?status=LATE`).set(bearer(fund.token))).status).toBe(400);
      expect((await t.http().get(`${API}/payments?overdue=maybe`).set(bearer(fund.token))).status).toBe(400);
    });

    it('shows overdue by the server clock and marks instructions paid once', async () => {
      const overdue = async (query = '') => {
        const r = await t.http().get(`${API}/payments?overdue=true${query}`).set(bearer(fund.token));
        expect(r.status).toBe(200);
        return r.body.items.map((i: any) => [i.hospitalId, i.supplierId, i.amount, i.overdue]);
      };
      expect(await overdue()).toEqual([]);
      // 04-01T00:00: only H1×S2 of run 1 (due 03-31T08:00) is past due; H1×S1 (04-01T09:00) not yet.
      t.clock.set('2027-04-01T00:00:00.000Z');
      expect(await overdue()).toEqual([[h1.orgId, s2.orgId, '61.60', true]]);
      const notOverdue = await t.http().get(`${API}/payments?overdue=false&runId=${run1.id}`).set(bearer(fund.token));
      expect(notOverdue.body.items.map((i: any) => [i.amount, i.overdue]).sort()).toEqual([
        ['105.00', false],
        ['68.29', false],
      ]);
      const [id] = (await t.http().get(`${API}/payments?overdue=true`).set(bearer(fund.token))).body.items.map((i: any) => i.id);
      // The supplier sees its own overdue instruction too.
      const mine = await t.http().get(`${API}/payments?overdue=true`).set(bearer(s2.token));
      expect(mine.body.items.map((i: any) => i.id)).toEqual([id]);

      const future = await t.http().post(`${API}/payments/${id}/mark-paid`).set(bearer(fund.token)).send({ paidAt: '2027-04-02T00:00:00.000Z' });
      expect(future.status).toBe(400);
      const paid = await t.http().post(`${API}/payments/${id}/mark-paid`).set(bearer(fund.token)).send({ paidAt: '2027-03-31T12:00:00.000Z' });
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ id, status: 'PAID', paidAt: '2027-03-31T12:00:00.000Z', overdue: false, amount: '61.60' });
      const again = await t.http().post(`${API}/payments/${id}/mark-paid`).set(bearer(fund.token)).send({ paidAt: '2027-03-31T12:00:00.000Z' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_STATE');
      expect((await t.http().post(`${API}/payments/999999/mark-paid`).set(bearer(fund.token)).send({ paidAt: '2027-03-31T12:00:00.000Z' })).status).toBe(404);
      expect(await overdue()).toEqual([]);

      // 04-10: every other instruction is past due (run 1: 04-01, 04-02; run 2: 04-05, 04-06).
      t.clock.set('2027-04-10T00:00:00.000Z');
      expect((await overdue()).map((r: any[]) => r[2]).sort()).toEqual(['105.00', '21.00', '6.66', '68.29']);
      expect((await t.http().get(`${API}/payments?status=PAID`).set(bearer(fund.token))).body.items.map((i: any) => [i.id, i.overdue])).toEqual([[id, false]]);
      t.clock.set('2027-03-10T00:00:00.000Z');
    });

    it('streams the settlement statement: a sheet per supplier with its lines and a total', async () => {
      const res = await t.http().get(`${API}/settlements/runs/${run1.id}/statement.xlsx`).set(bearer(fund.token)).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain(`settlement-run-${run1.id}-2027-03-05.xlsx`);
      const sheets = await sheetsOf(res.body as Buffer);
      expect(Object.keys(sheets)).toEqual(['Supplier One', 'Supplier Two']);
      const cols = (rows: unknown[][]) => rows.slice(2).map((r) => [r[0], r[3], r[8], r[9], r[10]]);
      expect(sheets['Supplier One'][0].slice(0, 4)).toEqual(['医院', '医院ID', '支付指令ID', '配送ID']);
      expect(sheets['Supplier One'][1].slice(0, 4)).toEqual(['hospitalName', 'hospitalId', 'instructionId', 'deliveryId']);
      expect(cols(sheets['Supplier One'])).toEqual([
        ['Hospital One', d.d1, 33.3, 33.3, 0],
        ['Hospital One', d.d3, 25, 0, 25],
        ['Hospital One', d.d4, 9.99, 0, 9.99],
        ['Hospital One', d.d9, 0, 0, 0],
        ['合计 Total', undefined, 68.29, 33.3, 34.99],
      ]);
      expect(cols(sheets['Supplier Two'])).toEqual([
        ['Hospital One', d.d5, 33.6, 33.6, 0],
        ['Hospital One', d.d2, 28, 3.1, 24.9],
        ['Hospital Two', d.d6, 105, 105, 0],
        ['合计 Total', undefined, 166.6, 141.7, 24.9],
      ]);
      const missing = await t.http().get(`${API}/settlements/runs/999999/statement.xlsx`).set(bearer(fund.token));
      expect(missing.status).toBe(404);
    });

    it('refuses a cut-off in the future (400) and wrong roles on every settlement endpoint (403)', async () => {
      const future = await t.http().post(`${API}/settlements/runs`).set(bearer(fund.token)).send({ cutoff: '2027-03-11T00:00:00.000Z' });
      expect(future.status).toBe(400);
      expect(future.body.details).toEqual([expect.objectContaining({ field: 'cutoff' })]);
      expect((await t.http().post(`${API}/settlements/runs`).set(bearer(fund.token)).send({ cutoff: 'now' })).status).toBe(400);
      expect((await t.http().get(`${API}/settlements/runs/999999`).set(bearer(fund.token))).status).toBe(404);

      const others = [s1, h1, { token: t.adminToken }];
      const cases: [string, 'get' | 'post', object?][] = [
        [`${API}/settlements/runs`, 'post', { cutoff: '2027-03-01T00:00:00.000Z' }],
        [`${API}/settlements/runs`, 'get'],
        [`${API}/settlements/runs/${run1.id}`, 'get'],
        [`${API}/settlements/runs/${run1.id}/statement.xlsx`, 'get'],
        [`${API}/payments/${run1.instructions[0].id}/mark-paid`, 'post', { paidAt: '2027-03-05T00:00:00.000Z' }],
      ];
      for (const [path, method, body] of cases) {
        for (const u of others) {
          const r = await t.http()[method](path).set(bearer(u.token)).send(body);
          expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
        }
      }
      const adminPayments = await t.http().get(`${API}/payments`).set(bearer(t.adminToken));
      expect(adminPayments.status).toBe(403);
      const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM settlement_runs WHERE cutoff = '2027-03-01'`);
      expect(Number(n)).toBe(0);
      const [{ paid }] = await ds.query(`SELECT COUNT(*) AS paid FROM payment_instructions WHERE status = 'PAID'`);
      expect(Number(paid)).toBe(1);
    });

    it('lists runs for the fund', async () => {
      const r = await t.http().get(`${API}/settlements/runs?status=COMPLETED`).set(bearer(fund.token));
      expect(r.status).toBe(200);
      expect(r.body.total).toBeGreaterThanOrEqual(3);
      expect(r.body.items.find((x: any) => x.id === run1.id)).toMatchObject({
        status: 'COMPLETED',
        trigger: 'MANUAL',
        totals: { amount: '234.89' },
        progress: { hospitalsTotal: 2, hospitalsDone: 2 },
      });
    });
  });

  describe('exactly once under retries and concurrency', () => {
    it('settles a (run, hospital) once however many times its transaction is attempted, at once or again', async () => {
      const [hx] = await seedOrganizations(t, 'HOSPITAL', 1);
      const a = await seedAgreement(t, { ...b1, hospitalId: hx, supplierId: s1.orgId, awardPrice: '2.00' });
      await seedPrepayment(t, { batchId: b1.batchId, hospitalId: hx, year: 1, amount: '5.00' });
      await seedAcceptedDeliveries(
        t,
        Array.from({ length: 5 }, (_, i) => ({
          agreementId: a,
          batchId: b1.batchId,
          hospitalId: hx,
          supplierId: s1.orgId,
          awardPrice: '2.00',
          packs: 3,
          acceptedPacks: 3,
          acceptedAt: new Date(Date.parse('2027-03-08T00:00:00.000Z') + i * 60_000),
          paymentTermDays: 30,
        })),
      );
      const r = await ds.query(`INSERT INTO settlement_runs (cutoff, status, trigger_kind, created_at) VALUES ('2027-03-09', 'RUNNING', 'MANUAL', NOW(3))`);
      const runId = Number(r.insertId);
      const engine = t.app.get(SettlementEngine, { strict: false });
      const results = await Promise.all([1, 2, 3].map(() => engine.settleHospital(runId, hx)));
      expect(results.filter((x) => !x.skipped)).toEqual([
        { runId, hospitalId: hx, skipped: false, deliveries: 5, amount: '30.00', fromPrepayment: '5.00', instructions: 1 },
      ]);
      expect(results.filter((x) => x.skipped)).toHaveLength(2);

      // A retried child job (same run and hospital, any job id) is a no-op.
      const queue = t.app.get<Queue>(getQueueToken('settlement-hospital'), { strict: false });
      const job = await queue.add('settle-hospital', { runId, hospitalId: hx }, { jobId: `retry-${runId}-${hx}` });
      const done = await waitForState(queue, job);
      expect(done.returnvalue).toMatchObject({ skipped: true });
      const [{ lineCount, amount }] = await ds.query(
        'SELECT COUNT(*) AS lineCount, SUM(l.amount) AS amount FROM payment_instruction_lines l JOIN payment_instructions pi ON pi.id = l.instruction_id WHERE pi.run_id = ?',
        [runId],
      );
      expect([Number(lineCount), amount]).toEqual([5, '30.00']);
      await ds.query(`UPDATE settlement_runs SET status = 'COMPLETED', hospitals_total = 1 WHERE id = ?`, [runId]);
      expectSound(await settlementViolations(ds, { acceptedBefore: new Date('2027-03-09T00:00:00.000Z') }));
    });

    it('settles each delivery exactly once when two runs cover the same hospitals and deliveries are accepted meanwhile', async () => {
      const hospitals = [...(await seedOrganizations(t, 'HOSPITAL', 20))];
      const withUsers = [await createOrgUser(t, 'HOSPITAL'), await createOrgUser(t, 'HOSPITAL'), await createOrgUser(t, 'HOSPITAL')];
      hospitals.push(...withUsers.map((u) => u.orgId));
      const specs: AcceptedDeliverySpec[] = [];
      const pending: { hospital: User; id: number }[] = [];
      for (const [k, h] of hospitals.entries()) {
        const ag1 = await seedAgreement(t, { ...b1, hospitalId: h, supplierId: s1.orgId, awardPrice: '3.33' });
        const ag2 = await seedAgreement(t, { ...b2, hospitalId: h, supplierId: s2.orgId, awardPrice: '1.07' });
        await seedPrepayment(t, { batchId: b1.batchId, hospitalId: h, year: 1, amount: `${20 + k}.50` });
        await seedPrepayment(t, { batchId: b2.batchId, hospitalId: h, year: 1, amount: '7.77' });
        for (let i = 0; i < 8; i++) {
          const [ag, batchId, supplierId, awardPrice, paymentTermDays] =
            i % 2 ? [ag1, b1.batchId, s1.orgId, '3.33', 30] : [ag2, b2.batchId, s2.orgId, '1.07', 60];
          specs.push({
            agreementId: ag as number,
            batchId: batchId as number,
            hospitalId: h,
            supplierId: supplierId as number,
            awardPrice: awardPrice as string,
            packs: 5 + i,
            acceptedPacks: 3 + i,
            acceptedAt: new Date(Date.parse('2027-03-09T00:00:00.000Z') + (k * 8 + i) * 1000),
            paymentTermDays: paymentTermDays as number,
          });
        }
        const u = withUsers.find((x) => x.orgId === h);
        if (u) for (let i = 0; i < 5; i++) pending.push({ hospital: u, id: (await deliver(s1, ag1, 4, '2027-03-09T00:00:00.000Z')).id });
      }
      await seedAcceptedDeliveries(t, specs);
      const cutoff = '2027-03-09T23:00:00.000Z';
      // Two runs for the same cut-off and, at the same time, hospitals accepting (back-dated before it).
      const [ra, rb] = await Promise.all([
        startRun(cutoff),
        startRun(cutoff),
        ...pending.map(({ hospital, id }, i) => accept(hospital, id, 1 + (i % 4), '2027-03-09T12:00:00.000Z')),
      ]);
      for (const r of [ra, rb]) expect((await waitForJob(t, fund.token, r.jobId)).state).toBe('completed');
      // A third run sweeps whatever the two did not reach.
      const rc = await runToEnd(cutoff);
      const [mine] = await ds.query(
        `SELECT COUNT(*) AS n, SUM(accepted_amount) AS accepted, SUM(status = 'SETTLED') AS settled FROM deliveries WHERE hospital_id IN (?) AND status <> 'DELIVERED'`,
        [hospitals],
      );
      expect(Number(mine.n)).toBe(8 * hospitals.length + pending.length);
      expect(Number(mine.settled)).toBe(Number(mine.n));
      const [paid] = await ds.query(`SELECT COALESCE(SUM(amount), 0) AS amount FROM payment_instructions WHERE run_id IN (?) AND hospital_id IN (?)`, [
        [ra.runId, rb.runId, rc.id],
        hospitals,
      ]);
      expect(paid.amount).toBe(mine.accepted);
      expectSound(await settlementViolations(ds, { acceptedBefore: new Date(cutoff) }));
    });
  });

  describe('monthly run', () => {
    it('is scheduled at worker start from AppConfig.settlementCron in UTC', async () => {
      const queue = t.app.get<Queue>(getQueueToken('settlement'), { strict: false });
      const scheduler = await queue.getJobScheduler('settlement-monthly');
      expect(scheduler).toMatchObject({ key: 'settlement-monthly', pattern: '0 2 1 * *', tz: 'UTC', name: 'monthly-run' });
    });

    it('starts one run per month, for the previous month’s end', async () => {
      t.clock.set('2027-04-01T02:00:05.000Z');
      // d8, delivered on 03-04 and left unaccepted so far, is accepted in March: the month's run settles it.
      await accept(h1, d.d8, 7, '2027-03-20T10:00:00.000Z');
      const queue = t.app.get<Queue>(getQueueToken('settlement'), { strict: false });
      const first = await waitForState(queue, await queue.add('monthly-run', {}, { jobId: 'monthly-test-1' }));
      expect(first.returnvalue).toMatchObject({ periodKey: '2027-03', created: true });
      const runId = first.returnvalue.runId;
      const second = await waitForState(queue, await queue.add('monthly-run', {}, { jobId: 'monthly-test-2' }));
      expect(second.returnvalue).toMatchObject({ periodKey: '2027-03', created: false, runId });
      const runs = await ds.query(`SELECT id, cutoff, trigger_kind AS kind FROM settlement_runs WHERE period_key = '2027-03'`);
      expect(runs).toEqual([{ id: runId, cutoff: new Date('2027-03-31T23:59:59.999Z'), kind: 'MONTHLY' }]);
      await waitForRun(ds, runId);
      expect((await ds.query('SELECT status, settlement_run_id AS runId FROM deliveries WHERE id = ?', [d.d8]))[0]).toEqual({ status: 'SETTLED', runId });
      expectSound(await settlementViolations(ds, { acceptedBefore: new Date('2027-03-31T23:59:59.999Z') }));
      const view = await t.http().get(`${API}/settlements/runs/${runId}`).set(bearer(fund.token));
      // 7 × 3.33 = 23.31, from H1 itself (its B1 balance is spent).
      expect(view.body).toMatchObject({
        status: 'COMPLETED',
        trigger: 'MONTHLY',
        periodKey: '2027-03',
        cutoff: '2027-03-31T23:59:59.999Z',
        totals: { amount: '23.31', fromPrepayment: '0.00', fromHospital: '23.31' },
        instructions: [{ hospitalId: h1.orgId, supplierId: s1.orgId, lines: [{ deliveryId: d.d8, amount: '23.31' }] }],
      });
      t.clock.set('2027-03-10T00:00:00.000Z');
    });
  });

  describe('a hospital that cannot be settled', () => {
    it('fails the run with the reason, keeps what was settled, and leaves the rest to a later run', async () => {
      t.clock.set('2027-05-10T00:00:00.000Z');
      const [bad, good] = await seedOrganizations(t, 'HOSPITAL', 2);
      const spec = (hospitalId: number, agreementId: number): AcceptedDeliverySpec => ({
        agreementId,
        batchId: b1.batchId,
        hospitalId,
        supplierId: s1.orgId,
        awardPrice: '1.50',
        packs: 2,
        acceptedPacks: 2,
        acceptedAt: new Date('2027-05-01T00:00:00.000Z'),
        paymentTermDays: 30,
      });
      await seedAcceptedDeliveries(t, [
        spec(bad, await seedAgreement(t, { ...b1, hospitalId: bad, supplierId: s1.orgId, awardPrice: '1.50' })),
        spec(good, await seedAgreement(t, { ...b1, hospitalId: good, supplierId: s1.orgId, awardPrice: '1.50' })),
      ]);
      // A corrupt row (a negative amount) that settleHospital refuses, on every attempt.
      await ds.query(`UPDATE deliveries SET accepted_amount = -1.00 WHERE hospital_id = ?`, [bad]);
      const { runId, jobId } = await startRun('2027-05-05T00:00:00.000Z');
      expect((await waitForJob(t, fund.token, jobId, 40_000)).state).toBe('failed');
      // The child's final failure marks the run FAILED (the parent job failed with it).
      const end = Date.now() + 10_000;
      let view = (await t.http().get(`${API}/settlements/runs/${runId}`).set(bearer(fund.token))).body;
      while (view.status !== 'FAILED' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        view = (await t.http().get(`${API}/settlements/runs/${runId}`).set(bearer(fund.token))).body;
      }
      expect(view).toMatchObject({ status: 'FAILED', progress: { hospitalsTotal: 2, hospitalsDone: 1 }, totals: { amount: '3.00' } });
      expect(view.failedReason).toContain(`hospital ${bad}`);
      const rows = await ds.query('SELECT hospital_id AS h, status, settlement_run_id AS runId FROM deliveries WHERE hospital_id IN (?) ORDER BY hospital_id', [
        [bad, good],
      ]);
      expect(rows).toEqual([
        { h: bad, status: 'ACCEPTED', runId: null },
        { h: good, status: 'SETTLED', runId },
      ]);

      // Repaired, the next run settles it, and only it.
      await ds.query(`UPDATE deliveries SET accepted_amount = 3.00 WHERE hospital_id = ?`, [bad]);
      const next = await runToEnd('2027-05-05T00:00:00.000Z');
      expect(next).toMatchObject({
        status: 'COMPLETED',
        progress: { hospitalsTotal: 1, hospitalsDone: 1 },
        instructions: [{ hospitalId: bad, amount: '3.00' }],
      });
      expectSound(await settlementViolations(ds, { acceptedBefore: new Date('2027-05-05T00:00:00.000Z') }));
    });
  });
});

/** Polls a job until it finishes; returns it reloaded. */
async function waitForState(queue: Queue, job: Job, timeoutMs = 20_000): Promise<Job> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      const fresh = (await queue.getJob(job.id!))!;
      if (state === 'failed') throw new Error(`job ${job.id} failed: ${fresh.failedReason}`);
      return fresh;
    }
    if (Date.now() > end) throw new Error(`job ${job.id} still ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
