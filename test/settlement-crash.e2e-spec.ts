import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { dataSource, expectSound, killWorker, seedScale, settlementViolations, startWorker, waitForRun, WorkerProcess } from './helpers/settlement-fixtures';

// A worker process boots in seconds on an idle machine; a loaded CI machine needs far longer.
jest.setTimeout(240_000);

/**
 * Crash safety of settlement runs (domain.md section 10), for real: the worker runs as a
 * separate OS process (apps/worker/src/main.ts) on this suite's database and queue prefix,
 * is SIGKILLed in the middle of a large run and started again; and two worker processes
 * share one run. After each, the money invariants must hold to the fen.
 */
describe('settlement runs survive a killed worker and share work between workers (e2e, separate processes)', () => {
  let t: TestApp;
  let ds: DataSource;
  let fund: Awaited<ReturnType<typeof createOrgUser>>;
  const workers: WorkerProcess[] = [];

  const start = async () => {
    const w = await startWorker(t, { WORKER_CONCURRENCY: '4' });
    workers.push(w);
    return w;
  };
  const startRun = async (cutoff: Date) => {
    const res = await t.http().post('/api/v1/settlements/runs').set(bearer(fund.token)).send({ cutoff: cutoff.toISOString() });
    expect(res.status).toBe(202);
    return res.body as { runId: number; jobId: string };
  };
  const srhCount = async (runId: number) => Number((await ds.query('SELECT COUNT(*) AS n FROM settlement_run_hospitals WHERE run_id = ?', [runId]))[0].n);
  /** Children of a run that a dead worker left active (BullMQ moved them back after their lock expired). */
  const stalledChildren = async (runId: number) => {
    const queue = t.app.get<Queue>(getQueueToken('settlement-hospital'), { strict: false });
    const jobs = (await queue.getJobs(['completed'], 0, -1)).filter((j) => j.data?.runId === runId && (j.stalledCounter ?? 0) > 0);
    // A stalled child whose transaction had committed before the kill found its (run, hospital) key and did nothing.
    return { stalled: jobs.length, foundSettled: jobs.filter((j) => j.returnvalue?.skipped === true).length };
  };

  beforeAll(async () => {
    // The api only: every job runs in the worker processes this suite starts.
    t = await createTestApp({ worker: false });
    ds = dataSource(t);
    fund = await createOrgUser(t, 'FUND');
  });
  afterAll(async () => {
    await Promise.all(workers.map(killWorker));
    await t?.close();
  });

  it('completes a large run after its worker is SIGKILLed mid-run and started again, settling every delivery exactly once', async () => {
    const t0 = Date.now();
    const cutoff = new Date(Date.now() - 60_000);
    const { hospitalIds, deliveries } = await seedScale(t, { hospitals: 300, suppliers: 6, deliveriesPerHospital: 12, acceptedBefore: cutoff, seed: 20270301 });
    const seeded = Date.now();

    const first = await start();
    const { runId, jobId } = await startRun(cutoff);
    // Let it settle some hospitals, then kill it without warning.
    const end = Date.now() + 90_000;
    let done = 0;
    while (done < 20) {
      if (Date.now() > end) throw new Error(`run ${runId} made no progress:\n${first.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 10));
      done = await srhCount(runId);
    }
    await killWorker(first);
    const killedAt = Date.now();
    const total = Number((await ds.query('SELECT hospitals_total AS n FROM settlement_runs WHERE id = ?', [runId]))[0].n);
    const doneAtKill = await srhCount(runId);
    expect(total).toBe(hospitalIds.length);
    // Killed mid-run: part of the hospitals settled, the rest not.
    expect(doneAtKill).toBeGreaterThan(0);
    expect(doneAtKill).toBeLessThan(total);

    await start();
    const run = await waitForRun(ds, runId, 120_000);
    const finished = Date.now();
    expect(run).toEqual({ status: 'COMPLETED', hospitalsTotal: total, hospitalsDone: total });
    const job = await t.http().get(`/api/v1/jobs/${jobId}`).set(bearer(fund.token));
    expect(job.body.state).toBe('completed');

    const v = await settlementViolations(ds, { acceptedBefore: cutoff });
    expectSound(v);
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'SETTLED' AND settlement_run_id = ?`, [runId]);
    expect(Number(n)).toBe(deliveries);
    // The kill interrupted jobs in flight, and the restarted worker took them up again.
    const resumed = await stalledChildren(runId);
    expect(resumed.stalled).toBeGreaterThan(0);
    console.log(
      `settlement crash: ${total} hospitals, ${deliveries} deliveries, Σ ${v.sums.instructions} (prepaid ${v.sums.fromPrepayment}); ` +
        `seeded in ${seeded - t0} ms; killed after ${doneAtKill}/${total} hospitals, ${killedAt - seeded} ms after the worker started booting; ` +
        `${resumed.stalled} interrupted children resumed (${resumed.foundSettled} had committed); completed ${finished - killedAt} ms after the kill`,
    );
  });

  it('shares one run between two worker processes, settling every delivery exactly once', async () => {
    const t0 = Date.now();
    const cutoff = new Date(Date.now() - 60_000);
    const { hospitalIds, deliveries } = await seedScale(t, { hospitals: 200, suppliers: 5, deliveriesPerHospital: 15, acceptedBefore: cutoff, seed: 20270401 });
    const seeded = Date.now();
    // The worker from the first test is still up; a second one joins it.
    expect(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)).toHaveLength(1);
    await start();
    const started = Date.now();
    const { runId } = await startRun(cutoff);
    const run = await waitForRun(ds, runId, 120_000);
    expect(run).toEqual({ status: 'COMPLETED', hospitalsTotal: hospitalIds.length, hospitalsDone: hospitalIds.length });
    const v = await settlementViolations(ds, { acceptedBefore: cutoff });
    expectSound(v);
    const [{ n }] = await ds.query(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'SETTLED' AND settlement_run_id = ?`, [runId]);
    expect(Number(n)).toBe(deliveries);
    console.log(
      `settlement, two workers: ${hospitalIds.length} hospitals, ${deliveries} deliveries in ${Date.now() - started} ms (seeded in ${seeded - t0} ms)`,
    );
  });
});
