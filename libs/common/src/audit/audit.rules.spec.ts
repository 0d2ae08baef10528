import { createHash } from 'node:crypto';
import { auditHash, ChainVerifier, GENESIS_HASH, sealCommitment, StoredAuditEntry } from './audit.rules';

function chain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const f = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      actorUserId: 1,
      actorOrganizationId: 1,
      action: 'batch.publish',
      entity: 'batch',
      entityId: String(seq),
      data: `{"n":${seq}}`,
    };
    const hash = auditHash(prev, f);
    out.push({ ...f, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit chain (domain.md section 11)', () => {
  it('hashes the previous hash and the fields in a fixed canonical order', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const expected = createHash('sha256').update(`["${GENESIS_HASH}",1,"2026-01-01T00:00:00.000Z",7,3,"user.create","user","42","{}"]`).digest('hex');
    expect(
      auditHash(GENESIS_HASH, { seq: 1, at, actorUserId: 7, actorOrganizationId: 3, action: 'user.create', entity: 'user', entityId: '42', data: '{}' }),
    ).toBe(expected);
  });

  it('verifies an intact chain', () => {
    const v = new ChainVerifier();
    chain(5).forEach((e) => v.feed(e));
    expect(v.result()).toEqual({ ok: true, entries: 5 });
  });

  it('finds an edited entry', () => {
    const c = chain(5);
    c[2] = { ...c[2], data: '{"n":999}' };
    const v = new ChainVerifier();
    c.forEach((e) => v.feed(e));
    expect(v.result()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('finds a deleted entry and a re-hashed forgery that does not link', () => {
    const c = chain(5);
    const v = new ChainVerifier();
    [c[0], c[1], c[3], c[4]].forEach((e) => v.feed(e));
    expect(v.result()).toMatchObject({ ok: false, brokenAt: 4 });

    // Rewrite entry 2 and recompute its own hash: entry 3 no longer links to it.
    const forged = { ...c[1], data: '{"n":-1}' };
    forged.hash = auditHash(forged.prevHash, forged);
    const v2 = new ChainVerifier();
    [c[0], forged, c[2]].forEach((e) => v2.feed(e));
    expect(v2.result()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  describe('sealed entries', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const salt = 'ab'.repeat(16);
    const sealed = {
      seq: 2,
      at,
      actorUserId: 7,
      actorOrganizationId: 3,
      action: 'bid.submit',
      entity: 'bid',
      entityId: '42',
      data: '{"batchId":5}',
      seal: { policy: 'bid', scope: '5', salt, sealedData: '{"productId":9}' },
    };

    it('hashes the actor and sealed data only through a salted commitment', () => {
      const commitment = createHash('sha256').update(`["${salt}",7,3,"{\\"productId\\":9}"]`).digest('hex');
      expect(sealCommitment(salt, 7, 3, '{"productId":9}')).toBe(commitment);
      const expected = createHash('sha256')
        .update(`["sealed/v1","${GENESIS_HASH}",2,"2026-01-01T00:00:00.000Z","bid.submit","bid","42","{\\"batchId\\":5}","bid","5","${commitment}"]`)
        .digest('hex');
      expect(auditHash(GENESIS_HASH, sealed)).toBe(expected);
    });

    it('a changed actor, sealed datum, salt or scope changes the hash', () => {
      const h = auditHash(GENESIS_HASH, sealed);
      expect(auditHash(GENESIS_HASH, { ...sealed, actorOrganizationId: 4 })).not.toBe(h);
      expect(auditHash(GENESIS_HASH, { ...sealed, seal: { ...sealed.seal, sealedData: '{"productId":8}' } })).not.toBe(h);
      expect(auditHash(GENESIS_HASH, { ...sealed, seal: { ...sealed.seal, salt: 'cd'.repeat(16) } })).not.toBe(h);
      expect(auditHash(GENESIS_HASH, { ...sealed, seal: { ...sealed.seal, scope: '6' } })).not.toBe(h);
    });

    it('verifies a chain mixing sealed and unsealed entries, and finds an edited actor in a sealed one', () => {
      const c = chain(3);
      const s = { ...sealed, seq: 4, prevHash: c[2].hash, hash: auditHash(c[2].hash, { ...sealed, seq: 4 }) };
      const v = new ChainVerifier();
      [...c, s].forEach((e) => v.feed(e));
      expect(v.result()).toEqual({ ok: true, entries: 4 });
      const v2 = new ChainVerifier();
      [...c, { ...s, actorUserId: 8 }].forEach((e) => v2.feed(e));
      expect(v2.result()).toMatchObject({ ok: false, brokenAt: 4 });
    });
  });
});
