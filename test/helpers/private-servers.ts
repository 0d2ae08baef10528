import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { createConnection } from 'mysql2/promise';

/**
 * Private redis-server and mariadbd instances for the fault suites: each on free ports and in
 * a temp folder of its own, so killing or restarting one disturbs no other suite. `stop()`
 * kills whatever is still running and deletes the folder (call it in afterAll, even after a
 * failure).
 */

const run = promisify(execFile);

/** A TCP port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it resolves true, or throws after `timeoutMs` with `what` and `detail()`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, detail: () => string = () => ''): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not after ${timeoutMs} ms\n${detail().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function launch(cmd: string, args: string[]): Proc {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  return { child, exited, output: () => out };
}

async function killProc(p: Proc | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILL: no shutdown save; only what the append-only file has survives. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder (the AOF is replayed). */
  start(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * redis-server with appendonly yes and appendfsync always: every write is on disk before it is
 * answered, so a SIGKILL loses nothing (production: AOF, appendfsync everysec loses at most ~1 s).
 */
export async function startPrivateRedis(opts: { timeoutMs?: number } = {}): Promise<PrivateRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jicai-redis-'));
  const port = await freePort();
  let proc: Proc | undefined;
  let log = '';
  const start = async () => {
    proc = launch('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--daemonize',
      'no',
    ]);
    const p = proc;
    await waitFor(
      `redis-server on ${port}`,
      async () => {
        const c = new IORedis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await c.connect();
          // Loading the AOF answers -LOADING until done.
          return (await c.ping()) === 'PONG';
        } finally {
          c.disconnect();
        }
      },
      opts.timeoutMs ?? 20_000,
      () => log + p.output(),
    );
  };
  const kill = async () => {
    await killProc(proc);
    log += proc?.output() ?? '';
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    output: () => log + (proc?.output() ?? ''),
  };
}

export interface PrivateMariadb {
  port: number;
  /** mysql://root@127.0.0.1:<port> (no database): TEST_DATABASE_BASE_URL's form. */
  baseUrl: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/** mariadbd on a fresh data folder (mariadb-install-db), root without a password on 127.0.0.1. */
export async function startPrivateMariadb(opts: { timeoutMs?: number } = {}): Promise<PrivateMariadb> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jicai-mariadb-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  await run(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${os.userInfo().username}`],
    {
      timeout: timeoutMs,
    },
  );
  let proc: Proc | undefined;
  let log = '';
  const start = async () => {
    proc = launch('/usr/sbin/mariadbd', [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(dir, 'sock')}`,
      `--pid-file=${path.join(dir, 'pid')}`,
      `--user=${os.userInfo().username}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=1',
      '--max-connections=300',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
    ]);
    const p = proc;
    await waitFor(
      `mariadbd on ${port}`,
      async () => {
        const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
        try {
          await c.query('SELECT 1');
          return true;
        } finally {
          await c.end();
        }
      },
      timeoutMs,
      () => log + p.output(),
    );
  };
  const kill = async () => {
    await killProc(proc);
    log += proc?.output() ?? '';
  };
  await start();
  return {
    port,
    baseUrl: `mysql://root@127.0.0.1:${port}`,
    kill,
    start,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    output: () => log + (proc?.output() ?? ''),
  };
}

export interface PrivateRedisCluster {
  ports: number[];
  /** REDIS_CLUSTER_NODES: 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 */
  nodes: string;
  stop(): Promise<void>;
  output(): string;
}

/** Three masters (`--cluster-enabled yes`), slots assigned by `redis-cli --cluster create`, no replicas. */
export async function startPrivateRedisCluster(opts: { masters?: number; timeoutMs?: number } = {}): Promise<PrivateRedisCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jicai-cluster-'));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const ports: number[] = [];
  const procs: Proc[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => killProc(p)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < (opts.masters ?? 3); i++) {
      const port = await freePort();
      ports.push(port);
      procs.push(
        launch('redis-server', [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '5000',
          '--dir',
          dir,
          '--appendonly',
          'no',
          '--save',
          '',
        ]),
      );
    }
    for (const port of ports) {
      await waitFor(
        `cluster node ${port}`,
        async () => {
          const c = new IORedis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
          try {
            await c.connect();
            return (await c.ping()) === 'PONG';
          } finally {
            c.disconnect();
          }
        },
        timeoutMs,
      );
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: timeoutMs });
    // Every node must agree that all 16384 slots are served before clients connect.
    await waitFor(
      'cluster_state:ok on every node',
      async () => {
        for (const port of ports) {
          const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
          if (!/cluster_state:ok/.test(stdout) || !/cluster_slots_assigned:16384/.test(stdout)) return false;
        }
        return true;
      },
      timeoutMs,
    );
  } catch (e) {
    const out = procs.map((p) => p.output()).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${out.slice(-3000)}`, { cause: e });
  }
  return { ports, nodes: ports.map((p) => `127.0.0.1:${p}`).join(','), stop, output: () => procs.map((p) => p.output()).join('\n') };
}
