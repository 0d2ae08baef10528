/**
 * Entry sealing policies (domain.md section 11). The audit log knows no domain: a module
 * whose entries must not name their actor (or some of their data) until a later event
 * registers a policy with AuditService at module init. The policy decides, at append,
 * which entries it seals, under which scope and which data keys; and, at read, which
 * scopes are open. The log stores a sealed entry in full but hashes its actor and sealed
 * data only through a salted commitment, and lists it without them (nor the salt) until
 * the policy says its scope is open.
 */
export interface AuditEntryToSeal {
  action: string;
  entity: string;
  entityId: string;
  data: Record<string, unknown>;
}

export interface SealDecision {
  /** what opens the entry, e.g. the batch id; at most 64 characters */
  scope: string;
  /** keys of the data withheld with the actor (the actor is always sealed) */
  sealedKeys: readonly string[];
}

export interface AuditSealingPolicy {
  /** stored with each entry it sealed; letters, digits, . _ - and at most 32 characters */
  readonly name: string;
  /** At append, inside the writer's transaction: null leaves the entry unsealed. Pure: no I/O. */
  sealOf(entry: AuditEntryToSeal): SealDecision | null;
  /** At read: which of these scopes are open now. A scope it does not name stays sealed. */
  openScopes(scopes: readonly string[]): Promise<ReadonlySet<string>>;
}

export const SEALING_POLICY_NAME = /^[A-Za-z0-9._-]{1,32}$/;
