/**
 * Execution progress at national size (issue 13 item 2; exec2): one batch IN_FORCE with
 * `--items` items (default 60) and `--hospitals` hospitals (default 50,000), every hospital
 * holding a CONFIRMED agreement per item (50,000 × 60 = 3,000,000 agreements) with one
 * accepted delivery and one confirmed order each. Measures the full recompute (the nightly
 * job's work: ProgressService.recompute, 500 hospitals per transaction, progress_agreements,
 * progress and retention) and one hospital's recompute after an acceptance (the
 * progress-hospital job), and checks the totals against the seeded data.
 *
 *   node -r ./test/helpers/swc-register.js test/bench/progress.bench.ts [--hospitals 50000] [--items 60]
 *
 * Prints `BENCH <name> <value> <unit>` lines and `CHECK ok|FAILED …`; exits non-zero when a
 * check fails. The scaleperf harness (run.ts, national.bench.ts) is left as it is: this is a
 * separate stage. Seeding is set-based SQL (MariaDB's seq_1_to_n tables), not measured.
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { Clock, TestClock } from '@jicai/common';
import { DEFAULT_RULES } from '@jicai/batches';
import { dropDatabase, migrate } from '@jicai/database';
import { ProgressService } from '@jicai/execution';
import { WorkerModule } from '../../apps/worker/src/worker.module';

const BASE_DB = process.env.BENCH_DATABASE_BASE_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Hospitals per seeding statement (3,000,000 rows in one INSERT would hold a huge undo log). */
const SEED_CHUNK = 2000;

const arg = (name: string, dflt: number) => {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  const v = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return v === undefined ? dflt : Number(v);
};

async function main(): Promise<void> {
  const hospitals = arg('hospitals', 50_000);
  const items = arg('items', 60);
  const suppliers = Math.min(120, items);
  const id = `progress_${process.pid}`;
  const databaseUrl = `${BASE_DB}/jicai_bench_${id}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `jb_${id}`,
    JWT_SECRET: 'bench-secret-0123456789abcdef',
    BID_SEALING_KEY: Buffer.alloc(32, 7).toString('base64'),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'admin-password-bench',
    ADMIN_ORG: 'Bench Procurement Office',
    WORKER_CONCURRENCY: '1',
  });
  const figure = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Math.round(value * 1000) / 1000} ${unit}`);
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, expected: unknown, actual: unknown) =>
    checks.push({ name, ok: String(expected) === String(actual), detail: `expected ${expected}, got ${actual}` });

  await dropDatabase(databaseUrl);
  await migrate(databaseUrl);
  const clock = new TestClock();
  clock.set('2027-07-02T12:00:00.000Z'); // half of agreement year 1: expected completion 0.5
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app: INestApplicationContext = await moduleRef.init();
  const ds = app.get(DataSource);
  try {
    const t0 = performance.now();
    const batchId = await seed(ds, hospitals, items, suppliers);
    figure('progress.seed', (performance.now() - t0) / 1000, 's');
    const [{ n: agreements }] = await ds.query('SELECT COUNT(*) AS n FROM agreements WHERE batch_id = ?', [batchId]);
    figure('progress.agreements', Number(agreements), 'rows');

    const progress = app.get(ProgressService);
    const t1 = performance.now();
    const result = await progress.recompute(batchId);
    const full = (performance.now() - t1) / 1000;
    figure('progress.recompute.full', full, 's');
    figure('progress.recompute.hospitalsPerSecond', result.hospitals / full, 'hospitals/s');

    // After an acceptance: one hospital's rows (the progress-hospital job's work), median of 20.
    const [{ h: mid }] = await ds.query('SELECT MIN(hospital_id) + ? AS h FROM agreements WHERE batch_id = ?', [Math.floor(hospitals / 2), batchId]);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await progress.recomputeHospitals(batchId, [Number(mid) + i]);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    figure('progress.recompute.oneHospital.p50', times[10], 'ms');
    figure('progress.recompute.oneHospital.max', times[19], 'ms');

    // Each agreement: 10,000 units a year, 100 packs of 28 delivered and 90 accepted in year 1
    // (2,800 and 2,520 units), 120 packs ordered (3,360 units). Year 1 rows: hospitals × items.
    const [y1] = await ds.query(
      `SELECT COUNT(*) AS n, SUM(agreed_units) AS agreed, SUM(ordered_units) AS ordered, SUM(delivered_units) AS delivered, SUM(accepted_units) AS accepted,
              SUM(behind) AS behind, MIN(completion) AS cmin, MAX(completion) AS cmax
         FROM progress WHERE batch_id = ? AND year = 1`,
      [batchId],
    );
    const rows = hospitals * items;
    check('progress rows of year 1 = hospitals × items', rows, Number(y1.n));
    check('agreed units = rows × 10,000', rows * 10000, Number(y1.agreed));
    check('ordered units = rows × 120 × 28', rows * 3360, Number(y1.ordered));
    check('delivered units = rows × 100 × 28', rows * 2800, Number(y1.delivered));
    check('accepted units = rows × 90 × 28', rows * 2520, Number(y1.accepted));
    // 2,520 / 10,000 = 0.2520 < 0.8 × 0.5 = 0.4: every row BEHIND.
    check('completion 0.2520 on every row', '0.2520|0.2520', `${y1.cmin}|${y1.cmax}`);
    check('every row BEHIND (0.2520 < 0.8 × 0.5000)', rows, Number(y1.behind));
    // Savings per hospital and year 1: items × (0.2000 − 0.1189) × min(2,520, 10,000) = items × 204.372 → rounded once.
    const [ret] = await ds.query('SELECT COUNT(*) AS n, MIN(savings) AS lo, MAX(savings) AS hi FROM retention WHERE batch_id = ? AND year = 1', [batchId]);
    const perHospital = (items * 204.372).toFixed(2);
    check('retention rows of year 1 = hospitals', hospitals, Number(ret.n));
    check(`savings ${perHospital} per hospital`, `${perHospital}|${perHospital}`, `${ret.lo}|${ret.hi}`);
    const [{ n: y2 }] = await ds.query('SELECT COUNT(*) AS n FROM progress WHERE batch_id = ? AND year = 2 AND accepted_units = 0', [batchId]);
    check('year 2 rows, nothing accepted yet', rows, Number(y2));
  } finally {
    await app.close();
    if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(databaseUrl);
  }
  for (const c of checks) console.log(`CHECK ${c.ok ? 'ok' : 'FAILED'} ${c.name}: ${c.detail}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

/** The synthetic batch, set-based: organisations, items, one winner per item, agreements, orders, deliveries. */
async function seed(ds: DataSource, hospitals: number, items: number, suppliers: number): Promise<number> {
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    // Set-up only: the rows are consistent by construction, the checks would only slow it.
    await q.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    await q.query(
      `INSERT INTO organizations (name, code, type, level, created_at)
       SELECT CONCAT('S', seq), CONCAT('BS-', seq), 'SUPPLIER', NULL, NOW(3) FROM seq_1_to_${suppliers}`,
    );
    for (let from = 1; from <= hospitals; from += 10_000) {
      await q.query(
        `INSERT INTO organizations (name, code, type, level, created_at)
         SELECT CONCAT('H', seq), CONCAT('BH-', seq), 'HOSPITAL', 'PRIMARY', NOW(3) FROM seq_${from}_to_${Math.min(hospitals, from + 9999)}`,
      );
    }
    const rules = { ...DEFAULT_RULES, ordersRequired: false };
    const b = await q.query(
      `INSERT INTO batches (code, name, status, bidding_opens_at, bidding_closes_at, opening_at, agreement_start, agreement_months, rules, created_at, updated_at)
       VALUES ('BENCH-PROGRESS', 'Progress bench', 'IN_FORCE', '2026-01-01', '2026-01-02', '2026-01-03', '2027-01-01', 24, ?, NOW(3), NOW(3))`,
      [JSON.stringify(rules)],
    );
    const batchId = Number(b.insertId);
    await q.query(
      `INSERT INTO batch_items (batch_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, rep_strength_value, rep_strength_unit, ceiling_unit_price, created_at)
       SELECT ?, CONCAT('药品', seq), CONCAT('药品', seq), '片剂', '片剂', 2.5, 'mg', 9.9999, NOW(3) FROM seq_1_to_${items}`,
      [batchId],
    );
    await q.query(
      `INSERT INTO products (supplier_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, strength_value, strength_unit, pack_size, smallest_unit, quality_tier, approval_number, created_at)
       SELECT s.id, i.generic_name, i.generic_name_norm, '片剂', '片剂', 2.5, 'mg', 28, '片', 'GENERIC', CONCAT('BENCH', i.id), NOW(3)
         FROM batch_items i JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS k FROM organizations WHERE type = 'SUPPLIER') s
           ON s.k = (i.id % ?) + 1
        WHERE i.batch_id = ?`,
      [suppliers, batchId],
    );
    await q.query(
      `INSERT INTO winners (bid_id, batch_id, item_id, group_name, supplier_id, product_id, \`rank\`, award_price, award_unit_price, supply_capacity, measure_units_per_pack, awarded_at)
       SELECT 900000 + i.id, ?, i.id, 'B', p.supplier_id, p.id, 1, 3.33, 0.1189, 1000000000, 28, NOW(3)
         FROM batch_items i JOIN products p ON p.approval_number = CONCAT('BENCH', i.id) WHERE i.batch_id = ?`,
      [batchId, batchId],
    );
    // Baselines for savings retention: 0.2000 per unit against the award UCP 0.1189.
    await q.query(
      'INSERT INTO baseline_prices (batch_id, item_id, baseline_ucp, entered_by, updated_at) SELECT ?, id, 0.2000, 1, NOW(3) FROM batch_items WHERE batch_id = ?',
      [batchId, batchId],
    );
    const [{ lo, hi }] = await q.query("SELECT MIN(id) AS lo, MAX(id) AS hi FROM organizations WHERE type = 'HOSPITAL'");
    for (let from = Number(lo); from <= Number(hi); from += SEED_CHUNK) {
      const to = Math.min(Number(hi), from + SEED_CHUNK - 1);
      await q.startTransaction();
      await q.query(
        `INSERT INTO agreements (batch_id, item_id, group_name, hospital_id, supplier_id, bid_id, product_id, units, award_price, unit_comparable_price, amount, status, confirmed_at, created_at)
         SELECT ?, w.item_id, 'B', h.id, w.supplier_id, w.bid_id, w.product_id, 10000, w.award_price, w.award_unit_price, 1189.00, 'CONFIRMED', NOW(3), NOW(3)
           FROM organizations h JOIN winners w ON w.batch_id = ?
          WHERE h.type = 'HOSPITAL' AND h.id BETWEEN ? AND ?`,
        [batchId, batchId, from, to],
      );
      await q.query(
        `INSERT INTO purchase_orders (batch_id, agreement_id, item_id, group_name, hospital_id, supplier_id, packs, delivered_packs, requested_by, status,
                                      placed_at, placed_by, confirm_deadline, answered_at, first_delivered_at)
         SELECT a.batch_id, a.id, a.item_id, a.group_name, a.hospital_id, a.supplier_id, 120, 100, 'bench', 'PARTIALLY_DELIVERED',
                '2027-02-01', 1, '2027-02-03', '2027-02-01 06:00:00', '2027-02-05'
           FROM agreements a WHERE a.batch_id = ? AND a.hospital_id BETWEEN ? AND ?`,
        [batchId, from, to],
      );
      await q.query(
        `INSERT INTO deliveries (agreement_id, batch_id, hospital_id, supplier_id, packs, lot_number, delivered_at, status, accepted_packs, accepted_at, accepted_amount, due_date, created_at)
         SELECT a.id, a.batch_id, a.hospital_id, a.supplier_id, 100, 'L1', '2027-02-05', 'ACCEPTED', 90, '2027-02-06', 299.70, '2027-03-08', NOW(3)
           FROM agreements a WHERE a.batch_id = ? AND a.hospital_id BETWEEN ? AND ?`,
        [batchId, from, to],
      );
      await q.commitTransaction();
    }
    await q.query('ANALYZE TABLE agreements, purchase_orders, deliveries, winners');
    return batchId;
  } finally {
    await q.release();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
