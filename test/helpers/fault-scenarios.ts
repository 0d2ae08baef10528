import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { parsePublicJobId } from '@jicai/common';
import { workbookOf } from '@jicai/spreadsheets';
import { awardedBatch, seedDemand, seedHospitals } from './allocation-fixtures';
import { upload } from './fixtures';
import { dataSource, expectSound, seedOrganizations, seedScale, settlementViolations } from './settlement-fixtures';
import { bearer, TestApp } from './test-app';

/**
 * The three kinds of work the fault suites put through faults — a spreadsheet import, an
 * allocation and a settlement run — each with what "done exactly once" means for it, checked
 * from the database.
 */

const API = '/api/v1';
let seq = 0;

/** GET /health's status code (200 or 503) and body. */
export async function health(t: TestApp): Promise<{ status: number; body: any }> {
  const res = await t.http().get(`${API}/health`).timeout(10_000);
  return { status: res.status, body: res.body };
}

/** The BullMQ job behind a public job id, read through the suite's own queue. */
export async function bullJob(t: TestApp, publicJobId: string): Promise<Job | undefined> {
  const p = parsePublicJobId(publicJobId);
  if (!p) throw new Error(`not a job id: ${publicJobId}`);
  const queue = t.app.get<Queue>(getQueueToken(p.queue), { strict: false });
  return queue.getJob(p.id);
}

/** Polls the job (through Redis, not the api) until it finished; returns its final state. */
export async function waitForBullJob(t: TestApp, publicJobId: string, timeoutMs: number, detail: () => string = () => '') {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = await bullJob(t, publicJobId).catch(() => undefined);
    const state = job ? await job.getState().catch(() => 'unknown') : 'missing';
    if (state === 'completed' || state === 'failed') {
      // Read again: the job read above may predate its finishing (its result not in it yet).
      const done = (await bullJob(t, publicJobId))!;
      return { state, job: done, result: done.returnvalue, failedReason: done.failedReason };
    }
    if (Date.now() > end) throw new Error(`job ${publicJobId} still ${state} after ${timeoutMs} ms\n${detail().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --- An import: organisations by spreadsheet [admin] ---------------------------------------

export interface OrgImport {
  jobId: string;
  tag: string;
  rows: number;
}

/** Uploads `rows` new hospitals (no users) as one file; 202 {jobId}. */
export async function startOrgImport(t: TestApp, rows: number): Promise<OrgImport> {
  const tag = `FI-${process.pid}-${++seq}-${Date.now() % 100000}`;
  const file = await workbookOf({
    Organizations: [
      ['code', 'name', 'type', 'level', 'username'],
      ...Array.from({ length: rows }, (_, i) => [`${tag}-${i}`, `医院 ${tag}-${i}`, 'HOSPITAL', 'PRIMARY', null]),
    ],
  });
  const res = await upload(t, t.adminToken, `${API}/organizations/import`, file);
  if (res.status !== 202) throw new Error(`organization import: ${res.status} ${JSON.stringify(res.body)}`);
  return { jobId: res.body.jobId, tag, rows };
}

/** Every row imported once: `rows` organisations with the file's codes, one import run, the job's result. */
export async function expectOrgImportOnce(t: TestApp, imp: OrgImport, job: { state: string; result: unknown }): Promise<void> {
  const ds = dataSource(t);
  expect(job.state).toBe('completed');
  expect(job.result).toEqual({ imported: imp.rows, users: 0 });
  const [{ n, codes }] = await ds.query('SELECT COUNT(*) AS n, COUNT(DISTINCT code) AS codes FROM organizations WHERE code LIKE ?', [`${imp.tag}-%`]);
  expect({ n: Number(n), codes: Number(codes) }).toEqual({ n: imp.rows, codes: imp.rows });
  const runs = await ds.query("SELECT imported FROM import_runs WHERE job_id = ? AND kind = 'organizations'", [parsePublicJobId(imp.jobId)!.id]);
  expect(runs).toEqual([{ imported: imp.rows }]);
}

// --- An allocation -------------------------------------------------------------------------

export interface AllocationCase {
  batchId: number;
  hospitals: number;
  items: number;
}

/**
 * An AWARDED batch of `items` items, each with the three winners of domain.md section 14's
 * example in group B (ranks 1-3, capacities ample), and `hospitals` hospitals each reporting
 * 15,001 units of every item in group B. Three winners give the ratio 0.70, so each hospital
 * × item is one agreement with the first-ranked winner of round(15,001 × 0.70) =
 * round(10,500.7) = 10,501 units at UCP 0.1189: amount 10,501 × 0.1189 = 1,248.5689 → 1,248.57.
 */
export async function allocationCase(t: TestApp, opts: { hospitals: number; items: number }): Promise<AllocationCase> {
  const [s1, s2, s3] = await seedOrganizations(t, 'SUPPLIER', 3);
  const b = await awardedBatch(
    t,
    Array.from({ length: opts.items }, () => ({
      winners: [
        { group: 'B', supplierId: s1, rank: 1, awardPrice: '3.33', awardUnitPrice: '0.1189', supplyCapacity: 1_000_000_000, packSize: 28 },
        { group: 'B', supplierId: s2, rank: 2, awardPrice: '5.60', awardUnitPrice: '0.1176', supplyCapacity: 1_000_000_000, packSize: 28 },
        { group: 'B', supplierId: s3, rank: 3, awardPrice: '1.05', awardUnitPrice: '0.1500', supplyCapacity: 1_000_000_000, packSize: 7 },
      ],
    })),
  );
  const hospitalIds = await seedHospitals(t, opts.hospitals);
  await seedDemand(
    t,
    b.batchId,
    b.itemIds.flatMap((itemId) => hospitalIds.map((hospitalId) => ({ hospitalId, itemId, group: 'B', quantity: 15001 }))),
  );
  return { batchId: b.batchId, hospitals: opts.hospitals, items: opts.items };
}

export async function startAllocation(t: TestApp, batchId: number): Promise<string> {
  const res = await t.http().post(`${API}/batches/${batchId}/allocate`).set(bearer(t.adminToken));
  if (res.status !== 202) throw new Error(`allocate: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.jobId;
}

/** Allocated once: hospitals × items agreements, Σ units = that × 10,501, Σ amount = that × 1,248.57, batch ALLOCATED. */
export async function expectAllocatedOnce(t: TestApp, c: AllocationCase, job: { state: string; result: unknown }): Promise<void> {
  const n = c.hospitals * c.items;
  expect(job.state).toBe('completed');
  expect(job.result).toMatchObject({ agreements: n, agreedUnits: n * 10501, allocatedUnits: n * 10501, unallocatedUnits: 0 });
  const [row] = await dataSource(t).query(
    `SELECT CAST(COUNT(*) AS CHAR) AS n, CAST(COUNT(DISTINCT hospital_id, item_id) AS CHAR) AS pairs, CAST(SUM(units) AS CHAR) AS units, CAST(SUM(amount) AS CHAR) AS amount
       FROM agreements WHERE batch_id = ?`,
    [c.batchId],
  );
  // e.g. 3,000 hospitals × 2 items = 6,000 agreements; 6,000 × 10,501 = 63,006,000 units; 6,000 × 1,248.57 = 7,491,420.00.
  expect(row).toEqual({ n: String(n), pairs: String(n), units: String(n * 10501), amount: (n * 124857).toString().replace(/(\d\d)$/, '.$1') });
  const [batch] = await dataSource(t).query('SELECT status FROM batches WHERE id = ?', [c.batchId]);
  expect(batch.status).toBe('ALLOCATED');
}

// --- A settlement run ----------------------------------------------------------------------

export interface SettlementCase {
  cutoff: Date;
  deliveries: number;
  hospitals: number;
  /** Σ accepted_amount of the deliveries the run must settle, before it ran (to the fen). */
  acceptedSum: string;
}

export async function settlementCase(t: TestApp, opts: { hospitals: number; deliveriesPerHospital: number; seed: number }): Promise<SettlementCase> {
  const cutoff = new Date(Date.now() - 60_000);
  const { hospitalIds, deliveries } = await seedScale(t, {
    hospitals: opts.hospitals,
    suppliers: 4,
    deliveriesPerHospital: opts.deliveriesPerHospital,
    acceptedBefore: cutoff,
    seed: opts.seed,
  });
  const [{ s }] = await dataSource(t).query(
    "SELECT CAST(COALESCE(SUM(accepted_amount), 0) AS CHAR) AS s FROM deliveries WHERE status = 'ACCEPTED' AND hospital_id IN (?)",
    [hospitalIds],
  );
  return { cutoff, deliveries, hospitals: hospitalIds.length, acceptedSum: s };
}

export async function startSettlementRun(t: TestApp, fundToken: string, c: SettlementCase): Promise<{ runId: number; jobId: string }> {
  const res = await t.http().post(`${API}/settlements/runs`).set(bearer(fundToken)).send({ cutoff: c.cutoff.toISOString() });
  if (res.status !== 202) throw new Error(`settlement run: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function settledHospitals(ds: DataSource, runId: number): Promise<number> {
  return Number((await ds.query('SELECT COUNT(*) AS n FROM settlement_run_hospitals WHERE run_id = ?', [runId]))[0].n);
}

/**
 * Settled once, to the fen: the run COMPLETED over every hospital, every delivery SETTLED by it,
 * Σ instructions = Σ lines = Σ accepted amounts seeded, and settlementViolations' invariants
 * (no delivery in two instructions, prepaid + hospital = amount, draws = prepaid, ...).
 */
export async function expectSettledOnce(ds: DataSource, runId: number, c: SettlementCase): Promise<void> {
  const [run] = await ds.query(
    'SELECT status, hospitals_total AS total, hospitals_done AS done, CAST(total_amount AS CHAR) AS amount FROM settlement_runs WHERE id = ?',
    [runId],
  );
  expect({ status: run.status, total: Number(run.total), done: Number(run.done) }).toEqual({ status: 'COMPLETED', total: c.hospitals, done: c.hospitals });
  const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'SETTLED' AND settlement_run_id = ?", [runId]);
  expect(Number(n)).toBe(c.deliveries);
  const v = await settlementViolations(ds, { acceptedBefore: c.cutoff });
  expectSound(v);
  const [{ s }] = await ds.query('SELECT CAST(COALESCE(SUM(amount), 0) AS CHAR) AS s FROM payment_instructions WHERE run_id = ?', [runId]);
  expect(s).toBe(c.acceptedSum);
}
