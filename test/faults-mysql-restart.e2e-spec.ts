import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QueueName } from '@jicai/common';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { dataSource, killWorker, startWorker, waitForRun, WorkerProcess } from './helpers/settlement-fixtures';
import { PrivateMariadb, PrivateRedis, startPrivateMariadb, startPrivateRedis, waitFor } from './helpers/private-servers';
import { expectSettledOnce, health, settledHospitals, settlementCase, startSettlementRun, waitForBullJob } from './helpers/fault-scenarios';

jest.setTimeout(240_000);

const OUTAGE_MS = 10_000;

/**
 * Faults survived (issue 11 item 5): MySQL (a private mariadbd) is SIGKILLed under load —
 * requests in flight and a settlement run's jobs running — and started again (InnoDB crash
 * recovery). The platform recovers by itself: /health answers 503 while the database is gone
 * and 200 once it is back, the api answers again without a restart (its pool replaces dead
 * connections), the run completes, and nothing is settled twice (sums to the fen).
 */
describe('faults: MySQL restarted under load (e2e, private mariadbd and redis-server, worker process)', () => {
  let mariadb: PrivateMariadb;
  let redis: PrivateRedis;
  let t: TestApp;
  let ds: DataSource;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    [mariadb, redis] = await Promise.all([startPrivateMariadb({ timeoutMs: 90_000 }), startPrivateRedis()]);
    t = await createTestApp({ worker: false, databaseBaseUrl: mariadb.baseUrl, redisUrl: redis.url });
    ds = dataSource(t);
  });
  afterAll(async () => {
    if (worker) await killWorker(worker);
    // The database dies with the private server.
    await t?.close({ keepDatabase: true }).catch(() => undefined);
    await Promise.all([mariadb?.stop(), redis?.stop()]);
  });

  it('health flips to 503 and back to 200, requests succeed again, the settlement run completes exactly once', async () => {
    const fund = await createOrgUser(t, 'FUND');
    const settle = await settlementCase(t, { hospitals: 400, deliveriesPerHospital: 8, seed: 20261203 });
    worker = await startWorker(t, { WORKER_CONCURRENCY: '4' }, 60_000);
    const output = () => `${worker!.output().slice(-2500)}\n--- mariadbd\n${mariadb.output().slice(-1500)}`;

    // Load: four clients reading pages of deliveries as the fund, one request after another.
    const statuses: { sent: number; at: number; status: number }[] = [];
    let loading = true;
    const client = async () => {
      while (loading) {
        const sent = Date.now();
        const res = await t
          .http()
          .get('/api/v1/deliveries?limit=50')
          .set(bearer(fund.token))
          .timeout(15_000)
          .catch(() => ({ status: 0 }));
        statuses.push({ sent, at: Date.now(), status: res.status });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients = Array.from({ length: 4 }, client);

    const run = await startSettlementRun(t, fund.token, settle);
    await waitFor('settlement run under way', async () => (await settledHospitals(ds, run.runId)) >= 5, 60_000, output);
    const doneAtKill = await settledHospitals(ds, run.runId);

    const killing = Date.now();
    await mariadb.kill();
    const killedAt = Date.now();
    expect(await health(t)).toEqual({ status: 503, body: { status: 'error', database: { status: 'down' }, redis: { status: 'up' } } });
    // Down for 10 s: longer than a job's own retries (settlement children: 5 attempts over ~7.5 s).
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // Requests answered from here on may already find the server up: start() returns only once it answers.
    const restarting = Date.now();
    await mariadb.start();
    const restartedAt = Date.now();
    const healthyAfter = await waitFor('/health 200 again', async () => (await health(t)).status === 200, 60_000, output);

    const final = await waitForRun(ds, run.runId, 120_000);
    expect(final.status).toBe('COMPLETED');
    const runJob = await waitForBullJob(t, run.jobId, 60_000, output);
    expect(runJob.state).toBe('completed');
    await expectSettledOnce(ds, run.runId, settle);

    // The requests: answered before the kill, failed while the database was gone, answered again after.
    await new Promise((r) => setTimeout(r, 1000));
    loading = false;
    await Promise.all(clients);
    const before = statuses.filter((s) => s.at < killing);
    const after = statuses.filter((s) => s.sent > restartedAt + healthyAfter + 500);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((s) => s.status === 200)).toBe(true);
    // While it was gone: 503 SERVICE_UNAVAILABLE (retry later), never a 500.
    const during = statuses.filter((s) => s.sent > killedAt && s.at < restarting);
    expect(during.length).toBeGreaterThan(0);
    expect([...new Set(during.map((s) => s.status))]).toEqual([503]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status !== 200)).toEqual([]);
    expect(worker.child.exitCode).toBeNull();
    const children = (await t.app.get<Queue>(getQueueToken(QueueName.SETTLEMENT_HOSPITAL), { strict: false }).getJobs(['completed'], 0, -1)).filter(
      (j) => j.data?.runId === run.runId,
    );
    expect(children).toHaveLength(settle.hospitals);
    // The outage spent no attempt: children that met it waited (delayed) and ran again.
    const waited = children.filter((j) => (j.attemptsStarted ?? 0) > 1);
    expect(waited.length).toBeGreaterThan(0);
    expect(Math.max(...children.map((j) => j.attemptsMade))).toBe(1);
    console.log(
      `mysql restart: killed after ${doneAtKill}/${settle.hospitals} hospitals; /health 200 ${healthyAfter} ms after the restart; ` +
        `run completed ${Date.now() - killedAt} ms after the kill (Σ ${settle.acceptedSum}); ` +
        `${waited.length} children waited out the outage (most starts ${Math.max(...children.map((j) => j.attemptsStarted ?? 0))}, no attempt spent); ` +
        `requests: ${before.length} before, ${statuses.filter((s) => s.at > killedAt && s.status !== 200).length} failed during, ${after.length} after (all 200)`,
    );
  });
});
