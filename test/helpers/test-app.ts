import 'reflect-metadata';
import { INestApplication, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import IORedis from 'ioredis';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { Clock, TestClock, Role } from '@jicai/common';
import { dropDatabase, migrate } from '@jicai/database';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/app.factory';
import { serveWebConsole } from '../../apps/api/src/web-console';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };
const BASE_DB = process.env.TEST_DATABASE_BASE_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The api and the worker in one process, on a database and queue prefix of the suite's own. */
@Module({ imports: [ApiModule, WorkerModule] })
class TestPlatformModule {}

export interface TestApp {
  app: INestApplication;
  clock: TestClock;
  databaseUrl: string;
  queuePrefix: string;
  http: () => ReturnType<typeof request>;
  login(username: string, password: string): Promise<string>;
  adminToken: string;
  /** freshInstall: the first admin's password as the api printed it once in its log (ADMIN_PASSWORD unset). */
  initialAdminPassword?: string;
  /** keepDatabase: leave database and queues for another app (`reuse`), e.g. a restart with other settings. */
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export async function createTestApp(
  opts: {
    worker?: boolean;
    env?: Record<string, string>;
    reuse?: Pick<TestApp, 'databaseUrl' | 'queuePrefix'>;
    webConsole?: boolean;
    /** A private server's mysql://host:port (fault suites); default TEST_DATABASE_BASE_URL. */
    databaseBaseUrl?: string;
    /** A private redis-server's URL (fault suites); default TEST_REDIS_URL. */
    redisUrl?: string;
    /** The queue prefix as a Redis Cluster hash tag, `{jt_…}`. */
    hashTagPrefix?: boolean;
    /** Start as `npm start` on an empty database: no ADMIN_PASSWORD, the generated one read from the log. */
    freshInstall?: boolean;
  } = {},
): Promise<TestApp> {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = opts.reuse?.databaseUrl ?? `${opts.databaseBaseUrl ?? BASE_DB}/jicai_t_${id}`;
  const queuePrefix = opts.reuse?.queuePrefix ?? (opts.hashTagPrefix ? `{jt_${id}}` : `jt_${id}`);
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  delete process.env.BID_SEALING_KEYS;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: 'test-secret-0123456789abcdef',
    BID_SEALING_KEY: Buffer.alloc(32, 11).toString('base64'),
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ADMIN_ORG: 'Test Procurement Office',
    ...opts.env,
  });
  if (opts.freshInstall) delete process.env.ADMIN_PASSWORD;
  await migrate(databaseUrl);
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [opts.worker === false ? ApiModule : TestPlatformModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  configureApi(app);
  if (opts.webConsole) serveWebConsole(app);
  let initialAdminPassword: string | undefined;
  if (opts.freshInstall) {
    // the bootstrap logs the generated password once (a warning); read it as an operator reads
    // the log (the testing module's logger drops warnings, so the Logger's warn is wrapped)
    const warn = Logger.prototype.warn;
    Logger.prototype.warn = function (this: Logger, message: unknown, ...rest: unknown[]) {
      const m = /has the generated password (\S+)/.exec(String(message));
      if (m) initialAdminPassword = m[1];
      return warn.call(this, message, ...(rest as []));
    };
    try {
      await app.init();
    } finally {
      Logger.prototype.warn = warn;
    }
    if (!initialAdminPassword) {
      await app.close();
      throw new Error('the api printed no generated admin password');
    }
  } else await app.init();
  const http = () => request(app.getHttpServer());
  const login = async (username: string, password: string) => {
    const res = await http().post('/api/v1/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  const adminToken = await login(ADMIN.username, initialAdminPassword ?? ADMIN.password);
  return {
    app,
    clock,
    databaseUrl,
    queuePrefix,
    http,
    login,
    adminToken,
    initialAdminPassword,
    async close(closeOpts?: { keepDatabase?: boolean }) {
      await app.close();
      if (closeOpts?.keepDatabase) return;
      await dropDatabase(databaseUrl);
      await clearQueues(redisUrl, queuePrefix);
    },
  };
}

async function clearQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

let seq = 0;
/** Creates an organisation and a user in it (through the API, as the admin); returns a token. */
export async function createOrgUser(t: TestApp, type: 'SUPPLIER' | 'HOSPITAL' | 'FUND' | 'PROCUREMENT_OFFICE', name?: string) {
  const n = ++seq;
  const code = `${type.slice(0, 3)}-${process.pid}-${n}`;
  const org = await t
    .http()
    .post('/api/v1/organizations')
    .set('Authorization', `Bearer ${t.adminToken}`)
    .send({ name: name ?? `${type} ${n}`, code, type, ...(type === 'HOSPITAL' ? { level: 'SECONDARY' } : {}) });
  if (org.status !== 201) throw new Error(`create org: ${org.status} ${JSON.stringify(org.body)}`);
  const username = `u${n}_${code}`.toLowerCase();
  const password = 'password-123';
  const user = await t.http().post('/api/v1/users').set('Authorization', `Bearer ${t.adminToken}`).send({ username, password, organizationId: org.body.id });
  if (user.status !== 201) throw new Error(`create user: ${user.status} ${JSON.stringify(user.body)}`);
  const token = await t.login(username, password);
  return { orgId: org.body.id as number, userId: user.body.id as number, token, username, role: user.body.role as Role };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Polls GET /jobs/:jobId until the job finishes (the worker runs in this process). */
export async function waitForJob(t: TestApp, token: string, jobId: string, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http().get(`/api/v1/jobs/${jobId}`).set(bearer(token));
    if (res.status !== 200) throw new Error(`job ${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.state === 'completed' || res.body.state === 'failed') return res.body;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${res.body.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
