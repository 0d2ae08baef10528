import { DataSource } from 'typeorm';
import { sheetsOf, workbookOf } from '@jicai/spreadsheets';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { dataSource, seedAgreement, seedBatch } from './helpers/settlement-fixtures';
import { importAndWait, rowErrors } from './helpers/imports';
import { download, upload } from './helpers/fixtures';

jest.setTimeout(60_000);

const API = '/api/v1';
type User = Awaited<ReturnType<typeof createOrgUser>>;

/**
 * The bulk paths of a national round (issue 11): a hospital confirms its agreements of a
 * batch in one request; suppliers record deliveries and hospitals accept them by
 * spreadsheet; long lists page by key. Each is all or nothing, audited once, idempotent.
 */
describe('bulk paths (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let s1: User, s2: User, h1: User, h2: User;
  const auditCount = async (action: string) => Number((await ds.query('SELECT COUNT(*) AS n FROM audit_entries WHERE action = ?', [action]))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    ds = dataSource(t);
    s1 = await createOrgUser(t, 'SUPPLIER');
    s2 = await createOrgUser(t, 'SUPPLIER');
    h1 = await createOrgUser(t, 'HOSPITAL');
    h2 = await createOrgUser(t, 'HOSPITAL');
  });
  afterAll(() => t.close());

  describe('organisations and users by spreadsheet [admin], activation', () => {
    const header = ['code', 'name', 'type', 'level', 'username'];
    const tag = `${process.pid}`;

    it('refuses bad rows (taken code, repeated username, level on a supplier), writing nothing', async () => {
      const before = Number((await ds.query('SELECT COUNT(*) AS n FROM organizations'))[0].n);
      const file = await workbookOf({
        Organizations: [
          header,
          [`H-${tag}-1`, '第一医院', 'HOSPITAL', 'TERTIARY', `h1-${tag}`],
          [`S-${tag}-1`, 'Supplier', 'SUPPLIER', 'PRIMARY', `h1-${tag}`],
          ['ADMIN-TAKEN', 'x', 'HOSPITAL', null, null],
          [`X-${tag}`, 'x', 'BANK', null, null],
        ],
      });
      await ds.query("UPDATE organizations SET code = 'ADMIN-TAKEN' WHERE code = 'PROCUREMENT-OFFICE'");
      const res = await upload(t, t.adminToken, `${API}/organizations/import`, file);
      await ds.query("UPDATE organizations SET code = 'PROCUREMENT-OFFICE' WHERE code = 'ADMIN-TAKEN'");
      expect(res.status).toBe(400);
      expect(rowErrors(res.body.details)).toEqual([
        { row: 3, column: 'level', message: 'only hospitals have a level' },
        { row: 3, column: 'username', message: `username h1-${tag} is also on row 2` },
        { row: 4, column: 'code', message: 'an organisation with code ADMIN-TAKEN exists already' },
        { row: 5, column: 'type', message: expect.stringContaining('must be one of') },
      ]);
      expect(Number((await ds.query('SELECT COUNT(*) AS n FROM organizations'))[0].n)).toBe(before);
      expect((await upload(t, h1.token, `${API}/organizations/import`, file)).status).toBe(403);
    });

    it('creates organisations and users awaiting activation; each activates once with its code and can then log in', async () => {
      const rows = Array.from({ length: 30 }, (_, i) => [
        `HB-${tag}-${i}`,
        `医院 ${i}`,
        'HOSPITAL',
        i % 2 ? 'SECONDARY' : null,
        i < 20 ? `hb-${tag}-${i}` : null,
      ]);
      const { res, job } = await importAndWait(t, t.adminToken, `${API}/organizations/import`, await workbookOf({ Organizations: [header, ...rows] }));
      expect(res.body.rows).toBe(30);
      expect(job.result).toEqual({ imported: 30, users: 20 });
      expect(await auditCount('organization.import')).toBe(1);
      const orgs = await ds.query('SELECT code, type, level FROM organizations WHERE code LIKE ? ORDER BY id', [`HB-${tag}-%`]);
      expect(orgs).toHaveLength(30);
      expect(orgs[1]).toEqual({ code: `HB-${tag}-1`, type: 'HOSPITAL', level: 'SECONDARY' });
      // Nobody can log in before activating: there is no password.
      const noLogin = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: `hb-${tag}-0`, password: 'anything-at-all' });
      expect(noLogin.status).toBe(401);

      const sheet = await download(t, t.adminToken, `${API}/users/activation-codes.xlsx?organizationType=HOSPITAL`);
      expect(sheet.status).toBe(200);
      const table = (await sheetsOf(sheet.body))['Activation codes'];
      expect(table[0]).toEqual(['用户ID', '用户名', '机构ID', '机构编码', '机构名称', '机构类型', '激活码']);
      expect(table[1]).toEqual(['userId', 'username', 'organizationId', 'organizationCode', 'organization', 'type', 'activationCode']);
      const mine = table.slice(2).filter((r) => String(r[1]).startsWith(`hb-${tag}-`));
      expect(mine).toHaveLength(20);
      const [, username, , , , , code] = mine[0] as string[];
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);

      const wrong = await t
        .http()
        .post(`${API}/auth/activate`)
        .send({ username, activationCode: 'A'.repeat(16), password: 'new-password-1' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_ACTIVATION');
      const ok = await t.http().post(`${API}/auth/activate`).send({ username, activationCode: code.toLowerCase(), password: 'new-password-1' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ activated: true, user: { username, role: 'HOSPITAL' } });
      // A code works once.
      expect((await t.http().post(`${API}/auth/activate`).send({ username, activationCode: code, password: 'other-password-2' })).status).toBe(401);
      expect(await t.login(username, 'new-password-1')).toEqual(expect.any(String));
      const after = (await sheetsOf((await download(t, t.adminToken, `${API}/users/activation-codes.xlsx`)).body))['Activation codes'];
      expect(after.slice(2).filter((r) => String(r[1]).startsWith(`hb-${tag}-`))).toHaveLength(19);
    });
  });

  describe('POST /batches/:id/agreements/confirm [hospital]', () => {
    let batchId: number;
    let mine: number[];
    let theirs: number;
    beforeAll(async () => {
      const b = await seedBatch(t, { status: 'ALLOCATED' });
      batchId = b.batchId;
      const pending = { ...b, status: 'PENDING_CONFIRMATION' as const, awardPrice: '10.00' };
      mine = [
        await seedAgreement(t, { ...pending, hospitalId: h1.orgId, supplierId: s1.orgId }),
        await seedAgreement(t, { ...pending, hospitalId: h1.orgId, supplierId: s2.orgId }),
        await seedAgreement(t, { ...pending, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '11.00' }),
      ];
      theirs = await seedAgreement(t, { ...pending, hospitalId: h2.orgId, supplierId: s1.orgId });
    });
    const confirm = (user: User, body: object) => t.http().post(`${API}/batches/${batchId}/agreements/confirm`).set(bearer(user.token)).send(body);
    const statuses = async () =>
      (await ds.query('SELECT id, status FROM agreements WHERE batch_id = ? ORDER BY id', [batchId])).map((r: any) => `${r.id}:${r.status}`);

    it('refuses other roles (403) and another hospital’s agreement (404, nothing confirmed)', async () => {
      expect((await confirm(s1, {})).status).toBe(403);
      const before = await statuses();
      const res = await confirm(h1, { agreementIds: [mine[0], theirs] });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(await statuses()).toEqual(before);
      expect((await confirm(h1, { agreementIds: [mine[0], mine[0]] })).status).toBe(400);
    });

    it('confirms the chosen ones, then all the rest, once each, one audit entry per request that changed something', async () => {
      const chosen = await confirm(h1, { agreementIds: [mine[1]] });
      expect(chosen.status).toBe(200);
      expect(chosen.body).toMatchObject({ batchId, hospitalId: h1.orgId, confirmed: 1, alreadyConfirmed: 0 });
      const all = await confirm(h1, {});
      expect(all.body).toMatchObject({ confirmed: 2, alreadyConfirmed: 1 });
      // A retry (a lost answer) changes nothing and adds no audit entry.
      const again = await confirm(h1, {});
      expect(again.body).toMatchObject({ confirmed: 0, alreadyConfirmed: 3 });
      expect(await auditCount('agreement.confirm-bulk')).toBe(2);
      const rows = await ds.query('SELECT id, status, forced, confirmed_by FROM agreements WHERE batch_id = ? ORDER BY id', [batchId]);
      expect(rows.map((r: any) => [Number(r.id), r.status, Number(r.forced), Number(r.confirmed_by)])).toEqual([
        [mine[0], 'CONFIRMED', 0, h1.userId],
        [mine[1], 'CONFIRMED', 0, h1.userId],
        [mine[2], 'CONFIRMED', 0, h1.userId],
        [theirs, 'PENDING_CONFIRMATION', 0, 0],
      ]);
    });

    it('pages agreements by key: the same rows as offset paging, nextAfter null on the last page', async () => {
      const admin = { token: t.adminToken } as User;
      const seen: number[] = [];
      let after = 0;
      for (let guard = 0; guard < 10; guard++) {
        const res = await t.http().get(`${API}/batches/${batchId}/agreements?after=${after}&limit=3`).set(bearer(admin.token));
        expect(res.status).toBe(200);
        expect(res.body.total).toBeUndefined();
        seen.push(...res.body.items.map((a: any) => a.id));
        if (res.body.nextAfter === null) break;
        after = res.body.nextAfter;
      }
      expect(seen).toEqual([...mine, theirs]);
      const own = await t.http().get(`${API}/batches/${batchId}/agreements?after=0`).set(bearer(h2.token));
      expect(own.body).toEqual({ items: [expect.objectContaining({ id: theirs })], nextAfter: null });
    });
  });

  describe('deliveries and acceptances by spreadsheet', () => {
    let agreement1: number, agreement2: number, other: number;
    beforeAll(async () => {
      const b = await seedBatch(t, { status: 'IN_FORCE', paymentTermDays: 30, ordersRequired: false });
      agreement1 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '12.34' });
      agreement2 = await seedAgreement(t, { ...b, hospitalId: h2.orgId, supplierId: s1.orgId, awardPrice: '12.34' });
      other = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s2.orgId, awardPrice: '7.00' });
    });
    const header = ['agreementId', 'packs', 'lotNumber', 'deliveredAt'];
    const deliveryCount = async () => Number((await ds.query('SELECT COUNT(*) AS n FROM deliveries'))[0].n);

    it('refuses a file with bad rows, naming sheet row and column, and writes nothing', async () => {
      const file = await workbookOf({
        Deliveries: [header, [agreement1, 5, 'L1', '2026-01-05T08:00:00Z'], [other, 5, 'L2', '2026-01-05T08:00:00Z'], [agreement1, 0, 'L3', '2026-01-05']],
      });
      const res = await upload(t, s1.token, `${API}/deliveries/import`, file);
      expect(res.status).toBe(400);
      expect(rowErrors(res.body.details)).toEqual([
        { row: 3, column: 'agreementId', message: `agreement ${other} not found` },
        { row: 4, column: 'packs', message: expect.stringContaining('between 1') },
      ]);
      expect(await deliveryCount()).toBe(0);
      expect((await upload(t, h1.token, `${API}/deliveries/import`, file)).status).toBe(403);
    });

    it('asks for the order where the batch rule ordersRequired is on', async () => {
      const ordered = await seedBatch(t, { status: 'IN_FORCE', ordersRequired: true });
      const agreement = await seedAgreement(t, { ...ordered, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '5.00' });
      const res = await upload(
        t,
        s1.token,
        `${API}/deliveries/import`,
        await workbookOf({ Deliveries: [header, [agreement, 5, 'L9', '2026-01-05T08:00:00Z']] }),
      );
      expect(res.status).toBe(400);
      expect(rowErrors(res.body.details)).toEqual([{ row: 2, column: 'orderId', message: 'is required by the batch rule ordersRequired' }]);
      expect(await deliveryCount()).toBe(0);
    });

    let ids: number[];
    it('records every row of a good file in one job, audited once; the same file again is refused', async () => {
      const file = await workbookOf({
        Deliveries: [
          header,
          [agreement1, 10, 'L1', '2026-01-05T08:00:00Z'],
          [agreement2, 4, 'L1', '2026-01-05T09:00:00Z'],
          [agreement1, 3, 'L2', '2026-01-06'],
        ],
      });
      const { res, job } = await importAndWait(t, s1.token, `${API}/deliveries/import`, file);
      expect(res.body.rows).toBe(3);
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ imported: 3, packs: 17 });
      const rows = await ds.query('SELECT id, agreement_id, hospital_id, supplier_id, packs, lot_number, status FROM deliveries ORDER BY id');
      ids = rows.map((r: any) => Number(r.id));
      expect(rows.map((r: any) => [Number(r.agreement_id), Number(r.hospital_id), Number(r.supplier_id), Number(r.packs), r.lot_number, r.status])).toEqual([
        [agreement1, h1.orgId, s1.orgId, 10, 'L1', 'DELIVERED'],
        [agreement2, h2.orgId, s1.orgId, 4, 'L1', 'DELIVERED'],
        [agreement1, h1.orgId, s1.orgId, 3, 'L2', 'DELIVERED'],
      ]);
      expect(await auditCount('delivery.import')).toBe(1);
      const again = await upload(t, s1.token, `${API}/deliveries/import`, file);
      expect(again.status).toBe(400);
      expect(again.body.details).toHaveLength(3);
      expect(await deliveryCount()).toBe(3);
    });

    it('accepts by spreadsheet: amount = accepted packs × award price, due = acceptance + 30 days', async () => {
      const aHeader = ['deliveryId', 'acceptedPacks', 'acceptedAt'];
      // Another hospital's delivery and more packs than delivered are refused, whole file.
      const bad = await workbookOf({ Acceptances: [aHeader, [ids[0], 11, '2026-01-07T00:00:00Z'], [ids[1], 4, '2026-01-07T00:00:00Z']] });
      const refused = await upload(t, h1.token, `${API}/deliveries/acceptances/import`, bad);
      expect(refused.status).toBe(400);
      expect(rowErrors(refused.body.details)).toEqual([
        { row: 2, column: 'acceptedPacks', message: 'must be at most the 10 packs delivered' },
        { row: 3, column: 'deliveryId', message: `delivery ${ids[1]} not found` },
      ]);
      const file = await workbookOf({ Acceptances: [aHeader, [ids[0], 7, '2026-01-07T00:00:00Z'], [ids[2], 3, '2026-01-08T12:00:00Z']] });
      const { job } = await importAndWait(t, h1.token, `${API}/deliveries/acceptances/import`, file);
      expect(job.state).toBe('completed');
      // 7 × 12.34 = 86.38; 3 × 12.34 = 37.02; together 123.40.
      expect(job.result).toMatchObject({ imported: 2, acceptedAmount: '123.40' });
      const rows = await ds.query('SELECT id, status, accepted_packs, accepted_amount, due_date FROM deliveries WHERE id IN (?) ORDER BY id', [
        [ids[0], ids[2]],
      ]);
      expect(rows.map((r: any) => [r.status, Number(r.accepted_packs), r.accepted_amount, new Date(r.due_date).toISOString()])).toEqual([
        ['ACCEPTED', 7, '86.38', '2026-02-06T00:00:00.000Z'],
        ['ACCEPTED', 3, '37.02', '2026-02-07T12:00:00.000Z'],
      ]);
      expect(await auditCount('delivery.accept-import')).toBe(1);
      // Accepted once: the same file again is refused.
      expect((await upload(t, h1.token, `${API}/deliveries/acceptances/import`, file)).status).toBe(400);
    });

    it('exports payment instructions as a streamed xlsx, each party its own', async () => {
      const fund = await createOrgUser(t, 'FUND');
      const run = await t.http().post(`${API}/settlements/runs`).set(bearer(fund.token)).send({ cutoff: new Date().toISOString() });
      expect(run.status).toBe(202);
      expect((await waitForJob(t, fund.token, run.body.jobId)).state).toBe('completed');
      const all = (await sheetsOf((await download(t, fund.token, `${API}/payments.xlsx`)).body)).Payments;
      expect(all[1]).toEqual([
        'paymentId',
        'runId',
        'hospitalId',
        'hospitalName',
        'supplierId',
        'supplierName',
        'amount',
        'fromPrepayment',
        'fromHospital',
        'dueDate',
        'status',
        'paidAt',
        'overdue',
        'daysOverdue',
        'lines',
      ]);
      // h1's two accepted deliveries from s1: 86.38 + 37.02, nothing prepaid.
      expect(all.slice(2).map((r) => [r[2], r[4], r[6], r[7], r[8], r[10], r[14]])).toEqual([[h1.orgId, s1.orgId, 123.4, 0, 123.4, 'PENDING', 2]]);
      // Days overdue as the instruction's view counts them (⌈(now − due) / 1 day⌉, 0 when not past due).
      const [listed] = (await t.http().get(`${API}/payments`).set(bearer(fund.token))).body.items.filter((p: any) => p.hospitalId === h1.orgId);
      expect([all[2][12], all[2][13]]).toEqual([listed.overdue ? 'YES' : 'NO', listed.daysOverdue]);
      expect(all[2][3]).toEqual(expect.any(String)); // names beside the ids
      expect((await sheetsOf((await download(t, s2.token, `${API}/payments.xlsx`)).body)).Payments).toHaveLength(2); // the header rows only
      const page = await t.http().get(`${API}/payments?after=0&limit=1`).set(bearer(h1.token));
      expect(page.body).toMatchObject({ items: [{ hospitalId: h1.orgId, amount: '123.40' }], nextAfter: expect.any(Number) });
      const last = await t.http().get(`${API}/payments?after=${page.body.nextAfter}&limit=1`).set(bearer(h1.token));
      expect(last.body).toEqual({ items: [], nextAfter: null });
    });

    it('pages deliveries by key', async () => {
      const first = await t.http().get(`${API}/deliveries?after=0&limit=2`).set(bearer(s1.token));
      expect(first.body.items.map((d: any) => d.id)).toEqual(ids.slice(0, 2));
      expect(first.body.nextAfter).toBe(ids[1]);
      const last = await t.http().get(`${API}/deliveries?after=${ids[1]}&limit=2`).set(bearer(s1.token));
      expect(last.body).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextAfter: null });
    });
  });
});
