import { DataSource } from 'typeorm';
import { createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { dataSource, killWorker, startWorker, WorkerProcess } from './helpers/settlement-fixtures';
import { PrivateRedis, startPrivateRedis } from './helpers/private-servers';
import {
  allocationCase,
  bullJob,
  expectAllocatedOnce,
  expectOrgImportOnce,
  expectSettledOnce,
  settlementCase,
  startAllocation,
  startOrgImport,
  startSettlementRun,
  waitForBullJob,
} from './helpers/fault-scenarios';

jest.setTimeout(300_000);

/**
 * Faults survived (issue 11 item 5), for real: the worker is a separate OS process
 * (apps/worker/src/main.ts) on a private redis-server; it is SIGKILLed in the middle of an
 * allocation and of an import, and a new worker finishes each exactly once; then two workers
 * run an import, an allocation and a settlement run at once, each done exactly once.
 * (Settlement's own killed-worker test is test/settlement-crash.e2e-spec.ts.)
 */
describe('faults: a worker killed mid-job, two workers at once (e2e, separate processes, private Redis)', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let ds: DataSource;
  const workers: WorkerProcess[] = [];
  const start = async () => {
    const w = await startWorker(t, { WORKER_CONCURRENCY: '4' }, 60_000);
    workers.push(w);
    return w;
  };
  const output = () => workers.map((w, i) => `--- worker ${i}\n${w.output().slice(-1500)}`).join('\n');

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // The api only: every job runs in the worker processes this suite starts.
    t = await createTestApp({ worker: false, redisUrl: redis.url });
    ds = dataSource(t);
  });
  afterAll(async () => {
    await Promise.all(workers.map(killWorker));
    await t?.close().catch(() => undefined);
    await redis?.stop();
  });

  it('finishes an allocation whose worker was SIGKILLed mid-job, exactly once (agreements and Σ units)', async () => {
    const c = await allocationCase(t, { hospitals: 2500, items: 4 });
    const first = await start();
    const jobId = await startAllocation(t, c.batchId);
    // Mid-job: the job reported at least one item × group allocated, and not the last two.
    const end = Date.now() + 60_000;
    for (;;) {
      const job = await bullJob(t, jobId);
      const p = job?.progress as { done?: number; total?: number } | undefined;
      // Not on the last item × group: its commit could beat the kill.
      if (p?.done && p.done < p.total! - 1) break;
      if ((job && (await job.getState()) === 'completed') || Date.now() > end)
        throw new Error(`allocation not caught mid-job: ${JSON.stringify(p)}\n${output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await killWorker(first);
    // The transaction died with the process: nothing of the batch's agreements is left half-written.
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM agreements WHERE batch_id = ?', [c.batchId]))[0].n)).toBe(0);

    const killedAt = Date.now();
    await start();
    const job = await waitForBullJob(t, jobId, 150_000, output);
    await expectAllocatedOnce(t, c, job);
    // The new worker took up the job the dead one held (BullMQ counted it stalled).
    expect(job.job.stalledCounter).toBeGreaterThan(0);
    console.log(`allocation: ${c.hospitals * c.items} agreements, finished ${Date.now() - killedAt} ms after the kill`);
  });

  it('finishes an import whose worker was SIGKILLed mid-job, every row exactly once', async () => {
    const alive = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    // The worker of the previous test is the one running now (or one of our own, run alone).
    if (!alive().length) await start();
    const running = alive();
    expect(running).toHaveLength(1);
    const imp = await startOrgImport(t, 20000);
    const end = Date.now() + 60_000;
    while ((await (await bullJob(t, imp.jobId))?.getState()) !== 'active') {
      if (Date.now() > end) throw new Error(`import never started\n${output()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await killWorker(running[0]);
    const stateAtKill = await (await bullJob(t, imp.jobId))!.getState();
    const killedAt = Date.now();
    // Two new workers, booted side by side: one of them takes the import up, and both stay for the next test.
    await Promise.all([start(), start()]);
    const job = await waitForBullJob(t, imp.jobId, 150_000, output);
    await expectOrgImportOnce(t, imp, job);
    expect(stateAtKill).toBe('active');
    expect(job.job.stalledCounter).toBeGreaterThan(0);
    console.log(`import: ${imp.rows} rows, finished ${Date.now() - killedAt} ms after the kill`);
  });

  it('two workers at once on the same queues: an import, an allocation and a settlement run, each done exactly once', async () => {
    const fund = await createOrgUser(t, 'FUND');
    const alloc = await allocationCase(t, { hospitals: 1000, items: 2 });
    const settle = await settlementCase(t, { hospitals: 150, deliveriesPerHospital: 8, seed: 20261130 });
    const alive = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    while (alive().length < 2) await start();
    const [imp, allocationJob, run] = await Promise.all([
      startOrgImport(t, 5000),
      startAllocation(t, alloc.batchId),
      startSettlementRun(t, fund.token, settle),
    ]);
    const [importJob, allocated] = await Promise.all([waitForBullJob(t, imp.jobId, 150_000, output), waitForBullJob(t, allocationJob, 90_000, output)]);
    const runJob = await waitForBullJob(t, run.jobId, 90_000, output);
    expect(runJob.state).toBe('completed');
    await expectOrgImportOnce(t, imp, importJob);
    await expectAllocatedOnce(t, alloc, allocated);
    await expectSettledOnce(ds, run.runId, settle);
  });
});
