import { bearer, createTestApp, TestApp } from './helpers/test-app';
import { bid, openBids, publishedBatch, supplierWithProduct } from './helpers/round';

/**
 * domain.md section 4: before opening no API shows a bid's price, capacity or even who
 * bid, to anyone but the bidding supplier; admins see counts only. GET /audit is the
 * admins' window on every change, bids included: it must not name the bidders early.
 */
describe('GET /audit keeps bids sealed until opening (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const bidEntries = async (batchId: number) => {
    const res = await t.http().get('/api/v1/audit?entity=bid&limit=500').set(bearer(t.adminToken));
    expect(res.status).toBe(200);
    return res.body.items.filter((e: any) => e.data.batchId === batchId);
  };

  it('lists bid entries without actor or product before opening, in full after; the chain verifies throughout', async () => {
    const { batchId, itemId, openingAt } = await publishedBatch(t);
    const s = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const first = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: '3.33', supplyCapacity: 1000 });
    const second = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: '3.30', supplyCapacity: 1000 });

    const sealed = await bidEntries(batchId);
    expect(sealed.map((e: any) => [e.action, e.entityId])).toEqual([
      ['bid.replace', String(second.id)],
      ['bid.submit', String(first.id)],
    ]);
    for (const e of sealed) {
      expect(e).toMatchObject({ actorUserId: null, actorOrganizationId: null, data: { batchId, itemId, group: 'B' }, sealed: true });
      expect(e.data.productId).toBeUndefined();
      expect(JSON.stringify(e)).not.toMatch(new RegExp(`"(actorUserId|actorOrganizationId|productId|supplierId)":(${s.userId}|${s.orgId}|${s.productId})\\b`));
    }
    expect((await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken))).body.ok).toBe(true);

    await openBids(t, batchId, openingAt);
    const opened = await bidEntries(batchId);
    expect(opened).toHaveLength(2);
    for (const e of opened) {
      expect(e.sealed).toBeUndefined();
      expect(e).toMatchObject({ actorUserId: s.userId, actorOrganizationId: s.orgId, data: { batchId, itemId, group: 'B', productId: s.productId } });
    }
    expect((await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken))).body.ok).toBe(true);
  });
});
