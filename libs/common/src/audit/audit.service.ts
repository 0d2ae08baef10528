import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/roles';
import { Clock } from '../clock/clock';
import { auditHash, ChainCheck, ChainVerifier } from './audit.rules';

export interface AuditRecord {
  actor: Principal | null;
  action: string;
  entity: string;
  entityId: string | number;
  data?: unknown;
}

const PAGE = 5000;

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends to the chain inside the caller's transaction (section 11), so the entry
   * commits with the change it describes or not at all. The head row is locked
   * FOR UPDATE: concurrent writers queue on it and never fork the chain.
   * Call it last in a transaction to keep the lock short.
   */
  async record(manager: EntityManager, r: AuditRecord): Promise<void> {
    const [head] = await manager.query('SELECT last_seq AS lastSeq, last_hash AS lastHash FROM audit_head WHERE id = 1 FOR UPDATE');
    const seq = Number(head.lastSeq) + 1;
    const fields = {
      seq,
      at: this.clock.now(),
      actorUserId: r.actor?.userId ?? null,
      actorOrganizationId: r.actor?.organizationId ?? null,
      action: r.action,
      entity: r.entity,
      entityId: String(r.entityId),
      data: JSON.stringify(r.data ?? {}),
    };
    const hash = auditHash(head.lastHash, fields);
    await manager.query(
      'INSERT INTO audit_entries (seq, at, actor_user_id, actor_organization_id, action, entity, entity_id, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)',
      [seq, fields.at, fields.actorUserId, fields.actorOrganizationId, fields.action, fields.entity, fields.entityId, fields.data, head.lastHash, hash],
    );
    await manager.query('UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1', [seq, hash]);
  }

  /** Records in a transaction of its own. */
  async recordNow(r: AuditRecord): Promise<void> {
    await this.dataSource.transaction((m) => this.record(m, r));
  }

  async list(filter: { entity?: string; entityId?: string; limit: number; offset: number }) {
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
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM audit_entries ${w}`, params);
    const rows = await this.dataSource.query(
      `SELECT seq, at, actor_user_id AS actorUserId, actor_organization_id AS actorOrganizationId, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash
       FROM audit_entries ${w} ORDER BY seq DESC LIMIT ? OFFSET ?`,
      [...params, filter.limit, filter.offset],
    );
    const items = rows.map((r: any) => ({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString(), data: JSON.parse(r.data) }));
    return { total: Number(total), items: await this.sealBids(items) };
  }

  /**
   * domain.md section 4: until its batch is opened, no API shows who bid — not even to
   * admins, the only readers of the log. A bid's entries carry the bidding supplier as
   * actor and its product in the data; while the batch is unopened they are listed
   * without them (no actor, no productId or supplierId in the data, and `sealed: true`;
   * the receipt stays, it reveals nothing without the nonce). The chain itself keeps
   * everything, so GET /audit/verify is unaffected and the entries read in full later.
   */
  private async sealBids<T extends { entity: string; actorUserId: unknown; actorOrganizationId: unknown; data: any }>(
    items: T[],
  ): Promise<(T & { sealed?: true })[]> {
    const bids = items.filter((e) => e.entity === 'bid');
    if (bids.length === 0) return items;
    const batchIds = [...new Set(bids.map((e) => Number(e.data?.batchId)).filter((id) => Number.isSafeInteger(id)))];
    const opened = new Set<number>();
    if (batchIds.length) {
      for (const b of await this.dataSource.query('SELECT id FROM batches WHERE id IN (?) AND opened_at IS NOT NULL', [batchIds])) opened.add(Number(b.id));
    }
    return items.map((e) => {
      if (e.entity !== 'bid' || opened.has(Number(e.data?.batchId))) return e;
      const { productId: _p, supplierId: _s, ...data } = e.data ?? {};
      return { ...e, actorUserId: null, actorOrganizationId: null, data, sealed: true as const };
    });
  }

  /** Walks the whole chain in pages of raw rows, in constant memory. */
  async verify(onProgress?: (checked: number) => Promise<void> | void): Promise<ChainCheck> {
    const v = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = await this.dataSource.query(
        `SELECT seq, at, actor_user_id AS actorUserId, actor_organization_id AS actorOrganizationId, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash
         FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?`,
        [after, PAGE],
      );
      for (const r of rows)
        v.feed({
          ...r,
          seq: Number(r.seq),
          at: new Date(r.at),
          actorUserId: r.actorUserId === null ? null : Number(r.actorUserId),
          actorOrganizationId: r.actorOrganizationId === null ? null : Number(r.actorOrganizationId),
        });
      if (rows.length < PAGE) break;
      after = Number(rows[rows.length - 1].seq);
      await onProgress?.(v.result().entries);
    }
    const res = v.result();
    // The head must point at the last entry: a truncated tail is a broken chain too.
    const [head] = await this.dataSource.query('SELECT last_seq AS lastSeq FROM audit_head WHERE id = 1');
    if (res.ok && Number(head.lastSeq) !== res.entries) {
      return { ok: false, entries: res.entries, brokenAt: res.entries + 1, reason: 'entries are missing at the end of the chain' };
    }
    return res;
  }
}
