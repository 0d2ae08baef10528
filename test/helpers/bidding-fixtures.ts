import { DataSource } from 'typeorm';
import { bearer, TestApp } from './test-app';

/**
 * Fixtures for the bidding e2e suite: products and published batches.
 * Products go through POST /catalog/products when the api serves it, otherwise they are
 * inserted directly (the catalog module is being built in parallel).
 */

const API = '/api/v1';
const H = 3600_000;

export interface ProductSpec {
  supplierId: number;
  genericName: string;
  dosageForm: string;
  strength: { value: string; unit: string };
  packSize: number;
  qualityTier: 'ORIGINATOR' | 'REFERENCE' | 'CONSISTENCY_PASSED' | 'GENERIC';
  smallestUnit?: string;
}

let productSeq = 0;
let catalogEndpoint: boolean | undefined;

async function hasCatalogEndpoint(t: TestApp): Promise<boolean> {
  if (catalogEndpoint === undefined) {
    const doc = await t.http().get('/docs-json');
    catalogEndpoint = !!doc.body?.paths?.[`${API}/catalog/products`]?.post;
  }
  return catalogEndpoint;
}

export async function createProduct(t: TestApp, p: ProductSpec): Promise<number> {
  const approvalNumber = `国药准字H${process.pid}${String(++productSeq).padStart(5, '0')}`;
  const smallestUnit = p.smallestUnit ?? 'tablet';
  if (await hasCatalogEndpoint(t)) {
    const res = await t.http().post(`${API}/catalog/products`).set(bearer(t.adminToken)).send({
      genericName: p.genericName,
      dosageForm: p.dosageForm,
      strength: p.strength,
      packSize: p.packSize,
      smallestUnit,
      qualityTier: p.qualityTier,
      supplierId: p.supplierId,
      approvalNumber,
    });
    if (res.status !== 201) throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as number;
  }
  const ds = t.app.get(DataSource);
  const res = await ds.query(
    `INSERT INTO products (supplier_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, strength_value, strength_unit,
       pack_size, smallest_unit, quality_tier, approval_number, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
    [
      p.supplierId,
      p.genericName,
      p.genericName.normalize('NFKC').trim(),
      p.dosageForm,
      p.dosageForm.normalize('NFKC').trim(),
      p.strength.value,
      p.strength.unit,
      p.packSize,
      smallestUnit,
      p.qualityTier,
      approvalNumber,
    ],
  );
  return Number(res.insertId);
}

export interface ItemSpec {
  genericName: string;
  dosageForm: string;
  representativeStrength: { value: string; unit: string };
  ceilingUnitPrice: string;
}

export interface TestBatch {
  id: number;
  code: string;
  itemIds: number[];
  biddingOpensAt: Date;
  biddingClosesAt: Date;
  openingAt: Date;
  /** a moment inside the bidding window */
  during: Date;
}

let batchSeq = 0;

/**
 * A batch with items, PUBLISHED unless told otherwise. Its times lie a day after the
 * server clock's real time, so the batch schedule's delayed jobs (which BullMQ times in
 * real time) never fire during a test; tests move t.clock instead. Resets the clock.
 */
export async function createBatch(t: TestApp, items: ItemSpec[], opts: { publish?: boolean; rules?: object } = {}): Promise<TestBatch> {
  t.clock.reset();
  const base = Math.ceil((t.clock.now().getTime() + 24 * H) / 1000) * 1000;
  const biddingOpensAt = new Date(base);
  const biddingClosesAt = new Date(base + 2 * H);
  const openingAt = new Date(base + 3 * H);
  const code = `BID-${process.pid}-${++batchSeq}`;
  const admin = bearer(t.adminToken);
  const b = await t
    .http()
    .post(`${API}/batches`)
    .set(admin)
    .send({
      code,
      name: `Bidding batch ${batchSeq}`,
      biddingOpensAt: biddingOpensAt.toISOString(),
      biddingClosesAt: biddingClosesAt.toISOString(),
      openingAt: openingAt.toISOString(),
      agreementStart: '2028-01-01',
      agreementMonths: 12,
      ...(opts.rules ? { rules: opts.rules } : {}),
    });
  if (b.status !== 201) throw new Error(`create batch: ${b.status} ${JSON.stringify(b.body)}`);
  const itemIds: number[] = [];
  for (const item of items) {
    const r = await t.http().post(`${API}/batches/${b.body.id}/items`).set(admin).send(item);
    if (r.status !== 201) throw new Error(`add item: ${r.status} ${JSON.stringify(r.body)}`);
    itemIds.push(r.body.id);
  }
  if (opts.publish !== false) {
    const p = await t.http().post(`${API}/batches/${b.body.id}/publish`).set(admin);
    if (p.status !== 200) throw new Error(`publish: ${p.status} ${JSON.stringify(p.body)}`);
  }
  return { id: b.body.id, code, itemIds, biddingOpensAt, biddingClosesAt, openingAt, during: new Date(base + H) };
}

/** Section 14's item: levamlodipine maleate tablets, 2.5 mg, ceiling 0.5446 per measure unit. */
export const LEVAMLODIPINE: ItemSpec = {
  genericName: 'Levamlodipine Maleate',
  dosageForm: 'Tablets',
  representativeStrength: { value: '2.5', unit: 'mg' },
  ceilingUnitPrice: '0.5446',
};
