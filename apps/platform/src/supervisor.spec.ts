import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from './supervisor';

jest.setTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'jicai-supervisor-'));
const script = (name: string, body: string) => {
  const p = join(dir, `${name}.js`);
  writeFileSync(p, body);
  return p;
};
const LONG_LIVED = script('long', 'setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0));');
const DIES_AT_ONCE = script('dies', 'process.exit(3);');

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Supervisor (npm start runs api and worker as children)', () => {
  it('restarts a child that dies, logging it, and leaves the other child untouched', async () => {
    const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const s = new Supervisor(
      [
        { name: 'api', modulePath: LONG_LIVED },
        { name: 'worker', modulePath: LONG_LIVED },
      ],
      { initialBackoffMs: 100, log: (level, message, fields) => lines.push({ level, message, fields }) },
    );
    s.start();
    try {
      await until('both children', () => !!s.pid('api') && !!s.pid('worker'));
      const [api, worker] = [s.pid('api')!, s.pid('worker')!];
      process.kill(api, 'SIGKILL');
      await until('the api back', () => !!s.pid('api') && s.pid('api') !== api);
      expect(alive(api)).toBe(false);
      expect(s.pid('worker')).toBe(worker); // not restarted...
      expect(alive(worker)).toBe(true); // ...and not stopped
      expect(s.restarts('api')).toBe(1);
      expect(s.restarts('worker')).toBe(0);
      const exit = lines.find((l) => l.level === 'error');
      expect(exit?.message).toMatch(/^api exited \(signal SIGKILL\) after \d+ ms; restarting in 100 ms$/);
      expect(exit?.fields).toMatchObject({ child: 'api', pid: api, signal: 'SIGKILL', restartInMs: 100, restarts: 1 });
      // And the other way round: the worker dies, the api stays.
      const api2 = s.pid('api')!;
      process.kill(worker, 'SIGKILL');
      await until('the worker back', () => !!s.pid('worker') && s.pid('worker') !== worker);
      expect(s.pid('api')).toBe(api2);
      expect(alive(api2)).toBe(true);
    } finally {
      await s.stop();
    }
    expect(s.pid('api')).toBeUndefined();
    expect(s.pid('worker')).toBeUndefined();
  });

  it('backs off, doubling the delay while a child keeps dying soon after its start, up to the maximum', async () => {
    const delays: unknown[] = [];
    const s = new Supervisor([{ name: 'api', modulePath: DIES_AT_ONCE }], {
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      log: (level, _m, fields) => level === 'error' && delays.push(fields.restartInMs),
    });
    s.start();
    await until('five restarts', () => delays.length >= 5);
    await s.stop();
    expect(delays.slice(0, 5)).toEqual([50, 100, 200, 200, 200]);
  });

  it('stop() ends every child and restarts none', async () => {
    const s = new Supervisor([{ name: 'worker', modulePath: LONG_LIVED }], { initialBackoffMs: 50, log: () => undefined });
    s.start();
    await until('the child', () => !!s.pid('worker'));
    const pid = s.pid('worker')!;
    await s.stop();
    expect(alive(pid)).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(s.pid('worker')).toBeUndefined();
  });
});
