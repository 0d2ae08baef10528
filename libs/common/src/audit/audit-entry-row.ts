import { AuditFields, StoredAuditEntry } from './audit.rules';

/** The columns of an entry as AuditService and AuditSequencer read them (raw rows, camel-cased). */
export const ENTRY_COLUMNS = `seq, at, actor_user_id AS actorUserId, actor_organization_id AS actorOrganizationId, action, entity, entity_id AS entityId,
  data, prev_hash AS prevHash, hash, seal_policy AS sealPolicy, seal_scope AS sealScope, seal_salt AS sealSalt, sealed_data AS sealedData`;

export interface EntryRow {
  /** null (and prevHash, hash null) until the sequencer has chained the entry */
  seq: string | number | null;
  at: Date | string;
  actorUserId: number | string | null;
  actorOrganizationId: number | string | null;
  action: string;
  entity: string;
  entityId: string;
  data: string;
  prevHash: string | null;
  hash: string | null;
  sealPolicy: string | null;
  sealScope: string | null;
  sealSalt: string | null;
  sealedData: string | null;
}

const intOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/** The fields an entry's hash covers, as stored (seq as stored; the sequencer gives its own). */
export function storedFields(r: EntryRow): AuditFields {
  return {
    seq: Number(r.seq),
    at: new Date(r.at),
    actorUserId: intOrNull(r.actorUserId),
    actorOrganizationId: intOrNull(r.actorOrganizationId),
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    data: r.data,
    seal: r.sealPolicy ? { policy: r.sealPolicy, scope: r.sealScope!, salt: r.sealSalt!, sealedData: r.sealedData! } : null,
  };
}

/** A chained entry as stored. */
export function storedEntry(r: EntryRow): StoredAuditEntry {
  return { ...storedFields(r), prevHash: r.prevHash!, hash: r.hash! };
}
