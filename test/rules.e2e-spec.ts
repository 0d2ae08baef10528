import ExcelJS from 'exceljs';
import { bearer, createTestApp, TestApp } from './helpers/test-app';
import { bid, evaluate, openBids, publishedBatch, supplierWithProduct } from './helpers/round';

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
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const rows: Record<string, unknown>[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
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
        [ids[0], 'RATIO', '0.1201', '0.2600'],
        [ids[1], 'RATIO', '0.1201', '0.2600'],
        [ids[2], 'FLOOR', '0.1201', '0.2600'],
        [ids[3], 'FAILED', '0.1201', '0.2600'],
      ]);
    });
  });
});
