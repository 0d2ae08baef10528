import { bearer, TestApp } from './test-app';

export { sheetsOf, workbookOf } from '@jicai/spreadsheets';

/**
 * Shared e2e fixtures: products, published batches, xlsx upload and download.
 * Anyone may add to this file; keep helpers small and going through the API.
 */

export const API = '/api/v1';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HOUR = 3600_000;

export interface ItemSpec {
  genericName: string;
  dosageForm: string;
  representativeStrength: { value: string; unit: string };
  ceilingUnitPrice: string;
}

/** Section 14's item: levamlodipine maleate tablets, 2.5 mg, ceiling 0.5446 per measure unit. */
export const LEVAMLODIPINE_ITEM: ItemSpec = {
  genericName: '马来酸左氨氯地平',
  dosageForm: '片剂',
  representativeStrength: { value: '2.5', unit: 'mg' },
  ceilingUnitPrice: '0.5446',
};

export interface ProductBody {
  genericName: string;
  dosageForm: string;
  strength: { value: string; unit: string };
  packSize: number;
  smallestUnit: string;
  qualityTier: string;
  supplierId: number;
  approvalNumber: string;
  listedPackPrice?: string | null;
}

let approvalSeq = 0;
/** A unique approval number (批准文号) for this process. */
export const nextApprovalNumber = (prefix = '国药准字H') => `${prefix}${process.pid}${String(++approvalSeq).padStart(6, '0')}`;

/** A valid POST /catalog/products body for the supplier, with overrides. */
export function productBody(supplierId: number, overrides: Partial<ProductBody> = {}): ProductBody {
  return {
    genericName: LEVAMLODIPINE_ITEM.genericName,
    dosageForm: LEVAMLODIPINE_ITEM.dosageForm,
    strength: { value: '2.5', unit: 'mg' },
    packSize: 28,
    smallestUnit: '片',
    qualityTier: 'CONSISTENCY_PASSED',
    supplierId,
    approvalNumber: nextApprovalNumber(),
    ...overrides,
  };
}

/** Creates a product through the API as the admin; returns the product view. */
export async function createProduct(t: TestApp, supplierId: number, overrides: Partial<ProductBody> = {}) {
  const res = await t.http().post(`${API}/catalog/products`).set(bearer(t.adminToken)).send(productBody(supplierId, overrides));
  if (res.status !== 201) throw new Error(`create product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ProductBody & { id: number };
}

export interface TestBatchInfo {
  id: number;
  code: string;
  itemIds: number[];
  biddingOpensAt: Date;
  biddingClosesAt: Date;
  openingAt: Date;
}

let batchSeq = 0;

/**
 * A batch with items through the API, PUBLISHED unless told otherwise. Its times lie a
 * day after the server clock, so the batch's delayed close/open jobs (timed by BullMQ in
 * real time) never fire during a test: move t.clock to cross them.
 */
export async function createPublishedBatch(t: TestApp, opts: { items?: ItemSpec[]; publish?: boolean; rules?: object } = {}): Promise<TestBatchInfo> {
  const base = Math.ceil((t.clock.now().getTime() + 24 * HOUR) / 1000) * 1000;
  const biddingOpensAt = new Date(base);
  const biddingClosesAt = new Date(base + 2 * HOUR);
  const openingAt = new Date(base + 3 * HOUR);
  const code = `FIX-${process.pid}-${++batchSeq}`;
  const admin = bearer(t.adminToken);
  const b = await t
    .http()
    .post(`${API}/batches`)
    .set(admin)
    .send({
      code,
      name: `Batch ${code}`,
      biddingOpensAt: biddingOpensAt.toISOString(),
      biddingClosesAt: biddingClosesAt.toISOString(),
      openingAt: openingAt.toISOString(),
      agreementStart: '2028-01-01',
      agreementMonths: 12,
      ...(opts.rules ? { rules: opts.rules } : {}),
    });
  if (b.status !== 201) throw new Error(`create batch: ${b.status} ${JSON.stringify(b.body)}`);
  const itemIds: number[] = [];
  for (const item of opts.items ?? [LEVAMLODIPINE_ITEM]) {
    const r = await t.http().post(`${API}/batches/${b.body.id}/items`).set(admin).send(item);
    if (r.status !== 201) throw new Error(`add item: ${r.status} ${JSON.stringify(r.body)}`);
    itemIds.push(r.body.id);
  }
  if (opts.publish !== false) {
    const p = await t.http().post(`${API}/batches/${b.body.id}/publish`).set(admin);
    if (p.status !== 200) throw new Error(`publish: ${p.status} ${JSON.stringify(p.body)}`);
  }
  return { id: b.body.id, code, itemIds, biddingOpensAt, biddingClosesAt, openingAt };
}

export interface Download {
  status: number;
  type: string;
  disposition: string;
  body: Buffer;
  /** The JSON error body when the answer is not a file. */
  json: any;
}

/** GETs a file; the body is kept as bytes (JSON errors are parsed into `json`). */
export async function download(t: TestApp, token: string | null, path: string): Promise<Download> {
  const req = t.http().get(path);
  if (token) req.set(bearer(token));
  const res = await req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  const body = res.body as Buffer;
  const type = String(res.headers['content-type'] ?? '');
  return {
    status: res.status,
    type,
    disposition: String(res.headers['content-disposition'] ?? ''),
    body,
    json: type.includes('json') ? JSON.parse(body.toString('utf8')) : null,
  };
}

/** POSTs a spreadsheet as multipart/form-data field `file`. */
export function upload(t: TestApp, token: string | null, path: string, file: Buffer, filename = 'upload.xlsx') {
  const req = t.http().post(path);
  if (token) req.set(bearer(token));
  return req.attach('file', file, { filename, contentType: XLSX_MIME });
}
