import { DataSource } from 'typeorm';
import ExcelJS from 'exceljs';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { bid, evaluate, openBids, publishedBatch, scoreAll, supplierWithProduct, WORKED_EXAMPLE, workedExampleOpened } from './helpers/round';

describe('evaluation, ranking, gates and award (e2e)', () => {
  let t: TestApp;
  const admin = () => bearer(t.adminToken);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  describe('the worked example of domain.md section 14', () => {
    let round: Awaited<ReturnType<typeof workedExampleOpened>>;
    let hospital: { token: string };
    let fund: { token: string };

    beforeAll(async () => {
      round = await workedExampleOpened(t);
      hospital = await createOrgUser(t, 'HOSPITAL');
      fund = await createOrgUser(t, 'FUND');
    });

    it('refuses evaluation while a valid bid lacks a technical score (422 TECHNICAL_SCORES_MISSING)', async () => {
      await scoreAll(t, round.bids.slice(0, 3));
      const res = await t.http().post(`/api/v1/batches/${round.batchId}/evaluate`).set(admin());
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('TECHNICAL_SCORES_MISSING');
      expect(res.body.details.map((d: { message: string }) => d.message).join()).toContain(String(round.bids[3].bidId));
    });

    it('checks criteria against their maxima and the technical weight', async () => {
      const over = await t
        .http()
        .put(`/api/v1/bids/${round.bids[3].bidId}/technical-score`)
        .set(admin())
        .send({ criteria: [{ name: 'a', points: '11', maxPoints: '10' }] });
      expect(over.status).toBe(400);
      const total = await t
        .http()
        .put(`/api/v1/bids/${round.bids[3].bidId}/technical-score`)
        .set(admin())
        .send({
          criteria: [
            { name: 'a', points: '25', maxPoints: '25' },
            { name: 'b', points: '16', maxPoints: '20' },
          ],
        }); // 41 > 40
      expect(total.status).toBe(400);
      const ok = await t
        .http()
        .put(`/api/v1/bids/${round.bids[3].bidId}/technical-score`)
        .set(admin())
        .send({
          criteria: [
            { name: 'a', points: '25', maxPoints: '25' },
            { name: 'b', points: '14', maxPoints: '15' },
          ],
        }); // 39
      expect(ok.status).toBe(200);
      expect(ok.body.technicalScore).toBe('39.0000');
    });

    it('is admin-only to score and evaluate', async () => {
      for (const token of [round.bids[0].supplier.token, hospital.token, fund.token]) {
        const s = await t.http().put(`/api/v1/bids/${round.bids[0].bidId}/technical-score`).set(bearer(token)).send({ criteria: [] });
        expect(s.status).toBe(403);
        const e = await t.http().post(`/api/v1/batches/${round.batchId}/evaluate`).set(bearer(token));
        expect(e.status).toBe(403);
        const a = await t.http().post(`/api/v1/batches/${round.batchId}/award`).set(bearer(token));
        expect(a.status).toBe(403);
      }
    });

    it('scores, ranks and gates exactly as the table: b1, b2, b3 pass the gates and win; b4 fails them', async () => {
      const job = await evaluate(t, round.batchId);
      expect(job.state).toBe('completed');
      const res = await t.http().get(`/api/v1/batches/${round.batchId}/results`).set(admin());
      expect(res.status).toBe(200);
      const groupB = res.body.items.find((g: { group: string }) => g.group === 'B');
      const id = (k: string) => round.bids.find((b) => b.key === k)!.bidId;
      // PS = 60 × 0.1176 / UCP (4 dp); CS = TS + PS:
      //   b1: 60 × 0.1176 / 0.1189 = 59.34398… → 59.3440; 35.5 + 59.3440 = 94.8440
      //   b2: 60 × 0.1176 / 0.1176 = 60.0000;            30 + 60 = 90.0000
      //   b3: 60 × 0.1176 / 0.1500 = 47.0400;            38 + 47.04 = 85.0400
      //   b4: 60 × 0.1176 / 0.2786 = 25.32663… → 25.3266; 39 + 25.3266 = 64.3266
      expect(groupB.bids.map((b: any) => [b.bidId, b.unitComparablePrice, b.priceScore, b.compositeScore, b.rank, b.gated, b.winner])).toEqual([
        // gated: passes the price gates ("the first maxWinners(n) gated bids" win, domain.md 5)
        [id('b1'), '0.1189', '59.3440', '94.8440', 1, true, true],
        [id('b2'), '0.1176', '60.0000', '90.0000', 2, true, true],
        [id('b3'), '0.1500', '47.0400', '85.0400', 3, true, true],
        // 0.2786 > 1.8 × 0.1176 = 0.21168, > 0.5 × 0.5446 = 0.2723, > 0.1000: fails every gate
        [id('b4'), '0.2786', '25.3266', '64.3266', 4, false, false],
      ]);
      expect(groupB.winners).toEqual([id('b1'), id('b2'), id('b3')]);
      expect(groupB.bids[0]).toMatchObject({
        packPrice: '3.33',
        technicalScore: '35.5000',
        supplierId: round.bids[0].supplier.orgId,
        productId: round.bids[0].supplier.productId,
      });
      // Group A had no bid: flagged 流标, no winner.
      const groupA = res.body.items.find((g: { group: string }) => g.group === 'A');
      expect(groupA).toMatchObject({ noBid: true, bids: [], winners: [] });
      const again = await t.http().post(`/api/v1/batches/${round.batchId}/evaluate`).set(admin());
      expect(again.status).toBe(409);
    });

    it('shows results to admins after evaluation, to the bidders during publicity (domain.md 15.4), to others only after award', async () => {
      const bidder = await t.http().get(`/api/v1/batches/${round.batchId}/results`).set(bearer(round.bids[3].supplier.token));
      expect(bidder.status).toBe(200);
      expect(bidder.body.items.find((g: { group: string }) => g.group === 'B').bids).toHaveLength(4);
      const outsider = await createOrgUser(t, 'SUPPLIER');
      for (const token of [outsider.token, hospital.token, fund.token]) {
        expect((await t.http().get(`/api/v1/batches/${round.batchId}/results`).set(bearer(token))).status).toBe(403);
      }
      expect((await t.http().get(`/api/v1/batches/${round.batchId}/results.xlsx`).set(bearer(fund.token))).status).toBe(403);
    });

    it('awards: fixes award prices, sets payment standards, publishes results to every role', async () => {
      // Default publicityDays 3 (domain.md 15.4): the award waits for the end of publicity.
      const early = await t.http().post(`/api/v1/batches/${round.batchId}/award`).set(admin());
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('PUBLICITY_NOT_OVER');
      t.clock.advance(3 * 24 * 3600_000);
      const res = await t.http().post(`/api/v1/batches/${round.batchId}/award`).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('AWARDED');
      for (const token of [round.bids[0].supplier.token, hospital.token, fund.token]) {
        const r = await t.http().get(`/api/v1/batches/${round.batchId}/results`).set(bearer(token));
        expect(r.status).toBe(200);
        expect(r.body.items.find((g: { group: string }) => g.group === 'B').winners).toHaveLength(3);
      }
      const ds = t.app.get(DataSource);
      const winners = await ds.query(
        'SELECT bid_id, award_price, award_unit_price, supply_capacity, measure_units_per_pack FROM winners WHERE batch_id = ? ORDER BY `rank`',
        [round.batchId],
      );
      expect(winners.map((w: any) => [w.award_price, w.award_unit_price, w.measure_units_per_pack])).toEqual([
        ['3.33', '0.1189', 28], // 28 × 2.5 / 2.5
        ['5.60', '0.1176', 56], // 28 × 5 / 2.5
        ['1.05', '0.1500', 7],
      ]);
      // Section 9, ITEM_HIGHEST: the highest award UCP among the winners, 0.1500, for both groups.
      const std = await ds.query('SELECT group_name, standard_unit_price FROM payment_standards WHERE batch_id = ? ORDER BY group_name', [round.batchId]);
      expect(std).toEqual([
        { group_name: 'A', standard_unit_price: '0.1500' },
        { group_name: 'B', standard_unit_price: '0.1500' },
      ]);
      const again = await t.http().post(`/api/v1/batches/${round.batchId}/award`).set(admin());
      expect(again.status).toBe(409);
    });

    it('exports the results spreadsheet for admin and fund', async () => {
      const res = await t
        .http()
        .get(`/api/v1/batches/${round.batchId}/results.xlsx`)
        .set(bearer(fund.token))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      const ws = wb.getWorksheet('Results')!;
      // The export convention: Chinese headers, then the API's field names; ids beside names; numbers as numbers.
      const labels = (ws.getRow(1).values as unknown[]).slice(1);
      const header = (ws.getRow(2).values as unknown[]).slice(1);
      expect(labels).toEqual(expect.arrayContaining(['品种ID', '通用名', '供应商ID', '供应商', '产品ID', '产品', '申报价（元/包装）', '综合得分']));
      expect(header).toEqual(
        expect.arrayContaining([
          'itemId',
          'genericName',
          'bidId',
          'supplierId',
          'supplierName',
          'productId',
          'productName',
          'packPrice',
          'unitComparablePrice',
          'technicalScore',
          'priceScore',
          'compositeScore',
          'rank',
          'gated',
          'winner',
        ]),
      );
      const rows: Record<string, unknown>[] = [];
      ws.eachRow((row, n) => {
        if (n > 2) rows.push(Object.fromEntries(header.map((h, i) => [String(h), (row.values as unknown[])[i + 1]])));
      });
      const bids = rows.filter((r) => r.bidId !== undefined);
      // Exact values as numeric cells, so SUM works: 94.8440 is the number 94.844.
      expect(bids.map((r) => r.compositeScore)).toEqual(WORKED_EXAMPLE.map((w) => Number(w.cs)));
      expect(bids.map((r) => r.packPrice)).toEqual(WORKED_EXAMPLE.map((w) => Number(w.packPrice)));
      expect(bids.map((r) => r.unitComparablePrice)).toEqual(WORKED_EXAMPLE.map((w) => Number(w.ucp)));
      for (const r of bids) {
        expect(typeof r.supplierName).toBe('string');
        expect(String(r.productName)).toContain(String(r.genericName));
      }
      const [names] = await t.app
        .get(DataSource)
        .query('SELECT o.name FROM organizations o JOIN bids b ON b.supplier_id = o.id WHERE b.id = ?', [bids[0].bidId]);
      expect(bids[0].supplierName).toBe(names.name);
      const compositeCol = header.indexOf('compositeScore') + 1;
      expect(ws.getRow(3).getCell(compositeCol).numFmt).toBe('#,##0.0000');
      expect(ws.getRow(3).getCell(header.indexOf('packPrice') + 1).numFmt).toBe('#,##0.00');
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(ws.autoFilter).toBeTruthy();
      const hospitalToken = (await createOrgUser(t, 'HOSPITAL')).token;
      expect((await t.http().get(`/api/v1/batches/${round.batchId}/results.xlsx`).set(bearer(hospitalToken))).status).toBe(403);
    });
  });

  it('uses the tie-breaks: equal composite → lower UCP; equal UCP → earlier final submission', async () => {
    // Price only (technicalWeight 0): CS = PS. Two bids at the same UCP tie on CS and UCP;
    // the earlier final submission ranks first even though its bid id is higher.
    const { batchId, itemId, openingAt } = await publishedBatch(t, { rules: { priceWeight: '100', technicalWeight: '0' } });
    const late = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const early = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const first = await bid(t, late.token, batchId, { itemId, productId: late.productId, packPrice: '3.36', supplyCapacity: 100 });
    const second = await bid(t, early.token, batchId, { itemId, productId: early.productId, packPrice: '3.36', supplyCapacity: 100 });
    t.clock.advance(1000);
    // `late` replaces its bid later: its final submission is now after `early`'s.
    const replaced = await bid(t, late.token, batchId, { itemId, productId: late.productId, packPrice: '3.36', supplyCapacity: 100 });
    expect(replaced.id).toBeGreaterThan(second.id);
    expect(first.id).toBeLessThan(second.id);
    await openBids(t, batchId, openingAt);
    const job = await evaluate(t, batchId);
    expect(job.state).toBe('completed');
    const res = await t.http().get(`/api/v1/batches/${batchId}/results`).set(admin());
    const g = res.body.items.find((x: { group: string }) => x.group === 'B');
    // UCP 3.36 / 28 = 0.1200 for both; PS = 100 × 0.12 / 0.12 = 100.0000 each.
    expect(g.bids.map((b: any) => [b.bidId, b.priceScore, b.rank, b.winner])).toEqual([
      [second.id, '100.0000', 1, true],
      [replaced.id, '100.0000', 2, true],
    ]);
  });

  it('refuses evaluation of a batch that is not OPENED', async () => {
    const { batchId } = await publishedBatch(t);
    const res = await t.http().post(`/api/v1/batches/${batchId}/evaluate`).set(admin());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVALID_STATE');
    const job = await t.http().get('/api/v1/jobs/evaluation.none').set(admin());
    expect(job.status).toBe(404);
    void waitForJob;
  });
});
