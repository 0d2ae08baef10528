import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import ExcelJS from 'exceljs';
import { JobsService, QueueName } from '@jicai/common';
import { PrepaymentService } from '@jicai/prepayment';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import {
  dataSource,
  insertAgreement,
  insertDelivery,
  insertProduct,
  insertSettlementRun,
  insertWinner,
  seedBatch,
  SeededBatch,
} from './helpers/money-fixtures';

type User = Awaited<ReturnType<typeof createOrgUser>>;

// Booting the api and worker on a fresh database can take a while on a busy machine.
jest.setTimeout(120_000);

/**
 * Prepayments (domain.md section 8, api.md "Prepayments" and POST /batches/:id/activate).
 * Agreements start on 1 January two years ahead, so every job is delayed by real time; the
 * tests promote jobs (BullMQ delays use real time) after moving the server clock.
 */
describe('prepayments (e2e)', () => {
  let t: TestApp;
  let supplier: User;
  let h1: User;
  let h2: User;
  let h3: User;
  let fund: User;
  let queue: Queue;
  let A: SeededBatch; // 24 months, ratio 0.30
  let B: SeededBatch; // 12 months, ratio 0.35
  const Y = new Date().getUTCFullYear() + 2;
  const day = (y: number, md = '01-01') => `${y}-${md}T00:00:00.000Z`;
  const admin = () => bearer(t.adminToken);
  const api = (path: string) => `/api/v1${path}`;
  const ids: Record<string, number> = {}; // prepayment ids by "<hospital>y<year>"
  let agreementH1: number;

  const item = { genericName: '左氨氯地平', dosageForm: '片剂', representativeStrength: { value: '2.5', unit: 'mg' } };

  async function list(token: string, query = '') {
    return t
      .http()
      .get(api(`/prepayments${query}`))
      .set(bearer(token));
  }
  async function one(id: number) {
    const [row] = await dataSource(t).query(
      'SELECT status, balance, amount, recovered_amount AS recoveredAmount, disbursed_at AS disbursedAt FROM prepayments WHERE id = ?',
      [id],
    );
    return row;
  }
  async function audits(id: number, action: string): Promise<number> {
    const [{ n }] = await dataSource(t).query('SELECT COUNT(*) AS n FROM audit_entries WHERE entity = ? AND entity_id = ? AND action = ?', [
      'prepayment',
      String(id),
      action,
    ]);
    return Number(n);
  }
  async function job(id: string): Promise<Job> {
    const j = await queue.getJob(id);
    if (!j) throw new Error(`no job ${id}`);
    return j;
  }
  /** Runs a delayed job now and waits for its outcome. */
  async function promote(id: string) {
    await (await job(id)).promote();
    return finished(`prepayment.${id}`);
  }
  /** Waits for a job and insists that it completed (a failed job shows its reason). */
  async function finished(publicId: string) {
    await waitForJob(t, fund.token, publicId);
    // Read once more: GET /jobs loads the job before its state, so the poll that first sees
    // "completed" may carry the data read while the job was still active (result null).
    const j = (
      await t
        .http()
        .get(api(`/jobs/${publicId}`))
        .set(bearer(fund.token))
    ).body;
    if (j.state !== 'completed') throw new Error(`${publicId} ${j.state}: ${j.failedReason}`);
    return j;
  }
  /** Waits for activation's fan-out job (requested by the admin) and insists that it completed. */
  async function fannedOut(jobId: string) {
    const j = await waitForJob(t, t.adminToken, jobId);
    if (j.state !== 'completed') throw new Error(`${jobId} ${j.state}: ${j.failedReason}`);
  }
  async function waitForState(id: string, state: string) {
    for (let i = 0; i < 600; i++) {
      if ((await (await job(id)).getState()) === state) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} never became ${state}`);
  }

  beforeAll(async () => {
    t = await createTestApp();
    queue = t.app.get<Queue>(getQueueToken(QueueName.PREPAYMENT));
    supplier = await createOrgUser(t, 'SUPPLIER');
    h1 = await createOrgUser(t, 'HOSPITAL');
    h2 = await createOrgUser(t, 'HOSPITAL');
    h3 = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');

    const p1 = await insertProduct(t, { supplierId: supplier.orgId, ...item, strength: { value: '2.5', unit: 'mg' }, packSize: 28, qualityTier: 'GENERIC' });
    const p2 = await insertProduct(t, {
      supplierId: supplier.orgId,
      ...item,
      strength: { value: '5', unit: 'mg' },
      packSize: 28,
      qualityTier: 'CONSISTENCY_PASSED',
    });

    A = await seedBatch(t, { agreementStart: `${Y}-01-01`, agreementMonths: 24, items: [item], status: 'ALLOCATED' });
    const a = { batchId: A.id, itemId: A.items[0].id, group: 'B', supplierId: supplier.orgId };
    const w1 = await insertWinner(t, { ...a, productId: p1, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189' });
    const w2 = await insertWinner(t, { ...a, productId: p2, rank: 2, awardPrice: '5.60', awardUnitPrice: '0.1176' });
    agreementH1 = await insertAgreement(t, { ...a, hospitalId: h1.orgId, bidId: w1, productId: p1, amount: '1234.57', status: 'CONFIRMED' });
    await insertAgreement(t, { ...a, hospitalId: h1.orgId, bidId: w2, productId: p2, amount: '100.10', status: 'CONFIRMED' });
    await insertAgreement(t, { ...a, hospitalId: h2.orgId, bidId: w1, productId: p1, amount: '10.05', status: 'CONFIRMED' });
    // h3's agreement is still pending at first (see "refuses while pending").
    await insertAgreement(t, { ...a, hospitalId: h3.orgId, bidId: w2, productId: p2, amount: '0.01', status: 'PENDING_CONFIRMATION' });

    B = await seedBatch(t, { agreementStart: `${Y}-07-01`, agreementMonths: 12, rules: { prepaymentRatio: '0.35' }, items: [item], status: 'ALLOCATED' });
    const b = { batchId: B.id, itemId: B.items[0].id, group: 'B', supplierId: supplier.orgId };
    const wb1 = await insertWinner(t, { ...b, productId: p1, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189' });
    const wb2 = await insertWinner(t, { ...b, productId: p2, rank: 2, awardPrice: '5.60', awardUnitPrice: '0.1176' });
    await insertAgreement(t, { ...b, hospitalId: h1.orgId, bidId: wb1, productId: p1, amount: '1000.00', status: 'CONFIRMED' });
    await insertAgreement(t, { ...b, hospitalId: h1.orgId, bidId: wb2, productId: p2, amount: '0.03', status: 'CONFIRMED' });
  });
  afterAll(async () => t?.close());

  describe('POST /batches/:id/activate', () => {
    it('is for admins only, 404 for an unknown batch, 409 INVALID_STATE unless ALLOCATED', async () => {
      for (const u of [h1, fund, supplier]) {
        const res = await t
          .http()
          .post(api(`/batches/${A.id}/activate`))
          .set(bearer(u.token));
        expect([u.role, res.status, res.body.code]).toEqual([u.role, 403, 'FORBIDDEN']);
      }
      expect((await t.http().post(api('/batches/999999/activate')).set(admin())).status).toBe(404);
      for (const status of ['AWARDED', 'IN_FORCE', 'DRAFT', 'CANCELLED']) {
        const c = await seedBatch(t, { items: [item], status });
        const res = await t
          .http()
          .post(api(`/batches/${c.id}/activate`))
          .set(admin());
        expect([status, res.status, res.body.code]).toEqual([status, 409, 'INVALID_STATE']);
      }
    });

    it('refuses with 409 AGREEMENTS_UNCONFIRMED while an agreement is pending, writing nothing', async () => {
      const res = await t
        .http()
        .post(api(`/batches/${A.id}/activate`))
        .set(admin());
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('AGREEMENTS_UNCONFIRMED');
      expect(res.body.details).toEqual([expect.objectContaining({ message: `hospital ${h3.orgId}: PENDING_CONFIRMATION` })]);
      const [{ n }] = await dataSource(t).query('SELECT COUNT(*) AS n FROM prepayments WHERE batch_id = ?', [A.id]);
      expect(Number(n)).toBe(0);
      expect(
        (
          await t
            .http()
            .get(api(`/batches/${A.id}`))
            .set(admin())
        ).body.status,
      ).toBe('ALLOCATED');
    });

    it('moves to IN_FORCE and schedules ratio × Σ confirmed amounts per hospital and agreement year', async () => {
      // h3 confirms its 0.01: 0.30 × 0.01 = 0.003 → 0.00, so h3 gets no prepayment row.
      await dataSource(t).query(`UPDATE agreements SET status = 'CONFIRMED', confirmed_at = NOW(3) WHERE batch_id = ? AND hospital_id = ?`, [A.id, h3.orgId]);
      const res = await t
        .http()
        .post(api(`/batches/${A.id}/activate`))
        .set(admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: A.id, status: 'IN_FORCE' });
      expect(res.body.activatedAt).not.toBeNull();
      // The per-prepayment jobs are enqueued by a fan-out job after the commit: wait for it.
      await fannedOut(res.body.jobId);

      const all = await list(fund.token, `?batchId=${A.id}`);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(4);
      // h1: 0.30 × (1234.57 + 100.10) = 0.30 × 1334.67 = 400.401 → 400.40
      // h2: 0.30 × 10.05 = 3.015 → 3.02 (half-up)
      // 24 months → two agreement years, due on their first days, a year apart.
      const rows = all.body.items.map((p: any) => [p.hospitalId, p.year, p.amount, p.dueDate, p.yearEnd, p.status, p.balance]);
      const [lo, hi] = h1.orgId < h2.orgId ? [h1, h2] : [h2, h1];
      const amount = (h: User) => (h === h1 ? '400.40' : '3.02');
      expect(rows).toEqual([
        [lo.orgId, 1, amount(lo), day(Y), day(Y + 1), 'SCHEDULED', '0.00'],
        [hi.orgId, 1, amount(hi), day(Y), day(Y + 1), 'SCHEDULED', '0.00'],
        [lo.orgId, 2, amount(lo), day(Y + 1), day(Y + 2), 'SCHEDULED', '0.00'],
        [hi.orgId, 2, amount(hi), day(Y + 1), day(Y + 2), 'SCHEDULED', '0.00'],
      ]);
      expect(Object.keys(all.body.items[0]).sort()).toEqual(
        expect.arrayContaining(['id', 'hospitalId', 'batchId', 'year', 'amount', 'dueDate', 'status', 'balance']),
      );
      for (const p of all.body.items) ids[`${p.hospitalId === h1.orgId ? 'h1' : 'h2'}y${p.year}`] = p.id;

      // One delayed disbursement job at the due date and one recovery job at the year's end, per prepayment.
      for (const p of all.body.items) {
        const d = await job(`disburse-${p.id}`);
        const r = await job(`recover-${p.id}`);
        expect([await d.getState(), await r.getState()]).toEqual(['delayed', 'delayed']);
        expect(d.data).toMatchObject({ prepaymentId: p.id });
        // Due moments by the server clock (allowing for the time between computing the delay and adding the job).
        expect(Math.abs(d.timestamp + d.delay - Date.parse(p.dueDate))).toBeLessThan(60_000);
        expect(Math.abs(r.timestamp + r.delay - Date.parse(p.yearEnd))).toBeLessThan(60_000);
      }

      const audit = await t
        .http()
        .get(api(`/audit?entity=batch&entityId=${A.id}`))
        .set(admin());
      expect(audit.body.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['batch.transition', 'prepayment.schedule']));
      // 400.40 + 3.02 = 403.42 a year
      expect(audit.body.items.find((e: any) => e.action === 'prepayment.schedule').data).toEqual({
        ratio: '0.30',
        prepayments: 4,
        perYear: [
          { year: 1, dueDate: day(Y), hospitals: 2, total: '403.42' },
          { year: 2, dueDate: day(Y + 1), hospitals: 2, total: '403.42' },
        ],
      });

      const again = await t
        .http()
        .post(api(`/batches/${A.id}/activate`))
        .set(admin());
      expect([again.status, again.body.code]).toEqual([409, 'INVALID_STATE']);
      expect((await list(fund.token, `?batchId=${A.id}`)).body.total).toBe(4);
    });

    it('uses the batch rule: 0.35 × (1000.00 + 0.03) = 350.0105 → 350.01, one year for 12 months', async () => {
      const res = await t
        .http()
        .post(api(`/batches/${B.id}/activate`))
        .set(admin());
      expect(res.status).toBe(200);
      await fannedOut(res.body.jobId);
      const all = await list(fund.token, `?batchId=${B.id}`);
      expect(all.body.items.map((p: any) => [p.hospitalId, p.year, p.amount, p.dueDate, p.yearEnd])).toEqual([
        [h1.orgId, 1, '350.01', day(Y, '07-01'), day(Y + 1, '07-01')],
      ]);
    });

    it('refuses a ratio below 0.30 (422 PREPAYMENT_RATIO_TOO_LOW), writing nothing', async () => {
      const D = await seedBatch(t, { items: [item], status: 'ALLOCATED' });
      // Batch rules refuse 0.25 at creation; a row changed behind the API's back is refused too.
      await dataSource(t).query(`UPDATE batches SET rules = JSON_SET(rules, '$.prepaymentRatio', '0.25') WHERE id = ?`, [D.id]);
      const res = await t
        .http()
        .post(api(`/batches/${D.id}/activate`))
        .set(admin());
      expect([res.status, res.body.code]).toEqual([422, 'PREPAYMENT_RATIO_TOO_LOW']);
      expect(
        (
          await t
            .http()
            .get(api(`/batches/${D.id}`))
            .set(admin())
        ).body.status,
      ).toBe('ALLOCATED');
    });

    it('activates a batch with no confirmed agreement: IN_FORCE, no prepayments', async () => {
      const E = await seedBatch(t, { items: [item], status: 'ALLOCATED' });
      const res = await t
        .http()
        .post(api(`/batches/${E.id}/activate`))
        .set(admin());
      expect(res.status).toBe(200);
      await fannedOut(res.body.jobId);
      expect((await list(fund.token, `?batchId=${E.id}`)).body.total).toBe(0);
    });
  });

  describe('GET /prepayments', () => {
    it('shows all to the fund and admins, own only to a hospital, nothing to a supplier', async () => {
      const byFund = await list(fund.token);
      const byAdmin = await list(t.adminToken);
      expect(byFund.body.total).toBe(5); // A: 4, B: 1
      expect(byAdmin.body).toEqual(byFund.body);

      const own = await list(h1.token);
      expect(own.status).toBe(200);
      expect(own.body.items.map((p: any) => [p.batchId, p.year, p.amount])).toEqual([
        [A.id, 1, '400.40'],
        [A.id, 2, '400.40'],
        [B.id, 1, '350.01'],
      ]);
      expect((await list(h1.token, `?hospitalId=${h1.orgId}&batchId=${B.id}`)).body.total).toBe(1);
      expect((await list(h3.token)).body).toEqual({ items: [], total: 0 });

      const other = await list(h1.token, `?hospitalId=${h2.orgId}`);
      expect([other.status, other.body.code]).toEqual([403, 'FORBIDDEN']);
      const sup = await list(supplier.token);
      expect([sup.status, sup.body.code]).toEqual([403, 'FORBIDDEN']);
      expect((await t.http().get(api('/prepayments'))).status).toBe(401);
    });

    it('filters and pages', async () => {
      const f = await list(fund.token, `?batchId=${A.id}&hospitalId=${h2.orgId}`);
      expect(f.body.items.map((p: any) => [p.year, p.amount])).toEqual([
        [1, '3.02'],
        [2, '3.02'],
      ]);
      const page = await list(fund.token, `?batchId=${A.id}&limit=1&offset=1`);
      expect(page.body.total).toBe(4);
      expect(page.body.items).toHaveLength(1);
      expect((await list(fund.token, '?limit=501')).status).toBe(400);
      expect((await list(fund.token, '?batchId=abc')).status).toBe(400);
    });
  });

  describe('GET /prepayments/schedule.xlsx', () => {
    it('exports the schedule of a batch to the fund and admins', async () => {
      const res = await t
        .http()
        .get(api(`/prepayments/schedule.xlsx?batchId=${A.id}`))
        .set(bearer(fund.token))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain(`prepayments-${A.code}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      const ws = wb.worksheets[0];
      const rows: unknown[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual(expect.arrayContaining(['医院ID', '协议年度', '应付日期', '预付金额（元）', '状态', '余额（元）']));
      expect(rows[1]).toEqual(expect.arrayContaining(['hospitalId', 'year', 'dueDate', 'amount', 'status', 'balance']));
      const col = (name: string) => (rows[1] as string[]).indexOf(name);
      const data = rows.slice(2).map((r) => [r[col('hospitalId')], r[col('year')], r[col('dueDate')], r[col('amount')], r[col('status')]]);
      const [lo, hi] = h1.orgId < h2.orgId ? [h1, h2] : [h2, h1];
      const amount = (h: User) => (h === h1 ? 400.4 : 3.02);
      expect(data).toEqual([
        [lo.orgId, 1, new Date(`${Y}-01-01T00:00:00Z`), amount(lo), 'SCHEDULED'],
        [hi.orgId, 1, new Date(`${Y}-01-01T00:00:00Z`), amount(hi), 'SCHEDULED'],
        [lo.orgId, 2, new Date(`${Y + 1}-01-01T00:00:00Z`), amount(lo), 'SCHEDULED'],
        [hi.orgId, 2, new Date(`${Y + 1}-01-01T00:00:00Z`), amount(hi), 'SCHEDULED'],
      ]);
      // Money as numbers with a fixed format; dates as date cells.
      expect(ws.getCell(3, col('amount') + 1).numFmt).toBe('#,##0.00');
      expect(ws.getCell(3, col('dueDate') + 1).numFmt).toBe('yyyy-mm-dd');

      expect(
        (
          await t
            .http()
            .get(api(`/prepayments/schedule.xlsx?batchId=${A.id}`))
            .set(admin())
        ).status,
      ).toBe(200);
    });

    it('refuses hospitals and suppliers, 404s an unknown batch, 400s a missing batchId', async () => {
      for (const u of [h1, supplier]) {
        const res = await t
          .http()
          .get(api(`/prepayments/schedule.xlsx?batchId=${A.id}`))
          .set(bearer(u.token));
        expect([u.role, res.status]).toEqual([u.role, 403]);
      }
      expect((await t.http().get(api('/prepayments/schedule.xlsx?batchId=999999')).set(bearer(fund.token))).status).toBe(404);
      expect((await t.http().get(api('/prepayments/schedule.xlsx')).set(bearer(fund.token))).status).toBe(400);
    });
  });

  describe('disbursement', () => {
    it('the job disburses on the due date: SCHEDULED → DISBURSED, balance = amount; a second run changes nothing', async () => {
      t.clock.set(`${Y}-01-01T08:00:00.000Z`);
      const id = ids.h1y1;
      const done = await promote(`disburse-${id}`);
      expect(done.state).toBe('completed');
      expect(done.result).toMatchObject({ outcome: 'disbursed', amount: '400.40' });
      const row = await one(id);
      expect([row.status, row.balance]).toEqual(['DISBURSED', '400.40']);
      expect(new Date(row.disbursedAt).toISOString()).toMatch(new RegExp(`^${Y}-01-01T08`));

      // The same job again (a retry, a duplicate): nothing changes, the balance is credited once.
      const jobs = t.app.get(JobsService, { strict: false });
      const again = await jobs.enqueue(
        QueueName.PREPAYMENT,
        'disburse',
        { prepaymentId: id, requestedBy: { userId: null, organizationId: null, role: null } },
        { jobId: `disburse-${id}` },
      );
      const second = await finished(again);
      expect(second.result).toMatchObject({ outcome: 'noop', status: 'DISBURSED' });
      expect((await one(id)).balance).toBe('400.40');
      expect(await audits(id, 'prepayment.disburse')).toBe(1);

      // And the fund cannot disburse it a second time either.
      const fundAgain = await t
        .http()
        .post(api(`/prepayments/${id}/disburse`))
        .set(bearer(fund.token));
      expect([fundAgain.status, fundAgain.body.code]).toEqual([409, 'INVALID_STATE']);
      expect((await one(id)).balance).toBe('400.40');
    });

    it('the fund disburses early, through the same path; the job then finds nothing to do', async () => {
      const id = ids.h1y2; // due 1 January of year Y+1; now is Y-01-01
      const res = await t
        .http()
        .post(api(`/prepayments/${id}/disburse`))
        .set(bearer(fund.token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, status: 'DISBURSED', balance: '400.40', amount: '400.40', year: 2 });
      const later = await promote(`disburse-${id}`);
      expect(later.result).toMatchObject({ outcome: 'noop' });
      expect((await one(id)).balance).toBe('400.40');
      expect(await audits(id, 'prepayment.disburse')).toBe(1);
      const audit = await t
        .http()
        .get(api(`/audit?entity=prepayment&entityId=${id}`))
        .set(admin());
      expect(audit.body.items[0]).toMatchObject({ action: 'prepayment.disburse', actorOrganizationId: fund.orgId, data: { via: 'fund', amount: '400.40' } });
    });

    it('refuses other roles (403) and unknown prepayments (404)', async () => {
      for (const u of [h2, supplier]) {
        const res = await t
          .http()
          .post(api(`/prepayments/${ids.h2y1}/disburse`))
          .set(bearer(u.token));
        expect([u.role, res.status, res.body.code]).toEqual([u.role, 403, 'FORBIDDEN']);
      }
      const byAdmin = await t
        .http()
        .post(api(`/prepayments/${ids.h2y1}/disburse`))
        .set(admin());
      expect(byAdmin.status).toBe(403);
      expect((await t.http().post(api('/prepayments/999999/disburse')).set(bearer(fund.token))).status).toBe(404);
      expect((await one(ids.h2y1)).status).toBe('SCHEDULED');
    });

    it('the job and the fund at the same moment disburse once', async () => {
      const id = ids.h2y1;
      const [fundRes, jobRes] = await Promise.all([
        t
          .http()
          .post(api(`/prepayments/${id}/disburse`))
          .set(bearer(fund.token)),
        promote(`disburse-${id}`),
      ]);
      const outcomes = [fundRes.status === 200 ? 'fund' : 'fund-refused', jobRes.result.outcome];
      expect([
        ['fund', 'noop'],
        ['fund-refused', 'disbursed'],
      ]).toContainEqual(outcomes);
      expect((await one(id)).balance).toBe('3.02');
      expect(await audits(id, 'prepayment.disburse')).toBe(1);
    });
  });

  describe('settlement API (lockBalances, draw)', () => {
    it('locks the disbursed balances of a hospital FIFO (year, id), FOR UPDATE', async () => {
      const svc = t.app.get(PrepaymentService, { strict: false });
      const qr = dataSource(t).createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      try {
        const locked = await svc.lockBalances(qr.manager, h1.orgId, [A.id, B.id]);
        // B's year 1 is not disbursed (SCHEDULED), so only A's two years.
        expect(locked.map((p) => [p.batchId, p.year, p.balance])).toEqual([
          [A.id, 1, '400.40'],
          [A.id, 2, '400.40'],
        ]);
        await expect(dataSource(t).query('SELECT id FROM prepayments WHERE id = ? FOR UPDATE NOWAIT', [ids.h1y1])).rejects.toThrow(/lock/i);
        expect(await svc.lockBalances(qr.manager, h1.orgId, [])).toEqual([]);
        expect(await svc.lockBalances(qr.manager, h3.orgId, [A.id])).toEqual([]);
      } finally {
        await qr.rollbackTransaction();
        await qr.release();
      }
    });

    it('draws: writes prepayment_draws and lowers the balance, never below zero, never twice for a delivery', async () => {
      const svc = t.app.get(PrepaymentService, { strict: false });
      const ds = dataSource(t);
      const run = await insertSettlementRun(t);
      const base = { agreementId: agreementH1, batchId: A.id, hospitalId: h1.orgId, supplierId: supplier.orgId };
      const d1 = await insertDelivery(t, { ...base, packs: 30, acceptedAmount: '99.90' });
      const d2 = await insertDelivery(t, { ...base, packs: 100, acceptedAmount: '333.00' });

      // 400.40 − 99.90 = 300.50
      const r1 = await ds.transaction((m) => svc.draw(m, ids.h1y1, '99.90', d1, run));
      expect(r1.balance).toBe('300.50');
      const [draw] = await ds.query('SELECT prepayment_id AS p, delivery_id AS d, run_id AS r, amount FROM prepayment_draws WHERE id = ?', [r1.drawId]);
      expect(draw).toEqual({ p: ids.h1y1, d: d1, r: run, amount: '99.90' });

      // 300.50 − 333.00 < 0: refused, and the transaction rolls back whole.
      await expect(ds.transaction((m) => svc.draw(m, ids.h1y1, '333.00', d2, run))).rejects.toMatchObject({ code: 'INSUFFICIENT_PREPAID_BALANCE' });
      await expect(ds.transaction((m) => svc.draw(m, ids.h1y1, '0.10', d1, run))).rejects.toMatchObject({ code: 'ALREADY_DRAWN' });
      for (const bad of ['0', '0.00', '-1.00', '1.001', 'abc']) {
        await expect(ds.transaction((m) => svc.draw(m, ids.h1y1, bad, d2, run))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      // B's year 1 is SCHEDULED: nothing to draw on.
      const [bRow] = await ds.query('SELECT id FROM prepayments WHERE batch_id = ?', [B.id]);
      await expect(ds.transaction((m) => svc.draw(m, bRow.id, '1.00', d2, run))).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect((await one(ids.h1y1)).balance).toBe('300.50');

      // Exactly the balance is allowed: 300.50 − 300.50 = 0.00, after which it is no longer offered.
      const d3 = await insertDelivery(t, { ...base, packs: 1, acceptedAmount: '300.50' });
      await ds.transaction((m) => svc.draw(m, ids.h1y1, '300.50', d3, run));
      expect((await one(ids.h1y1)).balance).toBe('0.00');
      const left = await ds.transaction((m) => svc.lockBalances(m, h1.orgId, [A.id]));
      expect(left.map((p) => p.id)).toEqual([ids.h1y2]);

      // Σ draws + balance = disbursed amount: no fen lost or made.
      const [{ drawn }] = await ds.query('SELECT SUM(amount) AS drawn FROM prepayment_draws WHERE prepayment_id = ?', [ids.h1y1]);
      expect(drawn).toBe('400.40');
    });
  });

  describe('year-end recovery', () => {
    it('waits for the year end when run early, then recovers the balance; idempotent', async () => {
      // h2's year 1 (3.02, disbursed); promoting its recovery before the year's end changes nothing.
      const id = ids.h2y1;
      await (await job(`recover-${id}`)).promote();
      await waitForState(`recover-${id}`, 'delayed');
      expect((await one(id)).status).toBe('DISBURSED');
      expect(await audits(id, 'prepayment.recover')).toBe(0);

      t.clock.set(`${Y + 1}-01-01T00:00:01.000Z`);
      const done = await promote(`recover-${id}`);
      expect(done.result).toMatchObject({ outcome: 'recovered', recoveredAmount: '3.02', lapsed: false });
      const row = await one(id);
      expect([row.status, row.balance, row.recoveredAmount]).toEqual(['RECOVERED', '0.00', '3.02']);

      // h1's year 1 was drawn to 0.00: it recovers 0.00.
      const h1y1 = await promote(`recover-${ids.h1y1}`);
      expect(h1y1.result).toMatchObject({ outcome: 'recovered', recoveredAmount: '0.00' });

      // Again: nothing more is recovered, nothing is audited twice.
      const jobs = t.app.get(JobsService, { strict: false });
      const again = await jobs.enqueue(
        QueueName.PREPAYMENT,
        'recover',
        { prepaymentId: id, requestedBy: { userId: null, organizationId: null, role: null } },
        { jobId: `recover-${id}` },
      );
      expect((await finished(again)).result).toMatchObject({ outcome: 'noop' });
      expect((await one(id)).recoveredAmount).toBe('3.02');
      expect(await audits(id, 'prepayment.recover')).toBe(1);

      // A recovered prepayment offers no balance to settlement and cannot be disbursed.
      expect(
        (
          await t
            .http()
            .post(api(`/prepayments/${id}/disburse`))
            .set(bearer(fund.token))
        ).status,
      ).toBe(409);
    });

    it('a year that ends undisbursed lapses (recovers 0.00); a later disbursement cannot put money into it', async () => {
      // h2's year 2 (due Y+1-01-01) was never disbursed; its year ends Y+2-01-01.
      t.clock.set(`${Y + 2}-01-01T00:00:01.000Z`);
      const id = ids.h2y2;
      expect((await one(id)).status).toBe('SCHEDULED');

      // Disbursing now, after the year, is refused — by the fund (409) and by the job (no-op).
      const byFund = await t
        .http()
        .post(api(`/prepayments/${id}/disburse`))
        .set(bearer(fund.token));
      expect([byFund.status, byFund.body.code]).toEqual([409, 'INVALID_STATE']);
      const late = await promote(`disburse-${id}`);
      expect(late.result).toMatchObject({ outcome: 'noop', status: 'SCHEDULED' });
      expect((await one(id)).balance).toBe('0.00');

      const rec = await promote(`recover-${id}`);
      expect(rec.result).toMatchObject({ outcome: 'recovered', recoveredAmount: '0.00', lapsed: true });
      const row = await one(id);
      expect([row.status, row.balance, row.recoveredAmount, row.disbursedAt]).toEqual(['RECOVERED', '0.00', '0.00', null]);

      // Recover-then-disburse: the disbursement finds it closed.
      const jobs = t.app.get(JobsService, { strict: false });
      const again = await jobs.enqueue(
        QueueName.PREPAYMENT,
        'disburse',
        { prepaymentId: id, requestedBy: { userId: null, organizationId: null, role: null } },
        { jobId: `disburse-${id}` },
      );
      expect((await finished(again)).result).toMatchObject({ outcome: 'noop', status: 'RECOVERED' });
      expect((await one(id)).balance).toBe('0.00');

      // h1's year 2, disbursed early at 400.40 and never drawn: recovered whole.
      const h1y2 = await promote(`recover-${ids.h1y2}`);
      expect(h1y2.result).toMatchObject({ outcome: 'recovered', recoveredAmount: '400.40', lapsed: false });

      // Every fen of batch A: disbursed = drawn + recovered.
      const [{ disbursed }] = await dataSource(t).query(`SELECT SUM(amount) AS disbursed FROM prepayments WHERE batch_id = ? AND disbursed_at IS NOT NULL`, [
        A.id,
      ]);
      const [{ drawn }] = await dataSource(t).query(
        `SELECT SUM(d.amount) AS drawn FROM prepayment_draws d JOIN prepayments p ON p.id = d.prepayment_id WHERE p.batch_id = ?`,
        [A.id],
      );
      const [{ recovered }] = await dataSource(t).query(`SELECT SUM(recovered_amount) AS recovered FROM prepayments WHERE batch_id = ?`, [A.id]);
      // 400.40 + 400.40 + 3.02 = 803.82 = 400.40 drawn + (0.00 + 400.40 + 3.02 + 0.00) recovered
      expect([disbursed, drawn, recovered]).toEqual(['803.82', '400.40', '403.42']);
    });

    it('keeps the audit chain intact', async () => {
      const v = await t.http().get(api('/audit/verify')).set(admin());
      expect(v.body.ok).toBe(true);
    });
  });
});
