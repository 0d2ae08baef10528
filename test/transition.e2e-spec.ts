import { DataSource } from 'typeorm';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { bid, evaluate, openBids, publishedBatch, scoreAll, supplierWithProduct, WORKED_EXAMPLE } from './helpers/round';

jest.setTimeout(180_000);

type User = Awaited<ReturnType<typeof createOrgUser>>;

/**
 * domain.md 15.6 (transition standards, NHSA 2019) through the API: listed pack prices on the
 * catalog, a round with rule transition NHSA_2019 awarded on 2027-03-10, the standards and the
 * schedules of the non-selected products, and quotes on dates in years 1, 2 and 3. Every
 * number is worked by hand beside it (K = 1.7, representative strength 2.5 mg).
 *
 * Section 14's worked example: b1, b2, b3 win (group B); the highest award UCP is b3's 0.1500,
 * and ITEM_HIGHEST gives it to both groups: S = 0.1500. b4 (3.90 / 14 = 0.2786) fails the gates.
 */
describe('transition standards, NHSA 2019 (15.6, e2e)', () => {
  let t: TestApp;
  let hospital: User;
  let other: User; // a supplier holding the products that did not bid
  const G = '过渡期左氨氯地平';
  const p: Record<string, number> = {};
  let batchId: number;
  let itemId: number;
  const admin = () => bearer(t.adminToken);
  const AWARD = new Date('2027-03-10T02:00:00.000Z');

  const createProduct = async (spec: { strength: string; packSize: number; tier: string; listedPackPrice?: string }) => {
    const res = await t
      .http()
      .post('/api/v1/catalog/products')
      .set(admin())
      .send({
        genericName: G,
        dosageForm: '片剂',
        strength: { value: spec.strength, unit: 'mg' },
        packSize: spec.packSize,
        smallestUnit: '片',
        qualityTier: spec.tier,
        supplierId: other.orgId,
        approvalNumber: `国药准字T${process.pid}${Object.keys(p).length}${spec.packSize}${spec.tier.length}`,
        ...(spec.listedPackPrice === undefined ? {} : { listedPackPrice: spec.listedPackPrice }),
      });
    if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as number;
  };
  const standardOf = (id: number, date?: string) =>
    t
      .http()
      .get(`/api/v1/catalog/products/${id}/payment-standard`)
      .query(date ? { date } : {})
      .set(bearer(hospital.token));
  const quote = (body: object) => t.http().post('/api/v1/reimbursement/quote').set(bearer(hospital.token)).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    hospital = await createOrgUser(t, 'HOSPITAL');
    other = await createOrgUser(t, 'SUPPLIER');
    const published = await publishedBatch(t, { genericName: G, rules: { transition: 'NHSA_2019', publicityDays: 0 } });
    ({ batchId, itemId } = published);
    const bids: { bidId: number; ts: string }[] = [];
    for (const row of WORKED_EXAMPLE) {
      const s = await supplierWithProduct(t, { strength: row.strength, packSize: row.packSize, genericName: G });
      p[row.key] = s.productId;
      const b = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: row.packPrice, supplyCapacity: 20000 });
      bids.push({ bidId: b.id, ts: row.ts });
    }
    // Products of the same name and form that did not bid:
    p.P5 = await createProduct({ strength: '5', packSize: 28, tier: 'CONSISTENCY_PASSED', listedPackPrice: '14.28' });
    p.P6 = await createProduct({ strength: '2.5', packSize: 10, tier: 'GENERIC', listedPackPrice: '20.00' });
    p.P7 = await createProduct({ strength: '2.5', packSize: 7, tier: 'ORIGINATOR' });
    p.P8 = await createProduct({ strength: '2.5', packSize: 7, tier: 'ORIGINATOR', listedPackPrice: '7.00' });
    // Listed prices set afterwards: b4 (the loser) and b1 (a winner: selected, so no schedule whatever its price).
    for (const [key, price] of [
      ['b4', '9.80'],
      ['b1', '30.00'],
    ] as const) {
      const res = await t.http().patch(`/api/v1/catalog/products/${p[key]}`).set(admin()).send({ listedPackPrice: price });
      expect([key, res.status, res.body.listedPackPrice]).toEqual([key, 200, price]);
    }
    await openBids(t, batchId, published.openingAt);
    await scoreAll(t, bids);
    const job = await evaluate(t, batchId);
    expect(job.state).toBe('completed');
    t.clock.set(AWARD);
    const award = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
    expect(award.status).toBe(200);
  });
  afterAll(async () => t?.close());

  const year = (n: number, from: string, to: string | null, unit: string, pack: string) => ({
    year: n,
    from,
    to,
    standardUnitPrice: unit,
    standardPackPrice: pack,
  });

  it('GET /payment-standards: each item × group standard with the schedules of its non-selected products', async () => {
    const res = await t.http().get('/api/v1/payment-standards').query({ genericName: G }).set(bearer(hospital.token));
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => [i.group, i.standardUnitPrice])).toEqual([
      ['A', '0.1500'],
      ['B', '0.1500'],
    ]);
    const [a, b] = res.body.items;
    // Group A (ORIGINATOR, REFERENCE), S = 0.1500:
    // P7 has no listed price → S at once: 0.1500 × 7 = 1.05.
    // P8: C = 7.00 / 7 = 1.0000 > 0.3000 → Y1 = 0.7000; year 2 = 0.7000 − (0.7000 − 0.1500) / 2 = 0.4250; year 3 = S.
    //   Per pack (× 7): 4.90, 2.975 → 2.98 (half-up), 1.05.
    expect(a.transitions).toEqual([
      {
        productId: p.P7,
        reason: 'NO_LISTED_PRICE',
        listedPackPrice: null,
        currentUnitPrice: null,
        selectedUnitPrice: '0.1500',
        yearInForce: 1,
        standardUnitPrice: '0.1500',
        standardPackPrice: '1.05',
        schedule: [year(1, '2027-03-10', null, '0.1500', '1.05')],
      },
      {
        productId: p.P8,
        reason: 'ABOVE_TWICE',
        listedPackPrice: '7.00',
        currentUnitPrice: '1.0000',
        selectedUnitPrice: '0.1500',
        yearInForce: 1, // today by the server clock is the award date
        standardUnitPrice: '0.7000',
        standardPackPrice: '4.90',
        schedule: [
          year(1, '2027-03-10', '2028-03-09', '0.7000', '4.90'),
          year(2, '2028-03-10', '2029-03-09', '0.4250', '2.98'),
          year(3, '2029-03-10', null, '0.1500', '1.05'),
        ],
      },
    ]);
    // Group B (CONSISTENCY_PASSED, GENERIC); the winners b1, b2, b3 are selected: none listed, b1's listed price notwithstanding.
    // b4: C = 9.80 / 14 = 0.7000 > 0.3000 → Y1 = 0.7000 × 0.7 = 0.4900; year 2 = 0.4900 − 0.3400 / 2 = 0.3200; year 3 = 0.1500.
    //   Per pack (× 14): 6.86, 4.48, 2.10.
    // P5: 5 mg × 28 at 14.28: C = 14.28 / 28 × 1.7^log2(2.5 / 5) = 0.51 / 1.7 = 0.3000 = 2 × S, not above → S at once:
    //   0.1500 × 1.7^log2(5 / 2.5) × 28 = 0.1500 × 1.7 × 28 = 7.14.
    // P6: tier GENERIC, C = 20.00 / 10 = 2.0000, yet S at once: 0.1500 × 10 = 1.50.
    expect(b.transitions.map((x: any) => [x.productId, x.reason, x.currentUnitPrice, x.schedule])).toEqual([
      [
        p.b4,
        'ABOVE_TWICE',
        '0.7000',
        [
          year(1, '2027-03-10', '2028-03-09', '0.4900', '6.86'),
          year(2, '2028-03-10', '2029-03-09', '0.3200', '4.48'),
          year(3, '2029-03-10', null, '0.1500', '2.10'),
        ],
      ],
      [p.P5, 'WITHIN_TWICE', '0.3000', [year(1, '2027-03-10', null, '0.1500', '7.14')]],
      [p.P6, 'GENERIC_TIER', '2.0000', [year(1, '2027-03-10', null, '0.1500', '1.50')]],
    ]);
    const ds = t.app.get(DataSource);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM payment_standard_transitions WHERE batch_id = ? AND product_id IN (?)', [
      batchId,
      [p.b1, p.b2, p.b3],
    ]);
    expect(Number(n)).toBe(0);
  });

  it("a product's standard is its year in force on the date (default today); a bad date is 400", async () => {
    const on = async (id: number, date?: string) => {
      const res = await standardOf(id, date);
      expect(res.status).toBe(200);
      return [res.body.standardPackPrice, res.body.standardUnitPrice, res.body.transition?.yearInForce ?? null];
    };
    expect(await on(p.b4)).toEqual(['6.86', '0.4900', 1]); // today = 2027-03-10
    expect(await on(p.b4, '2028-03-09')).toEqual(['6.86', '0.4900', 1]);
    expect(await on(p.b4, '2028-03-10')).toEqual(['4.48', '0.3200', 2]);
    expect(await on(p.b4, '2031-01-01')).toEqual(['2.10', '0.1500', 3]);
    expect(await on(p.P5, '2027-06-01')).toEqual(['7.14', '0.1500', 1]);
    // A winner keeps section 9's standard (no schedule): b3, 2.5 mg × 7 → 0.1500 × 7 = 1.05.
    const b3 = await standardOf(p.b3, '2027-06-01');
    expect([b3.body.standardPackPrice, b3.body.transition]).toEqual(['1.05', null]);
    for (const bad of ['2027-02-30', '20270310', '2027-3-1']) {
      const res = await standardOf(p.b4, bad);
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  });

  it('the claim quote uses the standard in force on its date: years 1, 2 and 3', async () => {
    const line = { productId: p.b4, packPrice: '9.80', packs: 10, reimbursementRatio: '0.70' };
    // total = 9.80 × 10 = 98.00 in each year.
    // Year 1 (6.86): eligible 68.60; excess (9.80 − 6.86) × 10 = 29.40; fund 68.60 × 0.70 = 48.02; patient 98.00 − 48.02 = 49.98.
    const y1 = { total: '98.00', standardPackPrice: '6.86', eligible: '68.60', selfPaidExcess: '29.40', fundPays: '48.02', patientPays: '49.98' };
    expect((await quote(line)).body).toEqual(y1); // no date: today by the server clock, 2027-03-10
    expect((await quote({ ...line, date: '2027-09-01' })).body).toEqual(y1);
    // Year 2 (4.48): eligible 44.80; excess 53.20; fund 31.36; patient 66.64.
    expect((await quote({ ...line, date: '2028-09-01' })).body).toEqual({
      total: '98.00',
      standardPackPrice: '4.48',
      eligible: '44.80',
      selfPaidExcess: '53.20',
      fundPays: '31.36',
      patientPays: '66.64',
    });
    // Year 3 on (2.10): eligible 21.00; excess 77.00; fund 14.70; patient 83.30.
    expect((await quote({ ...line, date: '2029-09-01' })).body).toEqual({
      total: '98.00',
      standardPackPrice: '2.10',
      eligible: '21.00',
      selfPaidExcess: '77.00',
      fundPays: '14.70',
      patientPays: '83.30',
    });
    // P8 in year 2 (2.98): 2 packs at 7.00, ratio 0.50: total 14.00; eligible 2.98 × 2 = 5.96;
    // excess (7.00 − 2.98) × 2 = 4.02 × 2 = 8.04; fund 5.96 × 0.50 = 2.98; patient 14.00 − 2.98 = 11.02.
    expect((await quote({ productId: p.P8, packPrice: '7.00', packs: 2, reimbursementRatio: '0.50', date: '2028-03-10' })).body).toEqual({
      total: '14.00',
      standardPackPrice: '2.98',
      eligible: '5.96',
      selfPaidExcess: '8.04',
      fundPays: '2.98',
      patientPays: '11.02',
    });
    for (const bad of ['2027-02-30', '2027/03/10', 20270310]) {
      const res = await quote({ ...line, date: bad });
      expect([bad, res.status, res.body.code, [...new Set(res.body.details?.map((d: any) => d.field))]]).toEqual([bad, 400, 'VALIDATION_FAILED', ['date']]);
    }
  });

  it('with the default transition NONE nothing changes: the same round writes no schedule and the loser gets section 9’s standard', async () => {
    const N = '默认规则左氨氯地平';
    const published = await publishedBatch(t, { genericName: N, rules: { publicityDays: 0 } });
    const bids: { bidId: number; ts: string }[] = [];
    let loser = 0;
    for (const row of WORKED_EXAMPLE) {
      const s = await supplierWithProduct(t, { strength: row.strength, packSize: row.packSize, genericName: N });
      if (row.key === 'b4') loser = s.productId;
      const b = await bid(t, s.token, published.batchId, { itemId: published.itemId, productId: s.productId, packPrice: row.packPrice, supplyCapacity: 20000 });
      bids.push({ bidId: b.id, ts: row.ts });
    }
    // b4 listed at 9.80 (C = 0.7000 > 2 × 0.1500), as in the NHSA_2019 round.
    expect((await t.http().patch(`/api/v1/catalog/products/${loser}`).set(admin()).send({ listedPackPrice: '9.80' })).status).toBe(200);
    await openBids(t, published.batchId, published.openingAt);
    await scoreAll(t, bids);
    expect((await evaluate(t, published.batchId)).state).toBe('completed');
    expect((await t.http().post(`/api/v1/batches/${published.batchId}/award`).set(admin())).status).toBe(200);
    const ds = t.app.get(DataSource);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM payment_standard_transitions WHERE batch_id = ?', [published.batchId]);
    expect(Number(n)).toBe(0);
    const list = await t.http().get('/api/v1/payment-standards').query({ genericName: N }).set(bearer(hospital.token));
    expect(list.body.items.map((i: any) => [i.group, i.standardUnitPrice, i.transitions])).toEqual([
      ['A', '0.1500', []],
      ['B', '0.1500', []],
    ]);
    // Section 9: 0.1500 × 14 = 2.10 on any date.
    for (const date of [undefined, '2028-09-01']) {
      const res = await standardOf(loser, date);
      expect([date, res.body.standardPackPrice, res.body.transition]).toEqual([date, '2.10', null]);
    }
  });
});
