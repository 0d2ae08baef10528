import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bearer, createTestApp, TestApp } from './helpers/test-app';
import { bid, openBids, publishedBatch, supplierWithProduct } from './helpers/round';

/**
 * Key rotation (domain.md section 4): each ciphertext names the key that sealed it; a new
 * key is introduced with BID_SEALING_KEYS (one marked current) while the old one stays
 * readable, and bids sealed under the old key still open. Restarts keep the database.
 */
describe('bid sealing key rotation across restarts (e2e)', () => {
  const k2 = randomBytes(32).toString('base64');
  let t: TestApp;
  afterAll(async () => t?.close());

  const ciphertexts = async (app: TestApp) =>
    (await app.app.get(DataSource).query('SELECT id, ciphertext FROM bids ORDER BY id')) as { id: number; ciphertext: string }[];
  const ownBids = async (app: TestApp, token: string, batchId: number) => {
    const res = await app.http().get(`/api/v1/batches/${batchId}/bids`).set(bearer(token));
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  const restart = async (env: Record<string, string>) => {
    await t.close({ keepDatabase: true });
    t = await createTestApp({ reuse: t, env });
  };

  it('seals under the current key, names it, pads to one length, and opens bids sealed under the old key', async () => {
    t = await createTestApp(); // BID_SEALING_KEY only: key `default`
    const { batchId, itemId, openingAt } = await publishedBatch(t);
    const s1 = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const s2 = await supplierWithProduct(t, { strength: '2.5', packSize: 7 });
    const b1 = await bid(t, s1.token, batchId, { itemId, productId: s1.productId, packPrice: '3.33', supplyCapacity: 1000 });

    // Rotate: a new current key k2 beside the old BID_SEALING_KEY (still readable as `default`).
    await restart({ BID_SEALING_KEYS: `*k2:${k2}` });
    const b2 = await bid(t, s2.token, batchId, { itemId, productId: s2.productId, packPrice: '1.05', supplyCapacity: 123456789 });
    const [c1, c2] = await ciphertexts(t);
    expect(c1.ciphertext.startsWith('default:')).toBe(true);
    expect(c2.ciphertext.startsWith('k2:')).toBe(true);
    // fixed-length plaintext: one length whatever the digits of price and capacity
    expect(c1.ciphertext.length - 'default:'.length).toBe(c2.ciphertext.length - 'k2:'.length);
    // the old bid still reads for its owner, with the nonce of its receipt
    expect(await ownBids(t, s1.token, batchId)).toMatchObject([
      { id: b1.id, packPrice: '3.33', supplyCapacity: 1000, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) },
    ]);

    // Without the old key, its bid no longer opens for its owner: the key id really selects the key.
    await restart({ BID_SEALING_KEYS: `*k2:${k2}`, BID_SEALING_KEY: '' });
    expect(await ownBids(t, s1.token, batchId)).toMatchObject([{ id: b1.id, packPrice: null, supplyCapacity: null }]);
    expect(await ownBids(t, s2.token, batchId)).toMatchObject([{ id: b2.id, packPrice: '1.05', supplyCapacity: 123456789 }]);

    // Both keys configured as a ring (the old one by its id): opening verifies and reveals both bids.
    await restart({ BID_SEALING_KEYS: `default:${Buffer.alloc(32, 11).toString('base64')},*k2:${k2}`, BID_SEALING_KEY: '' });
    const job = await openBids(t, batchId, openingAt);
    expect(job.result).toMatchObject({ opened: true, bids: 2 });
    const opened = await t.http().get(`/api/v1/batches/${batchId}/bids`).set(bearer(t.adminToken));
    expect(opened.body.items.map((b: any) => [b.id, b.packPrice, b.supplyCapacity])).toEqual([
      [b1.id, '3.33', 1000],
      [b2.id, '1.05', 123456789],
    ]);
  });
});
