import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { bid, evaluate, openBids, publishedBatch, scoreAll, supplierWithProduct, WORKED_EXAMPLE } from './helpers/round';

/**
 * One procurement round end to end over the API: the worked example of domain.md
 * section 14, three hospitals' demand, allocation with rationing, confirmation,
 * activation and prepayment, payment standards and a claim, deliveries and settlement.
 * Every expected number is worked out by hand in the comments.
 */
describe('a whole procurement round (e2e)', () => {
  let t: TestApp;
  const admin = () => bearer(t.adminToken);
  let batchId: number;
  let itemId: number;
  const bids: Record<string, { bidId: number; supplier: Awaited<ReturnType<typeof supplierWithProduct>> }> = {};
  const hospitals: Record<string, Awaited<ReturnType<typeof createOrgUser>>> = {};
  let fund: Awaited<ReturnType<typeof createOrgUser>>;

  beforeAll(async () => {
    t = await createTestApp();
    fund = await createOrgUser(t, 'FUND');
  });
  afterAll(async () => t?.close());

  it('bids, demand, opening, evaluation and award', async () => {
    const b = await publishedBatch(t);
    batchId = b.batchId;
    itemId = b.itemId;
    // Capacities (measure units/year): b1 10,000, b2 6,000, b3 20,000, b4 5,000.
    const capacity: Record<string, number> = { b1: 10000, b2: 6000, b3: 20000, b4: 5000 };
    for (const row of WORKED_EXAMPLE) {
      const s = await supplierWithProduct(t, { strength: row.strength, packSize: row.packSize });
      const r = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: row.packPrice, supplyCapacity: capacity[row.key] });
      expect(r.unitComparablePrice).toBe(row.ucp);
      bids[row.key] = { bidId: r.id, supplier: s };
    }
    for (const [name, quantity] of [
      ['H1', 15001],
      ['H2', 9000],
      ['H3', 4000],
    ] as const) {
      hospitals[name] = await createOrgUser(t, 'HOSPITAL');
      const res = await t.http().put(`/api/v1/batches/${batchId}/items/${itemId}/demand`).set(bearer(hospitals[name].token)).send({ group: 'B', quantity });
      expect(res.status).toBe(200);
    }
    await openBids(t, batchId, b.openingAt);
    await scoreAll(
      t,
      WORKED_EXAMPLE.map((w) => ({ bidId: bids[w.key].bidId, ts: w.ts })),
    );
    expect((await evaluate(t, batchId)).state).toBe('completed');
    // Publicity (domain.md 15.4, default 3 days) before the award.
    t.clock.advance(3 * 24 * 3600_000);
    const award = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
    expect(award.body.status).toBe('AWARDED');
    const results = await t.http().get(`/api/v1/batches/${batchId}/results`).set(bearer(hospitals.H1.token));
    expect(results.body.items.find((g: { group: string }) => g.group === 'B').winners).toEqual([bids.b1.bidId, bids.b2.bidId, bids.b3.bidId]);
  });

  it('allocates agreed volumes with rationing, exactly as section 7', async () => {
    const res = await t.http().post(`/api/v1/batches/${batchId}/allocate`).set(admin());
    expect(res.status).toBe(202);
    expect((await waitForJob(t, t.adminToken, res.body.jobId)).state).toBe('completed');
    // k = 3 winners → ratio 0.70: H1 round(15001 × 0.7 = 10500.7) = 10501, H2 6300, H3 2800; Σ 19601.
    // Round 1, all ask b1 (cap 10000 < 19601): floor(p × 10000 / 19601):
    //   H1 105010000/19601 = 5357 r 7443; H2 63000000/19601 = 3214 r 2386; H3 28000000/19601 = 1428 r 9772
    //   Σ 9999, one unit left → largest remainder H3 → 1429.
    // Round 2, pending 5144, 3086, 1371 (Σ 9601) ask b2 (cap 6000): floor(p × 6000 / 9601):
    //   H1 30864000/9601 = 3214 r 6386; H2 18516000/9601 = 1928 r 5272; H3 8226000/9601 = 856 r 7544
    //   Σ 5998, two left → H3 (7544) then H1 (6386): H1 3215, H3 857.
    // Round 3, pending 1929, 1158, 514 ask b3 (cap 20000): all granted.
    // amount = units × award UCP, 2 dp:
    const expected = [
      ['H1', 'b1', 5357, '636.95'], // 5357 × 0.1189 = 636.9473
      ['H1', 'b2', 3215, '378.08'], // 3215 × 0.1176 = 378.084
      ['H1', 'b3', 1929, '289.35'], // 1929 × 0.1500
      ['H2', 'b1', 3214, '382.14'], // 3214 × 0.1189 = 382.1446
      ['H2', 'b2', 1928, '226.73'], // 1928 × 0.1176 = 226.7328
      ['H2', 'b3', 1158, '173.70'],
      ['H3', 'b1', 1429, '169.91'], // 1429 × 0.1189 = 169.9081
      ['H3', 'b2', 857, '100.78'], // 857 × 0.1176 = 100.7832
      ['H3', 'b3', 514, '77.10'],
    ] as const;
    const list = await t.http().get(`/api/v1/batches/${batchId}/agreements?limit=500`).set(bearer(fund.token));
    expect(list.body.total).toBe(9);
    const got = list.body.items
      .map((a: any) => [
        Object.keys(hospitals).find((h) => hospitals[h].orgId === a.hospitalId),
        Object.keys(bids).find((k) => bids[k].bidId === a.bidId),
        a.units,
        a.amount,
        a.status,
      ])
      .sort((x: any[], y: any[]) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`));
    expect(got).toEqual(expected.map((e) => [...e, 'PENDING_CONFIRMATION']));
    const unallocated = await t.http().get(`/api/v1/batches/${batchId}/unallocated`).set(admin());
    expect(unallocated.body.items).toEqual([]);
    // A supplier sees only its own agreements.
    const mine = await t.http().get(`/api/v1/batches/${batchId}/agreements`).set(bearer(bids.b2.supplier.token));
    expect(mine.body.items.map((a: any) => a.units).sort()).toEqual([1928, 3215, 857].sort());
  });

  /** The organisations' names as the admin's list has them (createOrgUser names them itself). */
  async function orgNames(): Promise<Record<number, string>> {
    const res = await t.http().get('/api/v1/organizations?limit=500').set(admin());
    return Object.fromEntries(res.body.items.map((o: { id: number; name: string }) => [o.id, o.name]));
  }

  it('names beside ids for clerks: results, bids after opening, agreements, unallocated (issue 14)', async () => {
    const names = await orgNames();
    const spec = (k: 'b1' | 'b2' | 'b3' | 'b4') => {
      const w = WORKED_EXAMPLE.find((x) => x.key === k)!;
      return `片剂 ${w.strength}mg×${w.packSize}tablet`;
    };
    const results = await t.http().get(`/api/v1/batches/${batchId}/results`).set(admin());
    const groupB = results.body.items.find((g: { group: string }) => g.group === 'B');
    for (const b of groupB.bids) {
      const key = Object.keys(bids).find((k) => bids[k].bidId === b.bidId) as 'b1';
      expect(b).toMatchObject({ supplierName: names[bids[key].supplier.orgId], productName: '左氨氯地平', productSpec: spec(key) });
    }
    const opened = await t.http().get(`/api/v1/batches/${batchId}/bids`).set(admin());
    for (const b of opened.body.items) expect(b.supplierName).toBe(names[b.supplierId]);
    // a supplier's own bids carry its own name and product only
    const own = await t.http().get(`/api/v1/batches/${batchId}/bids`).set(bearer(bids.b2.supplier.token));
    expect(own.body.items.map((b: any) => [b.supplierName, b.productSpec])).toEqual([[names[bids.b2.supplier.orgId], spec('b2')]]);
    const list = await t.http().get(`/api/v1/batches/${batchId}/agreements?limit=500`).set(bearer(fund.token));
    for (const a of list.body.items) {
      expect(a.hospitalName).toBe(names[a.hospitalId]);
      expect(a.supplierName).toBe(names[a.supplierId]);
      expect(a.productName).toBe('左氨氯地平');
    }
    expect(new Set(list.body.items.map((a: any) => a.hospitalName)).size).toBe(3);
    const keyset = await t.http().get(`/api/v1/batches/${batchId}/agreements?after=0&limit=2`).set(admin());
    expect(keyset.body.items[0].hospitalName).toBe(names[keyset.body.items[0].hospitalId]);
  });

  it('agreements by winner: per winning bid, summed in SQL, names beside ids; admin and fund only', async () => {
    const names = await orgNames();
    const res = await t.http().get(`/api/v1/batches/${batchId}/agreements/by-winner`).set(admin());
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    // From the allocation above (all pending):
    //   b1: 5357 + 3214 + 1429 = 10000 units; 636.95 + 382.14 + 169.91 = 1189.00
    //   b2: 3215 + 1928 + 857 = 6000 units; 378.08 + 226.73 + 100.78 = 705.59
    //   b3: 1929 + 1158 + 514 = 3601 units; 289.35 + 173.70 + 77.10 = 540.15
    // ordered by item, group, amount descending.
    expect(
      res.body.items.map((w: any) => [w.bidId, w.hospitals, w.agreements, w.units, w.amount, w.confirmed, w.pending, w.confirmedUnits, w.confirmedAmount]),
    ).toEqual([
      [bids.b1.bidId, 3, 3, 10000, '1189.00', 0, 3, 0, '0.00'],
      [bids.b2.bidId, 3, 3, 6000, '705.59', 0, 3, 0, '0.00'],
      [bids.b3.bidId, 3, 3, 3601, '540.15', 0, 3, 0, '0.00'],
    ]);
    expect(res.body.items[0]).toMatchObject({
      itemId,
      group: 'B',
      genericName: '左氨氯地平',
      supplierId: bids.b1.supplier.orgId,
      supplierName: names[bids.b1.supplier.orgId],
      productId: bids.b1.supplier.productId,
      productSpec: '片剂 2.5mg×28tablet',
      awardPrice: '3.33',
      unitComparablePrice: '0.1189',
    });
    const page2 = await t.http().get(`/api/v1/batches/${batchId}/agreements/by-winner?limit=1&offset=1`).set(bearer(fund.token));
    expect(page2.body).toMatchObject({ total: 3, items: [{ bidId: bids.b2.bidId }] });
    const xlsx = await t
      .http()
      .get(`/api/v1/batches/${batchId}/agreements/by-winner.xlsx`)
      .set(admin())
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    for (const who of [bids.b1.supplier.token, hospitals.H1.token]) {
      expect((await t.http().get(`/api/v1/batches/${batchId}/agreements/by-winner`).set(bearer(who))).status).toBe(403);
    }
    expect((await t.http().get('/api/v1/batches/987654/agreements/by-winner').set(admin())).status).toBe(404);
  });

  it('confirms, activates and prepays 30% of the confirmed amounts', async () => {
    for (const h of Object.values(hospitals)) {
      const own = await t.http().get(`/api/v1/batches/${batchId}/agreements`).set(bearer(h.token));
      for (const a of own.body.items) expect((await t.http().post(`/api/v1/agreements/${a.id}/confirm`).set(bearer(h.token))).status).toBe(200);
    }
    const act = await t.http().post(`/api/v1/batches/${batchId}/activate`).set(admin());
    expect(act.status).toBe(200);
    expect(act.body.status).toBe('IN_FORCE');
    const pre = await t.http().get(`/api/v1/prepayments?batchId=${batchId}`).set(bearer(fund.token));
    // H1: 0.30 × (636.95 + 378.08 + 289.35 = 1304.38) = 391.314 → 391.31
    // H2: 0.30 × (382.14 + 226.73 + 173.70 = 782.57) = 234.771 → 234.77
    // H3: 0.30 × (169.91 + 100.78 + 77.10 = 347.79) = 104.337 → 104.34
    const byHospital = Object.fromEntries(pre.body.items.map((p: any) => [p.hospitalId, p]));
    expect(byHospital[hospitals.H1.orgId]).toMatchObject({ year: 1, amount: '391.31', status: 'SCHEDULED', dueDate: '2027-01-01T00:00:00.000Z' });
    expect(byHospital[hospitals.H2.orgId].amount).toBe('234.77');
    expect(byHospital[hospitals.H3.orgId].amount).toBe('104.34');
    const d = await t.http().post(`/api/v1/prepayments/${byHospital[hospitals.H1.orgId].id}/disburse`).set(bearer(fund.token));
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ status: 'DISBURSED', balance: '391.31' });
  });

  it('agreements by winner once every hospital confirmed: confirmed equals the whole', async () => {
    const res = await t.http().get(`/api/v1/batches/${batchId}/agreements/by-winner`).set(bearer(fund.token));
    expect(res.body.items.map((w: any) => [w.confirmed, w.pending, w.confirmedUnits, w.confirmedAmount])).toEqual([
      [3, 0, 10000, '1189.00'],
      [3, 0, 6000, '705.59'],
      [3, 0, 3601, '540.15'],
    ]);
    const names = await orgNames();
    const pre = await t.http().get(`/api/v1/prepayments?batchId=${batchId}`).set(bearer(fund.token));
    for (const p of pre.body.items) expect(p.hospitalName).toBe(names[p.hospitalId]);
  });

  it('links payment standards and quotes claims (section 9)', async () => {
    // ITEM_HIGHEST: the highest award UCP among the winners is b3's 0.1500.
    // b4's product (2.5 mg × 14, not selected): 0.1500 × 1.7^log2(2.5/2.5) × 14 = 2.10.
    const std = await t.http().get(`/api/v1/catalog/products/${bids.b4.supplier.productId}/payment-standard`).set(bearer(hospitals.H1.token));
    expect(std.body.standardPackPrice).toBe('2.10');
    // b2's product (5 mg × 28): 0.15 × 1.7 × 28 = 7.14.
    const std2 = await t.http().get(`/api/v1/catalog/products/${bids.b2.supplier.productId}/payment-standard`).set(bearer(hospitals.H1.token));
    expect(std2.body.standardPackPrice).toBe('7.14');
    // Claim of 3 packs of b4's product at 3.90, ratio 0.70: total 11.70; eligible 2.10 × 3 = 6.30;
    // excess (3.90 − 2.10) × 3 = 5.40; fund 6.30 × 0.7 = 4.41; patient 11.70 − 4.41 = 7.29.
    const q = await t
      .http()
      .post('/api/v1/reimbursement/quote')
      .set(bearer(hospitals.H1.token))
      .send({ productId: bids.b4.supplier.productId, packPrice: '3.90', packs: 3, reimbursementRatio: '0.70' });
    expect(q.body).toEqual({ total: '11.70', standardPackPrice: '2.10', eligible: '6.30', selfPaidExcess: '5.40', fundPays: '4.41', patientPays: '7.29' });
    // b2's product is selected at 5.60: selling it at 5.61 breaks zero markup.
    const z = await t
      .http()
      .post('/api/v1/reimbursement/quote')
      .set(bearer(hospitals.H1.token))
      .send({ productId: bids.b2.supplier.productId, packPrice: '5.61', packs: 1, reimbursementRatio: '0.70' });
    expect(z.status).toBe(422);
    expect(z.body.code).toBe('ZERO_MARKUP_VIOLATION');
  });

  it('settles accepted deliveries, drawing on the prepaid balance first, and never twice', async () => {
    const agreementOf = async (key: string, hospital: string) => {
      const own = await t.http().get(`/api/v1/batches/${batchId}/agreements`).set(bearer(bids[key].supplier.token));
      return own.body.items.find((a: any) => a.hospitalId === hospitals[hospital].orgId).id as number;
    };
    const deliver = async (key: string, packs: number, accepted: number) => {
      // The batch takes the default rule ordersRequired = true: H1 orders, the supplier confirms.
      const agreementId = await agreementOf(key, 'H1');
      const order = await t.http().post('/api/v1/orders').set(bearer(hospitals.H1.token)).send({ agreementId, packs, requestedBy: '药剂科' });
      expect(order.status).toBe(201);
      expect((await t.http().post(`/api/v1/orders/${order.body.id}/confirm`).set(bearer(bids[key].supplier.token))).status).toBe(200);
      const d = await t
        .http()
        .post('/api/v1/deliveries')
        .set(bearer(bids[key].supplier.token))
        .send({
          agreementId,
          orderId: order.body.id,
          packs,
          lotNumber: `LOT-${key}`,
          deliveredAt: new Date(t.clock.now().getTime() - 60_000).toISOString(),
        });
      expect(d.status).toBe(201);
      const a = await t.http().post(`/api/v1/deliveries/${d.body.id}/accept`).set(bearer(hospitals.H1.token)).send({ acceptedPacks: accepted });
      expect(a.status).toBe(200);
      t.clock.advance(1000);
      return a.body;
    };
    // b1: 80 of 100 packs accepted × 3.33 = 266.40; then b2: 50 × 5.60 = 280.00.
    expect((await deliver('b1', 100, 80)).acceptedAmount).toBe('266.40');
    expect((await deliver('b2', 50, 50)).acceptedAmount).toBe('280.00');
    const run = await t.http().post('/api/v1/settlements/runs').set(bearer(fund.token)).send({ cutoff: t.clock.now().toISOString() });
    expect(run.status).toBe(202);
    expect((await waitForJob(t, fund.token, run.body.jobId)).state).toBe('completed');
    const view = await t.http().get(`/api/v1/settlements/runs/${run.body.runId}`).set(bearer(fund.token));
    // FIFO on H1's balance 391.31: b1's 266.40 all from prepayment (124.91 left), then b2's 280.00:
    // 124.91 from prepayment and 155.09 from the hospital.
    expect(view.body.status).toBe('COMPLETED');
    expect(view.body.totals).toEqual({ amount: '546.40', fromPrepayment: '391.31', fromHospital: '155.09' });
    const pay = await t.http().get(`/api/v1/payments?runId=${run.body.runId}`).set(bearer(fund.token));
    const bySupplier = Object.fromEntries(pay.body.items.map((p: any) => [p.supplierId, p]));
    expect(bySupplier[bids.b1.supplier.orgId]).toMatchObject({ amount: '266.40', fromPrepayment: '266.40', fromHospital: '0.00', status: 'PENDING' });
    expect(bySupplier[bids.b2.supplier.orgId]).toMatchObject({ amount: '280.00', fromPrepayment: '124.91', fromHospital: '155.09' });
    const pre = await t.http().get(`/api/v1/prepayments?batchId=${batchId}&hospitalId=${hospitals.H1.orgId}`).set(bearer(fund.token));
    expect(pre.body.items[0].balance).toBe('0.00');
    // names beside ids in the lists clerks read (issue 14)
    const names = await orgNames();
    for (const p of pay.body.items) expect([p.hospitalName, p.supplierName]).toEqual([names[p.hospitalId], names[p.supplierId]]);
    const deliveries = await t.http().get('/api/v1/deliveries').set(bearer(fund.token));
    expect(deliveries.body.items.length).toBeGreaterThan(0);
    for (const d of deliveries.body.items) expect([d.hospitalName, d.supplierName]).toEqual([names[d.hospitalId], names[d.supplierId]]);
    const orders = await t.http().get('/api/v1/orders').set(bearer(hospitals.H1.token));
    expect(orders.body.items.length).toBeGreaterThan(0);
    for (const o of orders.body.items) expect([o.hospitalName, o.supplierName]).toEqual([names[o.hospitalId], names[o.supplierId]]);

    // A second run finds nothing left to settle.
    const again = await t.http().post('/api/v1/settlements/runs').set(bearer(fund.token)).send({ cutoff: t.clock.now().toISOString() });
    await waitForJob(t, fund.token, again.body.jobId);
    const view2 = await t.http().get(`/api/v1/settlements/runs/${again.body.runId}`).set(bearer(fund.token));
    expect(view2.body.totals).toEqual({ amount: '0.00', fromPrepayment: '0.00', fromHospital: '0.00' });

    // The audit chain holds after the whole round.
    const audit = await t.http().get('/api/v1/audit/verify').set(admin());
    expect(audit.body.ok).toBe(true);
  });
});
