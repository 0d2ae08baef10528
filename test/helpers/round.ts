import { bearer, createOrgUser, TestApp, waitForJob } from './test-app';

const H = 3600_000;

export interface ProductSpec {
  strength: string;
  packSize: number;
  tier?: 'ORIGINATOR' | 'REFERENCE' | 'CONSISTENCY_PASSED' | 'GENERIC';
  genericName?: string;
}

let approval = 0;

/** A supplier with one product, created through the API. */
export async function supplierWithProduct(t: TestApp, spec: ProductSpec) {
  const supplier = await createOrgUser(t, 'SUPPLIER');
  const res = await t
    .http()
    .post('/api/v1/catalog/products')
    .set(bearer(t.adminToken))
    .send({
      genericName: spec.genericName ?? '左氨氯地平',
      dosageForm: '片剂',
      strength: { value: spec.strength, unit: 'mg' },
      packSize: spec.packSize,
      smallestUnit: 'tablet',
      qualityTier: spec.tier ?? 'CONSISTENCY_PASSED',
      supplierId: supplier.orgId,
      approvalNumber: `国药准字H${process.pid}${String(++approval).padStart(5, '0')}`,
    });
  if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...supplier, productId: res.body.id as number };
}

/** A published batch with one item, bidding open now (by the test clock). */
export async function publishedBatch(t: TestApp, opts: { rules?: object; ceiling?: string; genericName?: string; dosageFormClass?: string } = {}) {
  const now = t.clock.now().getTime();
  const admin = bearer(t.adminToken);
  const batch = await t
    .http()
    .post('/api/v1/batches')
    .set(admin)
    .send({
      code: `R-${process.pid}-${++approval}`,
      name: 'Round',
      biddingOpensAt: new Date(now - H).toISOString(),
      biddingClosesAt: new Date(now + H).toISOString(),
      openingAt: new Date(now + 2 * H).toISOString(),
      agreementStart: '2027-01-01',
      agreementMonths: 12,
      ...(opts.rules ? { rules: opts.rules } : {}),
    });
  if (batch.status !== 201) throw new Error(`batch: ${batch.status} ${JSON.stringify(batch.body)}`);
  const item = await t
    .http()
    .post(`/api/v1/batches/${batch.body.id}/items`)
    .set(admin)
    .send({
      genericName: opts.genericName ?? '左氨氯地平',
      dosageForm: '片剂',
      representativeStrength: { value: '2.5', unit: 'mg' },
      ceilingUnitPrice: opts.ceiling ?? '0.5446',
      ...(opts.dosageFormClass ? { dosageFormClass: opts.dosageFormClass } : {}),
    });
  if (item.status !== 201) throw new Error(`item: ${item.status} ${JSON.stringify(item.body)}`);
  const pub = await t.http().post(`/api/v1/batches/${batch.body.id}/publish`).set(admin);
  if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${JSON.stringify(pub.body)}`);
  return { batchId: batch.body.id as number, itemId: item.body.id as number, openingAt: new Date(batch.body.openingAt) };
}

export async function bid(t: TestApp, token: string, batchId: number, body: { itemId: number; productId: number; packPrice: string; supplyCapacity: number }) {
  const res = await t.http().post(`/api/v1/batches/${batchId}/bids`).set(bearer(token)).send(body);
  if (res.status !== 201) throw new Error(`bid: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; unitComparablePrice: string; group: string };
}

/** Moves the clock past openingAt and opens through the admin endpoint; waits for the job. */
export async function openBids(t: TestApp, batchId: number, openingAt: Date) {
  if (t.clock.now() <= openingAt) t.clock.set(new Date(openingAt.getTime() + 60_000));
  const res = await t.http().post(`/api/v1/batches/${batchId}/open`).set(bearer(t.adminToken));
  if (res.status !== 202) throw new Error(`open: ${res.status} ${JSON.stringify(res.body)}`);
  const job = await waitForJob(t, t.adminToken, res.body.jobId);
  if (job.state !== 'completed') throw new Error(`open job: ${JSON.stringify(job)}`);
  return job;
}

/** The worked example of domain.md section 14: four group-B bids on levamlodipine 2.5 mg. */
export const WORKED_EXAMPLE = [
  { key: 'b1', strength: '2.5', packSize: 28, packPrice: '3.33', ucp: '0.1189', ts: '35.5', ps: '59.3440', cs: '94.8440' },
  { key: 'b2', strength: '5', packSize: 28, packPrice: '5.60', ucp: '0.1176', ts: '30', ps: '60.0000', cs: '90.0000' },
  { key: 'b3', strength: '2.5', packSize: 7, packPrice: '1.05', ucp: '0.1500', ts: '38', ps: '47.0400', cs: '85.0400' },
  { key: 'b4', strength: '2.5', packSize: 14, packPrice: '3.90', ucp: '0.2786', ts: '39', ps: '25.3266', cs: '64.3266' },
] as const;

/** Runs the worked example to OPENED: returns the batch, item and the four bids with their suppliers. */
export async function workedExampleOpened(t: TestApp, capacities = [20000, 20000, 20000, 20000]) {
  const { batchId, itemId, openingAt } = await publishedBatch(t);
  const bids = [];
  for (const [i, row] of WORKED_EXAMPLE.entries()) {
    const s = await supplierWithProduct(t, { strength: row.strength, packSize: row.packSize });
    const b = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: row.packPrice, supplyCapacity: capacities[i] });
    bids.push({ ...row, bidId: b.id, supplier: s, response: b });
  }
  await openBids(t, batchId, openingAt);
  return { batchId, itemId, bids };
}

export async function scoreAll(t: TestApp, bids: { bidId: number; ts: string }[]) {
  for (const b of bids) {
    const res = await t
      .http()
      .put(`/api/v1/bids/${b.bidId}/technical-score`)
      .set(bearer(t.adminToken))
      .send({ criteria: [{ name: 'quality', points: b.ts, maxPoints: '40' }] });
    if (res.status !== 200) throw new Error(`score: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

export async function evaluate(t: TestApp, batchId: number) {
  const res = await t.http().post(`/api/v1/batches/${batchId}/evaluate`).set(bearer(t.adminToken));
  if (res.status !== 202) throw new Error(`evaluate: ${res.status} ${JSON.stringify(res.body)}`);
  return waitForJob(t, t.adminToken, res.body.jobId);
}
