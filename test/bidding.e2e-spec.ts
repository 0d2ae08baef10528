import { createHash } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { OpeningService } from '@jicai/bidding';
import { QueueName } from '@jicai/common';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { createBatch, createProduct, LEVAMLODIPINE, ProductSpec, TestBatch } from './helpers/bidding-fixtures';

const API = '/api/v1';
// suites create many organisations (bcrypt) and wait for real jobs
jest.setTimeout(60_000);
type Org = Awaited<ReturnType<typeof createOrgUser>>;

/** Section 4's canonical JSON, written out by hand: keys in order, price as a 2-decimal string. */
const canonical = (b: { batchId: number; itemId: number; supplierId: number; productId: number; packPrice: string; supplyCapacity: number; nonce: string }) =>
  `{"batchId":${b.batchId},"itemId":${b.itemId},"supplierId":${b.supplierId},"productId":${b.productId},"packPrice":"${b.packPrice}","supplyCapacity":${b.supplyCapacity},"nonce":"${b.nonce}"}`;
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('bidding: sealed bids, receipts, opening (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let fund: Org;
  let hospital: Org;
  const admin = () => bearer(t.adminToken);

  const levamlodipine = (supplierId: number, extra: Partial<ProductSpec> = {}): ProductSpec => ({
    supplierId,
    genericName: 'Levamlodipine Maleate',
    dosageForm: 'Tablets',
    strength: { value: '2.5', unit: 'mg' },
    packSize: 28,
    qualityTier: 'CONSISTENCY_PASSED',
    ...extra,
  });
  const bid = (token: string, batchId: number, body: object) => t.http().post(`${API}/batches/${batchId}/bids`).set(bearer(token)).send(body);
  const listBids = (token: string, batchId: number, query = '') => t.http().get(`${API}/batches/${batchId}/bids${query}`).set(bearer(token));
  const open = (batchId: number) => t.http().post(`${API}/batches/${batchId}/open`).set(admin());
  const batchOf = async (id: number) => (await t.http().get(`${API}/batches/${id}`).set(admin())).body;
  const auditOf = async (entity: string, entityId: number) =>
    (await t.http().get(`${API}/audit?entity=${entity}&entityId=${entityId}&limit=500`).set(admin())).body.items as { action: string; data: any }[];
  const openingQueue = () => t.app.get<Queue>(getQueueToken(QueueName.OPENING), { strict: false });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    fund = await createOrgUser(t, 'FUND');
    hospital = await createOrgUser(t, 'HOSPITAL');
  });
  afterAll(async () => t?.close());

  it('describes the bidding endpoints in the OpenAPI document', async () => {
    const doc = await t.http().get('/docs-json');
    expect(doc.body.paths[`${API}/batches/{id}/bids`]).toEqual(expect.objectContaining({ post: expect.anything(), get: expect.anything() }));
    expect(doc.body.paths[`${API}/bids/{id}`]).toEqual(expect.objectContaining({ delete: expect.anything() }));
    expect(doc.body.paths[`${API}/batches/{id}/open`]).toEqual(expect.objectContaining({ post: expect.anything() }));
    expect(doc.body.paths[`${API}/batches/{id}/bids`].post.description).toContain('BID_ABOVE_CEILING');
  });

  describe('the worked example of domain.md section 14', () => {
    let batch: TestBatch;
    let itemId: number;
    let s: Org[];
    let products: number[];
    const prices = ['3.33', '5.60', '1.05', '3.90'];
    const capacities = [1234567, 2345678, 3456789, 4567891];
    const submitted: any[] = [];

    beforeAll(async () => {
      batch = await createBatch(t, [LEVAMLODIPINE]);
      itemId = batch.itemIds[0];
      s = [];
      for (let i = 0; i < 4; i++) s.push(await createOrgUser(t, 'SUPPLIER', `Section 14 supplier ${i + 1}`));
      // b1 2.5 mg × 28, b2 5 mg × 28, b3 2.5 mg × 7, b4 2.5 mg × 14, all in group B
      products = [
        await createProduct(t, levamlodipine(s[0].orgId, { qualityTier: 'CONSISTENCY_PASSED' })),
        await createProduct(t, levamlodipine(s[1].orgId, { strength: { value: '5', unit: 'mg' }, qualityTier: 'GENERIC' })),
        await createProduct(t, levamlodipine(s[2].orgId, { packSize: 7, qualityTier: 'CONSISTENCY_PASSED' })),
        await createProduct(t, levamlodipine(s[3].orgId, { packSize: 14, qualityTier: 'GENERIC' })),
      ];
    });

    it('seals the four bids and answers each with its UCP, group B and a receipt', async () => {
      t.clock.set(batch.during);
      const expectedUcp = ['0.1189', '0.1176', '0.1500', '0.2786'];
      const expectedUnits = [28, 56, 7, 14];
      for (let i = 0; i < 4; i++) {
        const res = await bid(s[i].token, batch.id, { itemId, productId: products[i], packPrice: prices[i], supplyCapacity: capacities[i] });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          itemId,
          group: 'B',
          unitComparablePrice: expectedUcp[i],
          status: 'SEALED',
          supplierId: s[i].orgId,
          productId: products[i],
          packPrice: prices[i],
          supplyCapacity: capacities[i],
          measureUnitsPerPack: expectedUnits[i],
          replaces: null,
        });
        expect(res.body.receipt).toMatch(/^[0-9a-f]{64}$/);
        expect(res.body.nonce).toMatch(/^[0-9a-f]{32}$/);
        expect(new Date(res.body.submittedAt).getTime()).toBeGreaterThanOrEqual(batch.during.getTime());
        // the bidder can recompute its receipt from what it sent and the nonce it got
        const mine = {
          batchId: batch.id,
          itemId,
          supplierId: s[i].orgId,
          productId: products[i],
          packPrice: prices[i],
          supplyCapacity: capacities[i],
          nonce: res.body.nonce,
        };
        expect(sha256(canonical(mine))).toBe(res.body.receipt);
        submitted.push(res.body);
      }
    });

    it('stores no plaintext price, capacity or UCP in the bids row', async () => {
      const rows = await db.query('SELECT * FROM bids WHERE batch_id = ?', [batch.id]);
      expect(rows).toHaveLength(4);
      const ucps = ['0.1189', '0.1176', '0.1500', '0.2786'];
      // ids, times and the product snapshot are not secret (and digits in them could match by chance)
      const nonSecret = [
        'id',
        'batch_id',
        'item_id',
        'supplier_id',
        'product_id',
        'submitted_by',
        'replaced_by',
        'pack_size',
        'strength_value',
        'measure_units_per_pack',
        'submitted_at',
        'replaced_at',
        'withdrawn_at',
        'opened_at',
      ];
      for (const row of rows) {
        expect(row).toMatchObject({
          pack_price: null,
          supply_capacity: null,
          unit_comparable_price: null,
          nonce: null,
          opened_at: null,
          status: 'SEALED',
          live: 1,
        });
        const rest = Object.entries(row).filter(([k]) => !nonSecret.includes(k));
        expect(rest.map(([k]) => k).sort()).toEqual([
          'ciphertext',
          'group_name',
          'live',
          'nonce',
          'nonce_salt',
          'pack_price',
          'receipt',
          'status',
          'strength_unit',
          'supply_capacity',
          'unit_comparable_price',
        ]);
        // the columns as stored, and the ciphertext decoded from base64: encrypted, not merely encoded
        const text = JSON.stringify(rest) + Buffer.from(row.ciphertext, 'base64').toString('latin1');
        for (const needle of [...prices, ...capacities.map(String), ...ucps]) {
          expect({ bid: row.id, needle, found: text.includes(needle) }).toEqual({ bid: row.id, needle, found: false });
        }
        // nor the nonce the receipt commits to (derived from the secret key, written at opening)
        expect(text).not.toContain(submitted.find((b) => b.id === row.id).nonce);
      }
      // the audit trail of the submissions carries no price or capacity either
      const entries = await auditOf('bid', submitted[0].id);
      expect(entries.map((e) => e.action)).toEqual(['bid.submit']);
      expect(entries[0].data).toMatchObject({ batchId: batch.id, itemId, group: 'B', receipt: submitted[0].receipt });
      const data = JSON.stringify(entries.map((e) => e.data));
      for (const needle of [prices[0], String(capacities[0]), ucps[0]]) expect(data).not.toContain(needle);
    });

    it('shows admins and the fund counts per item × group only, before opening', async () => {
      for (const token of [t.adminToken, fund.token]) {
        const res = await listBids(token, batch.id);
        expect(res.status).toBe(200);
        // exactly this: no bid ids, no supplier ids, no prices
        expect(res.body).toEqual({
          items: [
            { itemId, group: 'A', count: 0 },
            { itemId, group: 'B', count: 4 },
          ],
        });
      }
      const history = await listBids(t.adminToken, batch.id, '?history=true');
      expect(history.status).toBe(400);
    });

    it('shows a supplier its own bid only, with its price', async () => {
      const res = await listBids(s[1].token, batch.id);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          id: submitted[1].id,
          supplierId: s[1].orgId,
          packPrice: '5.60',
          supplyCapacity: 2345678,
          unitComparablePrice: '0.1176',
          receipt: submitted[1].receipt,
          nonce: submitted[1].nonce,
          status: 'SEALED',
        }),
      ]);
    });

    it('refuses hospitals the bid list, and other roles the bid submission', async () => {
      const h = await listBids(hospital.token, batch.id);
      expect(h.status).toBe(403);
      expect(h.body.code).toBe('FORBIDDEN');
      for (const token of [t.adminToken, fund.token, hospital.token]) {
        const res = await bid(token, batch.id, { itemId, productId: products[0], packPrice: '3.00', supplyCapacity: 1 });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });

    it('refuses bids at and after biddingClosesAt, and refuses to open before openingAt', async () => {
      t.clock.set(batch.biddingClosesAt);
      const late = await bid(s[0].token, batch.id, { itemId, productId: products[0], packPrice: '3.00', supplyCapacity: 1000 });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('BIDDING_CLOSED');
      const early = await open(batch.id);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('OPENING_NOT_DUE');
      for (const token of [fund.token, s[0].token, hospital.token])
        expect((await t.http().post(`${API}/batches/${batch.id}/open`).set(bearer(token))).status).toBe(403);
      expect((await batchOf(batch.id)).status).toBe('PUBLISHED');
    });

    it('opens through the admin endpoint once openingAt has passed: closes, verifies and reveals', async () => {
      t.clock.set(new Date(batch.openingAt.getTime() + 60_000));
      // the schedule's delayed job exists; the admin request promotes it rather than adding a second
      const scheduled = await openingQueue().getJob(`open-batch-${batch.id}`);
      expect(await scheduled!.getState()).toBe('delayed');
      const res = await open(batch.id);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ jobId: `opening.open-batch-${batch.id}` });
      const job = await waitForJob(t, t.adminToken, res.body.jobId);
      expect(job.state).toBe('completed');
      expect(job.result).toEqual({ opened: true, bids: 4 });

      const b = await batchOf(batch.id);
      expect(b.status).toBe('OPENED');
      expect(b.integrityAlarm).toBe(false);
      expect(b.openedAt).not.toBeNull();
      const transitions = (await auditOf('batch', batch.id)).filter((e) => e.action === 'batch.transition').map((e) => `${e.data.from}>${e.data.to}`);
      expect(transitions).toEqual(expect.arrayContaining(['PUBLISHED>CLOSED', 'CLOSED>OPENED']));
    });

    it('publishes every live bid with its nonce after opening; each receipt recomputes from the published fields', async () => {
      for (const token of [t.adminToken, fund.token]) {
        const res = await listBids(token, batch.id);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(4);
        const byId = new Map(res.body.items.map((x: any) => [x.id, x]));
        for (const [i, sub] of submitted.entries()) {
          const opened: any = byId.get(sub.id);
          expect(opened).toMatchObject({
            itemId,
            group: 'B',
            supplierId: s[i].orgId,
            productId: products[i],
            packPrice: prices[i],
            supplyCapacity: capacities[i],
            unitComparablePrice: sub.unitComparablePrice,
            receipt: sub.receipt,
            nonce: sub.nonce,
            status: 'OPENED',
            submittedAt: sub.submittedAt,
          });
          expect(sha256(canonical({ ...opened, batchId: batch.id }))).toBe(opened.receipt);
        }
      }
      const rows = await db.query('SELECT id, pack_price, supply_capacity, unit_comparable_price, status FROM bids WHERE batch_id = ? ORDER BY id', [batch.id]);
      expect(rows.map((r: any) => [r.pack_price, r.supply_capacity, r.unit_comparable_price, r.status])).toEqual([
        ['3.33', 1234567, '0.1189', 'OPENED'],
        ['5.60', 2345678, '0.1176', 'OPENED'],
        ['1.05', 3456789, '0.1500', 'OPENED'],
        ['3.90', 4567891, '0.2786', 'OPENED'],
      ]);
      // a supplier still sees its own only; hospitals are still refused
      const own = await listBids(s[3].token, batch.id);
      expect(own.body.items.map((x: any) => x.id)).toEqual([submitted[3].id]);
      expect((await listBids(hospital.token, batch.id)).status).toBe(403);
    });

    it('is safe to run twice: a second opening changes nothing', async () => {
      const again = await open(batch.id);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_STATE');
      const before = await db.query('SELECT COUNT(*) AS n FROM audit_entries');
      const rerun = await t.app.get(OpeningService).openBids(batch.id, 'rerun');
      expect(rerun).toEqual({ opened: true, bids: 4, alreadyOpened: true });
      const close = await t.app.get(OpeningService).closeBidding(batch.id, 'rerun');
      expect(close).toEqual({ closed: false, status: 'OPENED' });
      expect(await db.query('SELECT COUNT(*) AS n FROM audit_entries')).toEqual(before);
      const late = await bid(s[0].token, batch.id, { itemId, productId: products[0], packPrice: '3.00', supplyCapacity: 1000 });
      expect(late.body.code).toBe('BIDDING_CLOSED');
    });
  });

  describe('submission rules (domain.md section 4)', () => {
    let batch: TestBatch;
    let other: TestBatch;
    let itemId: number;
    let a: Org;
    let b: Org;
    let own: number;
    const count = async () => Number((await db.query('SELECT COUNT(*) AS n FROM bids WHERE batch_id = ?', [batch.id]))[0].n);

    beforeAll(async () => {
      other = await createBatch(t, [LEVAMLODIPINE]);
      batch = await createBatch(t, [LEVAMLODIPINE]);
      itemId = batch.itemIds[0];
      a = await createOrgUser(t, 'SUPPLIER');
      b = await createOrgUser(t, 'SUPPLIER');
      own = await createProduct(t, levamlodipine(a.orgId));
      t.clock.set(batch.during);
    });

    it('refuses a UCP above the ceiling and accepts one equal to it', async () => {
      // 15.26 / 28 = 0.545 → 0.5450 > 0.5446
      const above = await bid(a.token, batch.id, { itemId, productId: own, packPrice: '15.26', supplyCapacity: 1000 });
      expect(above.status).toBe(422);
      expect(above.body.code).toBe('BID_ABOVE_CEILING');
      expect(await count()).toBe(0);
      // 15.25 / 28 = 0.544642… → 0.5446 = the ceiling (the 15.25 per 28 of section 14)
      const at = await bid(a.token, batch.id, { itemId, productId: own, packPrice: '15.25', supplyCapacity: 1000 });
      expect(at.status).toBe(201);
      expect(at.body.unitComparablePrice).toBe('0.5446');
      // K applies: 5 mg × 28 at 16.00: 16/28 × 1.7^-1 = 0.336134… → 0.3361; at 18.60: 0.390756… fine; at 26.00: 0.5462 > ceiling
      const fiveMg = await createProduct(t, levamlodipine(a.orgId, { strength: { value: '5', unit: 'mg' } }));
      const k = await bid(a.token, batch.id, { itemId, productId: fiveMg, packPrice: '16.00', supplyCapacity: 1000 });
      expect(k.body.unitComparablePrice).toBe('0.3361');
      const kAbove = await bid(a.token, batch.id, { itemId, productId: fiveMg, packPrice: '26.00', supplyCapacity: 1000 });
      expect(kAbove.body.code).toBe('BID_ABOVE_CEILING');
    });

    it("refuses another supplier's product with the very 404 of an unknown one (no existence oracle)", async () => {
      const before = await count();
      const theirs = await bid(b.token, batch.id, { itemId, productId: own, packPrice: '3.00', supplyCapacity: 1000 });
      const unknown = await bid(b.token, batch.id, { itemId, productId: 99999999, packPrice: '3.00', supplyCapacity: 1000 });
      expect(theirs.status).toBe(404);
      expect(theirs.body).toEqual(unknown.body);
      expect(unknown.body.code).toBe('NOT_FOUND');
      const wrongItem = await bid(a.token, batch.id, { itemId: other.itemIds[0], productId: own, packPrice: '3.00', supplyCapacity: 1000 });
      expect(wrongItem.status).toBe(404);
      const noBatch = await bid(a.token, 99999999, { itemId, productId: own, packPrice: '3.00', supplyCapacity: 1000 });
      expect(noBatch.status).toBe(404);
      expect(await count()).toBe(before);
    });

    it('refuses a product whose generic name or dosage form differs, comparing after NFKC', async () => {
      const amlodipine = await createProduct(t, levamlodipine(a.orgId, { genericName: 'Amlodipine Besylate' }));
      const r1 = await bid(a.token, batch.id, { itemId, productId: amlodipine, packPrice: '3.00', supplyCapacity: 1000 });
      expect(r1.status).toBe(422);
      expect(r1.body.code).toBe('PRODUCT_MISMATCH');
      const capsules = await createProduct(t, levamlodipine(a.orgId, { dosageForm: 'Capsules' }));
      expect((await bid(a.token, batch.id, { itemId, productId: capsules, packPrice: '3.00', supplyCapacity: 1000 })).body.code).toBe('PRODUCT_MISMATCH');
      // full-width letters and an ideographic space fold to the item's name under NFKC
      const fullWidth = await createProduct(t, levamlodipine(a.orgId, { genericName: '\u3000Ｌｅｖａｍｌｏｄｉｐｉｎｅ Maleate', qualityTier: 'ORIGINATOR' }));
      const ok = await bid(a.token, batch.id, { itemId, productId: fullWidth, packPrice: '3.00', supplyCapacity: 1000 });
      expect(ok.status).toBe(201);
      expect(ok.body.group).toBe('A');
    });

    it('refuses a strength that does not make whole measure units (STRENGTH_NOT_COMPARABLE)', async () => {
      // 7 × 1 mg / 2.5 mg = 2.8 measure units per pack
      const oneMg = await createProduct(t, levamlodipine(a.orgId, { strength: { value: '1', unit: 'mg' }, packSize: 7 }));
      const r = await bid(a.token, batch.id, { itemId, productId: oneMg, packPrice: '1.00', supplyCapacity: 1000 });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('STRENGTH_NOT_COMPARABLE');
      const ml = await createProduct(t, levamlodipine(a.orgId, { strength: { value: '2.5', unit: 'ml' } }));
      expect((await bid(a.token, batch.id, { itemId, productId: ml, packPrice: '1.00', supplyCapacity: 1000 })).body.code).toBe('STRENGTH_NOT_COMPARABLE');
      // 2500 µg converts: 28 × 2500 µg / 2.5 mg = 28
      const ug = await createProduct(t, levamlodipine(a.orgId, { strength: { value: '2500', unit: 'µg' }, qualityTier: 'REFERENCE' }));
      const ok = await bid(a.token, batch.id, { itemId, productId: ug, packPrice: '3.33', supplyCapacity: 1000 });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ unitComparablePrice: '0.1189', measureUnitsPerPack: 28 });
    });

    it('answers 400 VALIDATION_FAILED for a malformed price or capacity, writing nothing', async () => {
      const before = await count();
      const cases: [object, string][] = [
        [{ packPrice: '3.333' }, 'packPrice'],
        [{ packPrice: '3.330' }, 'packPrice'],
        [{ packPrice: 3.33 }, 'packPrice'],
        [{ packPrice: '0' }, 'packPrice'],
        [{ packPrice: '0.00' }, 'packPrice'],
        [{ packPrice: '-1.00' }, 'packPrice'],
        [{ packPrice: '1e2' }, 'packPrice'],
        [{ supplyCapacity: 0 }, 'supplyCapacity'],
        [{ supplyCapacity: -3 }, 'supplyCapacity'],
        [{ supplyCapacity: 2.5 }, 'supplyCapacity'],
        [{ supplyCapacity: '1000' }, 'supplyCapacity'],
        [{ itemId: 'x' }, 'itemId'],
      ];
      for (const [change, field] of cases) {
        const res = await bid(a.token, batch.id, { itemId, productId: own, packPrice: '3.00', supplyCapacity: 1000, ...change });
        expect({ change, status: res.status, code: res.body.code }).toEqual({ change, status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.map((d: any) => d.field)).toContain(field);
      }
      expect(await count()).toBe(before);
    });
  });

  describe('the bidding window, by the server clock', () => {
    let batch: TestBatch;
    let s: Org;
    let product: number;
    const body = () => ({ itemId: batch.itemIds[0], productId: product, packPrice: '3.00', supplyCapacity: 500 });

    beforeAll(async () => {
      batch = await createBatch(t, [LEVAMLODIPINE]);
      s = await createOrgUser(t, 'SUPPLIER');
      product = await createProduct(t, levamlodipine(s.orgId));
    });

    it('refuses an early bid (BIDDING_NOT_OPEN), accepts from biddingOpensAt, refuses a late one (BIDDING_CLOSED)', async () => {
      t.clock.set(new Date(batch.biddingOpensAt.getTime() - 1000));
      const early = await bid(s.token, batch.id, body());
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('BIDDING_NOT_OPEN');
      t.clock.set(batch.biddingOpensAt);
      const first = await bid(s.token, batch.id, body());
      expect(first.status).toBe(201);
      t.clock.set(new Date(batch.biddingClosesAt.getTime() - 1000));
      const last = await bid(s.token, batch.id, { ...body(), packPrice: '2.90' });
      expect(last.status).toBe(201);
      t.clock.set(batch.biddingClosesAt);
      const late = await bid(s.token, batch.id, body());
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('BIDDING_CLOSED');
      const withdraw = await t.http().delete(`${API}/bids/${last.body.id}`).set(bearer(s.token));
      expect(withdraw.status).toBe(409);
      expect(withdraw.body.code).toBe('BIDDING_CLOSED');
    });

    it('refuses bids in a draft (BIDDING_NOT_OPEN) and a cancelled batch (BIDDING_CLOSED)', async () => {
      const draft = await createBatch(t, [LEVAMLODIPINE], { publish: false });
      t.clock.set(draft.during);
      const d = await bid(s.token, draft.id, { ...body(), itemId: draft.itemIds[0] });
      expect(d.status).toBe(409);
      expect(d.body.code).toBe('BIDDING_NOT_OPEN');
      const cancelled = await createBatch(t, [LEVAMLODIPINE]);
      expect((await t.http().post(`${API}/batches/${cancelled.id}/cancel`).set(admin())).status).toBe(200);
      t.clock.set(cancelled.during);
      const c = await bid(s.token, cancelled.id, { ...body(), itemId: cancelled.itemIds[0] });
      expect(c.status).toBe(409);
      expect(c.body.code).toBe('BIDDING_CLOSED');
    });

    it('closes bidding by the close job, idempotently, and waits when the job runs early', async () => {
      const queue = openingQueue();
      const jobId = `close-batch-${batch.id}`;
      // the job runs before biddingClosesAt by the server clock: it goes back to delayed, the batch stays PUBLISHED
      t.clock.set(new Date(batch.biddingClosesAt.getTime() - 30 * 60_000));
      await (await queue.getJob(jobId))!.promote();
      for (let i = 0; ; i++) {
        const job = await queue.getJob(jobId);
        if (job?.processedOn && (await job.getState()) === 'delayed') break;
        if (i > 400) throw new Error('close job did not return to delayed');
        await new Promise((r) => setTimeout(r, 25));
      }
      expect((await batchOf(batch.id)).status).toBe('PUBLISHED');

      t.clock.set(new Date(batch.biddingClosesAt.getTime() + 1000));
      await (await queue.getJob(jobId))!.promote();
      const done = await waitForJob(t, t.adminToken, `opening.${jobId}`);
      expect(done.state).toBe('completed');
      expect(done.result).toEqual({ closed: true, status: 'CLOSED' });
      expect((await batchOf(batch.id)).status).toBe('CLOSED');
      expect(await t.app.get(OpeningService).closeBidding(batch.id, 'again')).toEqual({ closed: false, status: 'CLOSED' });
      // still sealed: admins see counts only
      expect((await listBids(t.adminToken, batch.id)).body).toEqual({
        items: [
          { itemId: batch.itemIds[0], group: 'A', count: 0 },
          { itemId: batch.itemIds[0], group: 'B', count: 1 },
        ],
      });
    });
  });

  describe('replacement, history and withdrawal', () => {
    let batch: TestBatch;
    let itemId: number;
    let s: Org;
    let rival: Org;
    let p1: number;
    let p2: number;
    let originator: number;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      batch = await createBatch(t, [LEVAMLODIPINE]);
      itemId = batch.itemIds[0];
      s = await createOrgUser(t, 'SUPPLIER');
      rival = await createOrgUser(t, 'SUPPLIER');
      p1 = await createProduct(t, levamlodipine(s.orgId));
      p2 = await createProduct(t, levamlodipine(s.orgId, { packSize: 14, qualityTier: 'GENERIC' }));
      originator = await createProduct(t, levamlodipine(s.orgId, { qualityTier: 'ORIGINATOR' }));
      t.clock.set(batch.during);
    });

    it('replaces the live bid of an item × group and keeps every version', async () => {
      const first = await bid(s.token, batch.id, { itemId, productId: p1, packPrice: '3.50', supplyCapacity: 1000 });
      const second = await bid(s.token, batch.id, { itemId, productId: p1, packPrice: '3.40', supplyCapacity: 2000 });
      expect(second.status).toBe(201);
      expect(second.body.replaces).toBe(first.body.id);
      // another product in the same group replaces too: one live bid per supplier × item × group
      const third = await bid(s.token, batch.id, { itemId, productId: p2, packPrice: '1.80', supplyCapacity: 3000 });
      expect(third.body).toMatchObject({ group: 'B', replaces: second.body.id });
      // group A is a separate competition
      const inA = await bid(s.token, batch.id, { itemId, productId: originator, packPrice: '9.00', supplyCapacity: 500 });
      expect(inA.body).toMatchObject({ group: 'A', replaces: null });
      Object.assign(ids, { first: first.body.id, second: second.body.id, third: third.body.id, inA: inA.body.id });

      const live = await listBids(s.token, batch.id);
      expect(live.body.items.map((x: any) => [x.id, x.group, x.packPrice, x.status])).toEqual([
        [ids.inA, 'A', '9.00', 'SEALED'],
        [ids.third, 'B', '1.80', 'SEALED'],
      ]);
      const history = await listBids(s.token, batch.id, '?history=true');
      expect(history.body.total).toBe(4);
      expect(history.body.items.map((x: any) => [x.id, x.status, x.replacedBy, x.packPrice, x.supplyCapacity])).toEqual([
        [ids.inA, 'SEALED', null, '9.00', 500],
        [ids.third, 'SEALED', null, '1.80', 3000],
        [ids.second, 'REPLACED', ids.third, '3.40', 2000],
        [ids.first, 'REPLACED', ids.second, '3.50', 1000],
      ]);
      const rows = await db.query('SELECT id, status, live FROM bids WHERE batch_id = ? AND group_name = ? ORDER BY id', [batch.id, 'B']);
      expect(rows.map((r: any) => [r.id, r.status, r.live])).toEqual([
        [ids.first, 'REPLACED', null],
        [ids.second, 'REPLACED', null],
        [ids.third, 'SEALED', 1],
      ]);
      expect((await listBids(t.adminToken, batch.id)).body.items).toEqual([
        { itemId, group: 'A', count: 1 },
        { itemId, group: 'B', count: 1 },
      ]);
      // the rival sees none of it
      expect((await listBids(rival.token, batch.id)).body).toEqual({ items: [], total: 0 });
      expect((await listBids(rival.token, batch.id, '?history=true')).body).toEqual({ items: [], total: 0 });
      expect((await auditOf('bid', ids.second)).map((e) => e.action)).toEqual(['bid.replace']);
    });

    it('enforces one live bid per supplier × item × group in the database itself', async () => {
      await expect(db.query('UPDATE bids SET live = 1 WHERE id = ?', [ids.second])).rejects.toThrow(/Duplicate/);
    });

    it('withdraws only the live bid of its owner, before close', async () => {
      const byRival = await t.http().delete(`${API}/bids/${ids.third}`).set(bearer(rival.token));
      expect(byRival.status).toBe(404);
      expect(byRival.body.code).toBe('NOT_FOUND');
      for (const token of [t.adminToken, fund.token, hospital.token]) {
        const r = await t.http().delete(`${API}/bids/${ids.third}`).set(bearer(token));
        expect(r.status).toBe(403);
      }
      const missing = await t.http().delete(`${API}/bids/99999999`).set(bearer(rival.token));
      expect(missing.status).toBe(404);
      expect(byRival.body).toEqual(missing.body);
      const replaced = await t.http().delete(`${API}/bids/${ids.first}`).set(bearer(s.token));
      expect(replaced.status).toBe(409);
      expect(replaced.body.code).toBe('INVALID_STATE');

      const res = await t.http().delete(`${API}/bids/${ids.third}`).set(bearer(s.token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: ids.third, status: 'WITHDRAWN', group: 'B', packPrice: '1.80', supplyCapacity: 3000 });
      expect(res.body.withdrawnAt).not.toBeNull();
      const again = await t.http().delete(`${API}/bids/${ids.third}`).set(bearer(s.token));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INVALID_STATE');

      expect((await listBids(s.token, batch.id)).body.items.map((x: any) => x.id)).toEqual([ids.inA]);
      expect((await listBids(t.adminToken, batch.id)).body.items).toEqual([
        { itemId, group: 'A', count: 1 },
        { itemId, group: 'B', count: 0 },
      ]);
      const history = await listBids(s.token, batch.id, '?history=true');
      expect(history.body.items.find((x: any) => x.id === ids.third).status).toBe('WITHDRAWN');
      const audit = await auditOf('bid', ids.third);
      expect(audit.map((e) => e.action)).toEqual(['bid.withdraw', 'bid.replace']);
      expect(JSON.stringify(audit)).not.toContain('1.80');

      // the slot is free again
      const anew = await bid(s.token, batch.id, { itemId, productId: p1, packPrice: '3.10', supplyCapacity: 1000 });
      expect(anew.status).toBe(201);
      expect(anew.body.replaces).toBeNull();
    });

    it('opens only the live versions; replaced and withdrawn ones stay sealed', async () => {
      t.clock.set(new Date(batch.openingAt.getTime() + 1000));
      const res = await open(batch.id);
      expect(res.status).toBe(202);
      expect((await waitForJob(t, t.adminToken, res.body.jobId)).result).toEqual({ opened: true, bids: 2 });
      const list = await listBids(t.adminToken, batch.id);
      expect(list.body.items.map((x: any) => [x.group, x.packPrice, x.status])).toEqual([
        ['A', '9.00', 'OPENED'],
        ['B', '3.10', 'OPENED'],
      ]);
      const hidden = await db.query(`SELECT pack_price, nonce FROM bids WHERE batch_id = ? AND status IN ('REPLACED','WITHDRAWN')`, [batch.id]);
      expect(hidden).toHaveLength(3);
      for (const r of hidden) expect(r).toEqual({ pack_price: null, nonce: null });
    });
  });

  describe('integrity alarm', () => {
    const setup = async () => {
      const batch = await createBatch(t, [LEVAMLODIPINE]);
      t.clock.set(batch.during);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const sup = await createOrgUser(t, 'SUPPLIER');
        const p = await createProduct(t, levamlodipine(sup.orgId));
        const r = await bid(sup.token, batch.id, { itemId: batch.itemIds[0], productId: p, packPrice: `4.0${i}`, supplyCapacity: 1000 + i });
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
      return { batch, ids };
    };

    const expectAlarm = async (batch: TestBatch, badId: number, reason: string) => {
      t.clock.set(new Date(batch.openingAt.getTime() + 1000));
      const res = await open(batch.id);
      expect(res.status).toBe(202);
      const job = await waitForJob(t, t.adminToken, res.body.jobId);
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ opened: false, integrityAlarm: true, badBidIds: [badId] });
      // Each bad bid's reason is in the result's reason and in the audit entry below.
      expect(job.result.reason).toContain(`${badId} ${reason}`);
      const b = await batchOf(batch.id);
      expect(b.status).toBe('CLOSED');
      expect(b.integrityAlarm).toBe(true);
      expect(b.integrityAlarmReason).toContain(String(badId));
      expect(b.openedAt).toBeNull();
      // nothing revealed, not even the intact bids
      const rows = await db.query('SELECT status, pack_price, supply_capacity, unit_comparable_price, nonce FROM bids WHERE batch_id = ?', [batch.id]);
      for (const r of rows) expect(r).toEqual({ status: 'SEALED', pack_price: null, supply_capacity: null, unit_comparable_price: null, nonce: null });
      expect((await listBids(t.adminToken, batch.id)).body.items).toEqual([
        { itemId: batch.itemIds[0], group: 'A', count: 0 },
        { itemId: batch.itemIds[0], group: 'B', count: 3 },
      ]);
      const alarms = (await auditOf('batch', batch.id)).filter((e) => e.action === 'batch.integrity-alarm');
      expect(alarms).toHaveLength(1);
      expect(alarms[0].data.badBids).toEqual([{ bidId: badId, reason }]);
      // blocked: no second opening, and a rerun of the job is a no-op
      const again = await open(batch.id);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INTEGRITY_ALARM');
      expect(await t.app.get(OpeningService).openBids(batch.id, 'rerun')).toMatchObject({ opened: false, integrityAlarm: true });
      expect((await auditOf('batch', batch.id)).filter((e) => e.action === 'batch.integrity-alarm')).toHaveLength(1);
    };

    it('stops the opening when a stored ciphertext was altered', async () => {
      const { batch, ids } = await setup();
      const [row] = await db.query('SELECT ciphertext FROM bids WHERE id = ?', [ids[1]]);
      const raw = Buffer.from(row.ciphertext, 'base64');
      raw[raw.length - 1] ^= 0x01;
      await db.query('UPDATE bids SET ciphertext = ? WHERE id = ?', [raw.toString('base64'), ids[1]]);
      await expectAlarm(batch, ids[1], 'DECRYPTION_FAILED');
    });

    it('stops the opening when a stored receipt was altered', async () => {
      const { batch, ids } = await setup();
      const [row] = await db.query('SELECT receipt FROM bids WHERE id = ?', [ids[2]]);
      const altered = (row.receipt[0] === 'a' ? 'b' : 'a') + row.receipt.slice(1);
      await db.query('UPDATE bids SET receipt = ? WHERE id = ?', [altered, ids[2]]);
      await expectAlarm(batch, ids[2], 'RECEIPT_MISMATCH');
    });

    it('stops the opening when a ciphertext was copied from another bid', async () => {
      const { batch, ids } = await setup();
      await db.query('UPDATE bids b JOIN bids o ON o.id = ? SET b.ciphertext = o.ciphertext WHERE b.id = ?', [ids[0], ids[2]]);
      await expectAlarm(batch, ids[2], 'DECRYPTION_FAILED');
    });
  });

  describe('a concurrent burst of 200 bids', () => {
    it('loses nothing and leaves exactly one live bid, the last committed, per supplier × item × group', async () => {
      const items = [LEVAMLODIPINE, { ...LEVAMLODIPINE, genericName: 'Amlodipine Besylate', ceilingUnitPrice: '0.9000' }];
      const batch = await createBatch(t, items);
      const suppliers: Org[] = [];
      for (let i = 0; i < 20; i++) suppliers.push(await createOrgUser(t, 'SUPPLIER'));
      // each supplier: per item a group B product, and for the first item a group A product too
      const products = new Map<string, number>();
      for (const sup of suppliers) {
        for (const [k, item] of items.entries()) {
          products.set(`${sup.orgId}:${k}:B`, await createProduct(t, levamlodipine(sup.orgId, { genericName: item.genericName })));
        }
        products.set(`${sup.orgId}:0:A`, await createProduct(t, levamlodipine(sup.orgId, { qualityTier: 'ORIGINATOR' })));
      }
      const slots = ['0:B', '1:B', '0:A'];
      t.clock.set(batch.during);
      const requests = Array.from({ length: 200 }, (_, i) => {
        const sup = suppliers[i % 20];
        const slot = slots[Math.floor(i / 20) % 3];
        const [k, group] = slot.split(':');
        const packPrice = (1 + ((i * 7) % 300) / 100).toFixed(2); // 1.00 … 3.99: under both ceilings
        return { sup, body: { itemId: batch.itemIds[Number(k)], productId: products.get(`${sup.orgId}:${k}:${group}`)!, packPrice, supplyCapacity: 1000 + i } };
      });
      const responses = await Promise.all(requests.map((r) => bid(r.sup.token, batch.id, r.body)));
      expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);

      const rows = await db.query(
        'SELECT id, item_id AS itemId, supplier_id AS supplierId, group_name AS g, status, live, replaced_by AS replacedBy, receipt FROM bids WHERE batch_id = ? ORDER BY id',
        [batch.id],
      );
      expect(rows).toHaveLength(200);
      const byId = new Map(rows.map((r: any) => [r.id, r]));
      for (const res of responses) expect((byId.get(res.body.id) as any)?.receipt).toBe(res.body.receipt);

      const bySlot = new Map<string, any[]>();
      for (const r of rows) bySlot.set(`${r.supplierId}:${r.itemId}:${r.g}`, [...(bySlot.get(`${r.supplierId}:${r.itemId}:${r.g}`) ?? []), r]);
      expect(bySlot.size).toBe(60);
      for (const [slot, versions] of bySlot) {
        const live = versions.filter((v) => v.live === 1);
        expect({ slot, live: live.length }).toEqual({ slot, live: 1 });
        // the live one is the last committed: versions replace each other in id order
        expect(live[0].id).toBe(versions[versions.length - 1].id);
        for (let i = 0; i + 1 < versions.length; i++) {
          expect({ slot, id: versions[i].id, status: versions[i].status, replacedBy: versions[i].replacedBy }).toEqual({
            slot,
            id: versions[i].id,
            status: 'REPLACED',
            replacedBy: versions[i + 1].id,
          });
        }
      }
      const verify = await t.http().get(`${API}/audit/verify`).set(admin());
      expect(verify.body.ok).toBe(true);

      // and the opening reveals each live bid with the price its bidder sent last
      t.clock.set(new Date(batch.openingAt.getTime() + 1000));
      const job = await waitForJob(t, t.adminToken, (await open(batch.id)).body.jobId);
      expect({ state: job.state, result: job.result, failedReason: job.failedReason }).toEqual({
        state: 'completed',
        result: { opened: true, bids: 60 },
        failedReason: null,
      });
      const sent = new Map(responses.map((r, i) => [r.body.id, requests[i].body]));
      const opened = await listBids(t.adminToken, batch.id, '?limit=500');
      expect(opened.body.total).toBe(60);
      for (const o of opened.body.items) {
        expect({ id: o.id, packPrice: o.packPrice, supplyCapacity: o.supplyCapacity }).toEqual({
          id: o.id,
          packPrice: sent.get(o.id)!.packPrice,
          supplyCapacity: sent.get(o.id)!.supplyCapacity,
        });
        expect(sha256(canonical({ ...o, batchId: batch.id }))).toBe(o.receipt);
      }
    }, 120_000);
  });
});
