import { Cluster } from 'ioredis';
import { DataSource } from 'typeorm';
import { RedisConnections } from '@jicai/common';
import { dropDatabase } from '@jicai/database';
import { createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { dataSource } from './helpers/settlement-fixtures';
import { PrivateRedisCluster, startPrivateRedisCluster } from './helpers/private-servers';
import {
  allocationCase,
  expectAllocatedOnce,
  expectOrgImportOnce,
  expectSettledOnce,
  health,
  settlementCase,
  startAllocation,
  startOrgImport,
  startSettlementRun,
  waitForBullJob,
} from './helpers/fault-scenarios';

jest.setTimeout(120_000);

/**
 * Redis Cluster for real (issue 11 item 6): a local cluster of three masters
 * (`redis-server --cluster-enabled yes`, slots assigned by `redis-cli --cluster create`), the
 * platform on it through REDIS_CLUSTER_NODES with the queue prefix as a hash tag, and an
 * import, an allocation and a settlement run (a BullMQ flow: parent and one child per
 * hospital) through its queues.
 */
describe('Redis Cluster: three masters, REDIS_CLUSTER_NODES, queue prefix as a hash tag (e2e)', () => {
  let cluster: PrivateRedisCluster;
  let t: TestApp;
  let ds: DataSource;
  let probe: Cluster;

  beforeAll(async () => {
    cluster = await startPrivateRedisCluster();
    t = await createTestApp({
      hashTagPrefix: true,
      // REDIS_URL stays valid (credentials and TLS come from it); the nodes come from REDIS_CLUSTER_NODES.
      redisUrl: `redis://127.0.0.1:${cluster.ports[0]}`,
      env: { REDIS_CLUSTER_NODES: cluster.nodes },
    });
    ds = dataSource(t);
    probe = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  });
  afterAll(async () => {
    probe?.disconnect();
    // Queues die with the cluster; the database is dropped here.
    await t?.close({ keepDatabase: true }).catch(() => undefined);
    if (t) await dropDatabase(t.databaseUrl);
    await cluster?.stop();
  });

  it('the platform runs on the cluster: BullMQ on one shared ioredis Cluster, /health up on every master', async () => {
    expect(t.queuePrefix).toMatch(/^\{jt_[0-9a-f_]+\}$/);
    expect(t.app.get(RedisConnections).bull()).toBeInstanceOf(Cluster);
    const h = await health(t);
    expect(h).toEqual({ status: 200, body: { status: 'ok', database: { status: 'up' }, redis: { status: 'up' } } });
    // Three masters share the 16,384 slots.
    const masters = probe.nodes('master');
    expect(masters).toHaveLength(3);
  });

  it('runs an import, an allocation and a settlement run through BullMQ on the cluster, each exactly once', async () => {
    const fund = await createOrgUser(t, 'FUND');
    const alloc = await allocationCase(t, { hospitals: 300, items: 2 });
    const settle = await settlementCase(t, { hospitals: 60, deliveriesPerHospital: 5, seed: 20261201 });
    const [imp, allocationJob, run] = await Promise.all([
      startOrgImport(t, 2000),
      startAllocation(t, alloc.batchId),
      startSettlementRun(t, fund.token, settle),
    ]);
    const [importJob, allocated, runJob] = await Promise.all([
      waitForBullJob(t, imp.jobId, 60_000),
      waitForBullJob(t, allocationJob, 60_000),
      waitForBullJob(t, run.jobId, 60_000),
    ]);
    expect(runJob.state).toBe('completed');
    await expectOrgImportOnce(t, imp, importJob);
    await expectAllocatedOnce(t, alloc, allocated);
    await expectSettledOnce(ds, run.runId, settle);

    // Every key of the queues is under the hash tag, so in one slot on one master.
    const keys: string[] = [];
    for (const node of probe.nodes('master')) keys.push(...(await node.keys(`${t.queuePrefix}:*`)));
    expect(keys.some((k) => k.startsWith(`${t.queuePrefix}:imports:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${t.queuePrefix}:settlement-hospital:`))).toBe(true);
    const slots = new Set(await Promise.all(keys.slice(0, 50).map((k) => probe.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
  });

  it('login throttling keeps its counters in the cluster', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'nobody-here', password: 'wrong-password-1' });
    expect(res.status).toBe(401);
    const keys: string[] = [];
    for (const node of probe.nodes('master')) keys.push(...(await node.keys(`${t.queuePrefix}:login-fail:*`)));
    expect(keys.length).toBeGreaterThan(0);
  });
});
