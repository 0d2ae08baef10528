import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditSequencer, auditHash } from '@jicai/common';
import { bearer, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { bid, openBids, publishedBatch, supplierWithProduct } from './helpers/round';

/**
 * domain.md sections 4 and 11: before opening no API shows who bid or with which product,
 * not even to admins, the only readers of the log; and no hash the log publishes lets
 * anyone test guesses of them. After opening the entries read in full and anyone can
 * recompute every hash from what GET /audit shows.
 *
 * The attack is the one that worked against the first recipe: every published hash, every
 * small integer id as actor user, actor organisation and product, the recipe of
 * domain.md section 11 over the fields; and, for sealed entries, the commitment with every
 * 32-hex string any response showed as a candidate salt.
 */
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The unsealed recipe, written here from domain.md, not imported. */
const plainHash = (e: any, actorUserId: number | null, actorOrganizationId: number | null, data: string) =>
  sha256(JSON.stringify([e.prevHash, e.seq, e.at, actorUserId, actorOrganizationId, e.action, e.entity, e.entityId, data]));
const commitmentOf = (salt: string, u: number | null, o: number | null, sealedData: string) => sha256(JSON.stringify([salt, u, o, sealedData]));
const sealedHash = (e: any, commitment: string) =>
  sha256(
    JSON.stringify([
      'sealed/v1',
      e.prevHash,
      e.seq,
      e.at,
      e.action,
      e.entity,
      e.entityId,
      JSON.stringify(e.seal.publicData ?? e.data),
      e.seal.policy,
      e.seal.scope,
      commitment,
    ]),
  );

/** Data texts the bidder's entry could have had, by the key order the bidding module writes. */
function dataGuesses(data: any, productId: number, replaces: (number | null)[]): string[] {
  const out: string[] = [];
  const { batchId, itemId, group, receipt } = data;
  if (receipt === undefined) return [JSON.stringify({ batchId, itemId, group })];
  for (const r of replaces) out.push(JSON.stringify({ batchId, itemId, group, productId, receipt, replaces: r }));
  return out;
}

interface Found {
  seq: number;
  actorUserId: number;
  actorOrganizationId: number;
  productId?: number;
}

/** Tries every id up to `max` against each entry's published hash (and commitment). */
function bruteForce(entries: any[], max: number, saltCandidates: string[]): Found[] {
  const found: Found[] = [];
  const bidIds = entries.filter((e) => e.entity === 'bid').map((e) => Number(e.entityId));
  for (const e of entries) {
    for (let u = 1; u <= max; u++)
      for (let o = 1; o <= max; o++) {
        const products = e.data.receipt === undefined ? [0] : Array.from({ length: max }, (_, i) => i + 1);
        for (const p of products)
          for (const d of dataGuesses(e.data, p, [null, ...bidIds])) {
            if (plainHash(e, u, o, d) === e.hash) found.push({ seq: e.seq, actorUserId: u, actorOrganizationId: o, productId: p || undefined });
            if (e.seal) {
              const sealed = JSON.stringify(
                JSON.parse(d),
                ['productId', 'replaces'].filter((k) => k in JSON.parse(d)),
              );
              for (const salt of saltCandidates)
                if (commitmentOf(salt, u, o, sealed) === e.seal.commitment) found.push({ seq: e.seq, actorUserId: u, actorOrganizationId: o });
            }
          }
      }
  }
  return found;
}

describe('GET /audit keeps bidders sealed until opening, against exhaustive search (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => t?.close());

  const admin = () => bearer(t.adminToken);
  const allEntries = async () => {
    const res = await t.http().get('/api/v1/audit?limit=500').set(admin());
    expect(res.status).toBe(200);
    return { items: res.body.items as any[], text: res.text };
  };

  it('before opening: no actor, product or salt in any response, and brute force over ids recovers nothing; after: in full, recomputable by anyone', async () => {
    const { batchId, itemId, openingAt } = await publishedBatch(t);
    const s1 = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const s2 = await supplierWithProduct(t, { strength: '2.5', packSize: 14 });
    const s3 = await supplierWithProduct(t, { strength: '5', packSize: 28 });
    const b1 = await bid(t, s1.token, batchId, { itemId, productId: s1.productId, packPrice: '3.33', supplyCapacity: 1000 });
    const b1r = await bid(t, s1.token, batchId, { itemId, productId: s1.productId, packPrice: '3.30', supplyCapacity: 1000 });
    await bid(t, s2.token, batchId, { itemId, productId: s2.productId, packPrice: '1.90', supplyCapacity: 2000 });
    const b3 = await bid(t, s3.token, batchId, { itemId, productId: s3.productId, packPrice: '5.60', supplyCapacity: 3000 });
    expect((await t.http().delete(`/api/v1/bids/${b3.id}`).set(bearer(s3.token))).status).toBe(200);

    // Everything an admin can read about the round before opening.
    const { items, text } = await allEntries();
    const verifyNow = await t.http().get('/api/v1/audit/verify').set(admin());
    const verifyJob = await t.http().post('/api/v1/audit/verify').set(admin());
    const job = await waitForJob(t, t.adminToken, verifyJob.body.jobId);
    const counts = await t.http().get(`/api/v1/batches/${batchId}/bids`).set(admin());
    const perEntity = await t.http().get(`/api/v1/audit?entity=bid&entityId=${b1.id}`).set(admin());
    const seen = [text, JSON.stringify(verifyNow.body), JSON.stringify(job), JSON.stringify(counts.body), perEntity.text].join('\n');
    expect(verifyNow.body).toMatchObject({ ok: true });
    expect(job.result).toMatchObject({ ok: true });

    const bidEntries = items.filter((e) => e.entity === 'bid');
    expect(bidEntries.map((e) => e.action).sort()).toEqual(['bid.replace', 'bid.submit', 'bid.submit', 'bid.submit', 'bid.withdraw']);
    for (const e of bidEntries) {
      expect(e).toMatchObject({ actorUserId: null, actorOrganizationId: null, sealed: true, seal: { policy: 'bid', scope: String(batchId), opened: false } });
      expect(Object.keys(e.data).sort()).toEqual(e.action === 'bid.withdraw' ? ['batchId', 'group', 'itemId'] : ['batchId', 'group', 'itemId', 'receipt']);
      expect(e.seal.salt).toBeUndefined();
      expect(e.seal.sealedData).toBeUndefined();
      // what is shown is consistent: the hash recomputes from the public fields and the commitment
      expect(sealedHash(e, e.seal.commitment)).toBe(e.hash);
    }
    // (product.create entries name each product's supplier, which is public; the bid entries must not.)
    const bidSeen = [JSON.stringify(bidEntries), JSON.stringify(verifyNow.body), JSON.stringify(job), JSON.stringify(counts.body), perEntity.text].join('\n');
    for (const s of [s1, s2, s3])
      expect(bidSeen).not.toMatch(new RegExp(`"(actorUserId|actorOrganizationId|productId|supplierId|replaces)":(${s.userId}|${s.orgId}|${s.productId})\\b`));

    // The attack: every id up to well past the largest in this database.
    const max = Math.max(s1.userId, s2.userId, s3.userId, s1.orgId, s2.orgId, s3.orgId, s1.productId, s2.productId, s3.productId) + 3;
    const salts = [...new Set(seen.match(/\b[0-9a-f]{32}\b/g) ?? [])];
    expect(bruteForce(bidEntries, max, salts)).toEqual([]);

    // Control: the same search finds the actor of an unsealed entry once it is blanked, so it is a real search.
    const productCreate = items.find((e) => e.action === 'product.create' && e.data?.supplierId === s3.orgId)!;
    let recovered: [number, number] | null = null;
    for (let u = 1; u <= max && !recovered; u++)
      for (let o = 1; o <= max; o++) if (plainHash(productCreate, u, o, JSON.stringify(productCreate.data)) === productCreate.hash) recovered = [u, o];
    expect(recovered).toEqual([productCreate.actorUserId, productCreate.actorOrganizationId]);

    // After opening: in full, and every hash of the whole chain recomputes from GET /audit alone.
    await openBids(t, batchId, openingAt);
    const opened = (await allEntries()).items;
    const byBid = (id: number, action: string) => opened.find((e) => e.entity === 'bid' && e.entityId === String(id) && e.action === action);
    expect(byBid(b1.id, 'bid.submit')).toMatchObject({
      actorUserId: s1.userId,
      actorOrganizationId: s1.orgId,
      sealed: false,
      data: { batchId, itemId, productId: s1.productId, replaces: null },
      seal: { opened: true, sealedData: { productId: s1.productId, replaces: null } },
    });
    expect(byBid(b1r.id, 'bid.replace')).toMatchObject({ actorOrganizationId: s1.orgId, data: { productId: s1.productId, replaces: b1.id } });
    expect(byBid(b3.id, 'bid.withdraw')).toMatchObject({ actorUserId: s3.userId, actorOrganizationId: s3.orgId });

    const chain = [...opened].sort((a, b) => a.seq - b.seq);
    let prev = '0'.repeat(64);
    for (const e of chain) {
      expect(e.prevHash).toBe(prev);
      const h = e.seal
        ? sealedHash(e, commitmentOf(e.seal.salt, e.actorUserId, e.actorOrganizationId, JSON.stringify(e.seal.sealedData)))
        : plainHash(e, e.actorUserId, e.actorOrganizationId, JSON.stringify(e.data));
      expect(h).toBe(e.hash);
      prev = e.hash;
    }
    expect((await t.http().get('/api/v1/audit/verify').set(admin())).body).toEqual({ ok: true, entries: chain.length, unchained: 0 });
  });

  it('GET /audit/verify finds a sealed entry whose actor or sealed data was changed in the database, before opening', async () => {
    const { batchId, itemId } = await publishedBatch(t);
    const s = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const other = await supplierWithProduct(t, { strength: '2.5', packSize: 7 });
    const b = await bid(t, s.token, batchId, { itemId, productId: s.productId, packPrice: '3.33', supplyCapacity: 1000 });
    await t.app.get(AuditSequencer).chainPending(); // the bid's entry gets its seq and hash
    const [{ seq }] = await db.query(`SELECT seq FROM audit_entries WHERE entity = 'bid' AND entity_id = ?`, [String(b.id)]);
    const verify = async () => (await t.http().get('/api/v1/audit/verify').set(admin())).body;

    await db.query('UPDATE audit_entries SET actor_organization_id = ? WHERE seq = ?', [other.orgId, seq]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: Number(seq) });
    await db.query('UPDATE audit_entries SET actor_organization_id = ? WHERE seq = ?', [s.orgId, seq]);
    expect(await verify()).toMatchObject({ ok: true });

    const [{ sealed }] = await db.query('SELECT sealed_data AS sealed FROM audit_entries WHERE seq = ?', [seq]);
    await db.query('UPDATE audit_entries SET sealed_data = ? WHERE seq = ?', [JSON.stringify({ productId: other.productId, replaces: null }), seq]);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: Number(seq) });
    await db.query('UPDATE audit_entries SET sealed_data = ? WHERE seq = ?', [sealed, seq]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('an entry appended before sealing existed (old recipe) is shown without actor, product or hash, and the next without prevHash, until opening', async () => {
    const { batchId, itemId, openingAt } = await publishedBatch(t);
    const s = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    const other = await supplierWithProduct(t, { strength: '2.5', packSize: 14 });
    // What a bid entry looked like before migration 1764000000700: hashed over actor and product.
    const legacySeq = await db.transaction(async (m) => {
      const [head] = await m.query('SELECT last_seq AS lastSeq, last_hash AS lastHash FROM audit_head WHERE id = 1 FOR UPDATE');
      const fields = {
        seq: Number(head.lastSeq) + 1,
        at: t.clock.now(),
        actorUserId: s.userId,
        actorOrganizationId: s.orgId,
        action: 'bid.submit',
        entity: 'bid',
        entityId: '999999',
        data: JSON.stringify({ batchId, itemId, group: 'B', productId: s.productId, receipt: 'f'.repeat(64), replaces: null }),
      };
      const hash = auditHash(head.lastHash, fields);
      await m.query(
        'INSERT INTO audit_entries (seq, at, actor_user_id, actor_organization_id, action, entity, entity_id, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)',
        [
          fields.seq,
          fields.at,
          fields.actorUserId,
          fields.actorOrganizationId,
          fields.action,
          fields.entity,
          fields.entityId,
          fields.data,
          head.lastHash,
          hash,
        ],
      );
      await m.query('UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1', [fields.seq, hash]);
      return fields.seq;
    });
    await bid(t, other.token, batchId, { itemId, productId: other.productId, packPrice: '1.90', supplyCapacity: 2000 });

    const { items, text } = await allEntries();
    const legacy = items.find((e) => e.seq === legacySeq)!;
    const next = items.find((e) => e.seq === legacySeq + 1)!;
    expect(legacy).toMatchObject({
      hash: null,
      actorUserId: null,
      actorOrganizationId: null,
      sealed: true,
      seal: { policy: 'bid', scope: String(batchId), opened: false },
    });
    expect(legacy.data).toEqual({ batchId, itemId, group: 'B', receipt: 'f'.repeat(64) });
    expect(next.prevHash).toBeNull();
    expect(text).not.toContain(`"productId":${s.productId}`);
    expect((await t.http().get('/api/v1/audit/verify').set(admin())).body).toMatchObject({ ok: true });

    await openBids(t, batchId, openingAt);
    const after = (await allEntries()).items;
    const legacyAfter = after.find((e) => e.seq === legacySeq)!;
    expect(legacyAfter).toMatchObject({ actorUserId: s.userId, actorOrganizationId: s.orgId, data: { productId: s.productId } });
    expect(legacyAfter.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(after.find((e) => e.seq === legacySeq + 1)!.prevHash).toBe(legacyAfter.hash);
    expect(plainHash(legacyAfter, s.userId, s.orgId, JSON.stringify(legacyAfter.data))).toBe(legacyAfter.hash);
  });
});
