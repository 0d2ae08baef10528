import { createHash } from 'node:crypto';

/** The hash that starts the chain (domain.md section 11). */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: Date;
  actorUserId: number | null;
  actorOrganizationId: number | null;
  action: string;
  entity: string;
  entityId: string;
  /** The entry's data exactly as stored (a JSON text); for a sealed entry, its public part only. */
  data: string;
  /** Present when a sealing policy sealed the entry at append (see sealedAuditHash). */
  seal?: AuditSeal | null;
}

/**
 * What a sealed entry keeps out of its hash: the actor and some keys of its data are
 * covered only through a commitment with a random salt, so nobody can test guesses of them
 * against the published hashes until the salt is revealed (when the policy opens the scope).
 */
export interface AuditSeal {
  /** the registered policy that sealed it (e.g. "bid") and the scope that opens it (e.g. a batch id) */
  policy: string;
  scope: string;
  /** 32 hex characters, random per entry */
  salt: string;
  /** the sealed keys of the data, exactly as stored (a JSON text) */
  sealedData: string;
}

/** Marks the sealed recipe, so no sealed entry's canonical array can read as an unsealed one. */
export const SEALED_RECIPE = 'sealed/v1';

/**
 * Section 11, sealed entries: SHA-256 (hex) over the JSON array
 * [salt, actorUserId, actorOrganizationId, sealedData]. With a 128-bit random salt, the
 * commitment tells nothing about the fields; once the salt is published, anyone recomputes it.
 */
export function sealCommitment(salt: string, actorUserId: number | null, actorOrganizationId: number | null, sealedData: string): string {
  return createHash('sha256')
    .update(JSON.stringify([salt, actorUserId, actorOrganizationId, sealedData]), 'utf8')
    .digest('hex');
}

/**
 * Section 11, sealed entries: SHA-256 (hex) over the JSON array
 * ["sealed/v1", prevHash, seq, at, action, entity, entityId, data, policy, scope, commitment]:
 * the hash covers the actor and the sealed data only through the commitment.
 */
export function sealedAuditHash(
  prevHash: string,
  e: Omit<AuditFields, 'seal' | 'actorUserId' | 'actorOrganizationId'>,
  seal: { policy: string; scope: string; commitment: string },
): string {
  const canonical = JSON.stringify([
    SEALED_RECIPE,
    prevHash,
    e.seq,
    e.at.toISOString(),
    e.action,
    e.entity,
    e.entityId,
    e.data,
    seal.policy,
    seal.scope,
    seal.commitment,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Section 11: each entry's hash is SHA-256 (hex) over the previous entry's hash and the
 * entry's own fields, as a JSON array in a fixed order, so any change to an entry, a
 * deletion or a reordering breaks every hash after it.
 */
export function auditHash(prevHash: string, e: AuditFields): string {
  if (e.seal) {
    const commitment = sealCommitment(e.seal.salt, e.actorUserId, e.actorOrganizationId, e.seal.sealedData);
    return sealedAuditHash(prevHash, e, { policy: e.seal.policy, scope: e.seal.scope, commitment });
  }
  const canonical = JSON.stringify([prevHash, e.seq, e.at.toISOString(), e.actorUserId, e.actorOrganizationId, e.action, e.entity, e.entityId, e.data]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface StoredAuditEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  /** The first seq where the chain breaks, if it does. */
  brokenAt?: number;
  reason?: string;
}

/**
 * Incremental verifier: feed entries in seq order, page by page, then read the result.
 * Keeps only the last hash, so a chain of any length verifies in constant memory.
 */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  private count = 0;
  private failure?: { seq: number; reason: string };

  feed(e: StoredAuditEntry): void {
    if (this.failure) return;
    this.count++;
    if (e.seq !== this.expectedSeq) return this.fail(e.seq, `expected entry ${this.expectedSeq}, found ${e.seq}`);
    if (e.prevHash !== this.prev) return this.fail(e.seq, 'prevHash does not match the previous entry');
    if (auditHash(this.prev, e) !== e.hash) return this.fail(e.seq, 'hash does not match the entry');
    this.prev = e.hash;
    this.expectedSeq++;
  }

  result(): ChainCheck {
    return this.failure ? { ok: false, entries: this.count, brokenAt: this.failure.seq, reason: this.failure.reason } : { ok: true, entries: this.count };
  }

  private fail(seq: number, reason: string): void {
    this.failure = { seq, reason };
  }
}
