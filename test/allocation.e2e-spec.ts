import ExcelJS from 'exceljs';
import { JobsService, QueueName } from '@jicai/common';
import { INSERT_CHUNK, ALLOCATE_JOB, allocateJobId, agreedVolume, allocate } from '@jicai/allocation';
import { DEFAULT_RULES } from '@jicai/batches';
import {
  AgreementRow,
  allAgreements,
  allocateBatch,
  awardedBatch,
  AwardedBatch,
  db,
  draftBatch,
  finishedJob,
  seedDemand,
  seedHospitals,
  seedWinners,
  setStatus,
} from './helpers/allocation-fixtures';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';

const DAY = 24 * 3600_000;
// The package.json testTimeout sits in the project entries, where jest does not read it.
jest.setTimeout(60_000);
type User = Awaited<ReturnType<typeof createOrgUser>>;

/** supertest: collect an .xlsx body as a Buffer. */
const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** The (hospital, bid) → units/amount pairs of a list of agreements, sorted, for exact comparison. */
const pairs = (rows: AgreementRow[]) =>
  rows
    .map((a) => ({ hospitalId: a.hospitalId, bidId: a.bidId, units: a.units, unitComparablePrice: a.unitComparablePrice, amount: a.amount }))
    .sort((x, y) => x.hospitalId - y.hospitalId || x.bidId - y.bidId);

describe('allocation and agreements (e2e, domain.md sections 6-7)', () => {
  let t: TestApp;
  let s1: User, s2: User, s3: User, s4: User;
  // Created in this order, so h1 < h2 < h3 < h4 as ids (the last tie-break of section 7).
  let h1: User, h2: User, h3: User, h4: User;
  let fund: User;
  const admin = () => bearer(t.adminToken);
  const api = (path: string) => `/api/v1${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    [s1, s2, s3, s4] = [
      await createOrgUser(t, 'SUPPLIER'),
      await createOrgUser(t, 'SUPPLIER'),
      await createOrgUser(t, 'SUPPLIER'),
      await createOrgUser(t, 'SUPPLIER'),
    ];
    [h1, h2, h3, h4] = [
      await createOrgUser(t, 'HOSPITAL'),
      await createOrgUser(t, 'HOSPITAL'),
      await createOrgUser(t, 'HOSPITAL'),
      await createOrgUser(t, 'HOSPITAL'),
    ];
    fund = await createOrgUser(t, 'FUND');
    expect(h1.orgId < h2.orgId && h2.orgId < h3.orgId && h3.orgId < h4.orgId).toBe(true);
  });
  afterAll(async () => t?.close());

  const getBatch = async (id: number) =>
    (
      await t
        .http()
        .get(api(`/batches/${id}`))
        .set(admin())
    ).body;

  it('section 14: three winners give ratio 0.70, so demand 15,001 is an agreed volume of 10,501, all from the first-ranked winner', async () => {
    // b1 3.33 per 28 × 2.5 mg (UCP 0.1189), b2 5.60 per 28 × 5 mg (0.1176), b3 1.05 per 7 × 2.5 mg (0.1500);
    // winners in rank order b1, b2, b3 (section 14). Capacities ample.
    const b = await awardedBatch(t, [
      {
        genericName: '左氨氯地平',
        winners: [
          { group: 'B', supplierId: s1.orgId, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189', supplyCapacity: 1_000_000, packSize: 28 },
          { group: 'B', supplierId: s2.orgId, rank: 2, awardPrice: '5.60', awardUnitPrice: '0.1176', supplyCapacity: 1_000_000, packSize: 28 },
          { group: 'B', supplierId: s3.orgId, rank: 3, awardPrice: '1.05', awardUnitPrice: '0.1500', supplyCapacity: 1_000_000, packSize: 7 },
        ],
      },
    ]);
    const [itemId] = b.itemIds;
    // h2's demand is in group A, which has no winner: not agreed (section 6).
    await seedDemand(t, b.batchId, [
      { hospitalId: h1.orgId, itemId, group: 'B', quantity: 15001 },
      { hospitalId: h2.orgId, itemId, group: 'A', quantity: 5000 },
    ]);
    const job = await allocateBatch(t, b.batchId);
    expect(job.result).toMatchObject({ alreadyAllocated: false, agreements: 1, agreedUnits: 10501, allocatedUnits: 10501, unallocatedUnits: 0 });

    const rows = await allAgreements(t, t.adminToken, b.batchId);
    // round(15001 × 0.70) = round(10500.7) = 10501, all from b1 (rank order, capacity ample);
    // amount = 10501 × 0.1189 = 1248.5689 → 1248.57.
    expect(rows).toEqual([
      {
        id: expect.any(Number),
        batchId: b.batchId,
        hospitalId: h1.orgId,
        supplierId: s1.orgId,
        bidId: b.winners[0].bidId,
        productId: b.winners[0].productId,
        itemId,
        group: 'B',
        units: 10501,
        awardPrice: '3.33',
        unitComparablePrice: '0.1189',
        amount: '1248.57',
        status: 'PENDING_CONFIRMATION',
        confirmedAt: null,
        forced: false,
        // domain.md 15.7, termByWinners null: agreementMonths 12 from 2027-01-01.
        termMonths: 12,
        endsAt: '2028-01-01T00:00:00.000Z',
        // names beside the ids (issue 14); createOrgUser names organisations "<TYPE> <n>"
        hospitalName: expect.stringMatching(/^HOSPITAL \d+$/),
        supplierName: expect.stringMatching(/^SUPPLIER \d+$/),
        productName: '左氨氯地平',
        productSpec: '片剂 2.5mg×28tablet',
      },
    ]);
    const unallocated = await t
      .http()
      .get(api(`/batches/${b.batchId}/unallocated`))
      .set(admin());
    expect(unallocated.status).toBe(200);
    expect(unallocated.body.items).toEqual([]);
    const [volume] = await db(t).query('SELECT demand, agreed_volume, unallocated FROM agreed_volumes WHERE hospital_id = ? AND item_id = ?', [
      h2.orgId,
      itemId,
    ]);
    expect(volume).toEqual({ demand: 5000, agreed_volume: 0, unallocated: 0 });

    // The batch is ALLOCATED; the confirmation deadline is allocation time + 7 days (rule confirmationDays).
    const batch = await getBatch(b.batchId);
    expect(batch.status).toBe('ALLOCATED');
    expect(new Date(batch.confirmationDeadline).getTime() - new Date(batch.allocatedAt).getTime()).toBe(7 * DAY);
    const audit = await t
      .http()
      .get(api(`/audit?entity=batch&entityId=${b.batchId}`))
      .set(admin());
    const allocated = audit.body.items.find((e: any) => e.action === 'batch.transition' && e.data.to === 'ALLOCATED');
    expect(allocated).toMatchObject({ data: { from: 'AWARDED', to: 'ALLOCATED', allocation: { agreements: 1, agreedUnits: 10501 } } });
  });

  it('one winner short of capacity: shares it in proportion, leftover units by largest fraction, then larger pending, then lower hospital id', async () => {
    const b = await awardedBatch(
      t,
      [
        { winners: [{ group: 'B', supplierId: s1.orgId, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189', supplyCapacity: 10 }] },
        { winners: [{ group: 'B', supplierId: s2.orgId, rank: 1, awardPrice: '28.14', awardUnitPrice: '1.0050', supplyCapacity: 6 }] },
      ],
      { confirmationDays: 3 },
    );
    const [item1, item2] = b.itemIds;
    const [w1, w2] = b.winners;
    // k = 1 → ratio 0.50. Item 1: demands 14, 14, 12 → agreed 7, 7, 6 (total 20 > capacity 10).
    // Item 2: demands 6, 18 → agreed 3, 9 (total 12 > capacity 6).
    await seedDemand(t, b.batchId, [
      { hospitalId: h1.orgId, itemId: item1, group: 'B', quantity: 14 },
      { hospitalId: h2.orgId, itemId: item1, group: 'B', quantity: 14 },
      { hospitalId: h3.orgId, itemId: item1, group: 'B', quantity: 12 },
      { hospitalId: h1.orgId, itemId: item2, group: 'B', quantity: 6 },
      { hospitalId: h2.orgId, itemId: item2, group: 'B', quantity: 18 },
    ]);
    await allocateBatch(t, b.batchId);
    const rows = await allAgreements(t, t.adminToken, b.batchId);
    // Item 1, cap 10, total 20: h1 7×10/20 = 3.5 → 3, h2 3.5 → 3, h3 6×10/20 = 3 → 3; 9 granted, 1 left.
    // h1 and h2 tie on fraction (.5) and on pending (7): the lower hospital id, h1, gets it → 4, 3, 3.
    // Amounts at 0.1189: 4 × 0.1189 = 0.4756 → 0.48; 3 × 0.1189 = 0.3567 → 0.36.
    // Item 2, cap 6, total 12: h1 3×6/12 = 1.5 → 1, h2 9×6/12 = 4.5 → 4; 1 left; tie on fraction,
    // the larger pending (h2, 9) wins over the lower id → h1 1, h2 5.
    // Amounts at 1.0050 (half-up; binary floats would give 1.00 and 5.02):
    // 1 × 1.0050 = 1.005 → 1.01; 5 × 1.0050 = 5.025 → 5.03.
    expect(pairs(rows)).toEqual(
      [
        { hospitalId: h1.orgId, bidId: w1.bidId, units: 4, unitComparablePrice: '0.1189', amount: '0.48' },
        { hospitalId: h2.orgId, bidId: w1.bidId, units: 3, unitComparablePrice: '0.1189', amount: '0.36' },
        { hospitalId: h3.orgId, bidId: w1.bidId, units: 3, unitComparablePrice: '0.1189', amount: '0.36' },
        { hospitalId: h1.orgId, bidId: w2.bidId, units: 1, unitComparablePrice: '1.0050', amount: '1.01' },
        { hospitalId: h2.orgId, bidId: w2.bidId, units: 5, unitComparablePrice: '1.0050', amount: '5.03' },
      ].sort((x, y) => x.hospitalId - y.hospitalId || x.bidId - y.bidId),
    );
    // With one winner the rest is unallocated: item 1: 7−4 = 3, 7−3 = 4, 6−3 = 3; item 2: 3−1 = 2, 9−5 = 4.
    const un = await t
      .http()
      .get(api(`/batches/${b.batchId}/unallocated`))
      .set(admin());
    expect(un.body).toEqual({
      total: 5,
      items: [
        { hospitalId: h1.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId: item1, group: 'B', units: 3 },
        { hospitalId: h2.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId: item1, group: 'B', units: 4 },
        { hospitalId: h3.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId: item1, group: 'B', units: 3 },
        { hospitalId: h1.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId: item2, group: 'B', units: 2 },
        { hospitalId: h2.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId: item2, group: 'B', units: 4 },
      ],
    });
    const filtered = await t
      .http()
      .get(api(`/batches/${b.batchId}/unallocated?itemId=${item2}`))
      .set(bearer(h2.token));
    expect(filtered.body.items).toEqual([{ hospitalId: h2.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId: item2, group: 'B', units: 4 }]);
    // Rule confirmationDays = 3 here.
    const batch = await getBatch(b.batchId);
    expect(new Date(batch.confirmationDeadline).getTime() - new Date(batch.allocatedAt).getTime()).toBe(3 * DAY);

    // Confirmation needs the batch ALLOCATED or IN_FORCE.
    await setStatus(t, b.batchId, 'COMPLETED');
    const mine = rows.find((a) => a.hospitalId === h1.orgId)!;
    const late = await t
      .http()
      .post(api(`/agreements/${mine.id}/confirm`))
      .set(bearer(h1.token));
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
    const overdue = await t
      .http()
      .post(api(`/batches/${b.batchId}/agreements/confirm-overdue`))
      .set(admin());
    expect({ status: overdue.status, code: overdue.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
  });

  it('two winners: agreed volume rounds half-up, the first winner rations, the rest cascades to the second', async () => {
    const b = await awardedBatch(t, [
      {
        winners: [
          { group: 'B', supplierId: s1.orgId, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189', supplyCapacity: 1000 },
          { group: 'B', supplierId: s2.orgId, rank: 2, awardPrice: '5.60', awardUnitPrice: '0.2000', supplyCapacity: 10000 },
        ],
      },
    ]);
    const [itemId] = b.itemIds;
    const [w1, w2] = b.winners;
    // k = 2 → 0.60: 1167 × 0.6 = 700.2 → 700; 833 × 0.6 = 499.8 → 500; 500 × 0.6 = 300.
    await seedDemand(t, b.batchId, [
      { hospitalId: h1.orgId, itemId, group: 'B', quantity: 1167 },
      { hospitalId: h2.orgId, itemId, group: 'B', quantity: 833 },
      { hospitalId: h3.orgId, itemId, group: 'B', quantity: 500 },
    ]);
    await allocateBatch(t, b.batchId);
    // Round 1, w1 (cap 1000) asked 1500: 700×1000/1500 = 466 r 1000; 500×1000/1500 = 333 r 500;
    // 300×1000/1500 = 200 r 0 → 999; the one left goes to the largest remainder, h1 → 467, 333, 200.
    // Round 2, pending 233, 167, 100 ask w2 (cap 10000): all granted.
    // Amounts: 467 × 0.1189 = 55.5263 → 55.53; 333 × 0.1189 = 39.5937 → 39.59; 200 × 0.1189 = 23.78;
    // 233 × 0.2 = 46.60; 167 × 0.2 = 33.40; 100 × 0.2 = 20.00.
    expect(pairs(await allAgreements(t, t.adminToken, b.batchId))).toEqual(
      [
        { hospitalId: h1.orgId, bidId: w1.bidId, units: 467, unitComparablePrice: '0.1189', amount: '55.53' },
        { hospitalId: h1.orgId, bidId: w2.bidId, units: 233, unitComparablePrice: '0.2000', amount: '46.60' },
        { hospitalId: h2.orgId, bidId: w1.bidId, units: 333, unitComparablePrice: '0.1189', amount: '39.59' },
        { hospitalId: h2.orgId, bidId: w2.bidId, units: 167, unitComparablePrice: '0.2000', amount: '33.40' },
        { hospitalId: h3.orgId, bidId: w1.bidId, units: 200, unitComparablePrice: '0.1189', amount: '23.78' },
        { hospitalId: h3.orgId, bidId: w2.bidId, units: 100, unitComparablePrice: '0.2000', amount: '20.00' },
      ].sort((x, y) => x.hospitalId - y.hospitalId || x.bidId - y.bidId),
    );
    expect(
      (
        await t
          .http()
          .get(api(`/batches/${b.batchId}/unallocated`))
          .set(admin())
      ).body,
    ).toEqual({ items: [], total: 0 });
  });

  describe('three winners with preferences (group A)', () => {
    // P rank 1 cap 500 UCP 0.1189; Q rank 2 cap 301 UCP 0.2345; R rank 3 cap 1000 UCP 0.3333.
    let b: AwardedBatch;
    let itemId: number;
    let P: number, Q: number, R: number;
    let other: AwardedBatch;
    const pref = (u: User, body: object, batchId = b.batchId, item = itemId) =>
      t
        .http()
        .put(api(`/batches/${batchId}/items/${item}/preferences`))
        .set(bearer(u.token))
        .send(body);

    beforeAll(async () => {
      b = await awardedBatch(t, [
        {
          winners: [
            { group: 'A', supplierId: s1.orgId, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189', supplyCapacity: 500 },
            { group: 'A', supplierId: s2.orgId, rank: 2, awardPrice: '6.57', awardUnitPrice: '0.2345', supplyCapacity: 301 },
            { group: 'A', supplierId: s3.orgId, rank: 3, awardPrice: '9.33', awardUnitPrice: '0.3333', supplyCapacity: 1000 },
          ],
        },
        // A second item whose group B winner must not be accepted in the first item's preferences.
        { winners: [{ group: 'B', supplierId: s4.orgId, rank: 1, awardPrice: '1.00', awardUnitPrice: '0.0357', supplyCapacity: 1000 }] },
      ]);
      itemId = b.itemIds[0];
      [P, Q, R] = b.winners.map((w) => w.bidId);
      // k = 3 → 0.70: 1000 → 700, 500 → 350, 200 → 140, 100 → 70.
      await seedDemand(t, b.batchId, [
        { hospitalId: h1.orgId, itemId, group: 'A', quantity: 1000 },
        { hospitalId: h2.orgId, itemId, group: 'A', quantity: 500 },
        { hospitalId: h3.orgId, itemId, group: 'A', quantity: 200 },
        { hospitalId: h4.orgId, itemId, group: 'A', quantity: 100 },
      ]);
      other = await awardedBatch(t, [
        { winners: [{ group: 'A', supplierId: s4.orgId, rank: 1, awardPrice: '2.00', awardUnitPrice: '0.0714', supplyCapacity: 10 }] },
      ]);
    });

    it('takes a hospital preference (a subset is allowed) and replaces it on a second PUT', async () => {
      const first = await pref(h4, { group: 'A', winnerBidIds: [P] });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ batchId: b.batchId, itemId, hospitalId: h4.orgId, group: 'A', winnerBidIds: [P] });
      const again = await pref(h4, { group: 'A', winnerBidIds: [Q, R, P] });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      expect((await pref(h2, { group: 'A', winnerBidIds: [Q, P] })).status).toBe(200);
      expect((await pref(h3, { group: 'A', winnerBidIds: [R] })).status).toBe(200);
      // h1 states none: rank order P, Q, R.

      const all = await t
        .http()
        .get(api(`/batches/${b.batchId}/preferences`))
        .set(admin());
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((p: any) => [p.hospitalId, p.winnerBidIds])).toEqual([
        [h2.orgId, [Q, P]],
        [h3.orgId, [R]],
        [h4.orgId, [Q, R, P]],
      ]);
      const own = await t
        .http()
        .get(api(`/batches/${b.batchId}/preferences`))
        .set(bearer(h4.token));
      expect(own.body).toEqual({ total: 1, items: [expect.objectContaining({ hospitalId: h4.orgId, itemId, group: 'A', winnerBidIds: [Q, R, P] })] });
      const none = await t
        .http()
        .get(api(`/batches/${b.batchId}/preferences`))
        .set(bearer(h1.token));
      expect(none.body).toEqual({ total: 0, items: [] });
      const audit = await t
        .http()
        .get(api(`/audit?entity=preference&entityId=${first.body.id}`))
        .set(admin());
      expect(audit.body.items.map((e: any) => e.data.winnerBidIds)).toEqual([[Q, R, P], [P]]);
    });

    it('refuses malformed preferences with 400 VALIDATION_FAILED and bids that are not winners there with 422 NOT_A_WINNER', async () => {
      const bad: object[] = [
        { group: 'A', winnerBidIds: [] },
        { group: 'A', winnerBidIds: [Q, Q] },
        { group: 'A', winnerBidIds: ['x'] },
        { group: 'A', winnerBidIds: [String(Q)] },
        { group: 'A', winnerBidIds: [1.5] },
        { group: 'A', winnerBidIds: [-1] },
        { group: 'A', winnerBidIds: Q },
        { group: 'A' },
        { winnerBidIds: [Q] },
        { group: '', winnerBidIds: [Q] },
        { group: 'Z', winnerBidIds: [Q] },
        { group: 'A', winnerBidIds: [Q], hospitalId: h2.orgId },
      ];
      for (const body of bad) {
        const res = await pref(h1, body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      const otherItemWinner = b.winners[3].bidId;
      const notWinners: [object, string[]][] = [
        [{ group: 'A', winnerBidIds: [Q, otherItemWinner] }, ['winnerBidIds[1]']], // a winner of another item
        [{ group: 'A', winnerBidIds: [123456789, P] }, ['winnerBidIds[0]']], // no such bid
        [{ group: 'A', winnerBidIds: [other.winners[0].bidId] }, ['winnerBidIds[0]']], // another batch's winner
        [{ group: 'B', winnerBidIds: [P] }, ['winnerBidIds[0]']], // P wins in group A, not B
      ];
      for (const [body, fields] of notWinners) {
        const res = await pref(h1, body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 422, code: 'NOT_A_WINNER' });
        expect(res.body.details.map((d: any) => d.field)).toEqual(fields);
      }
      // Nothing was written for h1.
      expect(
        (
          await t
            .http()
            .get(api(`/batches/${b.batchId}/preferences`))
            .set(bearer(h1.token))
        ).body.total,
      ).toBe(0);
    });

    it('preferences: 404 for an unknown batch or an item of another batch, 409 unless AWARDED, 403 for other roles', async () => {
      expect((await pref(h1, { group: 'A', winnerBidIds: [P] }, 999999)).status).toBe(404);
      const foreignItem = await pref(h1, { group: 'A', winnerBidIds: [P] }, b.batchId, other.itemIds[0]);
      expect({ status: foreignItem.status, code: foreignItem.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      // A batch still EVALUATED (winners not yet fixed by award): 409.
      const evaluated = await draftBatch(t, [{}]);
      await seedWinners(t, evaluated.batchId, evaluated.itemIds, [
        { winners: [{ group: 'A', supplierId: s1.orgId, rank: 1, awardPrice: '1.00', awardUnitPrice: '0.0357', supplyCapacity: 5 }] },
      ]);
      await setStatus(t, evaluated.batchId, 'EVALUATED');
      const early = await pref(h1, { group: 'A', winnerBidIds: [P] }, evaluated.batchId, evaluated.itemIds[0]);
      expect({ status: early.status, code: early.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });

      for (const u of [s1, fund]) {
        const res = await pref(u, { group: 'A', winnerBidIds: [P] });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
        const list = await t
          .http()
          .get(api(`/batches/${b.batchId}/preferences`))
          .set(bearer(u.token));
        expect({ status: list.status, code: list.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      const asAdmin = await t
        .http()
        .put(api(`/batches/${b.batchId}/items/${itemId}/preferences`))
        .set(admin())
        .send({ group: 'A', winnerBidIds: [P] });
      expect({ status: asAdmin.status, code: asAdmin.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await t.http().get(api('/batches/999999/preferences')).set(admin())).status).toBe(404);
    });

    it('allocate: 403 for other roles, 404 unknown, 409 unless AWARDED', async () => {
      for (const u of [h1, s1, fund]) {
        const res = await t
          .http()
          .post(api(`/batches/${b.batchId}/allocate`))
          .set(bearer(u.token));
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      expect((await t.http().post(api('/batches/999999/allocate')).set(admin())).status).toBe(404);
      const draft = await draftBatch(t, [{}]);
      const res = await t
        .http()
        .post(api(`/batches/${draft.batchId}/allocate`))
        .set(admin());
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
    });

    it('allocates by preference: rationing, subsets leaving volume unallocated, cascade to later preferences', async () => {
      const res = await t
        .http()
        .post(api(`/batches/${b.batchId}/allocate`))
        .set(admin());
      expect(res.status).toBe(202);
      expect(res.body.jobId).toBe(`allocation.${allocateJobId(b.batchId)}`);
      const job = await finishedJob(t, res.body.jobId);
      expect(job.state).toBe('completed');

      // Agreed: h1 700 (P, Q, R), h2 350 ([Q, P]), h3 140 ([R]), h4 70 ([Q, R, P]).
      // Round 1: P asked 700 by h1 > 500 → h1 gets 500 (sole asker). Q asked 350 + 70 = 420 > 301:
      //   h2 350×301/420 = 250 r 350, h4 70×301/420 = 50 r 70 → 300, the 1 left to h2 (larger
      //   remainder) → h2 251, h4 50. R asked 140 ≤ 1000 → h3 140 (R has 860 left).
      // Round 2: h1 (200) → Q: nothing left; h2 (99) → P: nothing left; h4 (20) → R: 20 (840 left).
      // Round 3: h1 (200) → R: 200 granted. h2 has no preference left: 99 unallocated, although R
      //   still has capacity (its preference is a subset).
      // Amounts: 500 × 0.1189 = 59.45; 200 × 0.3333 = 66.66; 251 × 0.2345 = 58.8595 → 58.86;
      //   140 × 0.3333 = 46.662 → 46.66; 50 × 0.2345 = 11.725 → 11.73 (half-up; a float gives 11.72);
      //   20 × 0.3333 = 6.666 → 6.67.
      const rows = await allAgreements(t, t.adminToken, b.batchId);
      expect(pairs(rows)).toEqual(
        [
          { hospitalId: h1.orgId, bidId: P, units: 500, unitComparablePrice: '0.1189', amount: '59.45' },
          { hospitalId: h1.orgId, bidId: R, units: 200, unitComparablePrice: '0.3333', amount: '66.66' },
          { hospitalId: h2.orgId, bidId: Q, units: 251, unitComparablePrice: '0.2345', amount: '58.86' },
          { hospitalId: h3.orgId, bidId: R, units: 140, unitComparablePrice: '0.3333', amount: '46.66' },
          { hospitalId: h4.orgId, bidId: Q, units: 50, unitComparablePrice: '0.2345', amount: '11.73' },
          { hospitalId: h4.orgId, bidId: R, units: 20, unitComparablePrice: '0.3333', amount: '6.67' },
        ].sort((x, y) => x.hospitalId - y.hospitalId || x.bidId - y.bidId),
      );
      // Award price and supplier come from the winner; every agreement starts pending.
      const h1R = rows.find((a) => a.hospitalId === h1.orgId && a.bidId === R)!;
      expect(h1R).toMatchObject({
        supplierId: s3.orgId,
        productId: b.winners[2].productId,
        awardPrice: '9.33',
        itemId,
        group: 'A',
        status: 'PENDING_CONFIRMATION',
        forced: false,
      });
      expect(job.result).toMatchObject({ agreements: 6, agreedUnits: 1260, allocatedUnits: 1161, unallocatedUnits: 99 });

      const un = await t
        .http()
        .get(api(`/batches/${b.batchId}/unallocated`))
        .set(admin());
      expect(un.body).toEqual({
        total: 1,
        items: [{ hospitalId: h2.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId, group: 'A', units: 99 }],
      });
    });

    it('refuses a second allocation (409) and preferences after allocation (409)', async () => {
      const again = await t
        .http()
        .post(api(`/batches/${b.batchId}/allocate`))
        .set(admin());
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
      const late = await pref(h1, { group: 'A', winnerBidIds: [R] });
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'INVALID_STATE' });
      expect((await allAgreements(t, t.adminToken, b.batchId)).length).toBe(6);
    });

    it('agreements: each hospital and supplier sees its own, admin and fund all; filters; 404 unknown batch', async () => {
      const count = async (u: { token: string }, q = '') => {
        const res = await t
          .http()
          .get(api(`/batches/${b.batchId}/agreements${q}`))
          .set(bearer(u.token));
        expect(res.status).toBe(200);
        return res.body as { items: AgreementRow[]; total: number };
      };
      expect((await count({ token: t.adminToken })).total).toBe(6);
      expect((await count(fund)).total).toBe(6);
      const mine = await count(h1);
      expect(mine.total).toBe(2);
      expect(mine.items.every((a) => a.hospitalId === h1.orgId)).toBe(true);
      expect((await count(h2)).items.map((a) => a.bidId)).toEqual([Q]);
      const q = await count(s2);
      expect(q.items.map((a) => a.hospitalId).sort()).toEqual([h2.orgId, h4.orgId].sort());
      expect(q.items.every((a) => a.supplierId === s2.orgId)).toBe(true);
      expect((await count(s4)).total).toBe(0);
      // Filters and paging.
      expect((await count(fund, `?group=B`)).total).toBe(0);
      expect((await count(fund, `?itemId=${itemId}&group=A&status=PENDING_CONFIRMATION`)).total).toBe(6);
      const page = await count(fund, '?limit=2&offset=4');
      expect({ n: page.items.length, total: page.total }).toEqual({ n: 2, total: 6 });
      expect(
        (
          await t
            .http()
            .get(api(`/batches/${b.batchId}/agreements?status=SIGNED`))
            .set(admin())
        ).status,
      ).toBe(400);
      expect(
        (
          await t
            .http()
            .get(api(`/batches/${b.batchId}/agreements?limit=501`))
            .set(admin())
        ).status,
      ).toBe(400);
      expect((await t.http().get(api('/batches/999999/agreements')).set(bearer(h1.token))).status).toBe(404);
    });

    it('unallocated: hospitals their own, admin and fund all, suppliers refused', async () => {
      const unallocated = (u: { token: string }) =>
        t
          .http()
          .get(api(`/batches/${b.batchId}/unallocated`))
          .set(bearer(u.token));
      expect((await unallocated(fund)).body.items).toEqual([
        { hospitalId: h2.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId, group: 'A', units: 99 },
      ]);
      expect((await unallocated(h2)).body.items).toEqual([
        { hospitalId: h2.orgId, hospitalName: expect.stringMatching(/^HOSPITAL \d+$/), itemId, group: 'A', units: 99 },
      ]);
      expect((await unallocated(h1)).body).toEqual({ items: [], total: 0 });
      const s = await unallocated(s2);
      expect({ status: s.status, code: s.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await t.http().get(api('/batches/999999/unallocated')).set(admin())).status).toBe(404);
    });

    it('confirmation: a hospital confirms its own; admins only after the deadline (forced), one by one or all overdue at once', async () => {
      const rows = await allAgreements(t, t.adminToken, b.batchId);
      const find = (h: User, bid: number) => rows.find((a) => a.hospitalId === h.orgId && a.bidId === bid)!;
      const confirm = (u: { token: string }, id: number) =>
        t
          .http()
          .post(api(`/agreements/${id}/confirm`))
          .set(bearer(u.token));

      const ok = await confirm(h1, find(h1, P).id);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: find(h1, P).id, status: 'CONFIRMED', forced: false, units: 500, amount: '59.45' });
      expect(new Date(ok.body.confirmedAt).getTime()).toBeGreaterThan(0);
      const twice = await confirm(h1, find(h1, P).id);
      expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'ALREADY_CONFIRMED' });
      // Another hospital's agreement is invisible; so is an unknown one.
      const foreign = await confirm(h2, find(h1, R).id);
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect((await confirm(h1, 999999)).status).toBe(404);
      for (const u of [s1, fund]) {
        const res = await confirm(u, find(h1, R).id);
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      for (const u of [h1, s1, fund]) {
        const res = await t
          .http()
          .post(api(`/batches/${b.batchId}/agreements/confirm-overdue`))
          .set(bearer(u.token));
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }

      // Before the deadline an admin may not confirm, neither one nor all.
      const early = await confirm({ token: t.adminToken }, find(h3, R).id);
      expect({ status: early.status, code: early.body.code }).toEqual({ status: 409, code: 'CONFIRMATION_DEADLINE_NOT_PASSED' });
      const earlyAll = await t
        .http()
        .post(api(`/batches/${b.batchId}/agreements/confirm-overdue`))
        .set(admin());
      expect({ status: earlyAll.status, code: earlyAll.body.code }).toEqual({ status: 409, code: 'CONFIRMATION_DEADLINE_NOT_PASSED' });
      expect((await t.http().post(api('/batches/999999/agreements/confirm-overdue')).set(admin())).status).toBe(404);

      // Past the deadline (allocation + 7 days).
      const deadline = new Date((await getBatch(b.batchId)).confirmationDeadline);
      t.clock.set(new Date(deadline.getTime() + 60_000));
      const forced = await confirm({ token: t.adminToken }, find(h3, R).id);
      expect(forced.status).toBe(200);
      expect(forced.body).toMatchObject({ status: 'CONFIRMED', forced: true });
      // A hospital may still confirm its own pending agreement after the deadline.
      const h4Q = await confirm(h4, find(h4, Q).id);
      expect(h4Q.body).toMatchObject({ status: 'CONFIRMED', forced: false });

      // Left pending: h1–R, h2–Q, h4–R.
      const all = await t
        .http()
        .post(api(`/batches/${b.batchId}/agreements/confirm-overdue`))
        .set(admin());
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ batchId: b.batchId, confirmed: 3 });
      const none = await t
        .http()
        .post(api(`/batches/${b.batchId}/agreements/confirm-overdue`))
        .set(admin());
      expect(none.body.confirmed).toBe(0);

      const after = await allAgreements(t, t.adminToken, b.batchId);
      expect(after.every((a) => a.status === 'CONFIRMED' && a.confirmedAt !== null)).toBe(true);
      expect(
        after
          .filter((a) => a.forced)
          .map((a) => [a.hospitalId, a.bidId])
          .sort(),
      ).toEqual(
        [
          [h1.orgId, R],
          [h2.orgId, Q],
          [h3.orgId, R],
          [h4.orgId, R],
        ].sort(),
      );
      expect(
        (
          await t
            .http()
            .get(api(`/batches/${b.batchId}/agreements?status=PENDING_CONFIRMATION`))
            .set(admin())
        ).body.total,
      ).toBe(0);

      const audit = await t
        .http()
        .get(api(`/audit?entity=agreement&entityId=${find(h3, R).id}`))
        .set(admin());
      expect(audit.body.items.map((e: any) => e.action)).toEqual(['agreement.confirm-forced']);
      const batchAudit = await t
        .http()
        .get(api(`/audit?entity=batch&entityId=${b.batchId}`))
        .set(admin());
      expect(batchAudit.body.items.filter((e: any) => e.action === 'agreement.confirm-overdue').map((e: any) => e.data.confirmed)).toEqual([0, 3]);
    });

    it('agreements.xlsx: admin and fund get every row, a hospital or supplier only its own', async () => {
      const download = async (u: { token: string }) => {
        const res = await t
          .http()
          .get(api(`/batches/${b.batchId}/agreements.xlsx`))
          .set(bearer(u.token))
          .buffer(true)
          .parse(binary);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toContain('spreadsheetml');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.body);
        const ws = wb.getWorksheet('Agreements')!;
        // The export convention: Chinese headers on row 1, the API's field names on row 2.
        expect((ws.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['协议ID', '医院ID']);
        const header = (ws.getRow(2).values as unknown[]).slice(1);
        const out: Record<string, unknown>[] = [];
        ws.eachRow((row, n) => {
          if (n <= 2) return;
          const values = (row.values as unknown[]).slice(1);
          out.push(Object.fromEntries(header.map((h, i) => [String(h), values[i]])));
        });
        return out;
      };
      const all = await download({ token: t.adminToken });
      expect(all).toHaveLength(6);
      expect((await download(fund)).length).toBe(6);
      const h4Rows = await download(h4);
      expect(h4Rows.map((r) => [r.bidId, r.units, r.amount, r.status])).toEqual(
        [
          [Q, 50, 11.73, 'CONFIRMED'],
          [R, 20, 6.67, 'CONFIRMED'],
        ].sort((x, y) => (x[0] as number) - (y[0] as number)),
      );
      expect(h4Rows[0]).toMatchObject({ hospitalId: h4.orgId, itemId, group: 'A', unitComparablePrice: 0.2345, supplierId: s2.orgId });
      const sRows = await download(s3);
      expect(sRows.map((r) => r.hospitalId).sort()).toEqual([h1.orgId, h3.orgId, h4.orgId].sort());
      expect(sRows.find((r) => r.hospitalId === h3.orgId)).toMatchObject({ units: 140, amount: 46.66, awardPrice: 9.33, forced: 'YES' });
      expect(await download(s4)).toEqual([]);
      expect((await t.http().get(api('/batches/999999/agreements.xlsx')).set(admin())).status).toBe(404);
    });
  });

  it('national scale: thousands of hospitals in one item × group, written in batched inserts, exactly as the rule allocates', async () => {
    const n = 2500;
    const hospitals = await seedHospitals(t, n);
    // k = 4 → ratio 0.80; capacities cover about 70 % of the agreed volume, so winners ration
    // and hospitals cascade. Every 5th hospital prefers the reverse rank order, every 7th only rank 2.
    const demandOf = (i: number) => 1 + ((i * 7919) % 5000);
    const agreedTotal = hospitals.reduce((s, _, i) => s + agreedVolume(demandOf(i), 4, DEFAULT_RULES.agreedVolumeRatio), 0);
    const caps = [0.3, 0.2, 0.12, 0.08].map((f) => Math.floor(agreedTotal * f));
    const b = await awardedBatch(t, [
      {
        winners: caps.map((cap, r) => ({
          group: 'B',
          supplierId: [s1, s2, s3, s4][r].orgId,
          rank: r + 1,
          awardPrice: '3.33',
          awardUnitPrice: ['0.1189', '0.1201', '0.1333', '0.1500'][r],
          supplyCapacity: cap,
        })),
      },
    ]);
    const [itemId] = b.itemIds;
    const ranked = b.winners.map((w) => w.bidId);
    await seedDemand(
      t,
      b.batchId,
      hospitals.map((h, i) => ({ hospitalId: h, itemId, group: 'B', quantity: demandOf(i) })),
    );
    const preferenceOf = (i: number) => (i % 7 === 0 ? [ranked[1]] : i % 5 === 0 ? [...ranked].reverse() : null);
    const stated = hospitals.map((h, i) => [h, preferenceOf(i)] as const).filter(([, p]) => p !== null);
    for (let from = 0; from < stated.length; from += 500) {
      const chunk = stated.slice(from, from + 500);
      await db(t).query(
        `INSERT INTO preferences (batch_id, item_id, hospital_id, group_name, winner_bid_ids, updated_at) VALUES ${chunk.map(() => "(?,?,?,'B',?,?)").join(',')}`,
        chunk.flatMap(([h, p]) => [b.batchId, itemId, h, JSON.stringify(p), t.clock.now()]),
      );
    }
    const job = await allocateBatch(t, b.batchId);

    // What the rule says (its own tests pin it by hand); the database must hold exactly that.
    const expected = allocate({
      hospitals: hospitals.map((h, i) => ({
        hospitalId: h,
        agreedVolume: agreedVolume(demandOf(i), 4, DEFAULT_RULES.agreedVolumeRatio),
        preferences: preferenceOf(i) ?? ranked,
      })),
      winners: b.winners.map((w) => ({ winnerId: w.bidId, capacity: w.supplyCapacity })),
    });
    expect(expected.grants.length).toBeGreaterThan(2 * INSERT_CHUNK); // several multi-row INSERTs
    expect(expected.unallocated.length).toBeGreaterThan(0);
    const stored = await db(t).query('SELECT hospital_id, bid_id, units FROM agreements WHERE batch_id = ? ORDER BY hospital_id, bid_id', [b.batchId]);
    expect(stored.map((r: any) => ({ hospitalId: r.hospital_id, winnerId: r.bid_id, units: r.units }))).toEqual(expected.grants);
    const volumes = await db(t).query('SELECT hospital_id, agreed_volume, unallocated FROM agreed_volumes WHERE batch_id = ? ORDER BY hospital_id', [
      b.batchId,
    ]);
    expect(volumes).toHaveLength(n);
    expect(volumes.filter((v: any) => v.unallocated > 0).map((v: any) => ({ hospitalId: v.hospital_id, units: v.unallocated }))).toEqual(expected.unallocated);
    expect(job.result).toMatchObject({ agreements: expected.grants.length, agreedUnits: agreedTotal, hospitalRows: n });
    // No winner supplies more than its capacity.
    const perWinner = await db(t).query('SELECT bid_id, SUM(units) AS units FROM agreements WHERE batch_id = ? GROUP BY bid_id', [b.batchId]);
    for (const r of perWinner) expect(Number(r.units)).toBeLessThanOrEqual(b.winners.find((w) => w.bidId === r.bid_id)!.supplyCapacity);
    const page = await t
      .http()
      .get(api(`/batches/${b.batchId}/agreements?limit=500&offset=500`))
      .set(bearer(fund.token));
    expect({ n: page.body.items.length, total: page.body.total }).toEqual({ n: 500, total: expected.grants.length });

    // Idempotence: the same job run again (a retry, a duplicate) finds the batch ALLOCATED and writes nothing.
    const jobs = t.app.get(JobsService);
    const rerunId = await jobs.enqueue(
      QueueName.ALLOCATION,
      ALLOCATE_JOB,
      { batchId: b.batchId, requestedBy: { userId: null, organizationId: null, role: null } },
      { jobId: allocateJobId(b.batchId) },
    );
    const rerun = await finishedJob(t, rerunId);
    expect(rerun).toMatchObject({ state: 'completed', result: { alreadyAllocated: true, agreements: 0 } });
    const [{ c }] = await db(t).query('SELECT COUNT(*) AS c FROM agreements WHERE batch_id = ?', [b.batchId]);
    expect(Number(c)).toBe(expected.grants.length);
  }, 120_000);
});
