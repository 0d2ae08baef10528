import { DataSource } from 'typeorm';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { API, createPublishedBatch, download, ItemSpec, LEVAMLODIPINE_ITEM, sheetsOf, TestBatchInfo, upload, workbookOf, XLSX_MIME } from './helpers/fixtures';
import { importAndWait, importJobCount, withImportsPaused, rowErrors } from './helpers/imports';

jest.setTimeout(120_000);

type Org = Awaited<ReturnType<typeof createOrgUser>>;

const AMLODIPINE: ItemSpec = {
  genericName: '苯磺酸氨氯地平',
  dosageForm: '片剂',
  representativeStrength: { value: '5', unit: 'mg' },
  ceilingUnitPrice: '0.2000',
};
const ADMIN_HEADER = ['hospitalId', 'hospitalCode', 'itemId', 'genericName', 'dosageForm', 'representativeStrength', 'group', 'quantity'];
const HOSPITAL_HEADER = ADMIN_HEADER.slice(2);
/** The templates' first header row (the export convention: Chinese over the English field names). */
const ADMIN_LABELS = ['医院ID', '医院编码', '品种ID', '通用名', '剂型', '代表品规格', '分组', '需求量'];
const HOSPITAL_LABELS = ADMIN_LABELS.slice(2);

describe('demand (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let h1: Org;
  let h2: Org;
  let h2Code: string;
  let supplier: Org;
  let fund: Org;
  let batch: TestBatchInfo;
  const demandOf = (b: number) => `${API}/batches/${b}/demand`;
  const putPath = (b: number, item: number) => `${API}/batches/${b}/items/${item}/demand`;
  const rowsIn = async (batchId: number) => Number((await ds.query('SELECT COUNT(*) AS n FROM demands WHERE batch_id = ?', [batchId]))[0].n);
  const auditActions = async (batchId: number) =>
    (await t.http().get(`${API}/audit?entity=batch&entityId=${batchId}&limit=500`).set(bearer(t.adminToken))).body.items.map(
      (a: { action: string }) => a.action,
    ) as string[];

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    h1 = await createOrgUser(t, 'HOSPITAL', '浙江大学医学院附属第一医院');
    h2 = await createOrgUser(t, 'HOSPITAL', '金华市中心医院');
    supplier = await createOrgUser(t, 'SUPPLIER');
    fund = await createOrgUser(t, 'FUND');
    h2Code = (await ds.query('SELECT code FROM organizations WHERE id = ?', [h2.orgId]))[0].code;
    batch = await createPublishedBatch(t, { items: [LEVAMLODIPINE_ITEM, AMLODIPINE] });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('PUT /batches/:id/items/:itemId/demand', () => {
    it("sets and then replaces the hospital's own demand, audited", async () => {
      const [item] = batch.itemIds;
      const first = await t.http().put(putPath(batch.id, item)).set(bearer(h1.token)).send({ group: 'B', quantity: 15001 });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ hospitalId: h1.orgId, itemId: item, group: 'B', quantity: 15001 });
      const again = await t.http().put(putPath(batch.id, item)).set(bearer(h1.token)).send({ group: 'B', quantity: 0 });
      expect(again.body.quantity).toBe(0);
      const rows = await ds.query('SELECT quantity FROM demands WHERE batch_id = ? AND hospital_id = ? AND item_id = ? AND group_name = ?', [
        batch.id,
        h1.orgId,
        item,
        'B',
      ]);
      expect(rows).toEqual([{ quantity: 0 }]); // one row, replaced
      const audit = await t.http().get(`${API}/audit?entity=batch&entityId=${batch.id}`).set(bearer(t.adminToken));
      expect(audit.body.items[0]).toMatchObject({
        action: 'demand.set',
        data: { hospitalId: h1.orgId, itemId: item, group: 'B', quantity: 0, previous: 15001 },
      });
    });

    it("refuses a group that is not one of the batch rules' groups (400), bad quantities (400), unknown item or batch (404)", async () => {
      const [item] = batch.itemIds;
      const before = await rowsIn(batch.id);
      const bad = await t.http().put(putPath(batch.id, item)).set(bearer(h1.token)).send({ group: 'C', quantity: 10 });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'group', message: 'must be one of A, B' }] });
      for (const quantity of [-1, 1.5, '10', null]) {
        const res = await t.http().put(putPath(batch.id, item)).set(bearer(h1.token)).send({ group: 'A', quantity });
        expect([quantity, res.status, res.body.details?.[0]?.field]).toEqual([quantity, 400, 'quantity']);
      }
      const other = await createPublishedBatch(t, { items: [AMLODIPINE] });
      expect((await t.http().put(putPath(batch.id, other.itemIds[0])).set(bearer(h1.token)).send({ group: 'A', quantity: 1 })).status).toBe(404);
      expect((await t.http().put(putPath(999999, item)).set(bearer(h1.token)).send({ group: 'A', quantity: 1 })).status).toBe(404);
      expect(await rowsIn(batch.id)).toBe(before);
    });

    it('uses the groups of the batch rules (one group of all tiers)', async () => {
      const single = await createPublishedBatch(t, { rules: { groups: { ALL: ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'] } } });
      expect((await t.http().put(putPath(single.id, single.itemIds[0])).set(bearer(h1.token)).send({ group: 'ALL', quantity: 5 })).status).toBe(200);
      const b = await t.http().put(putPath(single.id, single.itemIds[0])).set(bearer(h1.token)).send({ group: 'B', quantity: 5 });
      expect(b.body.details).toEqual([{ field: 'group', message: 'must be one of ALL' }]);
    });

    it('accepts demand on a DRAFT batch; refuses a cancelled one with 409 INVALID_STATE', async () => {
      const draft = await createPublishedBatch(t, { publish: false });
      expect((await t.http().put(putPath(draft.id, draft.itemIds[0])).set(bearer(h2.token)).send({ group: 'A', quantity: 7 })).status).toBe(200);
      expect((await t.http().post(`${API}/batches/${draft.id}/cancel`).set(bearer(t.adminToken))).status).toBe(200);
      const res = await t.http().put(putPath(draft.id, draft.itemIds[0])).set(bearer(h2.token)).send({ group: 'A', quantity: 8 });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_STATE');
      const imp = await upload(
        t,
        h2.token,
        `${demandOf(draft.id)}/import`,
        await workbookOf({ D: [HOSPITAL_HEADER, [draft.itemIds[0], null, null, null, 'A', 9]] }),
      );
      expect([imp.status, imp.body.code]).toEqual([409, 'INVALID_STATE']);
      expect(await ds.query('SELECT quantity FROM demands WHERE batch_id = ?', [draft.id])).toEqual([{ quantity: 7 }]);
    });

    it('refuses late demand with 409 BIDDING_CLOSED once the server clock reaches biddingClosesAt', async () => {
      const late = await createPublishedBatch(t);
      const item = late.itemIds[0];
      t.clock.set(new Date(late.biddingClosesAt.getTime() - 60_000));
      expect((await t.http().put(putPath(late.id, item)).set(bearer(h1.token)).send({ group: 'A', quantity: 1 })).status).toBe(200);
      try {
        t.clock.set(late.biddingClosesAt);
        const res = await t.http().put(putPath(late.id, item)).set(bearer(h1.token)).send({ group: 'A', quantity: 2 });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('BIDDING_CLOSED');
        const imp = await upload(t, h1.token, `${demandOf(late.id)}/import`, await workbookOf({ D: [HOSPITAL_HEADER, [item, null, null, null, 'A', 3]] }));
        expect([imp.status, imp.body.code]).toEqual([409, 'BIDDING_CLOSED']);
      } finally {
        t.clock.reset();
      }
      expect(await ds.query('SELECT quantity FROM demands WHERE batch_id = ?', [late.id])).toEqual([{ quantity: 1 }]);
    });

    it('refuses every role but hospital (403) and no token (401)', async () => {
      const [item] = batch.itemIds;
      for (const who of [{ token: t.adminToken }, supplier, fund]) {
        const res = await t.http().put(putPath(batch.id, item)).set(bearer(who.token)).send({ group: 'A', quantity: 1 });
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      expect((await t.http().put(putPath(batch.id, item)).send({ group: 'A', quantity: 1 })).status).toBe(401);
    });
  });

  describe('GET /batches/:id/demand', () => {
    let listed: TestBatchInfo;
    beforeAll(async () => {
      listed = await createPublishedBatch(t, { items: [LEVAMLODIPINE_ITEM, AMLODIPINE] });
      const [i1, i2] = listed.itemIds;
      for (const [who, item, group, quantity] of [
        [h1, i1, 'A', 10],
        [h1, i2, 'B', 20],
        [h2, i1, 'A', 30],
        [h2, i1, 'B', 40],
      ] as const) {
        const res = await t.http().put(putPath(listed.id, item)).set(bearer(who.token)).send({ group, quantity });
        expect(res.status).toBe(200);
      }
    });

    it('shows a hospital only its own demand', async () => {
      const [i1, i2] = listed.itemIds;
      const own = await t.http().get(demandOf(listed.id)).set(bearer(h1.token));
      expect(own.status).toBe(200);
      expect(own.body).toEqual({
        items: [
          { hospitalId: h1.orgId, itemId: i1, group: 'A', quantity: 10 },
          { hospitalId: h1.orgId, itemId: i2, group: 'B', quantity: 20 },
        ],
        total: 2,
      });
      const asking = await t.http().get(demandOf(listed.id)).query({ hospitalId: h2.orgId }).set(bearer(h1.token));
      expect(asking.body).toEqual({ items: [], total: 0 });
    });

    it('shows an admin everybody, with filters and pages', async () => {
      const [i1] = listed.itemIds;
      const all = await t.http().get(demandOf(listed.id)).set(bearer(t.adminToken));
      expect(all.body.total).toBe(4);
      expect(all.body.items.map((d: { quantity: number }) => d.quantity)).toEqual([10, 20, 30, 40]);
      const h2only = await t.http().get(demandOf(listed.id)).query({ hospitalId: h2.orgId, group: 'B' }).set(bearer(t.adminToken));
      expect(h2only.body).toEqual({ items: [{ hospitalId: h2.orgId, itemId: i1, group: 'B', quantity: 40 }], total: 1 });
      const page = await t.http().get(demandOf(listed.id)).query({ itemId: i1, limit: 1, offset: 1 }).set(bearer(t.adminToken));
      expect(page.body).toEqual({ items: [{ hospitalId: h2.orgId, itemId: i1, group: 'A', quantity: 30 }], total: 3 });
      expect((await t.http().get(demandOf(999999)).set(bearer(t.adminToken))).status).toBe(404);
    });

    it('refuses suppliers and the fund (403) and no token (401)', async () => {
      for (const who of [supplier, fund]) {
        const res = await t.http().get(demandOf(listed.id)).set(bearer(who.token));
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      expect((await t.http().get(demandOf(listed.id))).status).toBe(401);
    });
  });

  describe('GET /batches/:id/demand/template.xlsx', () => {
    it('gives a hospital a row per item × group with its current quantities', async () => {
      const b = await createPublishedBatch(t, { items: [LEVAMLODIPINE_ITEM, AMLODIPINE] });
      const [i1, i2] = b.itemIds;
      await t.http().put(putPath(b.id, i2)).set(bearer(h1.token)).send({ group: 'A', quantity: 123 });
      const res = await download(t, h1.token, `${demandOf(b.id)}/template.xlsx`);
      expect(res.status).toBe(200);
      expect(res.type).toBe(XLSX_MIME);
      expect(res.disposition).toContain(`filename="demand-template-batch-${b.id}.xlsx"`);
      const sheets = await sheetsOf(res.body);
      expect(Object.keys(sheets)).toEqual(['Demand', 'Notes']);
      expect(sheets.Demand).toEqual([
        HOSPITAL_LABELS,
        HOSPITAL_HEADER,
        [i1, '马来酸左氨氯地平', '片剂', '2.5 mg', 'A'],
        [i1, '马来酸左氨氯地平', '片剂', '2.5 mg', 'B'],
        [i2, '苯磺酸氨氯地平', '片剂', '5 mg', 'A', 123],
        [i2, '苯磺酸氨氯地平', '片剂', '5 mg', 'B'],
      ]);
    });

    it('gives an admin the hospital columns to fill in; refuses suppliers and the fund', async () => {
      const res = await download(t, t.adminToken, `${demandOf(batch.id)}/template.xlsx`);
      expect(res.status).toBe(200);
      const sheets = await sheetsOf(res.body);
      expect(sheets.Demand[0]).toEqual(ADMIN_LABELS);
      expect(sheets.Demand[1]).toEqual(ADMIN_HEADER);
      expect(sheets.Demand).toHaveLength(2 + 2 * 2);
      expect(sheets.Demand[2]).toEqual([undefined, undefined, batch.itemIds[0], '马来酸左氨氯地平', '片剂', '2.5 mg', 'A']);
      for (const who of [supplier, fund]) expect((await download(t, who.token, `${demandOf(batch.id)}/template.xlsx`)).status).toBe(403);
      expect((await download(t, null, `${demandOf(batch.id)}/template.xlsx`)).status).toBe(401);
      expect((await download(t, t.adminToken, `${demandOf(999999)}/template.xlsx`)).status).toBe(404);
    });
  });

  describe('POST /batches/:id/demand/import', () => {
    it('imports a filled-in hospital template for the hospital itself, skipping blank quantities, one audit entry', async () => {
      const b = await createPublishedBatch(t, { items: [LEVAMLODIPINE_ITEM, AMLODIPINE] });
      const [i1, i2] = b.itemIds;
      await t.http().put(putPath(b.id, i2)).set(bearer(h1.token)).send({ group: 'B', quantity: 99 });
      const tpl = await download(t, h1.token, `${demandOf(b.id)}/template.xlsx`);
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(tpl.body as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('Demand')!;
      ws.getCell('F3').value = 15001; // i1 × A
      ws.getCell('F4').value = '0'; // i1 × B, typed as text
      ws.getCell('F5').value = 500; // i2 × A; i2 × B keeps 99 (prefilled)
      const auditBefore = (await auditActions(b.id)).filter((a) => a === 'demand.import').length;
      const { res, job } = await importAndWait(t, h1.token, `${demandOf(b.id)}/import`, Buffer.from(await wb.xlsx.writeBuffer()));
      expect(res.body).toEqual({ jobId: expect.stringMatching(/^imports\./), rows: 4 });
      expect(job).toMatchObject({ name: 'import-demand', state: 'completed', result: { imported: 4 } }); // the hospital reads its own job
      const other = await t.http().get(`${API}/jobs/${res.body.jobId}`).set(bearer(h2.token));
      expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']); // another hospital's job is invisible
      const list = await t.http().get(demandOf(b.id)).set(bearer(h1.token));
      expect(list.body.items).toEqual([
        { hospitalId: h1.orgId, itemId: i1, group: 'A', quantity: 15001 },
        { hospitalId: h1.orgId, itemId: i1, group: 'B', quantity: 0 },
        { hospitalId: h1.orgId, itemId: i2, group: 'A', quantity: 500 },
        { hospitalId: h1.orgId, itemId: i2, group: 'B', quantity: 99 },
      ]);
      const actions = await auditActions(b.id);
      expect(actions.filter((a) => a === 'demand.import').length).toBe(auditBefore + 1);
      expect(actions.filter((a) => a === 'demand.set').length).toBe(1); // the PUT only: no entry per row

      // Rows with only blank quantities: nothing to import, and no job.
      const jobsBefore = await importJobCount(t);
      const blank = await upload(t, h1.token, `${demandOf(b.id)}/import`, await workbookOf({ D: [HOSPITAL_HEADER, [i1, null, null, null, 'A', null]] }));
      expect(blank.status).toBe(400);
      expect(blank.body.details).toEqual([{ field: 'file', message: 'no row has a quantity' }]);
      expect(await importJobCount(t)).toBe(jobsBefore);
    });

    it('fails the job, writing nothing, when bidding closed between the request and the job (server clock)', async () => {
      const b = await createPublishedBatch(t);
      const [i1] = b.itemIds;
      const auditBefore = (await auditActions(b.id)).filter((a) => a === 'demand.import').length;
      t.clock.set(new Date(b.biddingClosesAt.getTime() - 60_000));
      try {
        const jobId = await withImportsPaused(t, async () => {
          const res = await upload(
            t,
            h1.token,
            `${demandOf(b.id)}/import`,
            await workbookOf({ D: [HOSPITAL_HEADER, [i1, null, null, null, 'A', 5], [i1, null, null, null, 'B', 6]] }),
          );
          expect([res.status, res.body.rows]).toEqual([202, 2]); // open when asked
          t.clock.set(b.biddingClosesAt);
          return res.body.jobId as string;
        });
        const job = await waitForJob(t, h1.token, jobId);
        expect(job.state).toBe('failed');
        expect(job.failedReason).toBe(`BIDDING_CLOSED: Demand is reported before bidding closes (${b.biddingClosesAt.toISOString()}); the batch is PUBLISHED`);
        expect(job.attemptsMade).toBe(1);
      } finally {
        t.clock.reset();
      }
      expect(await rowsIn(b.id)).toBe(0);
      expect((await auditActions(b.id)).filter((a) => a === 'demand.import').length).toBe(auditBefore);
    });

    it("refuses a hospital's rows for another hospital, reporting the rows, writing nothing", async () => {
      const b = await createPublishedBatch(t);
      const [i1] = b.itemIds;
      const file = await workbookOf({
        D: [
          ADMIN_HEADER,
          [h1.orgId, null, i1, null, null, null, 'A', 1],
          [h2.orgId, null, i1, null, null, null, 'B', 2],
          [null, h2Code, i1, null, null, null, 'A', 3],
        ],
      });
      const jobsBefore = await importJobCount(t);
      const res = await upload(t, h1.token, `${demandOf(b.id)}/import`, file);
      expect(res.status).toBe(400);
      expect(await importJobCount(t)).toBe(jobsBefore);
      expect(rowErrors(res.body.details)).toEqual([
        { row: 3, column: 'hospitalId', message: 'you may report only your own demand' },
        { row: 4, column: 'hospitalCode', message: 'you may report only your own demand' },
      ]);
      expect(await rowsIn(b.id)).toBe(0);
    });

    it('lets an admin import for hospitals named by id or code', async () => {
      const b = await createPublishedBatch(t, { items: [LEVAMLODIPINE_ITEM, AMLODIPINE] });
      const [i1, i2] = b.itemIds;
      const file = await workbookOf({
        D: [
          ADMIN_HEADER,
          [h1.orgId, null, i1, null, null, null, 'A', 100],
          [null, h2Code.toLowerCase(), i1, null, null, null, 'A', 200],
          [h2.orgId, h2Code, i2, null, null, null, 'B', 300],
        ],
      });
      const { res, job } = await importAndWait(t, t.adminToken, `${demandOf(b.id)}/import`, file);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ jobId: expect.any(String), rows: 3 });
      expect(job.result).toEqual({ imported: 3 });
      const all = await t.http().get(demandOf(b.id)).set(bearer(t.adminToken));
      expect(all.body.items).toEqual([
        { hospitalId: h1.orgId, itemId: i1, group: 'A', quantity: 100 },
        { hospitalId: h2.orgId, itemId: i1, group: 'A', quantity: 200 },
        { hospitalId: h2.orgId, itemId: i2, group: 'B', quantity: 300 },
      ]);
    });

    it('imports many rows in one request', async () => {
      const items = Array.from({ length: 30 }, (_, i) => ({ ...AMLODIPINE, genericName: `需求品种${i}` }));
      const b = await createPublishedBatch(t, { items });
      const more: number[] = [];
      for (let i = 0; i < 18; i++) {
        const org = await t
          .http()
          .post(`${API}/organizations`)
          .set(bearer(t.adminToken))
          .send({ name: `医院 ${i}`, code: `BULK-H-${process.pid}-${i}`, type: 'HOSPITAL', level: 'PRIMARY' });
        more.push(org.body.id);
      }
      const hospitals = [h1.orgId, h2.orgId, ...more];
      const rows = hospitals.flatMap((h, hi) => b.itemIds.flatMap((item, ii) => ['A', 'B'].map((g) => [h, null, item, null, null, null, g, hi * 1000 + ii])));
      expect(rows.length).toBe(1200); // over one INSERT chunk
      const { res, job } = await importAndWait(t, t.adminToken, `${demandOf(b.id)}/import`, await workbookOf({ D: [ADMIN_HEADER, ...rows] }));
      expect(res.body).toEqual({ jobId: expect.any(String), rows: 1200 });
      expect(job).toMatchObject({ state: 'completed', result: { imported: 1200 } });
      expect(await rowsIn(b.id)).toBe(1200);
      const [{ total }] = await ds.query('SELECT SUM(quantity) AS total FROM demands WHERE batch_id = ?', [b.id]);
      // Σ over 20 hospitals, 30 items, 2 groups of (hi × 1000 + ii) = 2 × (30 × 1000 × 190 + 20 × 435)
      expect(Number(total)).toBe(2 * (30 * 1000 * 190 + 20 * 435));
    });

    it('reports every bad row of an admin file with row and column, and writes nothing', async () => {
      const b = await createPublishedBatch(t);
      const [i1] = b.itemIds;
      const rows = [
        ADMIN_HEADER,
        [h1.orgId, null, i1, null, null, null, 'A', 1], // 2: good
        [null, null, i1, null, null, null, 'A', 2], // 3: no hospital
        [null, 'NO-SUCH-HOSPITAL', i1, null, null, null, 'A', 3], // 4: unknown code
        [supplier.orgId, null, i1, null, null, null, 'A', 4], // 5: a supplier
        [h2.orgId, null, 999999, null, null, null, 'A', 5], // 6: item not in batch
        [h2.orgId, null, i1, null, null, null, 'C', 6], // 7: bad group
        [h1.orgId, null, i1, null, null, null, 'A', 7], // 8: duplicate of row 2
        [h2.orgId, null, i1, null, null, null, 'B', -1], // 9: negative
        [h2.orgId, null, i1, null, null, null, 'B', 1.5], // 10: not whole
        [h2.orgId, null, null, null, null, null, null, 8], // 11: no item, no group
      ];
      const jobsBefore = await importJobCount(t);
      const res = await upload(t, t.adminToken, `${demandOf(b.id)}/import`, await workbookOf({ D: rows }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(await importJobCount(t)).toBe(jobsBefore);
      expect(rowErrors(res.body.details)).toEqual([
        { row: 3, column: 'hospitalId', message: 'give hospitalId or hospitalCode' },
        { row: 4, column: 'hospitalCode', message: 'no organisation has code NO-SUCH-HOSPITAL' },
        { row: 5, column: 'hospitalId', message: `organisation ${supplier.orgId} is not a hospital` },
        { row: 6, column: 'itemId', message: `item 999999 is not in batch ${b.code}` },
        { row: 7, column: 'group', message: 'must be one of A, B' },
        { row: 8, column: 'itemId', message: `item ${i1}, group A is also on row 2` },
        { row: 9, column: 'quantity', message: 'must be between 0 and 4294967295' },
        { row: 10, column: 'quantity', message: 'must be a whole number' },
        { row: 11, column: 'itemId', message: 'is required' },
        { row: 11, column: 'group', message: 'is required' },
      ]);
      expect(await rowsIn(b.id)).toBe(0);
    });

    it('refuses suppliers and the fund (403), no token (401), no file (400), unknown batch (404)', async () => {
      const file = await workbookOf({ D: [HOSPITAL_HEADER, [batch.itemIds[0], null, null, null, 'A', 1]] });
      for (const who of [supplier, fund]) {
        const res = await upload(t, who.token, `${demandOf(batch.id)}/import`, file);
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      expect((await upload(t, null, `${demandOf(batch.id)}/import`, file)).status).toBe(401);
      const none = await t
        .http()
        .post(`${demandOf(batch.id)}/import`)
        .set(bearer(h1.token));
      expect([none.status, none.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await upload(t, h1.token, `${demandOf(999999)}/import`, file)).status).toBe(404);
    });
  });
});
