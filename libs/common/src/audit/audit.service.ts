import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomFillSync } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/roles';
import { Clock } from '../clock/clock';
import { AuditSealingPolicy, SEALING_POLICY_NAME } from './audit-sealing';
import { AuditSeal, ChainCheck, ChainVerifier, sealCommitment } from './audit.rules';
import { ENTRY_COLUMNS, EntryRow, storedEntry } from './audit-entry-row';
import { nextAfter } from '../http/pagination';

export interface AuditRecord {
  actor: Principal | null;
  action: string;
  entity: string;
  entityId: string | number;
  data?: unknown;
}

const PAGE = 5000;

/** 128-bit random salts, drawn from a pool refilled 256 at a time (one call to the CSPRNG per 256 entries). */
const SALT_BYTES = 16;
const saltPool = Buffer.alloc(SALT_BYTES * 256);
let saltAt = saltPool.length;
function nextSalt(): string {
  if (saltAt === saltPool.length) {
    randomFillSync(saltPool);
    saltAt = 0;
  }
  const salt = saltPool.toString('hex', saltAt, saltAt + SALT_BYTES);
  saltAt += SALT_BYTES;
  return salt;
}

/** What a policy would seal in an entry appended before sealing existed (null keys: all of its data). */
interface LegacySeal {
  policy: string;
  scope: string;
  sealedKeys: readonly string[] | null;
}

type OpenScopes = Map<string, ReadonlySet<string>>;
const isOpen = (open: OpenScopes, policy: string, scope: string) => open.get(policy)?.has(scope) === true;

/**
 * One entry as GET /audit shows it (api.md): sealed entries per their policy's answer.
 * An entry appended before sealing existed that a policy claims (`legacy`) was hashed over
 * its actor and data: until its scope opens it is shown without them and without its hash,
 * and the entry after it without its prevHash, since either would let guesses be tested.
 */
function entryView(r: EntryRow, open: OpenScopes, legacy: Map<number, LegacySeal>) {
  const e = storedEntry(r);
  const hidden = (seq: number) => {
    const l = legacy.get(seq);
    return l && !isOpen(open, l.policy, l.scope) ? l : null;
  };
  const base = {
    seq: e.seq,
    at: e.at.toISOString(),
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    prevHash: hidden(e.seq - 1) ? null : e.prevHash,
    hash: e.hash,
  };
  const data = JSON.parse(e.data) as Record<string, unknown>;
  if (!e.seal) {
    const l = hidden(e.seq);
    if (!l) return { ...base, actorUserId: e.actorUserId, actorOrganizationId: e.actorOrganizationId, data };
    const shown = l.sealedKeys ? Object.fromEntries(Object.entries(data).filter(([k]) => !l.sealedKeys!.includes(k))) : {};
    return {
      ...base,
      hash: null,
      actorUserId: null,
      actorOrganizationId: null,
      data: shown,
      sealed: true as const,
      seal: { policy: l.policy, scope: l.scope, commitment: null, opened: false as const },
    };
  }
  const commitment = sealCommitment(e.seal.salt, e.actorUserId, e.actorOrganizationId, e.seal.sealedData);
  const seal = { policy: e.seal.policy, scope: e.seal.scope, commitment };
  if (!isOpen(open, e.seal.policy, e.seal.scope)) {
    return { ...base, actorUserId: null, actorOrganizationId: null, data, sealed: true as const, seal: { ...seal, opened: false as const } };
  }
  const sealedData = JSON.parse(e.seal.sealedData) as Record<string, unknown>;
  return {
    ...base,
    actorUserId: e.actorUserId,
    actorOrganizationId: e.actorOrganizationId,
    data: { ...data, ...sealedData },
    sealed: false as const,
    seal: { ...seal, opened: true as const, salt: e.seal.salt, publicData: data, sealedData },
  };
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private readonly policies = new Map<string, AuditSealingPolicy>();

  /**
   * A module registers its sealing policy at init (domain.md section 11): every entry the
   * policy claims is appended sealed. Registering twice under one name replaces it.
   */
  registerSealingPolicy(policy: AuditSealingPolicy): void {
    if (!SEALING_POLICY_NAME.test(policy.name)) throw new Error(`audit sealing policy name ${JSON.stringify(policy.name)} is not valid`);
    this.policies.set(policy.name, policy);
  }

  /**
   * Appends an entry inside the caller's transaction (section 11), so it commits with the
   * change it describes or not at all. One INSERT, no shared lock: the entry is chained
   * (seq, prevHash, hash) after commit by the sequencer (AuditSequencer), in append order.
   */
  async record(manager: EntityManager, r: AuditRecord): Promise<void> {
    const entityId = String(r.entityId);
    const data = (r.data ?? {}) as Record<string, unknown>;
    const { publicData, seal } = this.sealingOf(r.action, r.entity, entityId, data);
    await manager.query(
      `INSERT INTO audit_entries (at, actor_user_id, actor_organization_id, action, entity, entity_id, data, seal_policy, seal_scope, seal_salt, sealed_data)
       VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
      [
        this.clock.now(),
        r.actor?.userId ?? null,
        r.actor?.organizationId ?? null,
        r.action,
        r.entity,
        entityId,
        JSON.stringify(publicData),
        seal?.policy ?? null,
        seal?.scope ?? null,
        seal?.salt ?? null,
        seal?.sealedData ?? null,
      ],
    );
  }

  /** Asks the registered policies whether the entry is sealed; splits its data if so. */
  private sealingOf(action: string, entity: string, entityId: string, data: Record<string, unknown>): { publicData: object; seal: AuditSeal | null } {
    for (const policy of this.policies.values()) {
      const decision = policy.sealOf({ action, entity, entityId, data });
      if (!decision) continue;
      if (decision.scope.length === 0 || decision.scope.length > 64) throw new Error(`audit sealing scope ${JSON.stringify(decision.scope)} is not valid`);
      const publicData: Record<string, unknown> = {};
      const sealed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(data)) (decision.sealedKeys.includes(k) ? sealed : publicData)[k] = v;
      return {
        publicData,
        seal: { policy: policy.name, scope: decision.scope, salt: nextSalt(), sealedData: JSON.stringify(sealed) },
      };
    }
    return { publicData: data, seal: null };
  }

  /** Records in a transaction of its own. */
  async recordNow(r: AuditRecord): Promise<void> {
    await this.dataSource.transaction((m) => this.record(m, r));
  }

  /**
   * GET /audit. A sealed entry whose scope its policy has not opened is listed with its
   * public fields, hash and prevHash and the commitment, but no actor, no sealed data and
   * no salt: every hash an admin sees can be recomputed, and none can be used to test
   * guesses. Once opened it is listed in full, with the salt and the sealed data, so
   * anyone can recompute the commitment and the hash (domain.md section 11).
   */
  async list(filter: { entity?: string; entityId?: string; limit: number; offset: number; after?: number }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.entity) {
      where.push('entity = ?');
      params.push(filter.entity);
    }
    if (filter.entityId) {
      where.push('entity_id = ?');
      params.push(filter.entityId);
    }
    if (filter.after !== undefined) {
      // Key-set pages walk the chain forwards (seq ascending), as a verifier reads it.
      where.push('seq > ?');
      const rows = (await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, [
        ...params,
        filter.after,
        filter.limit,
      ])) as EntryRow[];
      const items = await this.views(rows);
      return { items, nextAfter: nextAfter(items, filter.limit, (e) => Number(e.seq)) };
    }
    // Entries not chained yet have no seq: they are listed once the sequencer has chained them.
    where.push('seq IS NOT NULL');
    const w = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM audit_entries ${w}`, params);
    const rows = (await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entries ${w} ORDER BY seq DESC LIMIT ? OFFSET ?`, [
      ...params,
      filter.limit,
      filter.offset,
    ])) as EntryRow[];
    return { total: Number(total), items: await this.views(rows) };
  }

  /** A page of entries as listed: sealed ones whose scope is not open without what they seal. */
  private async views(rows: EntryRow[]) {
    // Legacy entries on the page, and those just before it (whose hash each page entry shows as prevHash).
    const legacy = new Map<number, LegacySeal>();
    const scopes: { policy: string; scope: string }[] = [];
    if (this.policies.size) {
      const onPage = new Set(rows.map((r) => Number(r.seq)));
      const before = rows.map((r) => Number(r.seq) - 1).filter((seq) => seq > 0 && !onPage.has(seq));
      const prev = before.length ? ((await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE seq IN (?)`, [before])) as EntryRow[]) : [];
      for (const r of [...rows, ...prev]) {
        const l = this.legacySealOf(r);
        if (l) legacy.set(Number(r.seq), l);
      }
    }
    for (const r of rows) if (r.sealPolicy) scopes.push({ policy: r.sealPolicy, scope: r.sealScope! });
    for (const l of legacy.values()) scopes.push(l);
    const open = await this.openScopesOf(scopes);
    return rows.map((r) => entryView(r, open, legacy));
  }

  /** Would a policy seal this entry, appended unsealed before sealing existed? (A policy that throws: all of it.) */
  private legacySealOf(r: EntryRow): LegacySeal | null {
    if (r.sealPolicy) return null;
    let data: unknown;
    try {
      data = JSON.parse(r.data);
    } catch {
      return null;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    for (const policy of this.policies.values()) {
      try {
        const d = policy.sealOf({ action: r.action, entity: r.entity, entityId: r.entityId, data: data as Record<string, unknown> });
        if (d) return { policy: policy.name, scope: d.scope, sealedKeys: d.sealedKeys };
      } catch {
        return { policy: policy.name, scope: '', sealedKeys: null };
      }
    }
    return null;
  }

  /** For each policy named, the scopes it has opened (a policy not registered opens nothing). */
  private async openScopesOf(wantedScopes: { policy: string; scope: string }[]): Promise<OpenScopes> {
    const wanted = new Map<string, Set<string>>();
    for (const { policy, scope } of wantedScopes) (wanted.get(policy) ?? wanted.set(policy, new Set()).get(policy)!).add(scope);
    const open: OpenScopes = new Map();
    for (const [name, scopes] of wanted) {
      const policy = this.policies.get(name);
      open.set(name, policy ? await policy.openScopes([...scopes]) : new Set());
    }
    return open;
  }

  /**
   * Verifies the chained prefix as the head stood when it began, in pages of raw rows
   * (constant memory), and reports the entries appended but not chained yet (`unchained`,
   * which no hash covers yet). Writes nothing.
   */
  async verify(onProgress?: (checked: number) => Promise<void> | void): Promise<ChainCheck & { unchained: number }> {
    const [head] = await this.dataSource.query('SELECT last_seq AS lastSeq FROM audit_head WHERE id = 1');
    const headSeq = Number(head.lastSeq);
    const v = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = (await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`, [
        after,
        headSeq,
        PAGE,
      ])) as EntryRow[];
      for (const r of rows) v.feed(storedEntry(r));
      if (rows.length < PAGE) break;
      after = Number(rows[rows.length - 1].seq);
      await onProgress?.(v.result().entries);
    }
    const res = v.result();
    const [{ n }] = await this.dataSource.query('SELECT COUNT(*) AS n FROM audit_entries WHERE seq IS NULL');
    const unchained = Number(n);
    // The head must point at the last entry: a truncated tail is a broken chain too.
    if (res.ok && headSeq !== res.entries) {
      return { ok: false, entries: res.entries, brokenAt: res.entries + 1, reason: 'entries are missing at the end of the chain', unchained };
    }
    return { ...res, unchained };
  }
}
