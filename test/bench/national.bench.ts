/**
 * The national round benchmark (issue 11): a synthetic procurement round played through the
 * HTTP API and the worker of this process, at `small`, `medium` or `national` scale, with
 * the floor of each stage measured on the same data. Prints `BENCH <name> <value> <unit>`
 * lines and checks the results to the fen (the CI smoke runs `small` and asserts the checks).
 *
 * Set-up that is not measured (tokens of 50,000 users) is done directly: the bench signs
 * the tokens a login would give, as the platform's own JwtService does.
 */
import 'reflect-metadata';
import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import ExcelJS from 'exceljs';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { Clock, Dec, TestClock } from '@jicai/common';
import { dropDatabase, migrate } from '@jicai/database';
import { readXlsxRows } from '@jicai/spreadsheets';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/app.factory';
import { WorkerModule } from '../../apps/worker/src/worker.module';

@Module({ imports: [ApiModule, WorkerModule] })
class BenchPlatformModule {}

export type ScaleName = 'small' | 'medium' | 'national';

export interface Scale {
  name: ScaleName;
  items: number;
  hospitals: number;
  suppliers: number;
  /** Item × group rows each hospital reports (of items × 2). */
  demandPerHospital: number;
  /** Bids per item × group, drawn in [min, max]. */
  bidsMin: number;
  bidsMax: number;
  deliveries: number;
  burst: number;
  quotes: number;
}

export const SCALES: Record<ScaleName, Scale> = {
  small: { name: 'small', items: 3, hospitals: 120, suppliers: 6, demandPerHospital: 6, bidsMin: 2, bidsMax: 4, deliveries: 600, burst: 100, quotes: 400 },
  medium: {
    name: 'medium',
    items: 10,
    hospitals: 5000,
    suppliers: 30,
    demandPerHospital: 20,
    bidsMin: 2,
    bidsMax: 10,
    deliveries: 50_000,
    burst: 500,
    quotes: 4000,
  },
  national: {
    name: 'national',
    items: 60,
    hospitals: 50_000,
    suppliers: 120,
    demandPerHospital: 60,
    bidsMin: 2,
    bidsMax: 11,
    deliveries: 1_000_000,
    burst: 2000,
    quotes: 20_000,
  },
};

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

export interface BenchOutcome {
  scale: ScaleName;
  figures: BenchFigure[];
  /** Correctness checks: name → passed (with what was compared). */
  checks: { name: string; ok: boolean; detail: string }[];
}

const GROUPS = ['A', 'B'] as const;
const TIER = { A: 'REFERENCE', B: 'GENERIC' } as const;
const PACK = 28;
const DEMAND_FILE_ROWS = 5000;
const DELIVERY_FILE_ROWS = 20000;
const BASE_DB = process.env.BENCH_DATABASE_BASE_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** mulberry32: a small seeded PRNG, so every run builds the same round. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `n` tasks with at most `concurrency` at once; returns each task's latency in ms and its failures. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ latencies: number[]; failures: string[]; seconds: number }> {
  const latencies: number[] = new Array(n);
  const failures: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const s = performance.now();
        try {
          await task(i);
        } catch (e) {
          failures.push((e as Error).message.slice(0, 300));
        }
        latencies[i] = performance.now() - s;
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - t0) / 1000 };
}

const p99 = (xs: number[]) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] : 0;
};

/** An xlsx of one sheet, written with exceljs's streaming writer (as large files are). */
async function xlsx(sheet: string, rows: (string | number | null)[][]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

class Http {
  constructor(private readonly base: string) {}

  async call(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(this.base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }

  async ok(method: string, path: string, token: string | null, body?: unknown): Promise<any> {
    const r = await this.call(method, path, token, body);
    if (r.status >= 400) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
    return r.body;
  }

  /** Uploads as a well-behaved client does: a 429 TOO_MANY_IMPORTS is retried after its Retry-After. */
  async upload(path: string, token: string, file: Buffer): Promise<{ status: number; body: any }> {
    for (let attempt = 1; ; attempt++) {
      const form = new FormData();
      form.append('file', new Blob([file], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'bench.xlsx');
      const res = await fetch(this.base + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      if (res.status === 429 && attempt < 60) {
        await res.arrayBuffer();
        await sleep(Math.max(1, Number(res.headers.get('retry-after')) || 1) * 1000);
        continue;
      }
      return { status: res.status, body: await res.json().catch(() => null) };
    }
  }

  async uploadOk(path: string, token: string, file: Buffer): Promise<any> {
    const r = await this.upload(path, token, file);
    if (r.status !== 202) throw new Error(`upload ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 600)}`);
    return r.body;
  }

  async job(jobId: string, token: string, timeoutMs = 3_600_000): Promise<any> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const j = await this.ok('GET', `/jobs/${jobId}`, token);
      if (j.state === 'completed') return j;
      if (j.state === 'failed') throw new Error(`job ${jobId} failed: ${j.failedReason}`);
      if (Date.now() > end) throw new Error(`job ${jobId} still ${j.state}`);
      await sleep(50);
    }
  }
}

/**
 * Plays the round. `log` receives each figure as it is measured (the runner prints it).
 */
export async function runNationalBench(scale: Scale, log: (f: BenchFigure) => void = () => undefined): Promise<BenchOutcome> {
  const figures: BenchFigure[] = [];
  const checks: BenchOutcome['checks'] = [];
  const figure = (name: string, value: number, unit: string) => {
    const f = { name, value: Number(value.toFixed(unit === 'ratio' ? 3 : 2)), unit };
    figures.push(f);
    log(f);
  };
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const random = prng(20261130);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

  const id = `${scale.name}_${process.pid}`;
  const databaseUrl = `${BASE_DB}/jicai_bench_${id}`;
  const queuePrefix = `jb_${id}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: 'bench-secret-0123456789abcdef',
    BID_SEALING_KEY: Buffer.alloc(32, 7).toString('base64'),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'admin-password-bench',
    ADMIN_ORG: 'Bench Procurement Office',
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4',
  });
  await dropDatabase(databaseUrl);
  await migrate(databaseUrl);
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [BenchPlatformModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  configureApi(app);
  await app.listen(0, '127.0.0.1');
  // Keep idle connections longer than the client does, so a reused socket is never one the
  // server is closing (undici then fails the request with ECONNRESET).
  Object.assign(app.getHttpServer(), { keepAliveTimeout: 120_000, headersTimeout: 121_000 });
  const http = new Http(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`);
  const ds = app.get(DataSource);
  const jwt = app.get(JwtService);
  const sign = (u: { id: number; username: string; organizationId: number; role: string }) =>
    jwt.signAsync({ sub: String(u.id), username: u.username, organizationId: u.organizationId, role: u.role, tv: 0 });
  const q1 = async (sql: string, params: unknown[] = []) => (await ds.query(sql, params))[0];

  try {
    const admin = (await http.ok('POST', '/auth/login', null, { username: 'admin', password: 'admin-password-bench' })).accessToken as string;

    // ------------------------------------------------------------ organisations and users
    const orgRows: (string | number | null)[][] = [['code', 'name', 'type', 'level', 'username']];
    for (let i = 0; i < scale.hospitals; i++) orgRows.push([`H${i}`, `医院 ${i}`, 'HOSPITAL', ['PRIMARY', 'SECONDARY', 'TERTIARY'][i % 3], `h${i}`]);
    for (let i = 0; i < scale.suppliers; i++) orgRows.push([`S${i}`, `企业 ${i}`, 'SUPPLIER', null, `s${i}`]);
    orgRows.push(['FUND', '医保基金', 'FUND', null, 'fund']);
    let t0 = performance.now();
    // Files of at most 25,000 rows (the import takes 50,000; national scale has 50,121 rows).
    for (let i = 1; i < orgRows.length; i += 25_000) {
      const orgJob = await http.uploadOk('/organizations/import', admin, await xlsx('Organizations', [orgRows[0], ...orgRows.slice(i, i + 25_000)]));
      await http.job(orgJob.jobId, admin);
    }
    const orgS = (performance.now() - t0) / 1000;
    figure('org_import_rows_per_s', (orgRows.length - 1) / orgS, 'rows/s');
    const users: { id: number; username: string; organization_id: number; code: string; type: string }[] = await ds.query(
      "SELECT u.id, u.username, u.organization_id, o.code, o.type FROM users u JOIN organizations o ON o.id = u.organization_id WHERE o.code <> 'PROCUREMENT-OFFICE' ORDER BY u.id",
    );
    const roleOf: Record<string, string> = { HOSPITAL: 'HOSPITAL', SUPPLIER: 'SUPPLIER', FUND: 'FUND' };
    const tokenOf = new Map<number, string>();
    const hospitals: number[] = [];
    const suppliers: number[] = [];
    let fundToken = '';
    for (const u of users) {
      const token = await sign({ id: Number(u.id), username: u.username, organizationId: Number(u.organization_id), role: roleOf[u.type] });
      tokenOf.set(Number(u.organization_id), token);
      if (u.type === 'HOSPITAL') hospitals.push(Number(u.organization_id));
      else if (u.type === 'SUPPLIER') suppliers.push(Number(u.organization_id));
      else fundToken = token;
    }
    check(
      'organisations imported',
      hospitals.length === scale.hospitals && suppliers.length === scale.suppliers,
      `${hospitals.length} hospitals, ${suppliers.length} suppliers`,
    );

    // ------------------------------------------------------------ batch and items
    const now = clock.now();
    const day = 86_400_000;
    const batch = await http.ok('POST', '/batches', admin, {
      code: `BENCH-${scale.name}`,
      name: `Bench round (${scale.name})`,
      biddingOpensAt: new Date(now.getTime() - day).toISOString(),
      biddingClosesAt: new Date(now.getTime() + 2 * day).toISOString(),
      openingAt: new Date(now.getTime() + 2 * day + 60_000).toISOString(),
      agreementStart: new Date(now.getTime() + 3 * day).toISOString().slice(0, 10),
      agreementMonths: 12,
      // Deliveries by spreadsheet without purchase orders: orders have no bulk path yet.
      // No publicity period: the award follows the evaluation at once.
      rules: { ordersRequired: false, publicityDays: 0 },
    });
    const items: { id: number; name: string }[] = [];
    for (let i = 0; i < scale.items; i++) {
      const name = `通用名${i}`;
      const item = await http.ok('POST', `/batches/${batch.id}/items`, admin, {
        genericName: name,
        dosageForm: '片剂',
        representativeStrength: { value: '2.5', unit: 'mg' },
        ceilingUnitPrice: '0.5000',
      });
      items.push({ id: item.id, name });
    }
    await http.ok('POST', `/batches/${batch.id}/publish`, admin);

    // ------------------------------------------------------------ products (one per bid)
    type Bid = { supplierId: number; itemId: number; group: string; productId: number; bidId?: number };
    const bids: Bid[] = [];
    const productRows: (string | number | null)[][] = [
      ['genericName', 'dosageForm', 'strengthValue', 'strengthUnit', 'packSize', 'smallestUnit', 'qualityTier', 'supplierId', 'approvalNumber'],
    ];
    let s = 0;
    for (const item of items) {
      for (const g of GROUPS) {
        const n = Math.min(int(scale.bidsMin, scale.bidsMax), suppliers.length);
        for (let k = 0; k < n; k++) {
          const supplierId = suppliers[s++ % suppliers.length];
          if (bids.some((b) => b.supplierId === supplierId && b.itemId === item.id && b.group === g)) continue;
          bids.push({ supplierId, itemId: item.id, group: g, productId: 0 });
          productRows.push([item.name, '片剂', '2.5', 'mg', PACK, '片', TIER[g], supplierId, `BENCH-${item.id}-${g}-${supplierId}`]);
        }
      }
    }
    for (let i = 1; i < productRows.length; i += 5000) {
      const file = await xlsx('Products', [productRows[0], ...productRows.slice(i, i + 5000)]);
      await http.job((await http.uploadOk('/catalog/products/import', admin, file)).jobId, admin);
    }
    const productIds = new Map<string, number>();
    for (const p of await ds.query("SELECT id, approval_number FROM products WHERE approval_number LIKE 'BENCH-%'"))
      productIds.set(p.approval_number, Number(p.id));
    for (const b of bids) b.productId = productIds.get(`BENCH-${b.itemId}-${b.group}-${b.supplierId}`)!;

    // ------------------------------------------------------------ demand by spreadsheet
    const pairs = items.flatMap((it) => GROUPS.map((g) => ({ itemId: it.id, group: g })));
    const perHospital = Math.min(scale.demandPerHospital, pairs.length);
    const demandFiles: Buffer[] = [];
    let demandRows = 0;
    let demandUnits = 0;
    let rows: (string | number | null)[][] = [];
    const header = ['hospitalId', 'itemId', 'group', 'quantity'];
    const flush = async () => {
      if (!rows.length) return;
      demandFiles.push(await xlsx('Demand', [header, ...rows]));
      rows = [];
    };
    // Files by hospital group: each file holds whole hospitals, in hospital order.
    for (const [h, hospitalId] of hospitals.entries()) {
      for (let k = 0; k < perHospital; k++) {
        const pair = pairs[(h + k) % pairs.length];
        const quantity = int(100, 20000);
        rows.push([hospitalId, pair.itemId, pair.group, quantity]);
        demandRows++;
        demandUnits += quantity;
      }
      if (rows.length + perHospital > DEMAND_FILE_ROWS) await flush();
    }
    await flush();
    t0 = performance.now();
    const demandJobs: string[] = [];
    await pool(demandFiles.length, 2, async (i) => {
      demandJobs.push((await http.uploadOk(`/batches/${batch.id}/demand/import`, admin, demandFiles[i])).jobId);
    });
    for (const j of demandJobs) await http.job(j, admin);
    const demandS = (performance.now() - t0) / 1000;
    figure('demand_import_rows', demandRows, 'rows');
    figure('demand_import_rows_per_s', demandRows / demandS, 'rows/s');
    const stored = await q1('SELECT COUNT(*) AS n, COALESCE(SUM(quantity), 0) AS units FROM demands WHERE batch_id = ?', [batch.id]);
    check(
      'demand rows and units stored',
      Number(stored.n) === demandRows && Number(stored.units) === demandUnits,
      `${stored.n}/${demandRows} rows, ${stored.units}/${demandUnits} units`,
    );

    // Floor: the same files read by the exceljs streaming reader alone, and the same rows
    // written with mysql2 multi-row INSERTs alone (into a copy of the table); one file at a
    // time, so memory holds one file's rows (3 million rows at national scale never at once).
    await ds.query('CREATE TABLE bench_floor_demands LIKE demands');
    let readS = 0;
    let insertS = 0;
    const nowDate = new Date();
    for (const f of demandFiles) {
      t0 = performance.now();
      const fileRows: unknown[][] = [];
      let first = true;
      for await (const r of readXlsxRows(f)) {
        if (first) {
          first = false;
          continue;
        }
        fileRows.push(r.cells);
      }
      readS += (performance.now() - t0) / 1000;
      t0 = performance.now();
      for (let i = 0; i < fileRows.length; i += 1000) {
        await ds.query('INSERT INTO bench_floor_demands (batch_id, item_id, hospital_id, group_name, quantity, updated_at) VALUES ?', [
          fileRows.slice(i, i + 1000).map((c) => [batch.id, c[1], c[0], c[2], c[3], nowDate]),
        ]);
      }
      insertS += (performance.now() - t0) / 1000;
    }
    await ds.query('DROP TABLE bench_floor_demands');
    demandFiles.length = 0;
    figure('demand_floor_read_rows_per_s', demandRows / readS, 'rows/s');
    figure('demand_floor_insert_rows_per_s', demandRows / insertS, 'rows/s');
    figure('demand_import_vs_floor', demandS / (readS + insertS), 'ratio');

    // ------------------------------------------------------------ bids, then the burst
    const price = () => new Dec(int(800, 1350)).div(100).toFixed(2);
    const lockBefore = await rowLockStatus(ds);
    await pool(bids.length, 8, async (i) => {
      const b = bids[i];
      const res = await http.ok('POST', `/batches/${batch.id}/bids`, tokenOf.get(b.supplierId)!, {
        itemId: b.itemId,
        productId: b.productId,
        packPrice: price(),
        supplyCapacity: 1_000_000_000,
      });
      b.bidId = res.id;
    });
    figure('bids', bids.length, 'bids');
    // Near the deadline: the burst replaces live bids at new prices, 2,000 requests at once.
    clock.set(new Date(now.getTime() + 2 * day - 60_000));
    const accepted: number[] = [];
    const burst = await pool(scale.burst, 64, async (i) => {
      const b = bids[i % bids.length];
      const res = await http.call('POST', `/batches/${batch.id}/bids`, tokenOf.get(b.supplierId)!, {
        itemId: b.itemId,
        productId: b.productId,
        packPrice: price(),
        supplyCapacity: 1_000_000_000,
      });
      if (res.status !== 201) throw new Error(`bid ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      accepted.push(res.body.id);
    });
    const lockAfter = await rowLockStatus(ds);
    const found = accepted.length ? Number((await q1('SELECT COUNT(*) AS n FROM bids WHERE id IN (?)', [accepted])).n) : 0;
    const lost = scale.burst - found;
    figure('bid_burst_per_s', scale.burst / burst.seconds, 'bids/s');
    figure('bid_burst_p99_ms', p99(burst.latencies), 'ms');
    figure('bid_burst_lost', lost, 'bids');
    figure('bid_burst_row_lock_waits', lockAfter.waits - lockBefore.waits, 'waits');
    figure('bid_burst_row_lock_ms', lockAfter.ms - lockBefore.ms, 'ms');
    check(
      'no bid of the burst lost',
      lost === 0 && burst.failures.length === 0,
      `${found}/${scale.burst} stored; failures: ${burst.failures.slice(0, 3).join(' | ')}`,
    );
    // Every item × group has exactly one live bid per supplier that bid in it.
    const live = Number((await q1('SELECT COUNT(*) AS n FROM bids WHERE batch_id = ? AND live = 1', [batch.id])).n);
    check('one live bid per supplier × item × group', live === bids.length, `${live} live, ${bids.length} expected`);

    // ------------------------------------------------------------ opening, scores, evaluation, award
    clock.set(new Date(now.getTime() + 2 * day + 120_000));
    await http.job((await http.ok('POST', `/batches/${batch.id}/open`, admin)).jobId, admin);
    const opened: { id: number }[] = await ds.query('SELECT id FROM bids WHERE batch_id = ? AND live = 1', [batch.id]);
    const scoreRows: (string | number | null)[][] = [['bidId', 'criterion', 'points', 'maxPoints']];
    for (const b of opened) scoreRows.push([Number(b.id), 'technical review', int(20, 40), 40]);
    await http.job((await http.uploadOk(`/batches/${batch.id}/technical-scores/import`, admin, await xlsx('Scores', scoreRows))).jobId, admin);
    t0 = performance.now();
    await http.job((await http.ok('POST', `/batches/${batch.id}/evaluate`, admin)).jobId, admin);
    figure('evaluation_s', (performance.now() - t0) / 1000, 's');
    await http.ok('POST', `/batches/${batch.id}/award`, admin);

    // ------------------------------------------------------------ claim quotes, and the bare endpoint
    // Once the award has set the payment standards (early in the round, so that a national run
    // stopped before its end still measures them; nothing else runs meanwhile, as at the end).
    const quoteProducts = bids.map((b) => b.productId);
    const someHospital = tokenOf.get(hospitals[0])!;
    const quotes = await pool(scale.quotes, 32, async (i) => {
      await http.ok('POST', '/reimbursement/quote', someHospital, {
        productId: quoteProducts[i % quoteProducts.length],
        packPrice: '5.00',
        packs: 1 + (i % 5),
        reimbursementRatio: '0.70',
      });
    });
    figure('claim_quotes_per_s', scale.quotes / quotes.seconds, 'quotes/s');
    figure('claim_quote_p99_ms', p99(quotes.latencies), 'ms');
    check('every claim quote answered', quotes.failures.length === 0, quotes.failures.slice(0, 2).join(' | '));
    const bare = await pool(scale.quotes, 32, async () => {
      const r = await http.call('GET', '/bench-bare-endpoint', null);
      if (r.status !== 404) throw new Error(String(r.status));
    });
    figure('bare_endpoint_per_s', scale.quotes / bare.seconds, 'requests/s');
    figure('bare_endpoint_p99_ms', p99(bare.latencies), 'ms');

    // ------------------------------------------------------------ allocation
    t0 = performance.now();
    await http.job((await http.ok('POST', `/batches/${batch.id}/allocate`, admin)).jobId, admin);
    figure('allocation_s', (performance.now() - t0) / 1000, 's');
    const agreementCount = Number((await q1('SELECT COUNT(*) AS n FROM agreements WHERE batch_id = ?', [batch.id])).n);
    figure('agreements', agreementCount, 'agreements');
    // Section 7: every agreed unit is either in an agreement or unallocated.
    const sums = await q1(
      `SELECT (SELECT COALESCE(SUM(units), 0) FROM agreements WHERE batch_id = ?) AS allocated,
              (SELECT COALESCE(SUM(unallocated), 0) FROM agreed_volumes WHERE batch_id = ?) AS unallocated,
              (SELECT COALESCE(SUM(agreed_volume), 0) FROM agreed_volumes WHERE batch_id = ?) AS agreed`,
      [batch.id, batch.id, batch.id],
    );
    check(
      'allocated + unallocated = agreed volume',
      Number(sums.allocated) + Number(sums.unallocated) === Number(sums.agreed) && Number(sums.agreed) > 0,
      `${sums.allocated} + ${sums.unallocated} vs ${sums.agreed}`,
    );

    // The allocation rule alone on the same shape (the former bench, now the floor of this stage).
    const { run: allocationRule } = await import('./allocation.bench');
    figure('allocation_rule_50k_hospitals_ms', Math.min(...(await allocationRule()).map((r) => r.ms)), 'ms');

    // ------------------------------------------------------------ bulk confirmation
    const withAgreements: number[] = (await ds.query('SELECT DISTINCT hospital_id FROM agreements WHERE batch_id = ? ORDER BY hospital_id', [batch.id])).map(
      (r: any) => Number(r.hospital_id),
    );
    let lockMark = await rowLockStatus(ds);
    const confirm = await pool(withAgreements.length, 16, async (i) => {
      await http.ok('POST', `/batches/${batch.id}/agreements/confirm`, tokenOf.get(withAgreements[i])!, {});
    });
    let lockNow = await rowLockStatus(ds);
    figure('confirm_s', confirm.seconds, 's');
    figure('confirm_requests_per_s', withAgreements.length / confirm.seconds, 'requests/s');
    figure('confirm_p99_ms', p99(confirm.latencies), 'ms');
    figure('confirm_row_lock_ms', lockNow.ms - lockMark.ms, 'ms');
    const pending = Number((await q1("SELECT COUNT(*) AS n FROM agreements WHERE batch_id = ? AND status <> 'CONFIRMED'", [batch.id])).n);
    check('every agreement confirmed', pending === 0 && confirm.failures.length === 0, `${pending} pending; ${confirm.failures.slice(0, 2).join(' | ')}`);

    // ------------------------------------------------------------ activation and its fan-out
    clock.set(new Date(now.getTime() + 3 * day + 3_600_000));
    t0 = performance.now();
    const activated = await http.ok('POST', `/batches/${batch.id}/activate`, admin);
    figure('activation_request_ms', performance.now() - t0, 'ms');
    await http.job(activated.jobId, admin);
    const fanoutS = (performance.now() - t0) / 1000;
    figure('activation_fanout_s', fanoutS, 's');
    const prepayments = Number((await q1('SELECT COUNT(*) AS n FROM prepayments WHERE batch_id = ?', [batch.id])).n);
    check('a prepayment per hospital with agreements', prepayments === withAgreements.length, `${prepayments} vs ${withAgreements.length}`);
    // Floor: a no-op BullMQ job per hospital, added in bulk and run by a worker.
    figure('noop_jobs_per_s', await noopJobs(queuePrefix, withAgreements.length), 'jobs/s');
    // Wait until the prepayments are disbursed (jobs due at agreementStart, now past).
    for (let i = 0; i < 6000; i++) {
      const n = Number((await q1("SELECT COUNT(*) AS n FROM prepayments WHERE batch_id = ? AND status = 'DISBURSED'", [batch.id])).n);
      if (n === prepayments) break;
      await sleep(100);
    }

    // ------------------------------------------------------------ deliveries [supplier] by spreadsheet
    const deliveredAt = new Date(clock.now().getTime() - 600_000).toISOString();
    // The agreements delivered on, read by key (supplier, id) a page at a time and cycled if
    // there are fewer than deliveries; each supplier's rows cut into files of 20,000.
    const deliveryFiles: { supplierId: number; file: Buffer; rows: number }[] = [];
    let expectedAmount = new Dec(0);
    {
      let made = 0;
      let current = -1;
      let list: (string | number)[][] = [];
      const cut = async () => {
        if (list.length)
          deliveryFiles.push({
            supplierId: current,
            rows: list.length,
            file: await xlsx('Deliveries', [['agreementId', 'packs', 'lotNumber', 'deliveredAt'], ...list]),
          });
        list = [];
      };
      const supplierOrder = [...suppliers].sort((a, b) => a - b);
      while (made < scale.deliveries) {
        const before = made;
        for (const supplierId of supplierOrder) {
          if (made >= scale.deliveries) break;
          await cut();
          current = supplierId;
          // by (supplier_id, batch_id, id): the supplier index, a page at a time
          for (let after = 0; made < scale.deliveries;) {
            const page: { id: number }[] = await ds.query(
              'SELECT id FROM agreements WHERE supplier_id = ? AND batch_id = ? AND id > ? ORDER BY id LIMIT 10000',
              [supplierId, batch.id, after],
            );
            if (!page.length) break;
            for (const a of page) {
              if (made >= scale.deliveries) break;
              if (list.length === DELIVERY_FILE_ROWS) await cut();
              list.push([Number(a.id), int(1, 60), `L${made}`, deliveredAt]);
              made++;
            }
            after = Number(page[page.length - 1].id);
          }
        }
        if (made === before) break;
      }
      await cut();
    }
    lockMark = await rowLockStatus(ds);
    t0 = performance.now();
    const deliveryJobs: [string, string][] = [];
    const deliveryUploads = await pool(deliveryFiles.length, 2, async (i) => {
      const token = tokenOf.get(deliveryFiles[i].supplierId)!;
      deliveryJobs.push([(await http.uploadOk('/deliveries/import', token, deliveryFiles[i].file)).jobId, token]);
    });
    if (deliveryUploads.failures.length) throw new Error(`delivery uploads failed: ${deliveryUploads.failures.join(' | ')}`);
    for (const [j, token] of deliveryJobs) await http.job(j, token);
    const deliveryS = (performance.now() - t0) / 1000;
    lockNow = await rowLockStatus(ds);
    deliveryFiles.length = 0;
    figure('delivery_import_rows_per_s', scale.deliveries / deliveryS, 'rows/s');
    figure('delivery_import_row_lock_ms', lockNow.ms - lockMark.ms, 'ms');

    // ------------------------------------------------------------ acceptances [hospital] by spreadsheet
    // One file per hospital, built from the deliveries of 1,000 hospitals at a time (never the
    // whole table in memory) and uploaded 8 at a time.
    const acceptedAt = new Date(clock.now().getTime() - 300_000).toISOString();
    t0 = performance.now();
    const acceptanceJobs: [string, string][] = [];
    const acceptanceFailures: string[] = [];
    let acceptedRows = 0;
    for (let from = 0; from < hospitals.length; from += 1000) {
      const chunk = hospitals.slice(from, from + 1000);
      const delivered: { id: number; hospital_id: number; packs: number; award_price: string }[] = await ds.query(
        'SELECT d.id, d.hospital_id, d.packs, a.award_price FROM deliveries d JOIN agreements a ON a.id = d.agreement_id WHERE d.batch_id = ? AND d.hospital_id IN (?) ORDER BY d.hospital_id, d.id',
        [batch.id, chunk],
      );
      const byHospital = new Map<number, (string | number)[][]>();
      for (const d of delivered) {
        const acceptedPacks = Math.max(0, Number(d.packs) - (Number(d.id) % 5 === 0 ? 1 : 0));
        // Section 10: accepted amount = accepted packs × award price (2 decimals, half-up).
        expectedAmount = expectedAmount.plus(new Dec(d.award_price).times(acceptedPacks).toDecimalPlaces(2, Dec.ROUND_HALF_UP));
        const list = byHospital.get(Number(d.hospital_id)) ?? byHospital.set(Number(d.hospital_id), []).get(Number(d.hospital_id))!;
        list.push([Number(d.id), acceptedPacks, acceptedAt]);
      }
      acceptedRows += delivered.length;
      const inChunk = [...byHospital.keys()];
      const uploads = await pool(inChunk.length, 8, async (i) => {
        const h = inChunk[i];
        const token = tokenOf.get(h)!;
        const file = await xlsx('Acceptances', [['deliveryId', 'acceptedPacks', 'acceptedAt'], ...byHospital.get(h)!]);
        acceptanceJobs.push([(await http.uploadOk('/deliveries/acceptances/import', token, file)).jobId, token]);
      });
      acceptanceFailures.push(...uploads.failures);
    }
    for (const [j, token] of acceptanceJobs) await http.job(j, token);
    const acceptanceS = (performance.now() - t0) / 1000;
    figure('acceptance_import_rows_per_s', acceptedRows / acceptanceS, 'rows/s');
    const acc = await q1("SELECT COUNT(*) AS n, COALESCE(SUM(accepted_amount), 0) AS amount FROM deliveries WHERE batch_id = ? AND status = 'ACCEPTED'", [
      batch.id,
    ]);
    check(
      'deliveries accepted, amounts to the fen',
      Number(acc.n) === scale.deliveries && new Dec(acc.amount).eq(expectedAmount) && acceptanceFailures.length === 0,
      `${acc.n}/${scale.deliveries} accepted, ${acc.amount} vs ${expectedAmount.toFixed(2)}${acceptanceFailures.length ? `; failed uploads: ${acceptanceFailures.join(' | ')}` : ''}`,
    );

    // ------------------------------------------------------------ settlement run
    clock.set(new Date(clock.now().getTime() + 60_000));
    t0 = performance.now();
    const run = await http.ok('POST', '/settlements/runs', fundToken, { cutoff: clock.now().toISOString() });
    await http.job(run.jobId, fundToken);
    for (;;) {
      const r = await q1('SELECT status FROM settlement_runs WHERE id = ?', [run.runId]);
      if (r.status === 'COMPLETED' || r.status === 'FAILED') break;
      await sleep(100);
    }
    const settlementS = (performance.now() - t0) / 1000;
    figure('settlement_s', settlementS, 's');
    figure('settlement_deliveries_per_s', scale.deliveries / settlementS, 'deliveries/s');
    const paid = await q1(
      'SELECT COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(from_prepayment), 0) AS pre, COALESCE(SUM(from_hospital), 0) AS hosp FROM payment_instructions WHERE run_id = ?',
      [run.runId],
    );
    const settled = Number((await q1("SELECT COUNT(*) AS n FROM deliveries WHERE batch_id = ? AND status = 'SETTLED'", [batch.id])).n);
    const drawn = await q1('SELECT COALESCE(SUM(amount), 0) AS amount FROM prepayment_draws WHERE run_id = ?', [run.runId]);
    check(
      'settlement pays every accepted fen once',
      settled === scale.deliveries &&
        new Dec(paid.amount).eq(expectedAmount) &&
        new Dec(paid.pre).plus(paid.hosp).eq(paid.amount) &&
        new Dec(drawn.amount).eq(paid.pre),
      `${settled} settled; paid ${paid.amount} (= ${paid.pre} prepaid + ${paid.hosp}), drawn ${drawn.amount}, expected ${expectedAmount.toFixed(2)}`,
    );
    // Floor: the same deliveries read in key-set pages and as many lines written with
    // multi-row INSERTs, the least a settlement must do.
    await ds.query('CREATE TABLE bench_floor_lines LIKE payment_instruction_lines');
    t0 = performance.now();
    let after = 0;
    for (;;) {
      const page: { id: number; accepted_amount: string }[] = await ds.query(
        "SELECT id, accepted_amount FROM deliveries WHERE batch_id = ? AND status = 'SETTLED' AND id > ? ORDER BY id LIMIT 5000",
        [batch.id, after],
      );
      if (!page.length) break;
      for (let i = 0; i < page.length; i += 1000) {
        await ds.query('INSERT INTO bench_floor_lines (instruction_id, delivery_id, amount, from_prepayment, from_hospital) VALUES ?', [
          page.slice(i, i + 1000).map((d) => [1, Number(d.id), d.accepted_amount, '0.00', d.accepted_amount]),
        ]);
      }
      after = Number(page[page.length - 1].id);
    }
    const floorS = (performance.now() - t0) / 1000;
    await ds.query('DROP TABLE bench_floor_lines');
    figure('settlement_floor_s', floorS, 's');
    figure('settlement_vs_floor', floorS / settlementS, 'ratio');

    // ------------------------------------------------------------ audit chain
    const verify = await http.ok('GET', '/audit/verify', admin);
    check('audit chain intact', verify.ok === true, `${verify.entries} entries`);
  } finally {
    clearInterval(rssTimer);
    figure('peak_rss_mb', peakRss / 1024 / 1024, 'MB');
    await app.close();
    if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(databaseUrl);
    await clearQueues(queuePrefix);
  }
  return { scale: scale.name, figures, checks };
}

/** InnoDB's row-lock counters (server-wide: other work on the server shows too). */
async function rowLockStatus(ds: DataSource): Promise<{ waits: number; ms: number }> {
  const rows: { Variable_name: string; Value: string }[] = await ds.query("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_%'");
  const v = (n: string) => Number(rows.find((r) => r.Variable_name === n)?.Value ?? 0);
  return { waits: v('Innodb_row_lock_waits'), ms: v('Innodb_row_lock_time') };
}

/** The floor of a fan-out: `n` no-op jobs added with addBulk and run by one worker. */
async function noopJobs(prefix: string, n: number): Promise<number> {
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('bench-noop', { connection, prefix });
  let done = 0;
  const t0 = performance.now();
  let resolve!: () => void;
  const finished = new Promise<void>((r) => (resolve = r));
  const workerConnection = connection.duplicate();
  const worker = new Worker(
    'bench-noop',
    async () => {
      if (++done === n) resolve();
    },
    { connection: workerConnection, prefix, concurrency: 50 },
  );
  for (let i = 0; i < n; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ name: 'noop', data: { i: i + k }, opts: { removeOnComplete: true } })));
  }
  await finished;
  const perS = n / ((performance.now() - t0) / 1000);
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await workerConnection.quit();
  await connection.quit();
  return perS;
}

async function clearQueues(prefix: string): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
