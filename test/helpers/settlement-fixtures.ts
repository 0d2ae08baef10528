import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { DEFAULT_RULES } from '@jicai/batches';
import { Dec } from '@jicai/common';
import { acceptedAmount, dueDate } from '@jicai/settlement';
import { TestApp } from './test-app';

/**
 * Upstream state for the settlement suites, seeded with SQL: batches (IN_FORCE by default),
 * items, products, winners, CONFIRMED agreements, DISBURSED prepayments with balances,
 * organisations in bulk and accepted deliveries in bulk. Bidding, award, allocation and
 * prepayment are built elsewhere; settlement must not depend on them.
 */

export const dataSource = (t: TestApp): DataSource => t.app.get(DataSource);

let seq = 0;
const next = () => ++seq;
const tag = () => `${process.pid}-${next()}`;

/**
 * A batch with one item; `paymentTermDays` goes into its rules. Settlement suites record
 * deliveries without purchase orders, so `ordersRequired` is false unless asked for.
 */
export async function seedBatch(
  t: TestApp,
  opts: { status?: string; paymentTermDays?: number; ordersRequired?: boolean } = {},
): Promise<{ batchId: number; itemId: number }> {
  const ds = dataSource(t);
  const code = `SB-${tag()}`;
  const rules = { ...DEFAULT_RULES, paymentTermDays: opts.paymentTermDays ?? DEFAULT_RULES.paymentTermDays, ordersRequired: opts.ordersRequired ?? false };
  const b = await ds.query(
    `INSERT INTO batches (code, name, status, bidding_opens_at, bidding_closes_at, opening_at, agreement_start, agreement_months, rules, created_at, updated_at)
     VALUES (?, ?, ?, '2026-01-01', '2026-01-02', '2026-01-03', '2027-01-01', 24, ?, NOW(3), NOW(3))`,
    [code, `Batch ${code}`, opts.status ?? 'IN_FORCE', JSON.stringify(rules)],
  );
  const batchId = Number(b.insertId);
  const name = `药品${code}`;
  const i = await ds.query(
    `INSERT INTO batch_items (batch_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, rep_strength_value, rep_strength_unit, ceiling_unit_price, created_at)
     VALUES (?, ?, ?, '片剂', '片剂', 2.5, 'mg', 9.9999, NOW(3))`,
    [batchId, name, name],
  );
  return { batchId, itemId: Number(i.insertId) };
}

/** Product + winner + agreement (hospital × winning bid) at `awardPrice` per pack; returns the agreement id. */
export async function seedAgreement(
  t: TestApp,
  a: { batchId: number; itemId: number; hospitalId: number; supplierId: number; awardPrice: string; status?: 'CONFIRMED' | 'PENDING_CONFIRMATION' },
): Promise<number> {
  const ds = dataSource(t);
  const bidId = await seedWinner(t, a);
  const r = await ds.query(
    `INSERT INTO agreements (batch_id, item_id, group_name, hospital_id, supplier_id, bid_id, product_id, units, award_price, unit_comparable_price, amount, status, confirmed_at, created_at)
     SELECT ?, ?, 'B', ?, ?, bid_id, product_id, 10000, award_price, award_unit_price, 1000.00, ?, NOW(3), NOW(3) FROM winners WHERE bid_id = ?`,
    [a.batchId, a.itemId, a.hospitalId, a.supplierId, a.status ?? 'CONFIRMED', bidId],
  );
  return Number(r.insertId);
}

const winnerOf = new Map<string, number>();
let bidSeq = 700_000 + (process.pid % 1000) * 1000;

/** One winner per batch × item × supplier (reused by its agreements). */
async function seedWinner(t: TestApp, a: { batchId: number; itemId: number; supplierId: number; awardPrice: string }): Promise<number> {
  const key = `${t.databaseUrl}/${a.batchId}/${a.itemId}/${a.supplierId}/${a.awardPrice}`;
  const known = winnerOf.get(key);
  if (known) return known;
  const ds = dataSource(t);
  const p = await ds.query(
    `INSERT INTO products (supplier_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, strength_value, strength_unit, pack_size, smallest_unit, quality_tier, approval_number, created_at)
     SELECT ?, generic_name, generic_name_norm, dosage_form, dosage_form_norm, 2.5, 'mg', 28, '片', 'GENERIC', ?, NOW(3) FROM batch_items WHERE id = ?`,
    [a.supplierId, `国药准字S${tag()}`, a.itemId],
  );
  const bidId = ++bidSeq;
  await ds.query(
    `INSERT INTO winners (bid_id, batch_id, item_id, group_name, supplier_id, product_id, \`rank\`, award_price, award_unit_price, supply_capacity, measure_units_per_pack, awarded_at)
     VALUES (?, ?, ?, 'B', ?, ?, 1, ?, 0.1000, 100000000, 28, NOW(3))`,
    [bidId, a.batchId, a.itemId, a.supplierId, Number(p.insertId), a.awardPrice],
  );
  winnerOf.set(key, bidId);
  return bidId;
}

/** A DISBURSED prepayment of `amount` (2 decimals), its whole amount still as balance. */
export async function seedPrepayment(t: TestApp, p: { batchId: number; hospitalId: number; year: number; amount: string }): Promise<number> {
  const r = await dataSource(t).query(
    `INSERT INTO prepayments (batch_id, hospital_id, year, amount, due_date, year_end, status, balance, disbursed_at, created_at)
     VALUES (?, ?, ?, ?, '2027-01-01', '2028-01-01', 'DISBURSED', ?, NOW(3), NOW(3))`,
    [p.batchId, p.hospitalId, p.year, p.amount, p.amount],
  );
  return Number(r.insertId);
}

/** `count` organisations of a type in one INSERT (no users); returns their ids. */
export async function seedOrganizations(t: TestApp, type: 'HOSPITAL' | 'SUPPLIER', count: number): Promise<number[]> {
  const prefix = `${type.slice(0, 1)}X-${tag()}`;
  const rows = Array.from({ length: count }, (_, i) => [
    `${type} ${prefix}-${i}`,
    `${prefix}-${i}`,
    type,
    type === 'HOSPITAL' ? 'SECONDARY' : null,
    new Date(),
  ]);
  await dataSource(t).query('INSERT INTO organizations (name, code, type, level, created_at) VALUES ?', [rows]);
  const ids: { id: number }[] = await dataSource(t).query('SELECT id FROM organizations WHERE code LIKE ? ORDER BY id', [`${prefix}-%`]);
  return ids.map((r) => Number(r.id));
}

export interface AcceptedDeliverySpec {
  agreementId: number;
  batchId: number;
  hospitalId: number;
  supplierId: number;
  awardPrice: string;
  packs: number;
  acceptedPacks: number;
  acceptedAt: Date;
  paymentTermDays: number;
}

/** Accepted deliveries in bulk, amounts and due dates by the section 10 rules. */
export async function seedAcceptedDeliveries(t: TestApp, specs: AcceptedDeliverySpec[]): Promise<void> {
  for (let i = 0; i < specs.length; i += 1000) {
    const rows = specs
      .slice(i, i + 1000)
      .map((d) => [
        d.agreementId,
        d.batchId,
        d.hospitalId,
        d.supplierId,
        d.packs,
        `LOT-${next()}`,
        new Date(d.acceptedAt.getTime() - 3600_000),
        'ACCEPTED',
        d.acceptedPacks,
        d.acceptedAt,
        acceptedAmount(d.acceptedPacks, d.awardPrice),
        dueDate(d.acceptedAt, d.paymentTermDays),
        new Date(),
      ]);
    await dataSource(t).query(
      `INSERT INTO deliveries (agreement_id, batch_id, hospital_id, supplier_id, packs, lot_number, delivered_at, status, accepted_packs, accepted_at, accepted_amount, due_date, created_at) VALUES ?`,
      [rows],
    );
  }
}

/** A deterministic pseudo-random generator (mulberry32), so a big dataset is the same every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A settlement-sized world in bulk: `hospitals` hospitals and `suppliers` suppliers over two
 * IN_FORCE batches (payment terms 30 and 45 days), each hospital with 3 agreements in the
 * first batch and 2 in the second, prepaid balances of two years in the first batch and one
 * in the second (some far below, some above what the hospital receives), and
 * `deliveriesPerHospital` accepted deliveries at or before `acceptedBefore`.
 */
export async function seedScale(
  t: TestApp,
  opts: { hospitals: number; suppliers: number; deliveriesPerHospital: number; acceptedBefore: Date; seed: number },
): Promise<{ hospitalIds: number[]; deliveries: number }> {
  const ds = dataSource(t);
  const rnd = prng(opts.seed);
  const hospitalIds = await seedOrganizations(t, 'HOSPITAL', opts.hospitals);
  const supplierIds = await seedOrganizations(t, 'SUPPLIER', opts.suppliers);
  const batches = [
    { ...(await seedBatch(t, { paymentTermDays: 30 })), term: 30, perHospital: 3 },
    { ...(await seedBatch(t, { paymentTermDays: 45 })), term: 45, perHospital: 2 },
  ];
  // One winner per batch × supplier, each at its own award price.
  const price = new Map<string, string>();
  for (const b of batches) {
    for (const [k, s] of supplierIds.entries()) {
      const awardPrice = `${1 + k}.${String(7 + 13 * k)
        .padStart(2, '0')
        .slice(-2)}`;
      await seedWinner(t, { batchId: b.batchId, itemId: b.itemId, supplierId: s, awardPrice });
      price.set(`${b.batchId}/${s}`, awardPrice);
    }
  }
  const winners: { bidId: number; batchId: number; supplierId: number; productId: number; awardPrice: string }[] = await ds.query(
    'SELECT bid_id AS bidId, batch_id AS batchId, supplier_id AS supplierId, product_id AS productId, award_price AS awardPrice FROM winners WHERE batch_id IN (?)',
    [batches.map((b) => b.batchId)],
  );
  const agreementRows: unknown[][] = [];
  for (const [k, h] of hospitalIds.entries()) {
    for (const b of batches) {
      for (let j = 0; j < b.perHospital; j++) {
        const w = winners.find((x) => Number(x.batchId) === b.batchId && Number(x.supplierId) === supplierIds[(k + j) % supplierIds.length])!;
        agreementRows.push([
          b.batchId,
          b.itemId,
          'B',
          h,
          w.supplierId,
          w.bidId,
          w.productId,
          10000,
          w.awardPrice,
          '0.1000',
          '1000.00',
          'CONFIRMED',
          new Date(),
          new Date(),
        ]);
      }
    }
  }
  for (let i = 0; i < agreementRows.length; i += 1000) {
    await ds.query(
      `INSERT INTO agreements (batch_id, item_id, group_name, hospital_id, supplier_id, bid_id, product_id, units, award_price, unit_comparable_price, amount, status, confirmed_at, created_at) VALUES ?`,
      [agreementRows.slice(i, i + 1000)],
    );
  }
  const agreements: { id: number; batchId: number; hospitalId: number; supplierId: number; awardPrice: string }[] = await ds.query(
    'SELECT id, batch_id AS batchId, hospital_id AS hospitalId, supplier_id AS supplierId, award_price AS awardPrice FROM agreements WHERE hospital_id IN (?) ORDER BY id',
    [hospitalIds],
  );
  const byHospital = new Map<number, typeof agreements>();
  for (const a of agreements) {
    if (!byHospital.has(Number(a.hospitalId))) byHospital.set(Number(a.hospitalId), []);
    byHospital.get(Number(a.hospitalId))!.push(a);
  }
  // Prepaid balances: a tenth of hospitals get none, others between 0.01 and ~600 per year.
  const prepaymentRows: unknown[][] = [];
  for (const h of hospitalIds) {
    if (rnd() < 0.1) continue;
    const amount = () => (Math.floor(rnd() * 60000) / 100 + 0.01).toFixed(2);
    for (const [batchId, year] of [
      [batches[0].batchId, 1],
      [batches[0].batchId, 2],
      [batches[1].batchId, 1],
    ]) {
      const a = amount();
      prepaymentRows.push([batchId, h, year, a, '2027-01-01', '2028-01-01', 'DISBURSED', a, new Date(), new Date()]);
    }
  }
  if (prepaymentRows.length) {
    await ds.query(`INSERT INTO prepayments (batch_id, hospital_id, year, amount, due_date, year_end, status, balance, disbursed_at, created_at) VALUES ?`, [
      prepaymentRows,
    ]);
  }
  const specs: AcceptedDeliverySpec[] = [];
  const termOf = new Map(batches.map((b) => [b.batchId, b.term]));
  for (const h of hospitalIds) {
    const mine = byHospital.get(h)!;
    for (let i = 0; i < opts.deliveriesPerHospital; i++) {
      const a = mine[Math.floor(rnd() * mine.length)];
      const packs = 1 + Math.floor(rnd() * 200);
      specs.push({
        agreementId: Number(a.id),
        batchId: Number(a.batchId),
        hospitalId: h,
        supplierId: Number(a.supplierId),
        awardPrice: a.awardPrice,
        packs,
        acceptedPacks: Math.floor(rnd() * (packs + 1)),
        // Up to 20 days before the cut-off, to the millisecond; ties are broken by id.
        acceptedAt: new Date(opts.acceptedBefore.getTime() - Math.floor(rnd() * 20 * 86_400_000)),
        paymentTermDays: termOf.get(Number(a.batchId))!,
      });
    }
  }
  await seedAcceptedDeliveries(t, specs);
  return { hospitalIds, deliveries: specs.length };
}

/** Polls the run row until it is COMPLETED or FAILED (the workers may be other processes). */
export async function waitForRun(
  ds: DataSource,
  runId: number,
  timeoutMs = 30_000,
): Promise<{ status: string; hospitalsTotal: number; hospitalsDone: number }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await ds.query(
      'SELECT status, hospitals_total AS hospitalsTotal, hospitals_done AS hospitalsDone, failed_reason AS failedReason FROM settlement_runs WHERE id = ?',
      [runId],
    );
    if (r.status === 'COMPLETED') return { status: r.status, hospitalsTotal: Number(r.hospitalsTotal), hospitalsDone: Number(r.hospitalsDone) };
    if (r.status === 'FAILED') throw new Error(`run ${runId} FAILED: ${r.failedReason}`);
    if (Date.now() > end) throw new Error(`run ${runId} still ${r.status} after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * The money invariants of section 10 over the whole database, each as a count of violations
 * (all must be 0) plus the sums compared to the fen:
 * - every accepted delivery is settled exactly once, by a line of an instruction of the run
 *   that marked it, for exactly its accepted amount;
 * - Σ instruction amounts = Σ accepted amounts of settled deliveries; Σ lines = each
 *   instruction's totals; amount = fromPrepayment + fromHospital;
 * - per prepayment, Σ drawn + balance = disbursed amount, balance ≥ 0; per delivery,
 *   Σ drawn = its line's fromPrepayment;
 * - per run, one settlement_run_hospitals row per planned hospital.
 */
export async function settlementViolations(ds: DataSource, opts: { acceptedBefore?: Date } = {}) {
  const one = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);
  const cutoff = opts.acceptedBefore ?? new Date('9999-01-01');
  const [sums] = await ds.query(
    `SELECT (SELECT COALESCE(SUM(accepted_amount), 0) FROM deliveries WHERE status = 'SETTLED') AS settledAccepted,
            (SELECT COALESCE(SUM(amount), 0) FROM payment_instructions) AS instructions,
            (SELECT COALESCE(SUM(amount), 0) FROM payment_instruction_lines) AS lineSum,
            (SELECT COALESCE(SUM(amount), 0) FROM prepayment_draws) AS drawn,
            (SELECT COALESCE(SUM(from_prepayment), 0) FROM payment_instructions) AS fromPrepayment,
            (SELECT COALESCE(SUM(amount), 0) FROM prepayments WHERE status = 'DISBURSED') AS disbursed`,
  );
  return {
    acceptedNotSettled: await one(`SELECT COUNT(*) AS n FROM deliveries WHERE status = 'ACCEPTED' AND accepted_at <= ?`, [cutoff]),
    settledWithoutLine: await one(
      `SELECT COUNT(*) AS n FROM deliveries d LEFT JOIN payment_instruction_lines l ON l.delivery_id = d.id WHERE d.status = 'SETTLED' AND l.id IS NULL`,
    ),
    linesOfUnsettled: await one(`SELECT COUNT(*) AS n FROM payment_instruction_lines l JOIN deliveries d ON d.id = l.delivery_id WHERE d.status <> 'SETTLED'`),
    linesPerDeliveryAboveOne: await one(
      `SELECT COUNT(*) AS n FROM (SELECT delivery_id FROM payment_instruction_lines GROUP BY delivery_id HAVING COUNT(*) > 1) x`,
    ),
    lineAmountNotAccepted: await one(
      `SELECT COUNT(*) AS n FROM payment_instruction_lines l JOIN deliveries d ON d.id = l.delivery_id WHERE l.amount <> d.accepted_amount`,
    ),
    lineRunNotDeliveryRun: await one(
      `SELECT COUNT(*) AS n FROM payment_instruction_lines l JOIN payment_instructions pi ON pi.id = l.instruction_id JOIN deliveries d ON d.id = l.delivery_id
       WHERE d.settlement_run_id IS NULL OR d.settlement_run_id <> pi.run_id OR d.hospital_id <> pi.hospital_id OR d.supplier_id <> pi.supplier_id`,
    ),
    lineSplitWrong: await one(
      `SELECT COUNT(*) AS n FROM payment_instruction_lines WHERE amount <> from_prepayment + from_hospital OR from_prepayment < 0 OR from_hospital < 0`,
    ),
    instructionNotSumOfLines: await one(
      `SELECT COUNT(*) AS n FROM payment_instructions pi LEFT JOIN
         (SELECT instruction_id, SUM(amount) AS a, SUM(from_prepayment) AS p, SUM(from_hospital) AS h FROM payment_instruction_lines GROUP BY instruction_id) x
         ON x.instruction_id = pi.id
       WHERE x.a IS NULL OR x.a <> pi.amount OR x.p <> pi.from_prepayment OR x.h <> pi.from_hospital OR pi.amount <> pi.from_prepayment + pi.from_hospital`,
    ),
    instructionDueNotEarliestLine: await one(
      `SELECT COUNT(*) AS n FROM payment_instructions pi JOIN
         (SELECT l.instruction_id, MIN(d.due_date) AS due FROM payment_instruction_lines l JOIN deliveries d ON d.id = l.delivery_id GROUP BY l.instruction_id) x
         ON x.instruction_id = pi.id WHERE x.due <> pi.due_date`,
    ),
    prepaymentLedgerBroken: await one(
      `SELECT COUNT(*) AS n FROM prepayments p LEFT JOIN (SELECT prepayment_id, SUM(amount) AS drawn FROM prepayment_draws GROUP BY prepayment_id) x ON x.prepayment_id = p.id
       WHERE p.balance < 0 OR p.balance + COALESCE(x.drawn, 0) <> p.amount`,
    ),
    drawsNotLinePrepayment: await one(
      `SELECT COUNT(*) AS n FROM payment_instruction_lines l LEFT JOIN (SELECT delivery_id, SUM(amount) AS drawn FROM prepayment_draws GROUP BY delivery_id) x ON x.delivery_id = l.delivery_id
       WHERE COALESCE(x.drawn, 0) <> l.from_prepayment`,
    ),
    drawOtherBatch: await one(
      `SELECT COUNT(*) AS n FROM prepayment_draws w JOIN prepayments p ON p.id = w.prepayment_id JOIN deliveries d ON d.id = w.delivery_id WHERE p.batch_id <> d.batch_id OR p.hospital_id <> d.hospital_id`,
    ),
    completedRunsMissingHospitals: await one(
      `SELECT COUNT(*) AS n FROM settlement_runs r WHERE r.status = 'COMPLETED' AND r.hospitals_total <> (SELECT COUNT(*) FROM settlement_run_hospitals h WHERE h.run_id = r.id)`,
    ),
    sums: {
      settledAccepted: String(sums.settledAccepted),
      instructions: String(sums.instructions),
      lines: String(sums.lineSum),
      drawn: String(sums.drawn),
      fromPrepayment: String(sums.fromPrepayment),
      disbursed: String(sums.disbursed),
    },
  };
}

/** Asserts every violation count is 0 and the sums agree to the fen (Σ drawn ≤ Σ disbursed). */
export function expectSound(v: Awaited<ReturnType<typeof settlementViolations>>): void {
  const { sums, ...counts } = v;
  expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((k) => [k, 0])));
  expect(sums.instructions).toBe(sums.settledAccepted);
  expect(sums.lines).toBe(sums.settledAccepted);
  expect(sums.drawn).toBe(sums.fromPrepayment);
  expect(new Dec(sums.drawn).lte(sums.disbursed)).toBe(true);
}

// ------------------------------------------------------------------ worker processes

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts apps/worker/src/main.ts as a separate OS process on the suite's database and queue
 * prefix (the TypeScript runs through test/helpers/swc-register.js, as under jest); resolves
 * once it logs that it started.
 */
export async function startWorker(t: TestApp, env: Record<string, string> = {}, timeoutMs = 90_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--require', path.join(ROOT, 'test/helpers/swc-register.js'), path.join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.databaseUrl, QUEUE_PREFIX: t.queuePrefix, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const end = Date.now() + timeoutMs;
  while (!out.includes('worker started')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before starting:\n${out.slice(-4000)}`);
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`worker did not start in ${timeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited };
}

/** SIGKILL: no shutdown hooks, open transactions die with the connection. */
export async function killWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await w.exited;
}
