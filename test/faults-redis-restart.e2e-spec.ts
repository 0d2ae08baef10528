import { DataSource } from 'typeorm';
import { createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { dataSource, killWorker, startWorker, waitForRun, WorkerProcess } from './helpers/settlement-fixtures';
import { PrivateRedis, startPrivateRedis, waitFor } from './helpers/private-servers';
import {
  bullJob,
  expectOrgImportOnce,
  expectSettledOnce,
  health,
  settledHospitals,
  settlementCase,
  startOrgImport,
  startSettlementRun,
  waitForBullJob,
} from './helpers/fault-scenarios';

jest.setTimeout(300_000);

/**
 * Faults survived (issue 11 item 5): Redis is SIGKILLed while an import and a settlement run
 * are queued and running, and started again on its append-only file. The platform recovers by
 * itself: /health answers 503 while Redis is gone and 200 once it is back, without restarting
 * api or worker; every job completes, and nothing is lost or done twice (sums to the fen).
 */
describe('faults: Redis restarted under queued and running jobs (e2e, private redis-server, worker process)', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let ds: DataSource;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await createTestApp({ worker: false, redisUrl: redis.url });
    ds = dataSource(t);
  });
  afterAll(async () => {
    if (worker) await killWorker(worker);
    await t?.close().catch(() => undefined);
    await redis?.stop();
  });

  it('health flips to 503 and back to 200 by itself; the import and the settlement run complete exactly once', async () => {
    const fund = await createOrgUser(t, 'FUND');
    const settle = await settlementCase(t, { hospitals: 400, deliveriesPerHospital: 8, seed: 20261202 });
    expect(await health(t)).toMatchObject({ status: 200, body: { status: 'ok', redis: { status: 'up' } } });

    worker = await startWorker(t, { WORKER_CONCURRENCY: '4' }, 60_000);
    const output = () => `${worker!.output().slice(-2500)}\n--- redis\n${redis.output().slice(-1000)}`;
    const imp = await startOrgImport(t, 20000);
    // Killed while the import runs and the run's per-hospital children are running and queued: the
    // run starts once the import is running, and Redis goes as soon as its first hospital is settled
    // (on an idle machine the 400 hospitals take a few seconds, so a run started first was done
    // before the import's upload had been read).
    await waitFor('import running', async () => (await (await bullJob(t, imp.jobId))?.getState()) === 'active', 60_000, output);
    const run = await startSettlementRun(t, fund.token, settle);
    await waitFor('settlement run under way', async () => (await settledHospitals(ds, run.runId)) >= 1, 60_000, output);
    const doneAtKill = await settledHospitals(ds, run.runId);

    await redis.kill();
    const killedAt = Date.now();
    const down = await health(t);
    expect(down).toEqual({ status: 503, body: { status: 'error', database: { status: 'up' }, redis: { status: 'down' } } });
    // An import uploaded while Redis is down: its job waits in the client's offline queue, and
    // the request answers 202 once Redis is back (it is not refused, and not lost).
    const duringOutage = startOrgImport(t, 500);
    // Down long enough for every client to notice (commands fail, workers lose their blocking reads).
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();
    const healthyAfter = await waitFor('/health 200 again', async () => (await health(t)).status === 200, 60_000, output);
    const imp2 = await duringOutage;

    const final = await waitForRun(ds, run.runId, 120_000);
    expect(final.status).toBe('COMPLETED');
    await expectSettledOnce(ds, run.runId, settle);
    const runJob = await waitForBullJob(t, run.jobId, 60_000, output);
    expect(runJob.state).toBe('completed');
    const importJob = await waitForBullJob(t, imp.jobId, 60_000, output);
    await expectOrgImportOnce(t, imp, importJob);
    await expectOrgImportOnce(t, imp2, await waitForBullJob(t, imp2.jobId, 60_000, output));
    expect(doneAtKill).toBeLessThan(settle.hospitals);
    expect(worker.child.exitCode).toBeNull();
    console.log(
      `redis restart: killed after ${doneAtKill}/${settle.hospitals} hospitals; /health 200 again ${healthyAfter} ms after the restart; ` +
        `run completed ${Date.now() - killedAt} ms after the kill (Σ ${settle.acceptedSum}); imports of ${imp.rows} (running at the kill) and ${imp2.rows} rows (uploaded during the outage) once`,
    );
  });
});
