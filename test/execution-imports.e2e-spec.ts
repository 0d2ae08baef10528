import { DataSource } from 'typeorm';
import { sheetsOf, workbookOf } from '@jicai/spreadsheets';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { dataSource, seedAgreement, seedBatch } from './helpers/settlement-fixtures';
import { importAndWait, importJob, importJobCount, rowErrors } from './helpers/imports';
import { download, upload } from './helpers/fixtures';

jest.setTimeout(90_000);

const API = '/api/v1';
type User = Awaited<ReturnType<typeof createOrgUser>>;

/**
 * Execution's spreadsheets (exec2): non-selected purchases [hospital: own; admin: any
 * hospital] and assessment scores [admin], through the spreadsheet framework: templates,
 * every bad row named by sheet/row/column/value with nothing written, one job written in one
 * transaction and audited once, idempotent when the job runs again.
 */
describe('execution imports: non-selected purchases and assessment scores (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let h1: User, h2: User, s1: User, fund: User, admin: string;
  let b: { batchId: number; itemId: number };
  const auditCount = async (action: string) => Number((await ds.query('SELECT COUNT(*) AS n FROM audit_entries WHERE action = ?', [action]))[0].n);
  const nonSelected = async () =>
    (await ds.query('SELECT hospital_id, item_id, year, units FROM non_selected_purchases WHERE batch_id = ? ORDER BY hospital_id, year', [b.batchId])).map(
      (r: any) => [Number(r.hospital_id), Number(r.item_id), Number(r.year), Number(r.units)],
    );
  const scores = async () =>
    (await ds.query('SELECT hospital_id, year, score FROM assessment_scores WHERE batch_id = ? ORDER BY hospital_id, year', [b.batchId])).map((r: any) => [
      Number(r.hospital_id),
      Number(r.year),
      r.score,
    ]);

  beforeAll(async () => {
    t = await createTestApp();
    ds = dataSource(t);
    admin = t.adminToken;
    h1 = await createOrgUser(t, 'HOSPITAL');
    h2 = await createOrgUser(t, 'HOSPITAL');
    s1 = await createOrgUser(t, 'SUPPLIER');
    fund = await createOrgUser(t, 'FUND');
    b = await seedBatch(t, { ordersRequired: false });
    await seedAgreement(t, { ...b, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
    await seedAgreement(t, { ...b, hospitalId: h2.orgId, supplierId: s1.orgId, awardPrice: '3.33' });
  });
  afterAll(async () => t?.close());

  describe('non-selected purchases [hospital: its own; admin: any hospital]', () => {
    const path = () => `${API}/batches/${b.batchId}/progress/non-selected`;
    const header = ['itemId', 'year', 'units'];

    it('templates: a row per item × agreement year; a hospital’s without hospital columns, an admin’s with them', async () => {
      const mine = (await sheetsOf((await download(t, h1.token, `${path()}/template.xlsx`)).body)).NonSelected;
      expect(mine[1]).toEqual(['itemId', 'genericName', 'year', 'units']);
      // The seeded batch runs 24 months: years 1 and 2.
      expect(mine.slice(2).map((r) => [r[0], r[2]])).toEqual([
        [b.itemId, 1],
        [b.itemId, 2],
      ]);
      const admins = (await sheetsOf((await download(t, admin, `${path()}/template.xlsx`)).body)).NonSelected;
      expect(admins[1].slice(0, 3)).toEqual(['hospitalId', 'hospitalCode', 'itemId']);
      expect((await download(t, s1.token, `${path()}/template.xlsx`)).status).toBe(403);
    });

    it('refuses bad rows with sheet, row, column and value, writing nothing and queueing no job', async () => {
      const jobs = await importJobCount(t);
      const file = await workbookOf({
        NonSelected: [
          ['hospitalId', ...header],
          [h2.orgId, b.itemId, 1, 10], // another hospital's
          [null, 999999, 1, 10], // not an item of the batch
          [null, b.itemId, 3, 10], // the batch has 2 agreement years
          [null, b.itemId, 1, -5], // negative
          [null, b.itemId, 2, 7],
          [null, b.itemId, 2, 8], // the same item × year again
        ],
      });
      const res = await upload(t, h1.token, `${path()}/import`, file);
      expect(res.status).toBe(400);
      expect(rowErrors(res.body.details)).toEqual([
        { row: 2, column: 'hospitalId', message: 'you may report only your own purchases' },
        { row: 3, column: 'itemId', message: `item 999999 is not in batch ${(await ds.query('SELECT code FROM batches WHERE id = ?', [b.batchId]))[0].code}` },
        { row: 4, column: 'year', message: expect.stringContaining('has agreement years 1, 2') },
        { row: 5, column: 'units', message: expect.any(String) },
        { row: 7, column: 'itemId', message: `item ${b.itemId}, year 2 is also on row 6` },
      ]);
      expect(res.body.details[0]).toMatchObject({ sheet: 'NonSelected', cell: 'A2', value: String(h2.orgId) });
      expect(await nonSelected()).toEqual([]);
      expect(await importJobCount(t)).toBe(jobs);
    });

    it('a hospital imports its own rows in one job, audited once; the job run again writes nothing twice; the recompute weighs them', async () => {
      const file = await workbookOf({ NonSelected: [header, [b.itemId, 1, 9000], [b.itemId, 2, 0]] });
      const { res, job } = await importAndWait(t, h1.token, `${path()}/import`, file);
      expect(res.body.rows).toBe(2);
      expect(job).toMatchObject({ state: 'completed', result: { imported: 2 } });
      expect(await nonSelected()).toEqual([
        [h1.orgId, b.itemId, 1, 9000],
        [h1.orgId, b.itemId, 2, 0],
      ]);
      expect(await auditCount('non-selected.import')).toBe(1);
      // A retried job (a lost acknowledgement) finds its run and writes nothing again.
      await (await importJob(t, res.body.jobId)).retry('completed');
      expect(await waitForJob(t, h1.token, res.body.jobId)).toMatchObject({ state: 'completed', result: { imported: 2 } });
      expect(await auditCount('non-selected.import')).toBe(1);
      // Recompute: nothing accepted yet, so the share is 9,000 / (9,000 + 0) = 1.0000 > 0.3: NON_SELECTED_SHARE.
      const r = await t.http().post(`${API}/batches/${b.batchId}/progress/recompute`).set(bearer(admin));
      expect((await waitForJob(t, admin, r.body.jobId)).state).toBe('completed');
      const row = (await t.http().get(`${API}/batches/${b.batchId}/progress?year=1`).set(bearer(h1.token))).body.items[0];
      expect(row).toMatchObject({ nonSelectedUnits: 9000, nonSelectedShare: '1.0000', flags: expect.arrayContaining(['NON_SELECTED_SHARE']) });
    });

    it('an admin imports for any hospital (by id or code); suppliers and the fund may not import', async () => {
      const [{ code }] = await ds.query('SELECT code FROM organizations WHERE id = ?', [h2.orgId]);
      const file = await workbookOf({
        NonSelected: [
          ['hospitalId', 'hospitalCode', ...header],
          [null, code, b.itemId, 1, 100],
        ],
      });
      expect((await importAndWait(t, admin, `${path()}/import`, file)).job.state).toBe('completed');
      expect(await nonSelected()).toContainEqual([h2.orgId, b.itemId, 1, 100]);
      const noHospital = await upload(t, admin, `${path()}/import`, await workbookOf({ NonSelected: [header, [b.itemId, 1, 5]] }));
      expect(rowErrors(noHospital.body.details)).toEqual([{ row: 2, column: 'hospitalId', message: 'give hospitalId or hospitalCode' }]);
      for (const u of [s1, fund]) expect((await upload(t, u.token, `${path()}/import`, file)).status).toBe(403);
      expect((await upload(t, admin, `${API}/batches/999999/progress/non-selected/import`, file)).status).toBe(404);
    });
  });

  describe('assessment scores [admin]', () => {
    const path = () => `${API}/batches/${b.batchId}/assessment-scores`;
    const header = ['hospitalId', 'year', 'score'];

    it('template for admins only; bad rows refused with nothing written', async () => {
      const tpl = (await sheetsOf((await download(t, admin, `${path()}/template.xlsx`)).body)).Scores;
      expect(tpl[1]).toEqual(['hospitalId', 'hospitalCode', 'hospitalName', 'year', 'score']);
      for (const u of [h1, fund, s1]) expect((await download(t, u.token, `${path()}/template.xlsx`)).status).toBe(403);
      const file = await workbookOf({
        Scores: [header, [h1.orgId, 1, '100.5'], [s1.orgId, 1, '80'], [h1.orgId, 1, '75.12345'], [h2.orgId, 1, '60'], [h2.orgId, 1, '61']],
      });
      const res = await upload(t, admin, `${path()}/import`, file);
      expect(res.status).toBe(400);
      expect(rowErrors(res.body.details)).toEqual([
        { row: 2, column: 'score', message: 'must be from 0 to 100' },
        { row: 3, column: 'hospitalId', message: `organisation ${s1.orgId} is not a hospital` },
        { row: 4, column: 'score', message: 'must have at most 4 decimal places' },
        { row: 6, column: 'year', message: `hospital ${h2.orgId}, year 1 is also on row 5` },
      ]);
      expect(await scores()).toEqual([]);
      for (const u of [h1, fund]) expect((await upload(t, u.token, `${path()}/import`, file)).status).toBe(403);
    });

    it('writes the scores in one job, audited once, and applies them to provisional retention; fixed years refuse the file', async () => {
      // A baseline so that retention rows exist: 0.2000 per unit against the award UCP 0.1000.
      expect(
        (await t.http().put(`${API}/batches/${b.batchId}/items/${b.itemId}/baseline`).set(bearer(admin)).send({ baselineUnitPrice: '0.2000' })).status,
      ).toBe(200);
      const r = await t.http().post(`${API}/batches/${b.batchId}/progress/recompute`).set(bearer(admin));
      expect((await waitForJob(t, admin, r.body.jobId)).state).toBe('completed');
      const file = await workbookOf({ Scores: [header, [h1.orgId, 1, '85.5'], [h2.orgId, 1, '65']] });
      const { job } = await importAndWait(t, admin, `${path()}/import`, file);
      expect(job).toMatchObject({ state: 'completed', result: { imported: 2 } });
      expect(await scores()).toEqual([
        [h1.orgId, 1, '85.5000'],
        [h2.orgId, 1, '65.0000'],
      ]);
      expect(await auditCount('assessment.import')).toBe(1);
      // Shares by the default retentionShares: 85.5 ≥ 80 → 0.50; 65 in [60, 70) → 0.30.
      const ret = await t.http().get(`${API}/batches/${b.batchId}/retention?year=1`).set(bearer(fund.token));
      const byHospital = Object.fromEntries(ret.body.items.map((x: any) => [x.hospitalId, x]));
      expect(byHospital[h1.orgId]).toMatchObject({ score: '85.5000', share: '0.5000' });
      expect(byHospital[h2.orgId]).toMatchObject({ score: '65.0000', share: '0.3000' });

      // Once the year is fixed, a score for it refuses the whole file.
      await ds.query("UPDATE retention SET status = 'FIXED' WHERE batch_id = ? AND hospital_id = ? AND year = 1", [b.batchId, h2.orgId]);
      const again = await upload(t, admin, `${path()}/import`, await workbookOf({ Scores: [header, [h1.orgId, 1, '90'], [h2.orgId, 1, '99']] }));
      expect(again.status).toBe(400);
      expect(rowErrors(again.body.details)).toEqual([{ row: 3, column: 'score', message: 'the retention of year 1 is fixed: its score cannot change' }]);
      expect(await scores()).toEqual([
        [h1.orgId, 1, '85.5000'],
        [h2.orgId, 1, '65.0000'],
      ]);
    });
  });
});
