import { JobsService, QueueName } from '@jicai/common';
import { NightlyTasks } from '@jicai/execution';
import { sheetsOf, workbookOf } from '@jicai/spreadsheets';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { seedAgreement, seedBatch } from './helpers/settlement-fixtures';
import { importAndWait } from './helpers/imports';

jest.setTimeout(90_000);

type User = Awaited<ReturnType<typeof createOrgUser>>;
const API = '/api/v1';
const HOUR = 3600_000;

const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * Issue 13 items 2-5 through the API, on one hand-worked world (seeded agreements: 10,000
 * measure units per year each, award UCP 0.1000, award price per pack as given, 28 measure
 * units per pack; agreement years from 2027-01-01):
 * - H1: A1 with S1 (3.33): ordered 300 packs, 299 delivered and accepted = 8,372 units;
 *       A2 with S2 (5.60): ordered and accepted 400 packs = 11,200 units (above the agreed 10,000).
 * - H2: A3 with S1 (3.33): an order of 10 refused (STOCK_OUT), then 20 packs = 560 units.
 */
describe('execution: progress, punctuality, retention, overdue payments, notifications (e2e, issue 13)', () => {
  let t: TestApp;
  let s1: User, s2: User, h1: User, h2: User, fund: User, admin: string;
  let b: { batchId: number; itemId: number };
  let a1: number, a2: number, a3: number;

  const as = (token: string) => ({
    get: (path: string) => t.http().get(`${API}${path}`).set(bearer(token)),
    post: (path: string, body: object = {}) => t.http().post(`${API}${path}`).set(bearer(token)).send(body),
    put: (path: string, body: object) => t.http().put(`${API}${path}`).set(bearer(token)).send(body),
  });
  const recompute = async () => {
    const r = await as(admin).post(`/batches/${b.batchId}/progress/recompute`);
    expect(r.status).toBe(202);
    expect((await waitForJob(t, admin, r.body.jobId)).state).toBe('completed');
  };
  /** Order, confirm, deliver `delivered` packs `deliverAfterHours` after placing, accept them at acceptedAt. */
  const supply = async (h: User, s: User, agreementId: number, packs: number, delivered: number, deliverAfterHours: number) => {
    const o = await as(h.token).post('/orders', { agreementId, packs, requestedBy: '药剂科' });
    expect(o.status).toBe(201);
    expect((await as(s.token).post(`/orders/${o.body.id}/confirm`)).status).toBe(200);
    return { order: o.body, deliver: () => deliverAndAccept(h, s, agreementId, o.body, delivered, deliverAfterHours) };
  };
  const deliverAndAccept = async (h: User, s: User, agreementId: number, order: any, packs: number, afterHours: number) => {
    const deliveredAt = new Date(Date.parse(order.placedAt) + afterHours * HOUR).toISOString();
    const d = await as(s.token).post('/deliveries', { agreementId, orderId: order.id, packs, lotNumber: `L-${order.id}`, deliveredAt });
    expect(d.status).toBe(201);
    const a = await as(h.token).post(`/deliveries/${d.body.id}/accept`, { acceptedPacks: packs, acceptedAt: '2027-03-10T06:00:00.000Z' });
    expect(a.status).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.adminToken;
    s1 = await createOrgUser(t, 'SUPPLIER');
    s2 = await createOrgUser(t, 'SUPPLIER');
    h1 = await createOrgUser(t, 'HOSPITAL');
    h2 = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');
    b = await seedBatch(t, { ordersRequired: true });
    a1 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    a2 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s2.orgId, awardPrice: '5.60' });
    a3 = await seedAgreement(t, { ...b, hospitalId: h2.orgId, supplierId: s1.orgId, awardPrice: '3.33' });

    t.clock.set('2027-03-01T12:00:00.000Z');
    const o1 = await supply(h1, s1, a1, 300, 299, 36);
    const o2 = await supply(h1, s2, a2, 400, 400, 25);
    const refused = await as(h2.token).post('/orders', { agreementId: a3, packs: 10, requestedBy: 'ward 2' });
    expect((await as(s1.token).post(`/orders/${refused.body.id}/refuse`, { reason: 'STOCK_OUT' })).status).toBe(200);
    const o3 = await supply(h2, s1, a3, 20, 20, 72);
    t.clock.set('2027-03-10T12:00:00.000Z');
    await o1.deliver();
    await o2.deliver();
    await o3.deliver();
  });
  afterAll(async () => t?.close());

  describe('progress (item 2)', () => {
    beforeAll(async () => {
      // H1 bought 9,000 units of non-selected products of the item's generic name in year 1; H2 100.
      expect((await as(h1.token).put(`/batches/${b.batchId}/progress/non-selected`, { itemId: b.itemId, year: 1, units: 9000 })).status).toBe(200);
      expect((await as(admin).put(`/batches/${b.batchId}/progress/non-selected`, { hospitalId: h2.orgId, itemId: b.itemId, year: 1, units: 100 })).status).toBe(
        200,
      );
      await recompute();
    });

    it('per hospital × item × group × year: units from packs, completion = accepted ÷ agreed, expected by the elapsed year, flags', async () => {
      const res = await as(fund.token).get(`/batches/${b.batchId}/progress?year=1`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      const byHospital = Object.fromEntries(res.body.items.map((r: any) => [r.hospitalId, r]));
      // 2027-03-10T12:00 is 68.5 days into 2027: 68.5 / 365 = 0.18767 → 0.1877.
      // H1: agreed 20,000; ordered (300 + 400) × 28 = 19,600; delivered (299 + 400) × 28 = 19,572 = accepted.
      // completion 19,572 / 20,000 = 0.9786. Non-selected 9,000 / (9,000 + 19,572) = 0.31499 → 0.3150 > 0.3.
      expect(byHospital[h1.orgId]).toMatchObject({
        itemId: b.itemId,
        group: 'B',
        year: 1,
        supplierId: null,
        agreedUnits: 20000,
        orderedUnits: 19600,
        deliveredUnits: 19572,
        acceptedUnits: 19572,
        completion: '0.9786',
        expectedCompletion: '0.1877',
        nonSelectedUnits: 9000,
        nonSelectedShare: '0.3150',
        flags: ['NON_SELECTED_SHARE'],
      });
      // H2: the refused 10 packs do not count; 20 × 28 = 560 of 10,000 = 0.0560 < 0.8 × 0.1877 = 0.15016: BEHIND.
      // Non-selected 100 / 660 = 0.1515: within the limit.
      expect(byHospital[h2.orgId]).toMatchObject({
        agreedUnits: 10000,
        orderedUnits: 560,
        acceptedUnits: 560,
        completion: '0.0560',
        nonSelectedShare: '0.1515',
        flags: ['BEHIND'],
      });
      // Year 2 has not started: expected 0, nothing flagged.
      const y2 = await as(fund.token).get(`/batches/${b.batchId}/progress?year=2&hospitalId=${h2.orgId}`);
      expect(y2.body.items[0]).toMatchObject({ completion: '0.0000', expectedCompletion: '0.0000', flags: [] });
      // Filters: flag, item, paging.
      const behind = await as(admin).get(`/batches/${b.batchId}/progress?flag=BEHIND`);
      expect(behind.body.items.map((r: any) => r.hospitalId)).toEqual([h2.orgId]);
      expect((await as(admin).get(`/batches/${b.batchId}/progress?limit=1`)).body).toMatchObject({ total: 4 });
      expect((await as(admin).get(`/batches/${b.batchId}/progress?flag=LATE`)).status).toBe(400);
      expect((await as(admin).get(`/batches/999999/progress`)).status).toBe(404);
    });

    it('each role sees only its own: hospitals their rows, suppliers their agreements’ rows (never another supplier’s volumes)', async () => {
      const h = await as(h2.token).get(`/batches/${b.batchId}/progress`);
      expect(new Set(h.body.items.map((r: any) => r.hospitalId))).toEqual(new Set([h2.orgId]));
      expect((await as(h2.token).get(`/batches/${b.batchId}/progress?hospitalId=${h1.orgId}`)).body.total).toBe(0);

      const s = await as(s1.token).get(`/batches/${b.batchId}/progress?year=1`);
      expect(s.body.items.map((r: any) => r.agreementId).sort()).toEqual([a1, a3].sort());
      expect(s.body.items.every((r: any) => r.supplierId === s1.orgId && r.nonSelectedShare === null)).toBe(true);
      expect(s.body.items.find((r: any) => r.agreementId === a1)).toMatchObject({ agreedUnits: 10000, acceptedUnits: 8372, completion: '0.8372' });
      // Asking for the other supplier's rows gives nothing.
      expect((await as(s1.token).get(`/batches/${b.batchId}/progress?supplierId=${s2.orgId}`)).body.total).toBe(0);
      // S2's only agreement: 11,200 accepted of 10,000 agreed.
      const s2rows = await as(s2.token).get(`/batches/${b.batchId}/progress?year=1`);
      expect(s2rows.body.items).toEqual([expect.objectContaining({ agreementId: a2, acceptedUnits: 11200, completion: '1.1200' })]);
      // The fund, by supplier.
      expect((await as(fund.token).get(`/batches/${b.batchId}/progress?supplierId=${s2.orgId}`)).body.total).toBe(2);
      // Only admins recompute.
      for (const u of [fund, h1, s1]) expect((await as(u.token).post(`/batches/${b.batchId}/progress/recompute`)).status).toBe(403);
      expect((await as(s1.token).put(`/batches/${b.batchId}/progress/non-selected`, { itemId: b.itemId, year: 1, units: 1 })).status).toBe(403);
      expect(
        (await as(h1.token).put(`/batches/${b.batchId}/progress/non-selected`, { hospitalId: h2.orgId, itemId: b.itemId, year: 1, units: 1 })).status,
      ).toBe(400);
    });

    it('exports the caller’s rows as xlsx', async () => {
      const res = await t.http().get(`${API}/batches/${b.batchId}/progress/export.xlsx?year=1`).set(bearer(h1.token)).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      const rows = (await sheetsOf(res.body)).Progress;
      // the export convention: Chinese headers, then the English field names, then the rows
      expect(rows.length).toBe(3);
      expect(rows[0]).toEqual(expect.arrayContaining(['医疗机构ID', '完成率', '预警']));
      expect(rows[1]).toEqual(expect.arrayContaining(['hospitalId', 'completion', 'flags']));
      expect(rows[2]).toEqual(expect.arrayContaining([h1.orgId, 20000, 19572, 0.9786, 'NON_SELECTED_SHARE']));
    });

    it('supplier punctuality: answers in time, refusals, fill rate, days from order to first delivery', async () => {
      const res = await as(admin).get(`/batches/${b.batchId}/progress/suppliers`);
      const by = Object.fromEntries(res.body.items.map((r: any) => [r.supplierId, r]));
      // S1: 3 orders (300 on A1, 10 refused and 20 on A3); 320 confirmed packs, 299 + 20 delivered:
      // fill 319 / 320 = 0.996875 → 0.9969; first deliveries 36 h and 72 h after placing: (1.5 + 3) / 2 = 2.25 days.
      expect(by[s1.orgId]).toMatchObject({
        orders: 3,
        confirmed: 2,
        confirmedInTime: 2,
        refused: 1,
        refusedStockOut: 1,
        confirmedPacks: 320,
        deliveredPacks: 319,
        fillRate: '0.9969',
        averageDaysToFirstDelivery: '2.25',
      });
      // S2: 400 of 400, 25 h → 1.0417 → 1.04 days.
      expect(by[s2.orgId]).toMatchObject({ orders: 1, fillRate: '1.0000', averageDaysToFirstDelivery: '1.04' });
      // A supplier sees itself only; a hospital sees suppliers as measured on its own orders.
      expect((await as(s2.token).get(`/batches/${b.batchId}/progress/suppliers`)).body.items.map((r: any) => r.supplierId)).toEqual([s2.orgId]);
      const h2view = await as(h2.token).get(`/batches/${b.batchId}/progress/suppliers`);
      expect(h2view.body.items).toEqual([expect.objectContaining({ supplierId: s1.orgId, orders: 2, deliveredPacks: 20, fillRate: '1.0000' })]);
    });

    it('names beside ids for clerks: progress rows and supplier punctuality name the hospital and the firm', async () => {
      const orgs = await as(admin).get('/organizations?limit=500');
      const name = (id: number) => orgs.body.items.find((o: any) => o.id === id).name as string;
      expect(name(h1.orgId)).toMatch(/HOSPITAL/);
      const rows = (await as(fund.token).get(`/batches/${b.batchId}/progress?year=1`)).body.items;
      expect(rows.map((r: any) => [r.hospitalId, r.hospitalName, r.supplierName]).sort()).toEqual(
        [
          [h1.orgId, name(h1.orgId), null],
          [h2.orgId, name(h2.orgId), null],
        ].sort(),
      );
      const own = (await as(s1.token).get(`/batches/${b.batchId}/progress?year=1`)).body.items;
      expect(new Set(own.map((r: any) => r.supplierName))).toEqual(new Set([name(s1.orgId)]));
      const perf = (await as(admin).get(`/batches/${b.batchId}/progress/suppliers`)).body.items;
      expect(perf.map((r: any) => [r.supplierId, r.supplierName]).sort()).toEqual(
        [
          [s1.orgId, name(s1.orgId)],
          [s2.orgId, name(s2.orgId)],
        ].sort(),
      );
    });

    it('a raised flag tells the hospital and the procurement office', async () => {
      const h2inbox = await as(h2.token).get('/notifications?kind=PROGRESS_FLAG');
      expect(h2inbox.body.items.map((n: any) => n.message).join(' ')).toContain('BEHIND');
      const h1inbox = await as(h1.token).get('/notifications?kind=PROGRESS_FLAG');
      expect(h1inbox.body.items.map((n: any) => n.message).join(' ')).toContain('NON_SELECTED_SHARE');
      expect(h1inbox.body.items.map((n: any) => n.message).join(' ')).not.toContain('BEHIND');
      expect((await as(admin).get('/notifications?kind=PROGRESS_FLAG')).body.total).toBeGreaterThanOrEqual(2);
      expect((await as(s1.token).get('/notifications?kind=PROGRESS_FLAG')).body.total).toBe(0);
      // A second recompute writes no second notification.
      const before = h2inbox.body.total;
      await recompute();
      expect((await as(h2.token).get('/notifications?kind=PROGRESS_FLAG')).body.total).toBe(before);
    });
  });

  describe('savings retention (item 3), the hand-worked example of retention.rules.spec', () => {
    it('savings = Σ (baseline − award UCP) × min(accepted, agreed), retained by score share; the fund sees all, a hospital its own', async () => {
      expect((await as(fund.token).put(`/batches/${b.batchId}/items/${b.itemId}/baseline`, { baselineUnitPrice: '0.2345' })).status).toBe(403);
      expect((await as(admin).put(`/batches/${b.batchId}/items/${b.itemId}/baseline`, { baselineUnitPrice: '0.23455' })).status).toBe(400);
      expect((await as(admin).put(`/batches/${b.batchId}/items/${b.itemId}/baseline`, { baselineUnitPrice: '0.2345' })).status).toBe(200);
      expect((await as(admin).put(`/batches/${b.batchId}/assessment-scores`, { hospitalId: h1.orgId, year: 1, score: '65' })).status).toBe(200);
      expect((await as(admin).put(`/batches/${b.batchId}/assessment-scores`, { hospitalId: h1.orgId, year: 1, score: '100.5' })).status).toBe(400);
      expect((await as(admin).put(`/batches/${b.batchId}/assessment-scores`, { hospitalId: s1.orgId, year: 1, score: '65' })).status).toBe(400);
      expect((await as(fund.token).put(`/batches/${b.batchId}/assessment-scores`, { hospitalId: h1.orgId, year: 1, score: '65' })).status).toBe(403);
      await recompute();
      const res = await as(fund.token).get(`/batches/${b.batchId}/retention?year=1`);
      const by = Object.fromEntries(res.body.items.map((r: any) => [r.hospitalId, r]));
      // H1: 0.1345 × 8,372 + 0.1345 × 10,000 (not 11,200) = 2,471.034 → 2,471.03; score 65 → 30 %: 741.309 → 741.31.
      expect(by[h1.orgId]).toMatchObject({ savings: '2471.03', score: '65.0000', share: '0.3000', retained: '741.31', status: 'PROVISIONAL' });
      const orgs = await as(admin).get('/organizations?limit=500');
      expect(by[h1.orgId].hospitalName).toBe(orgs.body.items.find((o: any) => o.id === h1.orgId).name);
      // H2: 0.1345 × 560 = 75.32; no score yet.
      expect(by[h2.orgId]).toMatchObject({ savings: '75.32', score: null, retained: null, status: 'PROVISIONAL' });
      expect(res.body.totals).toEqual({ savings: '2546.35', retained: '741.31' });
      const own = await as(h2.token).get(`/batches/${b.batchId}/retention`);
      expect(new Set(own.body.items.map((r: any) => r.hospitalId))).toEqual(new Set([h2.orgId]));
      expect((await as(s1.token).get(`/batches/${b.batchId}/retention`)).status).toBe(403);
      expect((await as(h1.token).get(`/batches/${b.batchId}/retention.xlsx`)).status).toBe(403);
      const x = await t.http().get(`${API}/batches/${b.batchId}/retention.xlsx?year=1`).set(bearer(fund.token)).buffer(true).parse(binary);
      const rows = (await sheetsOf(x.body)).Retention;
      expect(rows.slice(1).map((r: any[]) => r[2])).toEqual(expect.arrayContaining([2471.03, 75.32]));
    });

    it('the year-end job fixes rows with a score (audited) and leaves the others provisional; fixed rows never change', async () => {
      // Before the year ends the job fixes nothing.
      const early = await as(admin).post(`/batches/${b.batchId}/retention/years/1/fix`);
      expect((await waitForJob(t, admin, early.body.jobId)).result).toMatchObject({ fixed: 0 });
      t.clock.set('2028-01-01T00:10:00.000Z');
      const job = await as(admin).post(`/batches/${b.batchId}/retention/years/1/fix`);
      expect(job.status).toBe(202);
      expect((await waitForJob(t, admin, job.body.jobId)).result).toMatchObject({ fixed: 1, stillProvisional: 1, retained: '741.31' });
      const audit = await as(admin).get(`/audit?entity=batch&entityId=${b.batchId}`);
      expect(audit.body.items.map((e: any) => e.action)).toContain('retention.fix');
      expect((await as(admin).put(`/batches/${b.batchId}/assessment-scores`, { hospitalId: h1.orgId, year: 1, score: '90' })).status).toBe(400);
      // A new baseline changes the provisional row only: H2 0.2000 × 560 = 112.00; H1 stays.
      expect((await as(admin).put(`/batches/${b.batchId}/items/${b.itemId}/baseline`, { baselineUnitPrice: '0.3000' })).status).toBe(200);
      await recompute();
      const by = Object.fromEntries((await as(fund.token).get(`/batches/${b.batchId}/retention?year=1`)).body.items.map((r: any) => [r.hospitalId, r]));
      expect(by[h1.orgId]).toMatchObject({ savings: '2471.03', retained: '741.31', status: 'FIXED' });
      expect(by[h2.orgId]).toMatchObject({ savings: '112.00', status: 'PROVISIONAL' });
      t.clock.set('2027-03-10T12:00:00.000Z');
    });
  });

  describe('payment punctuality (item 4)', () => {
    it('days overdue, the daily marking job and its notifications, and the report by hospital and by supplier', async () => {
      const run = await as(fund.token).post('/settlements/runs', { cutoff: t.clock.now().toISOString() });
      expect((await waitForJob(t, fund.token, run.body.jobId)).state).toBe('completed');
      // Accepted 2027-03-10T06:00 + 30 days: due 2027-04-09T06:00. At 2027-04-12T12:00: 3 days 6 hours → 4 days.
      t.clock.set('2027-04-12T12:00:00.000Z');
      const pays = (await as(fund.token).get(`/payments?runId=${run.body.runId}`)).body.items;
      expect(pays.length).toBe(3);
      expect(pays.every((p: any) => p.overdue && p.daysOverdue === 4)).toBe(true);
      const h2pay = pays.find((p: any) => p.hospitalId === h2.orgId);
      // H2's 20 × 3.33 = 66.60 paid 2027-04-11T07:00: 2 days 1 hour late → 3 days.
      expect((await as(fund.token).post(`/payments/${h2pay.id}/mark-paid`, { paidAt: '2027-04-11T07:00:00.000Z' })).body).toMatchObject({
        status: 'PAID',
        daysOverdue: 3,
      });

      const nightly = await t.app.get(NightlyTasks, { strict: false }).run();
      expect(nightly.overdueMarked).toBe(2);
      expect((await t.app.get(NightlyTasks, { strict: false }).run()).overdueMarked).toBe(0);
      expect((await as(h1.token).get('/notifications?kind=PAYMENT_OVERDUE')).body.total).toBe(2);
      expect((await as(s2.token).get('/notifications?kind=PAYMENT_OVERDUE')).body.total).toBe(1);
      expect((await as(h2.token).get('/notifications?kind=PAYMENT_OVERDUE')).body.total).toBe(0);
      expect((await as(fund.token).get('/notifications?kind=PAYMENT_OVERDUE')).body.items[0].message).toContain('2 payment instruction(s)');

      // By hospital: H1 owes 299 × 3.33 = 995.67 and 400 × 5.60 = 2,240.00 = 3,235.67, 4 days; H2 paid 3 days late.
      const byHospital = await as(fund.token).get('/payments/overdue-report?by=hospital');
      const h = Object.fromEntries(byHospital.body.items.map((r: any) => [r.hospitalId, r]));
      const orgs = await as(admin).get('/organizations?limit=500');
      const name = (id: number) => orgs.body.items.find((o: any) => o.id === id).name as string;
      expect(h[h1.orgId]).toEqual({
        hospitalId: h1.orgId,
        name: name(h1.orgId),
        overdueCount: 2,
        overdueAmount: '3235.67',
        maxDaysOverdue: 4,
        paidLateCount: 0,
        averageDaysLate: null,
      });
      expect(h[h2.orgId]).toEqual({
        hospitalId: h2.orgId,
        name: name(h2.orgId),
        overdueCount: 0,
        overdueAmount: '0.00',
        maxDaysOverdue: 0,
        paidLateCount: 1,
        averageDaysLate: '3.00',
      });
      const bySupplier = await as(fund.token).get('/payments/overdue-report?by=supplier');
      const s = Object.fromEntries(bySupplier.body.items.map((r: any) => [r.supplierId, r]));
      expect(s[s1.orgId]).toMatchObject({ overdueCount: 1, overdueAmount: '995.67', paidLateCount: 1 });
      expect(s[s2.orgId]).toMatchObject({ name: name(s2.orgId), overdueCount: 1, overdueAmount: '2240.00' });
      // Each party sees its own row only; admins are not the paying side.
      expect((await as(h2.token).get('/payments/overdue-report')).body.items.map((r: any) => r.hospitalId)).toEqual([h2.orgId]);
      expect((await as(s2.token).get('/payments/overdue-report?by=supplier')).body.items.map((r: any) => r.supplierId)).toEqual([s2.orgId]);
      expect((await as(s2.token).get('/payments/overdue-report?by=hospital')).body.items.map((r: any) => r.hospitalId)).toEqual([h1.orgId]);
      expect((await as(admin).get('/payments/overdue-report')).status).toBe(403);
      expect((await as(fund.token).get('/payments/overdue-report?by=item')).status).toBe(400);
    });
  });

  describe('progress follows each acceptance, without the nightly job (exec2, item 2)', () => {
    it('a single acceptance and an acceptance import each enqueue a job for that hospital × batch that rewrites its rows', async () => {
      t.clock.set('2027-03-10T12:00:00.000Z');
      const s3 = await createOrgUser(t, 'SUPPLIER');
      const h3 = await createOrgUser(t, 'HOSPITAL');
      const h4 = await createOrgUser(t, 'HOSPITAL');
      const b2 = await seedBatch(t, { ordersRequired: false });
      const a5 = await seedAgreement(t, { ...b2, hospitalId: h3.orgId, supplierId: s3.orgId, awardPrice: '3.33' });
      await seedAgreement(t, { ...b2, hospitalId: h4.orgId, supplierId: s3.orgId, awardPrice: '3.33' });
      const deliver = async (packs: number) => {
        const d = await as(s3.token).post('/deliveries', { agreementId: a5, packs, lotNumber: `LX-${packs}`, deliveredAt: '2027-03-05T00:00:00.000Z' });
        expect(d.status).toBe(201);
        return d.body.id as number;
      };
      const rows = async () => (await as(admin).get(`/batches/${b2.batchId}/progress?year=1`)).body;
      /** The rows once H3's accepted units are `units` (the hospital's job runs about a second after the acceptance). */
      const rowsWhenAccepted = async (units: number) => {
        for (let i = 0; i < 100; i++) {
          const page = await rows();
          if (page.items[0]?.acceptedUnits === units) return page;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`progress never showed ${units} accepted units: ${JSON.stringify(await rows())}`);
      };
      const d1 = await deliver(100);
      const d2 = await deliver(60);
      // Nothing is computed for this batch yet: no recompute ran, a delivery alone does not count.
      expect((await rows()).total).toBe(0);

      // Accept 50 of the 100 packs: 50 × 28 = 1,400 accepted units of 10,000 → 0.1400;
      // delivered 160 × 28 = 4,480. Expected 68.5 / 365 → 0.1877; 0.14 < 0.8 × 0.1877 = 0.15016: BEHIND.
      expect((await as(h3.token).post(`/deliveries/${d1}/accept`, { acceptedPacks: 50, acceptedAt: '2027-03-10T06:00:00.000Z' })).status).toBe(200);
      let page = await rowsWhenAccepted(1400);
      // Only the accepting hospital's rows: H4 (no acceptance) has none yet.
      expect(page.items.map((r: any) => r.hospitalId)).toEqual([h3.orgId]);
      expect(page.items[0]).toMatchObject({ agreedUnits: 10000, deliveredUnits: 4480, acceptedUnits: 1400, completion: '0.1400', flags: ['BEHIND'] });
      const job = await t.app.get(JobsService).queue(QueueName.EXECUTION).getJob(`progress-${b2.batchId}-h-${h3.orgId}`);
      expect(job?.data).toEqual({ batchId: b2.batchId, hospitalId: h3.orgId });

      // Accept the 60 packs by spreadsheet: (50 + 60) × 28 = 3,080 → 0.3080, no longer BEHIND.
      const file = await workbookOf({
        Acceptances: [
          ['deliveryId', 'acceptedPacks', 'acceptedAt'],
          [d2, 60, '2027-03-10T07:00:00Z'],
        ],
      });
      const imported = await importAndWait(t, h3.token, `${API}/deliveries/acceptances/import`, file);
      expect(imported.job.state).toBe('completed');
      page = await rowsWhenAccepted(3080);
      expect(page.items[0]).toMatchObject({ hospitalId: h3.orgId, acceptedUnits: 3080, completion: '0.3080', flags: [] });
      // The supplier's agreement row moved with it.
      const own = await as(s3.token).get(`/batches/${b2.batchId}/progress?year=1`);
      expect(own.body.items).toEqual([expect.objectContaining({ agreementId: a5, acceptedUnits: 3080 })]);
    });
  });
});
