import { DataSource } from 'typeorm';
import { sheetsOf, workbookOf } from '@jicai/spreadsheets';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { dataSource, seedAgreement, seedBatch } from './helpers/settlement-fixtures';
import { importAndWait, importJob, importJobCount, rowErrors } from './helpers/imports';
import { download, upload } from './helpers/fixtures';

jest.setTimeout(90_000);

const API = '/api/v1';
type User = Awaited<ReturnType<typeof createOrgUser>>;

/**
 * Purchase orders by spreadsheet [hospital] (issue 13 item 1; exec2): each row checked as
 * POST /orders checks an order, every bad row named by sheet/row/column/value with nothing
 * written, one job placing every order in one transaction, audited once, one notification per
 * supplier, idempotent when the job runs again.
 */
describe('purchase orders by spreadsheet (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let h1: User, h2: User, s1: User, s2: User, fund: User;
  let a1: number, a2: number, aOther: number, aPending: number, aAllocated: number;
  const header = ['agreementId', 'packs', 'requestedBy'];
  const orders = async (hospitalId: number) =>
    (
      await ds.query('SELECT agreement_id, supplier_id, packs, requested_by, status, confirm_deadline FROM purchase_orders WHERE hospital_id = ? ORDER BY id', [
        hospitalId,
      ])
    ).map((r: any) => [Number(r.agreement_id), Number(r.supplier_id), Number(r.packs), r.requested_by, r.status, new Date(r.confirm_deadline).toISOString()]);
  const auditCount = async () => Number((await ds.query("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'order.import'"))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    ds = dataSource(t);
    h1 = await createOrgUser(t, 'HOSPITAL');
    h2 = await createOrgUser(t, 'HOSPITAL');
    s1 = await createOrgUser(t, 'SUPPLIER');
    s2 = await createOrgUser(t, 'SUPPLIER');
    fund = await createOrgUser(t, 'FUND');
    t.clock.set('2027-03-01T09:30:00.000Z');
    const b = await seedBatch(t, { ordersRequired: true });
    const allocated = await seedBatch(t, { ordersRequired: true, status: 'ALLOCATED' });
    a1 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    a2 = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s2.orgId, awardPrice: '5.60' });
    aOther = await seedAgreement(t, { ...b, hospitalId: h2.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    aPending = await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.34', status: 'PENDING_CONFIRMATION' });
    aAllocated = await seedAgreement(t, { ...allocated, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
  });
  afterAll(async () => t?.close());

  it('the template is the hospital’s; suppliers, admins and the fund may neither download nor import', async () => {
    const tpl = await sheetsOf((await download(t, h1.token, `${API}/orders/template.xlsx`)).body);
    expect(tpl.Orders[1]).toEqual(header);
    const file = await workbookOf({ Orders: [header, [a1, 1, 'x']] });
    for (const token of [s1.token, fund.token, t.adminToken]) {
      expect((await download(t, token, `${API}/orders/template.xlsx`)).status).toBe(403);
      expect((await upload(t, token, `${API}/orders/import`, file)).status).toBe(403);
    }
  });

  it('refuses every bad row (another hospital’s, pending, batch not in force, packs, requestedBy), nothing written, no job', async () => {
    const jobs = await importJobCount(t);
    const file = await workbookOf({
      Orders: [header, [aOther, 10, 'ward 1'], [aPending, 10, 'ward 1'], [aAllocated, 10, 'ward 1'], [a1, 0, 'ward 1'], [a2, 5, null], [a1, 5, 'ward 2']],
    });
    const res = await upload(t, h1.token, `${API}/orders/import`, file);
    expect(res.status).toBe(400);
    expect(rowErrors(res.body.details)).toEqual([
      { row: 2, column: 'agreementId', message: `no agreement ${aOther} of yours` },
      { row: 3, column: 'agreementId', message: `agreement ${aPending} is PENDING_CONFIRMATION; orders need a CONFIRMED agreement` },
      { row: 4, column: 'agreementId', message: expect.stringContaining('is ALLOCATED; orders are placed while it is IN_FORCE') },
      { row: 5, column: 'packs', message: expect.any(String) },
      { row: 6, column: 'requestedBy', message: 'is required' },
    ]);
    expect(res.body.details[0]).toMatchObject({ sheet: 'Orders', cell: 'A2', value: String(aOther) });
    expect(await orders(h1.orgId)).toEqual([]);
    expect(await importJobCount(t)).toBe(jobs);
  });

  it('places every order of a good file in one job, audited once, each supplier told once; a rerun of the job places nothing twice', async () => {
    const file = await workbookOf({ Orders: [header, [a1, 300, '药剂科 王药师'], [a2, 400, '药剂科'], [a1, 20, 'ward 2']] });
    const { res, job } = await importAndWait(t, h1.token, `${API}/orders/import`, file);
    expect(res.body.rows).toBe(3);
    expect(job).toMatchObject({ state: 'completed', result: { imported: 3 } });
    // PLACED at 2027-03-01T09:30 (the clock may have ticked seconds): deadline 48 h later, 2027-03-03T09:30.
    const placed = await orders(h1.orgId);
    expect(placed.map((o: unknown[]) => o.slice(0, 5))).toEqual([
      [a1, s1.orgId, 300, '药剂科 王药师', 'PLACED'],
      [a2, s2.orgId, 400, '药剂科', 'PLACED'],
      [a1, s1.orgId, 20, 'ward 2', 'PLACED'],
    ]);
    expect(placed.map((o: unknown[]) => String(o[5]).slice(0, 16))).toEqual(Array(3).fill('2027-03-03T09:30'));
    expect(await auditCount()).toBe(1);
    const told = async (u: User) => (await t.http().get(`${API}/notifications?kind=ORDER_PLACED`).set(bearer(u.token))).body.items;
    expect((await told(s1)).map((n: any) => n.message)).toEqual([expect.stringMatching(/^2 order\(s\) placed by spreadsheet/)]);
    expect((await told(s2)).map((n: any) => n.message)).toEqual([expect.stringMatching(/^1 order\(s\) placed by spreadsheet/)]);
    // The supplier answers them as any order.
    const [{ id }] = await ds.query('SELECT id FROM purchase_orders WHERE agreement_id = ? ORDER BY id LIMIT 1', [a2]);
    expect((await t.http().post(`${API}/orders/${id}/confirm`).set(bearer(s2.token))).status).toBe(200);

    await (await importJob(t, res.body.jobId)).retry('completed');
    expect(await waitForJob(t, h1.token, res.body.jobId)).toMatchObject({ state: 'completed', result: { imported: 3 } });
    expect(await orders(h1.orgId)).toHaveLength(3);
    expect(await auditCount()).toBe(1);
    expect(await told(s1)).toHaveLength(1);
    // The other hospital sees none of them.
    expect((await t.http().get(`${API}/orders`).set(bearer(h2.token))).body.total).toBe(0);
  });
});
