import { ChildProcess, fork } from 'node:child_process';

export interface ChildSpec {
  /** Shown in the log: "api", "worker". */
  name: string;
  /** The module node runs (fork). */
  modulePath: string;
  env?: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  /** First restart delay; doubled after each exit that came soon after its start, up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before it died is restarted after initialBackoffMs again. */
  stableAfterMs?: number;
  /** How long stop() waits for a child after SIGTERM before SIGKILL. */
  killAfterMs?: number;
  /** One JSON line per event; default: stdout (errors to stderr). */
  log?: (level: 'log' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
  /** Passed to fork: 'inherit' (default) or 'pipe'. */
  stdio?: 'inherit' | 'pipe';
}

interface Running {
  spec: ChildSpec;
  child: ChildProcess | null;
  startedAt: number;
  backoffMs: number;
  restarts: number;
  timer: NodeJS.Timeout | null;
}

const defaultLog: NonNullable<SupervisorOptions['log']> = (level, message, fields) => {
  const line = JSON.stringify({ level, context: 'Platform', message, timestamp: new Date().toISOString(), ...fields });
  if (level === 'log') console.log(line);
  else console.error(line);
};

/**
 * `npm start`'s process manager: runs each child (the api, a worker) as a process of its
 * own and keeps it running. A child that exits when not asked to is logged (code or
 * signal) and started again after a backoff (1 s, doubling to 30 s while it keeps dying
 * within a minute of its start); the other children are left alone, so a crashed api does
 * not stop the worker, nor the other way round. stop() (SIGINT/SIGTERM) ends them all.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private readonly opts: Required<Omit<SupervisorOptions, 'log' | 'stdio'>> & Pick<SupervisorOptions, 'log' | 'stdio'>;

  constructor(specs: ChildSpec[], opts: SupervisorOptions = {}) {
    this.opts = { initialBackoffMs: 1000, maxBackoffMs: 30_000, stableAfterMs: 60_000, killAfterMs: 10_000, ...opts };
    for (const spec of specs) this.running.set(spec.name, { spec, child: null, startedAt: 0, backoffMs: this.opts.initialBackoffMs, restarts: 0, timer: null });
  }

  private log(level: 'log' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
    (this.opts.log ?? defaultLog)(level, message, fields);
  }

  start(): void {
    for (const r of this.running.values()) this.spawn(r);
  }

  /** The pid of a running child, by name (for tests and logs). */
  pid(name: string): number | undefined {
    return this.running.get(name)?.child?.pid;
  }

  child(name: string): ChildProcess | null {
    return this.running.get(name)?.child ?? null;
  }

  restarts(name: string): number {
    return this.running.get(name)?.restarts ?? 0;
  }

  private spawn(r: Running): void {
    r.timer = null;
    if (this.stopping) return;
    const child = fork(r.spec.modulePath, [], { stdio: this.opts.stdio ?? 'inherit', env: r.spec.env ?? process.env });
    r.child = child;
    r.startedAt = Date.now();
    this.log('log', `${r.spec.name} started`, { child: r.spec.name, pid: child.pid, restarts: r.restarts });
    child.on('exit', (code, signal) => this.onExit(r, child, code, signal));
    child.on('error', (e) => this.log('error', `${r.spec.name} could not be run: ${e.message}`, { child: r.spec.name }));
  }

  private onExit(r: Running, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (r.child !== child) return;
    r.child = null;
    if (this.stopping) {
      this.log('log', `${r.spec.name} stopped`, { child: r.spec.name, pid: child.pid, code, signal });
      return;
    }
    const ranMs = Date.now() - r.startedAt;
    if (ranMs >= this.opts.stableAfterMs) r.backoffMs = this.opts.initialBackoffMs;
    const delay = r.backoffMs;
    r.backoffMs = Math.min(r.backoffMs * 2, this.opts.maxBackoffMs);
    r.restarts++;
    this.log('error', `${r.spec.name} exited (${signal ? `signal ${signal}` : `code ${code}`}) after ${ranMs} ms; restarting in ${delay} ms`, {
      child: r.spec.name,
      pid: child.pid,
      code,
      signal,
      restartInMs: delay,
      restarts: r.restarts,
    });
    r.timer = setTimeout(() => this.spawn(r), delay);
  }

  /** Ends every child (SIGTERM, then SIGKILL after killAfterMs) and restarts none. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        if (r.timer) clearTimeout(r.timer);
        const c = r.child;
        if (!c || c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), this.opts.killAfterMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
