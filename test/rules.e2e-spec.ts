import ExcelJS from 'exceljs';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { DataSource } from 'typeorm';
import { bid, evaluate, openBids, publishedBatch, scoreAll, supplierWithProduct, WORKED_EXAMPLE } from './helpers/round';

/**
 * domain.md 15 (rules of recent national rounds) through the API. Every number is worked
 * by hand in the comment beside it.
 */
describe('rules of recent national rounds (e2e)', () => {
  let t: TestApp;
  const admin = () => bearer(t.adminToken);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  async function xlsxRows(path: string, token: string) {
    const res = await t
      .http()
      .get(path)
      .set(bearer(token))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const ws = wb.worksheets[0];
    // The export convention: Chinese headers on row 1, the API's field names on row 2.
    const header = (ws.getRow(2).values as unknown[]).slice(1) as string[];
    const rows: Record<string, unknown>[] = [];
    ws.eachRow((row, n) => {
      if (n <= 2) return;
      const v = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(header.map((h, i) => [h, v[i]])));
    });
    return rows;
  }

  describe('15.1 anchor price and 15.2 gate variants', () => {
    // Price only; batch 10 without the 50 % gate; batch 11's anchor; a floor per dosage-form class.
    const rules = {
      priceWeight: '100',
      technicalWeight: '0',
      gateReduction: null,
      gateAnchor: 'MAX_LOWEST_HALF_AVERAGE',
      gateFloor: { ORAL_SOLID: '0.2600', OTHER: '0.1000' },
    };
    // UCPs (2.5 mg = the representative strength): 1.00/10 = 0.1000, 10.02/50 = 0.2004,
    // 2.60/10 = 0.2600, 4.00/10 = 0.4000.
    const offers = [
      { packSize: 10, packPrice: '1.00' },
      { packSize: 50, packPrice: '10.02' },
      { packSize: 10, packPrice: '2.60' },
      { packSize: 10, packPrice: '4.00' },
    ];

    it('refuses a bad anchor, a floor of an unknown class, and an item of an unknown class, per field (400)', async () => {
      const now = t.clock.now().getTime();
      const res = await t
        .http()
        .post('/api/v1/batches')
        .set(admin())
        .send({
          code: `bad-rules-${process.pid}`,
          name: 'x',
          biddingOpensAt: new Date(now + 3600_000).toISOString(),
          biddingClosesAt: new Date(now + 7200_000).toISOString(),
          openingAt: new Date(now + 7200_000).toISOString(),
          agreementStart: '2027-01-01',
          agreementMonths: 12,
          rules: { gateAnchor: 'AVERAGE', gateFloor: { ORAL: '0.1' } },
        });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['rules.gateAnchor', 'rules.gateFloor.ORAL']);
      await expect(publishedBatch(t, { dosageFormClass: 'TABLET' })).rejects.toThrow(/item: 400/);
    });

    it('anchor max(0.1000, 0.5 × 0.2401 = 0.12005 → 0.1201); ratio bound 1.8 × 0.1201 = 0.21618; class floor 0.2600', async () => {
      const { batchId, itemId, openingAt } = await publishedBatch(t, { rules, dosageFormClass: 'ORAL_SOLID' });
      const batch = await t.http().get(`/api/v1/batches/${batchId}`).set(admin());
      expect(batch.body.items[0].dosageFormClass).toBe('ORAL_SOLID');
      expect(batch.body.rules).toMatchObject(rules);
      const ids: number[] = [];
      for (const o of offers) {
        const s = await supplierWithProduct(t, { strength: '2.5', packSize: o.packSize });
        ids.push((await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: o.packPrice, supplyCapacity: 1000 })).id);
      }
      await openBids(t, batchId, openingAt);
      expect((await evaluate(t, batchId)).state).toBe('completed');
      const res = await t.http().get(`/api/v1/batches/${batchId}/results`).set(admin());
      const g = res.body.items.find((x: { group: string }) => x.group === 'B');
      // average (0.1000 + 0.2004 + 0.2600 + 0.4000) / 4 = 0.2401; half = 0.12005 → 0.1201 > minUCP 0.1000.
      expect(g).toMatchObject({ anchorUcp: '0.1201', gateFloor: '0.2600' });
      // PS keeps minUCP: 100 × 0.1 / UCP = 100.0000, 49.90019… → 49.9002, 38.46153… → 38.4615, 25.0000.
      // 0.1000 and 0.2004 ≤ 0.21618 (RATIO); 0.2600 > 0.21618 but ≤ the ORAL_SOLID floor (FLOOR);
      // 0.4000 fails both (no 50 % gate). n = 4 → 3 winners: the three that pass.
      expect(g.bids.map((b: any) => [b.bidId, b.unitComparablePrice, b.priceScore, b.gatePassedBy, b.gated, b.winner])).toEqual([
        [ids[0], '0.1000', '100.0000', 'RATIO', true, true],
        [ids[1], '0.2004', '49.9002', 'RATIO', true, true],
        [ids[2], '0.2600', '38.4615', 'FLOOR', true, true],
        [ids[3], '0.4000', '25.0000', null, false, false],
      ]);
      const rows = await xlsxRows(`/api/v1/batches/${batchId}/results.xlsx`, t.adminToken);
      expect(rows.filter((r) => r.group === 'B').map((r) => [r.bidId, r.gatePassedBy, r.anchorUcp, r.gateFloor])).toEqual([
        [ids[0], 'RATIO', 0.1201, 0.26],
        [ids[1], 'RATIO', 0.1201, 0.26],
        [ids[2], 'FLOOR', 0.1201, 0.26],
        [ids[3], 'FAILED', 0.1201, 0.26],
      ]);
    });
  });

  describe('15.4 publicity and objections, 15.5 abnormally low bids', () => {
    // Price only, abnormalLowRatio 0.5, default gates and publicityDays 3.
    // UCPs: c1 1.00/10 = 0.1000, c2 10.02/50 = 0.2004, c3 2.60/10 = 0.2600, c4 4.00/10 = 0.4000.
    // Gates: 1.8 × 0.1000 = 0.18 (c1), 0.5 × 0.5446 = 0.2723 (c2, c3), c4 fails all → winners c1, c2, c3.
    // Median (0.2004 + 0.2600) / 2 = 0.2302; 0.5 × 0.2302 = 0.1151 → c1 (0.1000) is abnormally low.
    const offers = [
      { packSize: 10, packPrice: '1.00' },
      { packSize: 50, packPrice: '10.02' },
      { packSize: 10, packPrice: '2.60' },
      { packSize: 10, packPrice: '4.00' },
    ];
    let batchId: number;
    let itemId: number;
    const c: { token: string; orgId: number; bidId: number }[] = [];
    let outsider: { token: string };
    let hospital: { token: string };
    let objectionByC4: number;
    let objectionByC3: number;

    beforeAll(async () => {
      const b = await publishedBatch(t, { rules: { priceWeight: '100', technicalWeight: '0', abnormalLowRatio: '0.5' } });
      batchId = b.batchId;
      itemId = b.itemId;
      for (const o of offers) {
        const s = await supplierWithProduct(t, { strength: '2.5', packSize: o.packSize });
        const r = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: o.packPrice, supplyCapacity: 1000 });
        c.push({ token: s.token, orgId: s.orgId, bidId: r.id });
      }
      outsider = await createOrgUser(t, 'SUPPLIER');
      hospital = await createOrgUser(t, 'HOSPITAL');
      // Before evaluation nobody but admins may object or read results.
      await openBids(t, batchId, b.openingAt);
      const early = await t.http().post(`/api/v1/batches/${batchId}/objections`).set(bearer(c[3].token)).send({ itemId, group: 'B', reason: 'too early' });
      expect([early.status, early.body.code]).toEqual([409, 'NOT_IN_PUBLICITY']);
      expect((await t.http().get(`/api/v1/batches/${batchId}/results`).set(bearer(c[3].token))).status).toBe(403);
      expect((await evaluate(t, batchId)).state).toBe('completed');
    });

    const resultsB = async (token: string) => {
      const res = await t.http().get(`/api/v1/batches/${batchId}/results`).set(bearer(token));
      expect(res.status).toBe(200);
      return { ...res.body, g: res.body.items.find((x: { group: string }) => x.group === 'B') };
    };

    it('publishes the results to the bidders during publicity, with the flag; not to outsiders, hospitals or the fund', async () => {
      const r = await resultsB(c[3].token);
      const evaluatedAt = new Date((await t.http().get(`/api/v1/batches/${batchId}`).set(admin())).body.evaluatedAt);
      expect(r.publicityEndsAt).toBe(new Date(evaluatedAt.getTime() + 3 * 24 * 3600_000).toISOString());
      expect(r.g.bids.map((x: any) => [x.bidId, x.supplierId, x.gatePassedBy, x.winner, x.abnormalLow?.status ?? null])).toEqual([
        [c[0].bidId, c[0].orgId, 'RATIO', true, 'FLAGGED'],
        [c[1].bidId, c[1].orgId, 'REDUCTION', true, null],
        [c[2].bidId, c[2].orgId, 'REDUCTION', true, null],
        [c[3].bidId, c[3].orgId, null, false, null],
      ]);
      expect(r.g.bids[0].abnormalLow).toMatchObject({ medianUcp: '0.2302', thresholdUcp: '0.11510000' });
      expect(r.g.bids[0].abnormalLow.statement).toBeUndefined();
      const fund = await createOrgUser(t, 'FUND');
      for (const token of [outsider.token, hospital.token, fund.token]) {
        expect((await t.http().get(`/api/v1/batches/${batchId}/results`).set(bearer(token))).status).toBe(403);
      }
      const award = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
      expect([award.status, award.body.code]).toEqual([409, 'PUBLICITY_NOT_OVER']);
    });

    it('takes objections from bidders only, per item × group, during publicity', async () => {
      const url = `/api/v1/batches/${batchId}/objections`;
      const byOutsider = await t.http().post(url).set(bearer(outsider.token)).send({ itemId, group: 'B', reason: 'not mine' });
      expect(byOutsider.status).toBe(403);
      expect((await t.http().post(url).set(bearer(hospital.token)).send({ itemId, group: 'B', reason: 'x' })).status).toBe(403);
      const badGroup = await t.http().post(url).set(bearer(c[3].token)).send({ itemId, group: 'Z', reason: 'x' });
      expect([badGroup.status, badGroup.body.details?.[0]?.field]).toEqual([400, 'itemId']);
      const blank = await t.http().post(url).set(bearer(c[3].token)).send({ itemId, group: 'B', reason: '' });
      expect(blank.status).toBe(400);
      const o4 = await t
        .http()
        .post(url)
        .set(bearer(c[3].token))
        .send({ itemId, group: 'B', reason: 'c1 cannot make it at 0.10', attachment: 'cost-study.pdf' });
      expect(o4.status).toBe(201);
      expect(o4.body).toMatchObject({ itemId, group: 'B', supplierId: c[3].orgId, status: 'OPEN', attachment: 'cost-study.pdf' });
      objectionByC4 = o4.body.id;
      const o3 = await t.http().post(url).set(bearer(c[2].token)).send({ itemId, group: 'B', reason: 'c2 product lacks the GMP certificate' });
      expect(o3.status).toBe(201);
      objectionByC3 = o3.body.id;
      // A supplier sees its own objections; admins see all.
      expect((await t.http().get(url).set(bearer(c[3].token))).body.items.map((o: any) => o.id)).toEqual([objectionByC4]);
      expect((await t.http().get(url).set(bearer(c[1].token))).body.items).toEqual([]);
      expect((await t.http().get(url).set(admin())).body.total).toBe(2);
      expect((await t.http().get(url).set(bearer(hospital.token))).status).toBe(403);
    });

    it('takes the cost statement of the flagged bid from its own supplier only', async () => {
      const other = await t.http().post(`/api/v1/bids/${c[0].bidId}/cost-statement`).set(bearer(c[1].token)).send({ statement: 'x' });
      expect(other.status).toBe(404);
      const notFlagged = await t.http().post(`/api/v1/bids/${c[1].bidId}/cost-statement`).set(bearer(c[1].token)).send({ statement: 'x' });
      expect(notFlagged.status).toBe(404);
      const own = await t.http().post(`/api/v1/bids/${c[0].bidId}/cost-statement`).set(bearer(c[0].token)).send({ statement: 'API made in-house' });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ status: 'STATEMENT_SUBMITTED', statement: 'API made in-house' });
      // Other suppliers see flags only through the results, without the statement.
      expect((await t.http().get(`/api/v1/batches/${batchId}/abnormal-low-bids`).set(bearer(c[3].token))).body.items).toEqual([]);
      expect((await t.http().get(`/api/v1/batches/${batchId}/abnormal-low-bids`).set(admin())).body.items[0].statement).toBe('API made in-house');
    });

    it('after publicity: no new objection; the award waits for every answer and decision', async () => {
      t.clock.advance(3 * 24 * 3600_000);
      const late = await t.http().post(`/api/v1/batches/${batchId}/objections`).set(bearer(c[3].token)).send({ itemId, group: 'B', reason: 'late' });
      expect([late.status, late.body.code]).toEqual([409, 'NOT_IN_PUBLICITY']);
      const lateStatement = await t.http().post(`/api/v1/bids/${c[0].bidId}/cost-statement`).set(bearer(c[0].token)).send({ statement: 'more' });
      expect([lateStatement.status, lateStatement.body.code]).toEqual([409, 'NOT_IN_PUBLICITY']);
      const award = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
      expect([award.status, award.body.code]).toEqual([409, 'OBJECTIONS_OPEN']);
      expect(award.body.details.map((d: any) => d.field)).toEqual([`objections[${objectionByC4}]`, `objections[${objectionByC3}]`]);
    });

    it('answers: a dismissal changes nothing; an upheld objection rules c2 invalid and re-evaluates the item × group', async () => {
      const answer = (id: number, body: object) => t.http().post(`/api/v1/objections/${id}/answer`).set(admin()).send(body);
      expect(
        (await t.http().post(`/api/v1/objections/${objectionByC4}/answer`).set(bearer(c[0].token)).send({ decision: 'DISMISSED', reason: 'x' })).status,
      ).toBe(403);
      expect((await answer(objectionByC4, { decision: 'DISMISSED', reason: 'x', bidId: c[0].bidId })).status).toBe(400);
      const dismissed = await answer(objectionByC4, { decision: 'DISMISSED', reason: 'the cost statement is under review' });
      expect(dismissed.status).toBe(200);
      expect(dismissed.body).toMatchObject({ status: 'DISMISSED', answerReason: 'the cost statement is under review', ruling: null });
      expect((await answer(objectionByC4, { decision: 'DISMISSED', reason: 'again' })).status).toBe(409);
      const noBid = await answer(objectionByC3, { decision: 'UPHELD', reason: 'x', ruleInvalid: true });
      expect([noBid.status, noBid.body.details[0].field]).toEqual([400, 'bidId']);
      const outsideBid = await answer(objectionByC3, { decision: 'UPHELD', reason: 'x', bidId: 987654, ruleInvalid: true });
      expect(outsideBid.status).toBe(400);
      const upheld = await answer(objectionByC3, { decision: 'UPHELD', reason: 'no GMP certificate', bidId: c[1].bidId, ruleInvalid: true });
      expect(upheld.status).toBe(200);
      expect(upheld.body).toMatchObject({ status: 'UPHELD', ruling: { bidId: c[1].bidId, invalid: true } });
      // Re-evaluation without c2: c1 0.1000, c3 0.2600, c4 0.4000; n = 3 → 2 winners.
      // PS = 100 × 0.1 / UCP: 100.0000, 38.4615, 25.0000. Gates: 0.18 (c1), 0.2723 (c3), c4 fails.
      const r = await resultsB(t.adminToken);
      expect(r.g.bids.map((x: any) => [x.bidId, x.priceScore, x.gatePassedBy, x.winner])).toEqual([
        [c[0].bidId, '100.0000', 'RATIO', true],
        [c[2].bidId, '38.4615', 'REDUCTION', true],
        [c[3].bidId, '25.0000', null, false],
      ]);
      expect(r.g.ruledInvalid).toEqual([expect.objectContaining({ bidId: c[1].bidId, source: 'OBJECTION', sourceId: objectionByC3 })]);
      const award = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
      expect([award.status, award.body.code]).toEqual([409, 'COST_STATEMENTS_OPEN']);
    });

    it('rules the abnormally low bid invalid: re-evaluation, then the award goes through', async () => {
      const decide = (body: object, token = t.adminToken) => t.http().post(`/api/v1/bids/${c[0].bidId}/cost-statement/decision`).set(bearer(token)).send(body);
      expect((await decide({ decision: 'RULED_INVALID', reason: 'x' }, c[0].token)).status).toBe(403);
      expect((await decide({ decision: 'MAYBE', reason: 'x' })).status).toBe(400);
      const ruled = await decide({ decision: 'RULED_INVALID', reason: 'below the cost of the API' });
      expect(ruled.status).toBe(200);
      expect(ruled.body.status).toBe('RULED_INVALID');
      // Without c1 and c2: c3 0.2600, c4 0.4000; n = 2 → 2 winners; minUCP 0.2600.
      // PS: 100.0000 and 100 × 0.26 / 0.4 = 65.0000. Ratio bound 1.8 × 0.26 = 0.468 ≥ 0.4000: both pass.
      // Median (0.26 + 0.40) / 2 = 0.3300, 0.5 × 0.33 = 0.165: nothing new is flagged.
      const r = await resultsB(t.adminToken);
      expect(r.g.bids.map((x: any) => [x.bidId, x.priceScore, x.gatePassedBy, x.winner, x.abnormalLow])).toEqual([
        [c[2].bidId, '100.0000', 'RATIO', true, null],
        [c[3].bidId, '65.0000', 'RATIO', true, null],
      ]);
      expect(r.g.ruledInvalid.map((x: any) => [x.bidId, x.source])).toEqual([
        [c[0].bidId, 'ABNORMAL_LOW'],
        [c[1].bidId, 'OBJECTION'],
      ]);
      expect((await decide({ decision: 'ACCEPTED', reason: 'again' })).status).toBe(409);
      const award = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
      expect(award.status).toBe(200);
      const winners = await t.http().get(`/api/v1/batches/${batchId}/results`).set(bearer(hospital.token));
      expect(winners.body.items.find((x: any) => x.group === 'B').winners).toEqual([c[2].bidId, c[3].bidId]);
      // A supplier's results show its own objections only; a hospital's none.
      expect((await resultsB(c[3].token)).g.objections.map((o: any) => o.id)).toEqual([objectionByC4]);
      expect((await resultsB(hospital.token)).g.objections).toEqual([]);
      expect((await resultsB(t.adminToken)).g.objections.map((o: any) => [o.id, o.status])).toEqual([
        [objectionByC4, 'DISMISSED'],
        [objectionByC3, 'UPHELD'],
      ]);
    });

    it('audits every change and writes it all into results.xlsx', async () => {
      const audit = await t.http().get(`/api/v1/audit?entity=objection&entityId=${objectionByC3}`).set(admin());
      expect(audit.body.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['objection.file', 'objection.answer']));
      const bidAudit = await t.http().get(`/api/v1/audit?entity=bid&entityId=${c[0].bidId}`).set(admin());
      expect(bidAudit.body.items.map((e: any) => e.action)).toEqual(
        expect.arrayContaining(['bid.cost-statement', 'bid.cost-statement.decide', 'bid.ruled-invalid']),
      );
      const batchAudit = await t.http().get(`/api/v1/audit?entity=batch&entityId=${batchId}`).set(admin());
      expect(batchAudit.body.items.filter((e: any) => e.action === 'evaluation.reevaluate')).toHaveLength(2);
      const rows = (await xlsxRows(`/api/v1/batches/${batchId}/results.xlsx`, t.adminToken)).filter((r) => r.group === 'B');
      expect(rows.map((r) => [r.bidId, r.winner ?? '', r.ruledInvalid ?? '', r.objections])).toEqual([
        [c[2].bidId, 'YES', '', `${objectionByC4}:DISMISSED; ${objectionByC3}:UPHELD`],
        [c[3].bidId, 'YES', '', `${objectionByC4}:DISMISSED; ${objectionByC3}:UPHELD`],
        [c[0].bidId, '', 'ABNORMAL_LOW', `${objectionByC4}:DISMISSED; ${objectionByC3}:UPHELD`],
        [c[1].bidId, '', 'OBJECTION', `${objectionByC4}:DISMISSED; ${objectionByC3}:UPHELD`],
      ]);
    });
  });

  it("15.7 term by winners: agreements end by their item × group's winners, prepayment years follow them", async () => {
    // Price only, no publicity (award at once), national termByWinners; agreementMonths 12, start 2027-01-01.
    const b = await publishedBatch(t, {
      rules: {
        priceWeight: '100',
        technicalWeight: '0',
        publicityDays: 0,
        termByWinners: [
          { winners: 1, months: 12 },
          { winners: 2, months: 24 },
          { winners: 4, months: 36 },
        ],
      },
    });
    // Group A: one originator at 2.00/10 = 0.2000 → 1 winner → 12 months.
    // Group B: 1.00/10 = 0.1000 and 1.50/10 = 0.1500 (≤ 1.8 × 0.1 = 0.18) → 2 winners → 24 months.
    const x = await supplierWithProduct(t, { strength: '2.5', packSize: 10, tier: 'ORIGINATOR' });
    const y = await supplierWithProduct(t, { strength: '2.5', packSize: 10 });
    const z = await supplierWithProduct(t, { strength: '2.5', packSize: 10 });
    await bid(t, x.token, b.batchId, { itemId: b.itemId, productId: x.productId, packPrice: '2.00', supplyCapacity: 100000 });
    const yBid = await bid(t, y.token, b.batchId, { itemId: b.itemId, productId: y.productId, packPrice: '1.00', supplyCapacity: 100000 });
    await bid(t, z.token, b.batchId, { itemId: b.itemId, productId: z.productId, packPrice: '1.50', supplyCapacity: 100000 });
    const h = await createOrgUser(t, 'HOSPITAL');
    for (const [group, quantity] of [
      ['A', 1000],
      ['B', 2000],
    ] as const) {
      const d = await t.http().put(`/api/v1/batches/${b.batchId}/items/${b.itemId}/demand`).set(bearer(h.token)).send({ group, quantity });
      expect(d.status).toBe(200);
    }
    await openBids(t, b.batchId, b.openingAt);
    expect((await evaluate(t, b.batchId)).state).toBe('completed');
    expect((await t.http().post(`/api/v1/batches/${b.batchId}/award`).set(admin())).status).toBe(200);
    const alloc = await t.http().post(`/api/v1/batches/${b.batchId}/allocate`).set(admin());
    expect((await waitForJob(t, t.adminToken, alloc.body.jobId)).state).toBe('completed');
    // A: k = 1 → 0.50 × 1000 = 500 units × 0.2000 = 100.00. B: k = 2 → 0.60 × 2000 = 1200 units, all from
    // the first in rank order (y, PS 100.0000) × 0.1000 = 120.00.
    const list = await t.http().get(`/api/v1/batches/${b.batchId}/agreements`).set(bearer(h.token));
    expect(list.body.items.map((a: any) => [a.group, a.bidId === yBid.id || a.group === 'A', a.units, a.amount, a.termMonths, a.endsAt])).toEqual([
      ['A', true, 500, '100.00', 12, '2028-01-01T00:00:00.000Z'],
      ['B', true, 1200, '120.00', 24, '2029-01-01T00:00:00.000Z'],
    ]);
    for (const a of list.body.items) expect((await t.http().post(`/api/v1/agreements/${a.id}/confirm`).set(bearer(h.token))).status).toBe(200);
    expect((await t.http().post(`/api/v1/batches/${b.batchId}/activate`).set(admin())).status).toBe(200);
    // Year 1: 0.30 × (100.00 + 120.00) = 66.00 on 2027-01-01; year 2: only B is in force: 0.30 × 120.00 = 36.00 on 2028-01-01.
    const pre = await t.http().get(`/api/v1/prepayments?batchId=${b.batchId}`).set(admin());
    expect(pre.body.items.map((p: any) => [p.year, p.amount, p.dueDate])).toEqual([
      [1, '66.00', '2027-01-01T00:00:00.000Z'],
      [2, '36.00', '2028-01-01T00:00:00.000Z'],
    ]);
  });

  describe('15.3 revival', () => {
    // The worked example of domain.md 14 with revival: winners b1 0.1189, b2 0.1176, b3 0.1500; b4 (2.5 mg × 14 at
    // 3.90, UCP 0.2786) failed every gate. Offer: the highest winning UCP 0.1500, in b4's pack:
    // 0.1500 × 1.7^log2(2.5/2.5) × 14 = 2.10.
    async function example() {
      const b = await publishedBatch(t, { rules: { revival: 'ACCEPT_HIGHEST_WINNING_PRICE', publicityDays: 0 } });
      const ids: Record<string, { bidId: number; token: string }> = {};
      for (const row of WORKED_EXAMPLE) {
        const s = await supplierWithProduct(t, { strength: row.strength, packSize: row.packSize });
        const r = await bid(t, s.token, b.batchId, { itemId: b.itemId, productId: s.productId, packPrice: row.packPrice, supplyCapacity: 20000 });
        ids[row.key] = { bidId: r.id, token: s.token };
      }
      await openBids(t, b.batchId, b.openingAt);
      await scoreAll(
        t,
        WORKED_EXAMPLE.map((w) => ({ bidId: ids[w.key].bidId, ts: w.ts })),
      );
      expect((await evaluate(t, b.batchId)).state).toBe('completed');
      return { batchId: b.batchId, ids };
    }

    it('offers b4 2.10 per pack until the deadline; accepted, it joins the winners after b1, b2, b3 at that price', async () => {
      const { batchId, ids } = await example();
      const res = await t.http().get(`/api/v1/batches/${batchId}/results`).set(bearer(ids.b4.token));
      const g = res.body.items.find((x: any) => x.group === 'B');
      expect(g.bids.map((x: any) => [x.bidId, x.revival?.offerPackPrice ?? null])).toEqual([
        [ids.b1.bidId, null],
        [ids.b2.bidId, null],
        [ids.b3.bidId, null],
        [ids.b4.bidId, '2.10'],
      ]);
      const evaluatedAt = new Date((await t.http().get(`/api/v1/batches/${batchId}`).set(admin())).body.evaluatedAt);
      expect(g.bids[3].revival).toMatchObject({
        offerUcp: '0.1500',
        status: 'PENDING',
        deadline: new Date(evaluatedAt.getTime() + 48 * 3600_000).toISOString(),
      });
      const early = await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin());
      expect([early.status, early.body.code]).toEqual([409, 'REVIVAL_OFFERS_OPEN']);
      expect((await t.http().post(`/api/v1/bids/${ids.b4.bidId}/revival`).set(bearer(ids.b1.token)).send({ accept: true })).status).toBe(404);
      expect((await t.http().post(`/api/v1/bids/${ids.b1.bidId}/revival`).set(bearer(ids.b1.token)).send({ accept: true })).status).toBe(404);
      expect((await t.http().post(`/api/v1/bids/${ids.b4.bidId}/revival`).set(bearer(ids.b4.token)).send({ accept: 'yes' })).status).toBe(400);
      const ok = await t.http().post(`/api/v1/bids/${ids.b4.bidId}/revival`).set(bearer(ids.b4.token)).send({ accept: true });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'ACCEPTED', offerPackPrice: '2.10' });
      const again = await t.http().post(`/api/v1/bids/${ids.b4.bidId}/revival`).set(bearer(ids.b4.token)).send({ accept: false });
      expect([again.status, again.body.code]).toEqual([409, 'REVIVAL_CLOSED']);
      expect((await t.http().get(`/api/v1/batches/${batchId}/revival-offers`).set(bearer(ids.b1.token))).body.items).toEqual([]);
      expect((await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin())).status).toBe(200);
      const ds = t.app.get(DataSource);
      const winners = await ds.query('SELECT bid_id, award_price, award_unit_price, revived FROM winners WHERE batch_id = ? ORDER BY revived, `rank`', [
        batchId,
      ]);
      expect(winners.map((w: any) => [w.bid_id, w.award_price, w.award_unit_price, Number(w.revived)])).toEqual([
        [ids.b1.bidId, '3.33', '0.1189', 0],
        [ids.b2.bidId, '5.60', '0.1176', 0],
        [ids.b3.bidId, '1.05', '0.1500', 0],
        [ids.b4.bidId, '2.10', '0.1500', 1],
      ]);
      const audit = await t.http().get(`/api/v1/audit?entity=bid&entityId=${ids.b4.bidId}`).set(admin());
      expect(audit.body.items.map((e: any) => e.action)).toContain('bid.revival.answer');
      const rows = await xlsxRows(`/api/v1/batches/${batchId}/results.xlsx`, t.adminToken);
      expect(rows.find((r) => r.bidId === ids.b4.bidId)?.revival).toBe('ACCEPTED 2.10 (0.1500)');
    });

    it('an unanswered offer lapses at its deadline; the award then goes through without it', async () => {
      const { batchId, ids } = await example();
      t.clock.advance(48 * 3600_000);
      const late = await t.http().post(`/api/v1/bids/${ids.b4.bidId}/revival`).set(bearer(ids.b4.token)).send({ accept: true });
      expect([late.status, late.body.code]).toEqual([409, 'REVIVAL_CLOSED']);
      expect((await t.http().post(`/api/v1/batches/${batchId}/award`).set(admin())).status).toBe(200);
      const offers = await t.http().get(`/api/v1/batches/${batchId}/revival-offers`).set(admin());
      expect(offers.body.items.map((o: any) => [o.bidId, o.status])).toEqual([[ids.b4.bidId, 'LAPSED']]);
      const ds = t.app.get(DataSource);
      expect((await ds.query('SELECT COUNT(*) AS n FROM winners WHERE batch_id = ?', [batchId]))[0].n).toBe(3);
    });
  });
});
