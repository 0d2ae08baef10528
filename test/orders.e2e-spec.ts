import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { seedAgreement, seedBatch } from './helpers/settlement-fixtures';

jest.setTimeout(60_000);

type User = Awaited<ReturnType<typeof createOrgUser>>;
const API = '/api/v1';

/** Issue 13 item 1: purchase orders (采购订单), deliveries against order lines, and the inbox they write. */
describe('purchase orders (e2e, issue 13)', () => {
  let t: TestApp;
  let s1: User, s2: User, h1: User, h2: User, fund: User, admin: string;
  let required: { batchId: number; itemId: number }, legacy: { batchId: number; itemId: number }, allocated: { batchId: number; itemId: number };
  let a1: number, a2: number, aLegacy: number, aPending: number, aAllocated: number;

  const place = (u: User, body: object) => t.http().post(`${API}/orders`).set(bearer(u.token)).send(body);
  const act = (u: User, id: number, action: string, body: object = {}) => t.http().post(`${API}/orders/${id}/${action}`).set(bearer(u.token)).send(body);
  const deliver = (u: User, body: object) =>
    t
      .http()
      .post(`${API}/deliveries`)
      .set(bearer(u.token))
      .send({ lotNumber: 'L1', deliveredAt: new Date(t.clock.now().getTime() - 60_000).toISOString(), ...body });
  const inbox = async (u: User, query = '') => (await t.http().get(`${API}/notifications${query}`).set(bearer(u.token))).body;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.adminToken;
    s1 = await createOrgUser(t, 'SUPPLIER');
    s2 = await createOrgUser(t, 'SUPPLIER');
    h1 = await createOrgUser(t, 'HOSPITAL');
    h2 = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');
    t.clock.set('2027-03-01T09:30:00.000Z');
    required = await seedBatch(t, { ordersRequired: true });
    legacy = await seedBatch(t, { ordersRequired: false });
    allocated = await seedBatch(t, { ordersRequired: true, status: 'ALLOCATED' });
    a1 = await seedAgreement(t, { ...required, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    a2 = await seedAgreement(t, { ...required, hospitalId: h2.orgId, supplierId: s2.orgId, awardPrice: '5.60' });
    aPending = await seedAgreement(t, { ...required, hospitalId: h1.orgId, supplierId: s2.orgId, awardPrice: '5.60', status: 'PENDING_CONFIRMATION' });
    aLegacy = await seedAgreement(t, { ...legacy, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    aAllocated = await seedAgreement(t, { ...allocated, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
  });
  afterAll(async () => t?.close());

  it('a hospital orders against its own confirmed agreement; the supplier has orderConfirmHours (48) to answer and is notified', async () => {
    const res = await place(h1, { agreementId: a1, packs: 100, requestedBy: '药剂科 王药师' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      agreementId: a1,
      batchId: required.batchId,
      hospitalId: h1.orgId,
      supplierId: s1.orgId,
      packs: 100,
      deliveredPacks: 0,
      status: 'PLACED',
      answeredAt: null,
    });
    // The clock ticks from 2027-03-01T09:30: the deadline is 48 h after the placing.
    expect(res.body.placedAt.slice(0, 16)).toBe('2027-03-01T09:30');
    expect(Date.parse(res.body.confirmDeadline) - Date.parse(res.body.placedAt)).toBe(48 * 3600_000);
    const note = await inbox(s1, '?unread=true');
    expect(note.items[0]).toMatchObject({ kind: 'ORDER_PLACED', entity: 'purchase_order', entityId: res.body.id, read: false });
    // Nobody else is told.
    expect((await inbox(s2)).items.filter((n: any) => n.entityId === res.body.id)).toEqual([]);
  });

  it('refuses orders on what is not the hospital’s own (404), not confirmed (409), or not in force (409), and bad input (400)', async () => {
    expect((await place(h2, { agreementId: a1, packs: 1, requestedBy: 'x' })).status).toBe(404);
    expect((await place(h1, { agreementId: 999999, packs: 1, requestedBy: 'x' })).status).toBe(404);
    const pending = await place(h1, { agreementId: aPending, packs: 1, requestedBy: 'x' });
    expect([pending.status, pending.body.code]).toEqual([409, 'INVALID_STATE']);
    const notInForce = await place(h1, { agreementId: aAllocated, packs: 1, requestedBy: 'x' });
    expect([notInForce.status, notInForce.body.code]).toEqual([409, 'INVALID_STATE']);
    for (const bad of [
      { agreementId: a1, packs: 0, requestedBy: 'x' },
      { agreementId: a1, packs: '5', requestedBy: 'x' },
      { agreementId: a1, packs: 1.5, requestedBy: 'x' },
      { agreementId: a1, packs: 5, requestedBy: ' ' },
      { agreementId: a1, packs: 5 },
    ]) {
      const r = await place(h1, bad);
      expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    // Roles: suppliers, the fund and admins do not place orders.
    expect((await place(s1, { agreementId: a1, packs: 1, requestedBy: 'x' })).status).toBe(403);
    expect((await t.http().post(`${API}/orders`).set(bearer(admin)).send({ agreementId: a1, packs: 1, requestedBy: 'x' })).status).toBe(403);
    expect((await t.http().get(`${API}/orders?agreementId=${a1}`).set(bearer(admin))).body.total).toBe(1);
  });

  it('each side sees only its own orders; the fund and admins see all', async () => {
    const o2 = (await place(h2, { agreementId: a2, packs: 10, requestedBy: 'ward 3' })).body;
    const ids = async (token: string, q = '') => (await t.http().get(`${API}/orders${q}`).set(bearer(token))).body.items.map((o: any) => o.id).sort();
    const all = await ids(fund.token);
    expect(all.length).toBe(2);
    expect(await ids(admin)).toEqual(all);
    expect(await ids(h2.token)).toEqual([o2.id]);
    expect(await ids(s2.token)).toEqual([o2.id]);
    expect(await ids(h1.token)).not.toContain(o2.id);
    expect(await ids(s1.token)).not.toContain(o2.id);
    // Filters do not widen a view.
    expect(await ids(h1.token, `?hospitalId=${h2.orgId}`)).toEqual([]);
    expect(await ids(fund.token, `?supplierId=${s2.orgId}&status=PLACED`)).toEqual([o2.id]);
    expect((await t.http().get(`${API}/orders/${o2.id}`).set(bearer(h1.token))).status).toBe(404);
    expect((await t.http().get(`${API}/orders/${o2.id}`).set(bearer(s1.token))).status).toBe(404);
    expect((await t.http().get(`${API}/orders/${o2.id}`).set(bearer(s2.token))).status).toBe(200);
    // The other supplier cannot answer it, the other hospital cannot cancel it.
    expect((await act(s1, o2.id, 'confirm')).status).toBe(404);
    expect((await act(s1, o2.id, 'refuse', { reason: 'STOCK_OUT' })).status).toBe(404);
    expect((await act(h1, o2.id, 'cancel')).status).toBe(404);
    // The hospital cannot confirm its own order.
    expect((await act(h2, o2.id, 'confirm')).status).toBe(403);
  });

  it('deliveries draw on confirmed order lines and never exceed what is ordered and not yet delivered', async () => {
    const order = (await t.http().get(`${API}/orders?agreementId=${a1}`).set(bearer(h1.token))).body.items[0];
    const noOrder = await deliver(s1, { agreementId: a1, packs: 10 });
    expect([noOrder.status, noOrder.body.code]).toEqual([422, 'ORDER_REQUIRED']);
    const unconfirmed = await deliver(s1, { agreementId: a1, orderId: order.id, packs: 10 });
    expect([unconfirmed.status, unconfirmed.body.code]).toEqual([409, 'INVALID_STATE']);

    t.clock.advance(47 * 3600_000);
    const confirmed = await act(s1, order.id, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED', answeredInTime: true });
    expect(confirmed.body.answeredAt.slice(0, 13)).toBe('2027-03-03T08');
    expect((await act(s1, order.id, 'confirm')).status).toBe(409);
    expect((await act(h1, order.id, 'cancel')).status).toBe(409);
    expect((await inbox(h1)).items.map((n: any) => n.kind)).toContain('ORDER_CONFIRMED');

    const d1 = await deliver(s1, { agreementId: a1, orderId: order.id, packs: 60 });
    expect(d1.status).toBe(201);
    expect(d1.body).toMatchObject({ orderId: order.id, packs: 60, status: 'DELIVERED' });
    expect((await t.http().get(`${API}/orders/${order.id}`).set(bearer(h1.token))).body).toMatchObject({
      status: 'PARTIALLY_DELIVERED',
      deliveredPacks: 60,
      openPacks: 40,
    });
    // 100 ordered − 60 delivered = 40 open: 41 is refused and writes nothing.
    const over = await deliver(s1, { agreementId: a1, orderId: order.id, packs: 41 });
    expect([over.status, over.body.code]).toEqual([422, 'DELIVERY_EXCEEDS_ORDER']);
    expect((await t.http().get(`${API}/deliveries?orderId=${order.id}`).set(bearer(s1.token))).body.total).toBe(1);
    // An order line of another agreement, or of another supplier, is refused.
    const other = (await t.http().get(`${API}/orders?agreementId=${a2}`).set(bearer(fund.token))).body.items[0];
    expect((await deliver(s1, { agreementId: a1, orderId: other.id, packs: 1 })).status).toBe(400);
    const d2 = await deliver(s1, { agreementId: a1, orderId: order.id, packs: 40 });
    expect(d2.status).toBe(201);
    expect((await t.http().get(`${API}/orders/${order.id}`).set(bearer(s1.token))).body).toMatchObject({
      status: 'DELIVERED',
      deliveredPacks: 100,
      openPacks: 0,
    });
    expect((await deliver(s1, { agreementId: a1, orderId: order.id, packs: 1 })).status).toBe(409);
    // The hospital is told each delivery awaits its acceptance.
    const kinds = (await inbox(h1, '?kind=DELIVERY_AWAITING_ACCEPTANCE')).items.map((n: any) => n.entityId);
    expect(kinds.sort()).toEqual([d1.body.id, d2.body.id].sort());
  });

  it('a confirmation after the deadline is recorded as late; refusals need a reason; the hospital cancels before an answer', async () => {
    const late = (await place(h1, { agreementId: a1, packs: 5, requestedBy: 'x' })).body;
    t.clock.advance(48 * 3600_000 + 1);
    expect((await act(s1, late.id, 'confirm')).body).toMatchObject({ status: 'CONFIRMED', answeredInTime: false });

    const r = (await place(h1, { agreementId: a1, packs: 5, requestedBy: 'x' })).body;
    expect((await act(s1, r.id, 'refuse', {})).status).toBe(400);
    expect((await act(s1, r.id, 'refuse', { reason: 'OTHER' })).status).toBe(400);
    expect((await act(s1, r.id, 'refuse', { reason: 'LAZY' })).status).toBe(400);
    const refused = await act(s1, r.id, 'refuse', { reason: 'STOCK_OUT' });
    expect(refused.body).toMatchObject({ status: 'REFUSED', refusalReason: 'STOCK_OUT', answeredInTime: true });
    expect((await deliver(s1, { agreementId: a1, orderId: r.id, packs: 1 })).status).toBe(409);
    const refusal = (await inbox(h1, '?kind=ORDER_REFUSED')).items[0];
    expect(refusal).toMatchObject({ entityId: r.id });
    expect(refusal.message).toContain('STOCK_OUT');

    const c = (await place(h1, { agreementId: a1, packs: 5, requestedBy: 'x' })).body;
    expect((await act(h1, c.id, 'cancel')).body).toMatchObject({ status: 'CANCELLED' });
    expect((await act(s1, c.id, 'confirm')).status).toBe(409);
    expect((await inbox(s1, '?kind=ORDER_CANCELLED')).items[0]).toMatchObject({ entityId: c.id });
  });

  it('where ordersRequired is false (batches stored before orders existed), deliveries without orders keep working', async () => {
    const d = await deliver(s1, { agreementId: aLegacy, packs: 7 });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ orderId: null, packs: 7 });
  });

  it('the inbox: per user, unread filter, read one, read all; another organisation’s notification is 404', async () => {
    const h1b = await createOrgUser(t, 'HOSPITAL');
    const before = await inbox(s1, '?unread=true');
    expect(before.unread).toBeGreaterThan(0);
    expect(before.total).toBe(before.unread);
    const first = before.items[0];
    const read = await t.http().post(`${API}/notifications/${first.id}/read`).set(bearer(s1.token));
    expect([read.status, read.body.read]).toEqual([200, true]);
    expect((await inbox(s1, '?unread=true')).total).toBe(before.total - 1);
    expect((await inbox(s1, '?unread=false')).items.map((n: any) => n.id)).toEqual([first.id]);
    // Not s2's, not h1b's.
    expect((await t.http().post(`${API}/notifications/${first.id}/read`).set(bearer(s2.token))).status).toBe(404);
    expect((await t.http().post(`${API}/notifications/${first.id}/read`).set(bearer(h1b.token))).status).toBe(404);
    const all = await t.http().post(`${API}/notifications/read-all`).set(bearer(s1.token));
    expect(all.body).toEqual({ marked: before.total - 1 });
    expect((await inbox(s1, '?unread=true')).total).toBe(0);
    // Paged and validated.
    expect((await inbox(s1, '?limit=1')).items.length).toBe(1);
    expect((await t.http().get(`${API}/notifications?unread=maybe`).set(bearer(s1.token))).status).toBe(400);
    expect((await t.http().get(`${API}/notifications?limit=501`).set(bearer(s1.token))).status).toBe(400);
  });
});
