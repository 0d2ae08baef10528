import { DataSource } from 'typeorm';
import { bearer, TestApp, waitForJob } from './test-app';

/**
 * Fixtures for the allocation suite. Evaluation and award are built elsewhere, so a batch
 * is put into AWARDED directly: the batch and its items through the API, then the status,
 * products, winners (the bids fixed at award) and demand rows with SQL.
 */

const H = 3600_000;
let seq = 0;
/** Winner bid ids of the fixtures: far above any id the bids table would hand out in a test. */
let nextBidId = 900_000;

export const db = (t: TestApp): DataSource => t.app.get(DataSource);

export interface WinnerSpec {
  group: string;
  supplierId: number;
  rank: number;
  /** Pack price, 2 decimals. */
  awardPrice: string;
  /** Award UCP, 4 decimals. */
  awardUnitPrice: string;
  supplyCapacity: number;
  packSize?: number;
}

export interface ItemSpec {
  genericName?: string;
  winners: WinnerSpec[];
}

export interface SeededWinner extends WinnerSpec {
  bidId: number;
  itemId: number;
  productId: number;
}

export interface AwardedBatch {
  batchId: number;
  code: string;
  itemIds: number[];
  winners: SeededWinner[];
}

/** A batch created through the API (items included), in DRAFT. */
export async function draftBatch(t: TestApp, items: { genericName?: string }[], rules?: object): Promise<{ batchId: number; code: string; itemIds: number[] }> {
  const admin = bearer(t.adminToken);
  const now = t.clock.now().getTime();
  const code = `AL-${process.pid}-${++seq}`;
  const batch = await t
    .http()
    .post('/api/v1/batches')
    .set(admin)
    .send({
      code,
      name: `Allocation ${code}`,
      biddingOpensAt: new Date(now + H).toISOString(),
      biddingClosesAt: new Date(now + 2 * H).toISOString(),
      openingAt: new Date(now + 3 * H).toISOString(),
      agreementStart: '2027-01-01',
      agreementMonths: 12,
      ...(rules ? { rules } : {}),
    });
  if (batch.status !== 201) throw new Error(`batch: ${batch.status} ${JSON.stringify(batch.body)}`);
  const itemIds: number[] = [];
  for (const [i, it] of items.entries()) {
    const res = await t
      .http()
      .post(`/api/v1/batches/${batch.body.id}/items`)
      .set(admin)
      .send({
        genericName: it.genericName ?? `左氨氯地平 ${seq}-${i}`,
        dosageForm: '片剂',
        representativeStrength: { value: '2.5', unit: 'mg' },
        ceilingUnitPrice: '0.5446',
      });
    if (res.status !== 201) throw new Error(`item: ${res.status} ${JSON.stringify(res.body)}`);
    itemIds.push(res.body.id);
  }
  return { batchId: batch.body.id, code, itemIds };
}

/** Sets a batch's status with SQL (the lifecycle before AWARDED belongs to other modules). */
export async function setStatus(t: TestApp, batchId: number, status: string): Promise<void> {
  await db(t).query('UPDATE batches SET status = ?, awarded_at = COALESCE(awarded_at, ?) WHERE id = ?', [status, t.clock.now(), batchId]);
}

/** Inserts the winners of each item (with a product each) and moves the batch to AWARDED. */
export async function awardedBatch(t: TestApp, items: ItemSpec[], rules?: object): Promise<AwardedBatch> {
  const { batchId, code, itemIds } = await draftBatch(t, items, rules);
  const winners = await seedWinners(t, batchId, itemIds, items);
  await setStatus(t, batchId, 'AWARDED');
  return { batchId, code, itemIds, winners };
}

export async function seedWinners(t: TestApp, batchId: number, itemIds: number[], items: ItemSpec[]): Promise<SeededWinner[]> {
  const ds = db(t);
  const now = t.clock.now();
  const out: SeededWinner[] = [];
  for (const [i, item] of items.entries()) {
    const [{ generic_name: genericName, generic_name_norm: genericNameNorm }] = await ds.query(
      'SELECT generic_name, generic_name_norm FROM batch_items WHERE id = ?',
      [itemIds[i]],
    );
    for (const w of item.winners) {
      const packSize = w.packSize ?? 28;
      const tier = w.group === 'A' ? 'ORIGINATOR' : 'CONSISTENCY_PASSED';
      const product = await ds.query(
        `INSERT INTO products (supplier_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, strength_value, strength_unit, pack_size, smallest_unit, quality_tier, approval_number, created_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
        [w.supplierId, genericName, genericNameNorm, '片剂', '片剂', '2.5', 'mg', packSize, 'tablet', tier, `国药准字AL${process.pid}${++seq}`, now],
      );
      const productId = Number(product.insertId);
      const bidId = ++nextBidId;
      await ds.query(
        `INSERT INTO winners (bid_id, batch_id, item_id, group_name, supplier_id, product_id, \`rank\`, award_price, award_unit_price, supply_capacity, measure_units_per_pack, awarded_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
        [bidId, batchId, itemIds[i], w.group, w.supplierId, productId, w.rank, w.awardPrice, w.awardUnitPrice, w.supplyCapacity, packSize, now],
      );
      out.push({ ...w, bidId, itemId: itemIds[i], productId });
    }
  }
  return out;
}

export interface DemandRow {
  hospitalId: number;
  itemId: number;
  group: string;
  quantity: number;
}

/** Demand rows with SQL, in multi-row INSERTs (the demand endpoints are built elsewhere). */
export async function seedDemand(t: TestApp, batchId: number, rows: DemandRow[]): Promise<void> {
  const now = t.clock.now();
  for (let from = 0; from < rows.length; from += 1000) {
    const chunk = rows.slice(from, from + 1000);
    await db(t).query(
      `INSERT INTO demands (batch_id, item_id, hospital_id, group_name, quantity, updated_at) VALUES ${chunk.map(() => '(?,?,?,?,?,?)').join(',')}`,
      chunk.flatMap((r) => [batchId, r.itemId, r.hospitalId, r.group, r.quantity, now]),
    );
  }
}

/** Hospital organisations with SQL, for scale (no users: they never log in). Returns their ids, ascending. */
export async function seedHospitals(t: TestApp, n: number): Promise<number[]> {
  const now = t.clock.now();
  const tag = `${process.pid}-${++seq}`;
  for (let from = 0; from < n; from += 1000) {
    const count = Math.min(1000, n - from);
    const params: unknown[] = [];
    for (let i = 0; i < count; i++) params.push(`Hospital ${tag}-${from + i}`, `HS-${tag}-${from + i}`, now);
    await db(t).query(
      `INSERT INTO organizations (name, code, type, level, created_at) VALUES ${Array.from({ length: count }, () => "(?,?,'HOSPITAL','PRIMARY',?)").join(',')}`,
      params,
    );
  }
  const rows = await db(t).query('SELECT id FROM organizations WHERE code LIKE ? ORDER BY id', [`HS-${tag}-%`]);
  return rows.map((r: { id: number }) => Number(r.id));
}

/**
 * waitForJob, then the job read once more: GET /jobs/:jobId reads the job's fields before
 * its state, so a job finishing between the two reads shows `completed` with no result yet.
 */
export async function finishedJob(t: TestApp, jobId: string) {
  await waitForJob(t, t.adminToken, jobId);
  return (await t.http().get(`/api/v1/jobs/${jobId}`).set(bearer(t.adminToken))).body;
}

/** POST /batches/:id/allocate as the admin and waits for the job; returns the finished job. */
export async function allocateBatch(t: TestApp, batchId: number) {
  const res = await t.http().post(`/api/v1/batches/${batchId}/allocate`).set(bearer(t.adminToken));
  if (res.status !== 202) throw new Error(`allocate: ${res.status} ${JSON.stringify(res.body)}`);
  const job = await finishedJob(t, res.body.jobId);
  if (job.state !== 'completed') throw new Error(`allocation job: ${JSON.stringify(job)}`);
  return job;
}

export interface AgreementRow {
  id: number;
  hospitalId: number;
  supplierId: number;
  bidId: number;
  itemId: number;
  group: string;
  units: number;
  unitComparablePrice: string;
  amount: string;
  status: string;
  productId: number;
  awardPrice: string;
  confirmedAt: string | null;
  forced: boolean;
}

/** Every agreement the token may see, through the paginated API. */
export async function allAgreements(t: TestApp, token: string, batchId: number, query = ''): Promise<AgreementRow[]> {
  const out: AgreementRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const res = await t.http().get(`/api/v1/batches/${batchId}/agreements?limit=500&offset=${offset}${query}`).set(bearer(token));
    if (res.status !== 200) throw new Error(`agreements: ${res.status} ${JSON.stringify(res.body)}`);
    out.push(...res.body.items);
    if (out.length >= res.body.total || res.body.items.length === 0) return out;
  }
}
