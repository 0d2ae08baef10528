import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import IORedis from 'ioredis';
import { dropDatabase } from '@jicai/database';
import { ADMIN } from './helpers/test-app';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..');
const BASE_DB = process.env.TEST_DATABASE_BASE_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface SupervisorLine {
  context?: string;
  message?: string;
  child?: string;
  pid?: number;
}

/**
 * `npm start` for real (apps/platform/src/main.ts, the TypeScript run as under jest): it
 * migrates, then runs the api and a worker as children. The api is SIGKILLed, as a crash or
 * the kernel's OOM killer would: the platform must log it, start it again (the api answers
 * /health again), and leave the worker running with the same pid.
 */
describe('npm start supervises the api and the worker (e2e, separate processes)', () => {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `${BASE_DB}/jicai_t_${id}`;
  const queuePrefix = `jt_${id}`;
  let platform: ChildProcess;
  let output = '';
  const lines = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as SupervisorLine];
        } catch {
          return [];
        }
      })
      .filter((l) => l.context === 'Platform');
  const started = (child: string) => lines().filter((l) => l.message === `${child} started`);
  const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 90_000) => {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (platform.exitCode !== null) throw new Error(`platform exited while waiting for ${what}:\n${output.slice(-3000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  afterAll(async () => {
    if (platform && platform.exitCode === null) {
      platform.kill('SIGKILL');
      await new Promise((r) => platform.once('exit', r));
    }
    for (const l of lines()) if (l.pid && alive(l.pid)) process.kill(l.pid, 'SIGKILL');
    await dropDatabase(databaseUrl);
    const redis = new IORedis(REDIS_URL);
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('restarts a killed api, logging it, while the worker keeps running; SIGTERM stops both', async () => {
    const port = await freePort();
    const health = `http://127.0.0.1:${port}/api/v1/health`;
    platform = spawn(process.execPath, ['--require', path.join(ROOT, 'test/helpers/swc-register.js'), path.join(ROOT, 'apps/platform/src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        JWT_SECRET: 'test-secret-0123456789abcdef',
        BID_SEALING_KEY: Buffer.alloc(32, 11).toString('base64'),
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        ADMIN_ORG: 'Test Procurement Office',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    platform.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    platform.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const up = async () => (await fetch(health).catch(() => null))?.status === 200;

    await until('api and worker', async () => started('api').length === 1 && started('worker').length === 1 && (await up()));
    await until('the worker to start', () => output.includes('worker started'));
    const api = started('api')[0].pid!;
    const worker = started('worker')[0].pid!;

    process.kill(api, 'SIGKILL');
    await until('the api again', async () => started('api').length === 2 && (await up()));
    const exit = lines().find((l) => l.child === 'api' && /exited \(signal SIGKILL\)/.test(l.message ?? ''));
    expect(exit).toMatchObject({ pid: api, restarts: 1 });
    expect(started('api')[1].pid).not.toBe(api);
    expect(alive(api)).toBe(false);
    // The worker was neither stopped nor restarted.
    expect(started('worker').map((l) => l.pid)).toEqual([worker]);
    expect(alive(worker)).toBe(true);

    platform.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => platform.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(alive(started('api')[1].pid!)).toBe(false);
    expect(alive(worker)).toBe(false);
  });
});
