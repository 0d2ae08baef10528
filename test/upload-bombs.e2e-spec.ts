import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { BOMBS } from '@jicai/spreadsheets';
import { ADMIN, createTestApp, TestApp } from './helpers/test-app';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..');
const MB = 1024 * 1024;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Resident memory of a process now and at its peak (VmRSS, VmHWM), in bytes. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Issue 8 item 2, mounted for real: the api runs as a process of its own (so its resident
 * memory can be read), and every kind of spreadsheet bomb is uploaded several at once. Each
 * answer must be a 4xx naming the bound (413 SPREADSHEET_TOO_LARGE) or 429 TOO_MANY_IMPORTS,
 * /health must answer throughout, and the api must stay under 512 MB resident. Unbounded,
 * one of these files took the api from 160 MB to 1.6 GB and five killed it.
 */
describe('spreadsheet bombs against a running api (e2e, separate process)', () => {
  let t: TestApp;
  let api: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    // A database and queue prefix of the suite's own (migrated, admin created); the api under test is the child.
    t = await createTestApp({ worker: false });
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    api = spawn(process.execPath, ['--require', path.join(ROOT, 'test/helpers/swc-register.js'), path.join(ROOT, 'apps/api/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, QUEUE_PREFIX: t.queuePrefix, PORT: String(port), NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    api.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const end = Date.now() + 60_000;
    for (;;) {
      if (api.exitCode !== null) throw new Error(`api exited:\n${output.slice(-3000)}`);
      if (Date.now() > end) throw new Error(`api did not start:\n${output.slice(-3000)}`);
      try {
        if ((await fetch(`${base}/health`)).status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => {
    if (api && api.exitCode === null) {
      api.kill('SIGKILL');
      await new Promise((r) => api.once('exit', r));
    }
    await t?.close();
  });

  it('answers every bomb with a 4xx naming its bound, several at once, keeping /health up and memory under 512 MB', async () => {
    const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const upload = async (file: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([file]), 'bomb.xlsx');
      const t0 = Date.now();
      const res = await fetch(`${base}/catalog/products/import`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, body: form });
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: (await res.json()) as { code: string; message: string },
        ms: Date.now() - t0,
      };
    };
    const bombs = Object.entries(BOMBS).map(([kind, build]) => ({ kind, file: build() }));
    const baseline = rssOf(api.pid!).rss;

    // /health and memory sampled throughout.
    let sampling = true;
    const health: { status: number; ms: number }[] = [];
    let maxRss = 0;
    const sampler = (async () => {
      while (sampling) {
        const t0 = Date.now();
        const res = await fetch(`${base}/health`).catch(() => null);
        health.push({ status: res?.status ?? 0, ms: Date.now() - t0 });
        maxRss = Math.max(maxRss, rssOf(api.pid!).rss);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    // Every kind twice, all at once (8 uploads: the upload bound; 2 are parsed at a time).
    const first = await Promise.all([...bombs, ...bombs].map(async (b) => ({ kind: b.kind, ...(await upload(b.file)) })));
    // More than the upload bound at once: the extra ones are told to come back at once (429), before their body is read.
    const slow = bombs.find((b) => b.kind === 'bigPart')!.file;
    const crowd = await Promise.all(Array.from({ length: 12 }, () => upload(slow)));
    expect(crowd.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    for (const r of crowd) expect([r.status, r.body.code]).toEqual(r.status === 429 ? [429, 'TOO_MANY_IMPORTS'] : [413, 'SPREADSHEET_TOO_LARGE']);
    // Those told to come back (429) are sent again one by one, so every kind is refused by its bound.
    const retried = [];
    for (const r of first.filter((x) => x.status === 429)) retried.push({ kind: r.kind, ...(await upload(bombs.find((b) => b.kind === r.kind)!.file)) });
    sampling = false;
    await sampler;

    const limitOf: Record<string, RegExp> = {
      sharedStrings: /more than [\d,]+ shared strings \(the limit\)/,
      blankRows: /more than [\d,]+ rows, blank rows included \(the limit\)/,
      wideRow: /cells beyond column 256 \(the limit of cells per row\)/,
      bigPart: /expands to more than [\d,]+ bytes \(the limit\)/,
    };
    for (const r of [...first, ...retried]) {
      if (r.status === 429) {
        expect([r.kind, r.body.code, r.retryAfter]).toEqual([r.kind, 'TOO_MANY_IMPORTS', '2']);
        continue;
      }
      expect([r.kind, r.status, r.body.code]).toEqual([r.kind, 413, 'SPREADSHEET_TOO_LARGE']);
      expect(r.body.message).toMatch(limitOf[r.kind]);
    }
    for (const kind of Object.keys(BOMBS)) expect([kind, [...first, ...retried].some((r) => r.kind === kind && r.status === 413)]).toEqual([kind, true]);
    // Alone, a refusal takes 0.05-0.8 s of the api's time; bounded generously here for a busy machine.
    for (const r of retried) expect([r.kind, r.ms < 10_000]).toEqual([r.kind, true]);

    expect(health.length).toBeGreaterThan(3);
    expect(health.filter((h) => h.status !== 200)).toEqual([]);
    const peak = rssOf(api.pid!).peak;
    // Logged for the notes: what the bombs cost.
    console.log(
      `upload bombs: baseline RSS ${Math.round(baseline / MB)} MB, max sampled ${Math.round(maxRss / MB)} MB, peak (VmHWM) ${Math.round(peak / MB)} MB; ` +
        `health max ${Math.max(...health.map((h) => h.ms))} ms over ${health.length} probes; answers ${first.map((r) => `${r.kind}:${r.status}:${r.ms}ms`).join(' ')}; 12 at once: ${crowd.map((r) => r.status).join(',')}`,
    );
    expect(peak).toBeLessThan(512 * MB);
    expect(api.exitCode).toBeNull();
  });
});
