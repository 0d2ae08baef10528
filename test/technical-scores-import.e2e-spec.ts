import { DataSource } from 'typeorm';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { API, download, sheetsOf, upload, workbookOf, XLSX_MIME } from './helpers/fixtures';
import { importAndWait, importJobCount, withImportsPaused, rowErrors } from './helpers/imports';
import { evaluate, WORKED_EXAMPLE, workedExampleOpened } from './helpers/round';

jest.setTimeout(120_000);

type Org = Awaited<ReturnType<typeof createOrgUser>>;

const HEADER = ['bidId', 'criterion', 'points', 'maxPoints'];
const TEMPLATE_HEADER = [...HEADER, 'itemId', 'genericName', 'group', 'supplierId', 'supplierName'];
const TEMPLATE_LABELS = ['投标编号', '评分项', '得分', '满分', '品种ID', '通用名', '分组', '供应商ID', '供应商'];

/**
 * Two criteria per bid, quality (max 25) and service (max 15), summing to the worked
 * example's technical scores (domain.md 14): 25 + 10.5 = 35.5, 20 + 10 = 30, 24 + 14 = 38,
 * 25 + 14 = 39.
 */
const SPLIT: Record<string, [string, string]> = { '35.5': ['25', '10.5'], '30': ['20', '10'], '38': ['24', '14'], '39': ['25', '14'] };

describe('technical scores import (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let round: Awaited<ReturnType<typeof workedExampleOpened>>;
  let hospital: Org;
  let fund: Org;
  const importPath = () => `${API}/batches/${round.batchId}/technical-scores/import`;
  const templatePath = () => `${API}/batches/${round.batchId}/technical-scores/template.xlsx`;
  const scoresOf = async () =>
    (await ds.query('SELECT bid_id AS bidId, technical_score AS ts FROM technical_scores WHERE batch_id = ? ORDER BY bid_id', [round.batchId])).map(
      (r: any) => [Number(r.bidId), r.ts],
    );
  const sheetRows = () =>
    round.bids.flatMap((b) => [
      [b.bidId, 'quality', SPLIT[b.ts][0], '25'],
      [b.bidId, 'service', SPLIT[b.ts][1], '15'],
    ]);

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    round = await workedExampleOpened(t);
    hospital = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives a template listing every opened bid of the batch, one row each', async () => {
    const res = await download(t, t.adminToken, templatePath());
    expect(res.status).toBe(200);
    expect(res.type).toBe(XLSX_MIME);
    const sheets = await sheetsOf(res.body);
    expect(Object.keys(sheets)).toEqual(['TechnicalScores', 'Notes']);
    expect(sheets.TechnicalScores).toEqual([
      TEMPLATE_LABELS,
      TEMPLATE_HEADER,
      ...round.bids.map((b) => [b.bidId, undefined, undefined, undefined, round.itemId, expect.any(String), 'B', b.supplier.orgId, expect.any(String)]),
    ]);
  });

  it('refuses a sheet with points above maxPoints or an unknown bid with 400 and the row numbers; nothing written, no job', async () => {
    const [b1, b2] = round.bids;
    const jobsBefore = await importJobCount(t);
    const rows = [
      HEADER,
      [b1.bidId, 'quality', '25', '25'], // 2: good
      [b1.bidId, 'service', '16', '15'], // 3: above its maximum
      [999999, 'quality', '20', '25'], // 4: no such bid
      [b2.bidId, 'quality', '20', '25'], // 5: good
      [b2.bidId, 'quality', '10', '15'], // 6: the same criterion twice for one bid
    ];
    const res = await upload(t, t.adminToken, importPath(), await workbookOf({ TechnicalScores: rows }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(rowErrors(res.body.details)).toEqual([
      { row: 3, column: 'points', message: `bid ${b1.bidId}: points of "service" (16) exceed its maximum 15` },
      { row: 4, column: 'bidId', message: 'bid 999999 is not an opened bid of this batch' },
      { row: 6, column: 'criterion', message: `criterion "quality" appears twice for bid ${b2.bidId}` },
    ]);
    expect(await scoresOf()).toEqual([]);
    expect(await importJobCount(t)).toBe(jobsBefore);
  });

  it('is admin-only (403 for supplier, hospital and fund; 401 without a token)', async () => {
    const file = await workbookOf({ TechnicalScores: [HEADER, ...sheetRows()] });
    for (const who of [round.bids[0].supplier, hospital, fund]) {
      const imp = await upload(t, who.token, importPath(), file);
      expect([who.role, imp.status, imp.body.code]).toEqual([who.role, 403, 'FORBIDDEN']);
      const tpl = await download(t, who.token, templatePath());
      expect([who.role, tpl.status]).toEqual([who.role, 403]);
    }
    expect((await upload(t, null, importPath(), file)).status).toBe(401);
    expect(await scoresOf()).toEqual([]);
  });

  it('imports two criteria per bid in a job (202), and the evaluation gives the worked example composite scores', async () => {
    const { res, job } = await importAndWait(t, t.adminToken, importPath(), await workbookOf({ TechnicalScores: [HEADER, ...sheetRows()] }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ jobId: expect.stringMatching(/^imports\./), rows: 8 });
    expect(job).toMatchObject({ name: 'import-technical-scores', state: 'completed', result: { imported: 8, bids: 4 }, failedReason: null });
    const storedScores = async () => {
      const stored = new Map((await scoresOf()).map(([id, ts]: [number, string]) => [id, ts]));
      return round.bids.map((b) => stored.get(b.bidId));
    };
    expect(await storedScores()).toEqual(['35.5000', '30.0000', '38.0000', '39.0000']);
    const [criteria] = await ds.query('SELECT criteria, scored_by AS scoredBy FROM technical_scores WHERE bid_id = ?', [round.bids[0].bidId]);
    expect(JSON.parse(criteria.criteria)).toEqual([
      { name: 'quality', points: '25', maxPoints: '25' },
      { name: 'service', points: '10.5', maxPoints: '15' },
    ]);
    const [admin] = await ds.query("SELECT id FROM users WHERE username = 'admin'");
    expect(Number(criteria.scoredBy)).toBe(Number(admin.id));

    const audit = await t.http().get(`${API}/audit?entity=batch&entityId=${round.batchId}&limit=500`).set(bearer(t.adminToken));
    const imports = audit.body.items.filter((a: { action: string }) => a.action === 'bid.technical-score.import');
    expect(imports).toEqual([expect.objectContaining({ data: { bids: 4, rows: 8, jobId: res.body.jobId } })]);
    // Readable before evaluation (issue 10.3): the stored scores with their criteria...
    const read = await t.http().get(`${API}/batches/${round.batchId}/technical-scores`).set(bearer(t.adminToken));
    expect(read.status).toBe(200);
    expect(read.body.total).toBe(4);
    expect(read.body.items.map((i: { bidId: number; technicalScore: string; criteria: unknown[] }) => [i.bidId, i.technicalScore, i.criteria])).toEqual(
      round.bids.map((b) => [
        b.bidId,
        { '35.5': '35.5000', '30': '30.0000', '38': '38.0000', '39': '39.0000' }[b.ts],
        [
          { name: 'quality', points: SPLIT[b.ts][0], maxPoints: '25' },
          { name: 'service', points: SPLIT[b.ts][1], maxPoints: '15' },
        ],
      ]),
    );
    expect(read.body.items[0]).toMatchObject({ itemId: round.itemId, group: 'B', supplierId: round.bids[0].supplier.orgId, scoredBy: Number(admin.id) });
    const paged = await t.http().get(`${API}/batches/${round.batchId}/technical-scores?limit=1&offset=3`).set(bearer(t.adminToken));
    expect([paged.body.total, paged.body.items.map((i: { bidId: number }) => i.bidId)]).toEqual([4, [round.bids[3].bidId]]);
    for (const who of [round.bids[0].supplier, hospital, fund]) {
      expect((await t.http().get(`${API}/batches/${round.batchId}/technical-scores`).set(bearer(who.token))).status).toBe(403);
    }
    // ...and the re-downloaded template holds them, one row per criterion, importable as it is.
    const tpl = await download(t, t.adminToken, templatePath());
    const filled = (await sheetsOf(tpl.body)).TechnicalScores.slice(2);
    expect(filled.map((r) => r.slice(0, 4))).toEqual(sheetRows());
    const reimported = await importAndWait(t, t.adminToken, importPath(), tpl.body);
    expect(reimported.job).toMatchObject({ state: 'completed', result: { imported: 8, bids: 4 } });
    expect(await storedScores()).toEqual(['35.5000', '30.0000', '38.0000', '39.0000']);

    // A second file, valid when sent, but the batch is evaluated before its job runs:
    // the job refuses it and the first file's scores stay.
    const rescored = await withImportsPaused(t, async () => {
      const again = await upload(t, t.adminToken, importPath(), await workbookOf({ TechnicalScores: [HEADER, [round.bids[3].bidId, 'quality', '1', '25']] }));
      expect(again.status).toBe(202);
      const evaluated = await evaluate(t, round.batchId);
      expect(evaluated.state).toBe('completed');
      return again.body.jobId as string;
    });
    const refused = await waitForJob(t, t.adminToken, rescored);
    expect(refused.state).toBe('failed');
    expect(refused.failedReason).toBe('INVALID_STATE: Technical scores can be imported only while the batch is OPENED; it is EVALUATED; nothing was imported');
    expect(await storedScores()).toEqual(['35.5000', '30.0000', '38.0000', '39.0000']);

    const results = await t.http().get(`${API}/batches/${round.batchId}/results`).set(bearer(t.adminToken));
    expect(results.status).toBe(200);
    const byBid = new Map(results.body.items.flatMap((g: { bids: { bidId: number }[] }) => g.bids).map((b: { bidId: number }) => [b.bidId, b]));
    const scored = round.bids.map((b) => byBid.get(b.bidId) as { technicalScore: string; compositeScore: string });
    expect(scored.map((b) => b.technicalScore)).toEqual(['35.5000', '30.0000', '38.0000', '39.0000']);
    expect(scored.map((b) => b.compositeScore)).toEqual(['94.8440', '90.0000', '85.0400', '64.3266']); // section 14, by hand
    expect(scored.map((b) => b.compositeScore)).toEqual(WORKED_EXAMPLE.map((w) => w.cs));

    // Once evaluated, the request itself refuses an import (409), before reading the file.
    const late = await upload(t, t.adminToken, importPath(), await workbookOf({ TechnicalScores: [HEADER, ...sheetRows()] }));
    expect([late.status, late.body.code]).toEqual([409, 'INVALID_STATE']);
  });
});
