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
  /** The entry's data exactly as stored (a JSON text). */
  data: string;
}

/**
 * Section 11: each entry's hash is SHA-256 (hex) over the previous entry's hash and the
 * entry's own fields, as a JSON array in a fixed order, so any change to an entry, a
 * deletion or a reordering breaks every hash after it.
 */
export function auditHash(prevHash: string, e: AuditFields): string {
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
