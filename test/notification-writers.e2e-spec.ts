import { DataSource } from 'typeorm';
import { AllocationRunService, pendingAgreementHospitalsQuery } from '@jicai/allocation';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { bid, evaluate, openBids, publishedBatch, scoreAll, supplierWithProduct, WORKED_EXAMPLE } from './helpers/round';
import { allocateBatch } from './helpers/allocation-fixtures';

jest.setTimeout(90_000);

const API = '/api/v1';
type User = { token: string; orgId: number };

/**
 * The writers of issue 13 item 5 wired by exec2, along one round: a batch published (every
 * supplier and hospital), results published at evaluation (the batch's bidders), an objection
 * answered (the objecting supplier), agreements awaiting confirmation when allocation
 * finishes (each hospital with pending agreements). Each is one statement over the
 * recipients and keyed, so a rerun writes nothing twice; each test checks who is told and who
 * is not.
 */
describe('notification writers: published, results, objection answered, agreements to confirm (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let batchId: number;
  let itemId: number;
  let withDemand: User, withoutDemand: User, outsider: User, fund: User;
  const bidders: (User & { productId: number; bidId: number })[] = [];

  /** The caller's notifications of a kind for this batch. */
  const inbox = async (u: User | string, kind: NotificationKind) => {
    const token = typeof u === 'string' ? u : u.token;
    const res = await t.http().get(`${API}/notifications?kind=${kind}&batchId=${batchId}`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body.items as { kind: string; message: string; entity: string; entityId: number; batchId: number }[];
  };
  const rowsOfKey = async (key: string) =>
    (await ds.query('SELECT organization_id AS org, COUNT(*) AS n FROM notifications WHERE dedupe_key = ? GROUP BY organization_id', [key])).map((r: any) => [
      Number(r.org),
      Number(r.n),
    ]);

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    withDemand = await createOrgUser(t, 'HOSPITAL');
    withoutDemand = await createOrgUser(t, 'HOSPITAL');
    outsider = await createOrgUser(t, 'SUPPLIER');
    fund = await createOrgUser(t, 'FUND');
    for (const row of WORKED_EXAMPLE) bidders.push({ ...(await supplierWithProduct(t, { strength: row.strength, packSize: row.packSize })), bidId: 0 });
    const b = await publishedBatch(t);
    batchId = b.batchId;
    itemId = b.itemId;
    for (const [i, row] of WORKED_EXAMPLE.entries()) {
      bidders[i].bidId = (
        await bid(t, bidders[i].token, batchId, { itemId, productId: bidders[i].productId, packPrice: row.packPrice, supplyCapacity: 20000 })
      ).id;
    }
    const demand = await t.http().put(`${API}/batches/${batchId}/items/${itemId}/demand`).set(bearer(withDemand.token)).send({ group: 'B', quantity: 9000 });
    expect(demand.status).toBe(200);
    await openBids(t, batchId, b.openingAt);
  });
  afterAll(async () => t?.close());

  it('a batch published tells every supplier and hospital once, not the fund', async () => {
    for (const u of [withDemand, withoutDemand, outsider, bidders[0]]) {
      expect(await inbox(u, NotificationKind.BATCH_PUBLISHED)).toEqual([expect.objectContaining({ entity: 'batch', entityId: batchId, batchId })]);
    }
    expect(await inbox(fund, NotificationKind.BATCH_PUBLISHED)).toEqual([]);
    expect(await inbox(t.adminToken, NotificationKind.BATCH_PUBLISHED)).toEqual([]);
    // One row per organisation under the batch's key (5 organisations of the test at least).
    const rows = await rowsOfKey(`batch-published:${batchId}`);
    expect(rows.every(([, n]: number[]) => n === 1)).toBe(true);
    expect(rows.map(([org]: number[]) => org)).toEqual(expect.arrayContaining([withDemand.orgId, withoutDemand.orgId, outsider.orgId]));
    expect(rows.map(([org]: number[]) => org)).not.toContain(fund.orgId);
  });

  it('results published at evaluation tell the batch’s bidders only', async () => {
    await scoreAll(
      t,
      WORKED_EXAMPLE.map((w, i) => ({ bidId: bidders[i].bidId, ts: w.ts })),
    );
    expect((await evaluate(t, batchId)).state).toBe('completed');
    for (const u of bidders) expect(await inbox(u, NotificationKind.RESULTS_PUBLISHED)).toHaveLength(1);
    for (const u of [outsider, withDemand, fund]) expect(await inbox(u, NotificationKind.RESULTS_PUBLISHED)).toEqual([]);
    expect((await rowsOfKey(`results-published:${batchId}`)).map(([org]: number[]) => org).sort()).toEqual(bidders.map((b) => b.orgId).sort());
  });

  it('an objection answered tells the objecting supplier, nobody else', async () => {
    const objector = bidders[3];
    const o = await t.http().post(`${API}/batches/${batchId}/objections`).set(bearer(objector.token)).send({ itemId, group: 'B', reason: 'b1 is too cheap' });
    expect(o.status).toBe(201);
    expect(await inbox(objector, NotificationKind.OBJECTION_ANSWERED)).toEqual([]);
    const answer = await t
      .http()
      .post(`${API}/objections/${o.body.id}/answer`)
      .set(bearer(t.adminToken))
      .send({ decision: 'DISMISSED', reason: 'the cost statement holds' });
    expect(answer.status).toBe(200);
    const got = await inbox(objector, NotificationKind.OBJECTION_ANSWERED);
    expect(got).toEqual([expect.objectContaining({ entity: 'objection', entityId: o.body.id })]);
    expect(got[0].message).toContain('DISMISSED: the cost statement holds');
    for (const u of [bidders[0], bidders[1], outsider, withDemand]) expect(await inbox(u, NotificationKind.OBJECTION_ANSWERED)).toEqual([]);
  });

  it('allocation finished tells each hospital with agreements to confirm; a rerun writes nothing twice', async () => {
    t.clock.advance(3 * 24 * 3600_000 + 60_000);
    const award = await t.http().post(`${API}/batches/${batchId}/award`).set(bearer(t.adminToken));
    expect(award.body.status).toBe('AWARDED');
    expect(await inbox(withDemand, NotificationKind.AGREEMENTS_AWAITING_CONFIRMATION)).toEqual([]);
    await allocateBatch(t, batchId);
    const got = await inbox(withDemand, NotificationKind.AGREEMENTS_AWAITING_CONFIRMATION);
    expect(got).toEqual([expect.objectContaining({ entity: 'batch', entityId: batchId })]);
    expect(got[0].message).toContain('await confirmation until');
    // No demand, no agreement, no notice; suppliers confirm nothing.
    for (const u of [withoutDemand, bidders[0], fund]) expect(await inbox(u, NotificationKind.AGREEMENTS_AWAITING_CONFIRMATION)).toEqual([]);
    expect(await rowsOfKey(`agreements-pending:${batchId}`)).toEqual([[withDemand.orgId, 1]]);
    // The same event written again (a retried job) adds nothing: the key is unique per organisation.
    const again = await t.app.get(NotificationsService).notifyFrom(null, pendingAgreementHospitalsQuery(batchId), {
      kind: NotificationKind.AGREEMENTS_AWAITING_CONFIRMATION,
      message: 'again',
      dedupeKey: `agreements-pending:${batchId}`,
    });
    expect(again).toBe(0);
    // The allocation job retried after its commit finds the batch allocated and tells nobody again.
    expect(await t.app.get(AllocationRunService, { strict: false }).run(batchId, null)).toMatchObject({ alreadyAllocated: true });
    expect(await rowsOfKey(`agreements-pending:${batchId}`)).toEqual([[withDemand.orgId, 1]]);
  });
});
