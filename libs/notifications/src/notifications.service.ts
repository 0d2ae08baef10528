import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, notFound, OrganizationType, Page, Principal } from '@jicai/common';
import { organizationIdsOfTypesQuery } from '@jicai/organizations';
import { NotificationKind } from './notification.entity';
import { ListNotificationsQueryDto } from './dto/notifications.dto';

/** One notification's content; `dedupeKey` identifies the event (a rerun of its job writes nothing twice). */
export interface NotificationContent {
  kind: NotificationKind;
  message: string;
  entity?: string | null;
  entityId?: number | string | null;
  batchId?: number | null;
  dedupeKey: string;
}

/**
 * Recipients chosen by the module that owns them: a SELECT (with its parameters) returning one
 * column `organization_id`, written over the owner's own tables. The notifications module
 * inserts from it in one statement, so an event that concerns 50,000 hospitals is one
 * INSERT ... SELECT, never a row at a time.
 */
export interface RecipientQuery {
  sql: string;
  params: unknown[];
}

export interface NotificationView {
  id: number;
  kind: NotificationKind;
  message: string;
  entity: string | null;
  entityId: number | null;
  batchId: number | null;
  createdAt: string;
  read: boolean;
  readAt: string | null;
}

const view = (r: any): NotificationView => ({
  id: Number(r.id),
  kind: r.kind,
  message: r.message,
  entity: r.entity,
  entityId: r.entity_id === null ? null : Number(r.entity_id),
  batchId: r.batch_id === null ? null : Number(r.batch_id),
  createdAt: new Date(r.created_at).toISOString(),
  read: r.read_at !== null,
  readAt: r.read_at === null ? null : new Date(r.read_at).toISOString(),
});

/**
 * The in-app inbox (issue 13, item 5). A notification is addressed to an organisation; each of
 * its users reads it for themselves. Writers call `notify` (a few organisations, inside their own
 * transaction) or `notifyFrom` (recipients by a set-based SELECT) or `notifyOrganizationTypes`.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Notifies the given organisations, in the caller's transaction when `m` is given; one multi-row INSERT. */
  async notify(m: EntityManager | null, organizationIds: readonly number[], c: NotificationContent): Promise<number> {
    const ids = [...new Set(organizationIds)];
    if (ids.length === 0) return 0;
    const now = this.clock.now();
    const rows = ids.map((org) => [org, c.kind, c.message.slice(0, 500), c.entity ?? null, c.entityId ?? null, c.batchId ?? null, c.dedupeKey, now]);
    const res = await (m ?? this.dataSource.manager).query(
      'INSERT IGNORE INTO notifications (organization_id, kind, message, entity, entity_id, batch_id, dedupe_key, created_at) VALUES ?',
      [rows],
    );
    return Number(res.affectedRows ?? 0);
  }

  /**
   * A notification of its own to each organisation (a message per recipient, e.g. a count of
   * its own), in multi-row INSERTs of 1,000 rows: a file concerning 5,000 hospitals is five
   * statements, not 5,000.
   */
  async notifyMany(m: EntityManager | null, notes: readonly (NotificationContent & { organizationId: number })[]): Promise<number> {
    const now = this.clock.now();
    let inserted = 0;
    for (let i = 0; i < notes.length; i += 1000) {
      const rows = notes
        .slice(i, i + 1000)
        .map((c) => [c.organizationId, c.kind, c.message.slice(0, 500), c.entity ?? null, c.entityId ?? null, c.batchId ?? null, c.dedupeKey, now]);
      const res = await (m ?? this.dataSource.manager).query(
        'INSERT IGNORE INTO notifications (organization_id, kind, message, entity, entity_id, batch_id, dedupe_key, created_at) VALUES ?',
        [rows],
      );
      inserted += Number(res.affectedRows ?? 0);
    }
    return inserted;
  }

  /** Notifies every organisation the owner's SELECT returns, in one INSERT ... SELECT. */
  async notifyFrom(m: EntityManager | null, recipients: RecipientQuery, c: NotificationContent): Promise<number> {
    const res = await (m ?? this.dataSource.manager).query(
      `INSERT IGNORE INTO notifications (organization_id, kind, message, entity, entity_id, batch_id, dedupe_key, created_at)
       SELECT DISTINCT r.organization_id, ?, ?, ?, ?, ?, ?, ? FROM (${recipients.sql}) r`,
      [c.kind, c.message.slice(0, 500), c.entity ?? null, c.entityId ?? null, c.batchId ?? null, c.dedupeKey, this.clock.now(), ...recipients.params],
    );
    return Number(res.affectedRows ?? 0);
  }

  /**
   * Per-row notifications from one SELECT: the owner's query returns `organization_id`,
   * `message`, `entity_id` and `dedupe_key` per row (e.g. one per overdue payment), all
   * inserted in one statement.
   */
  async notifyEach(m: EntityManager | null, rows: RecipientQuery, c: { kind: NotificationKind; entity: string; batchId?: number | null }): Promise<number> {
    const res = await (m ?? this.dataSource.manager).query(
      `INSERT IGNORE INTO notifications (organization_id, kind, message, entity, entity_id, batch_id, dedupe_key, created_at)
       SELECT r.organization_id, ?, LEFT(r.message, 500), ?, r.entity_id, ${c.batchId === undefined ? 'r.batch_id' : '?'}, r.dedupe_key, ?
         FROM (${rows.sql}) r`,
      [c.kind, c.entity, ...(c.batchId === undefined ? [] : [c.batchId]), this.clock.now(), ...rows.params],
    );
    return Number(res.affectedRows ?? 0);
  }

  /** Notifies every organisation of the given types (a batch published: all suppliers and hospitals). */
  async notifyOrganizationTypes(m: EntityManager | null, types: readonly OrganizationType[], c: NotificationContent): Promise<number> {
    return this.notifyFrom(m, organizationIdsOfTypesQuery(types), c);
  }

  /** The caller's inbox: its organisation's notifications, newest first, `unread` filtering by its own reads. */
  async list(user: Principal, q: ListNotificationsQueryDto): Promise<Page<NotificationView> & { unread: number }> {
    const where = ['n.organization_id = ?'];
    const params: unknown[] = [user.organizationId];
    if (q.unread === true) where.push('r.notification_id IS NULL');
    if (q.unread === false) where.push('r.notification_id IS NOT NULL');
    if (q.kind !== undefined) {
      where.push('n.kind = ?');
      params.push(q.kind);
    }
    if (q.batchId !== undefined) {
      where.push('n.batch_id = ?');
      params.push(q.batchId);
    }
    const from = `FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ? WHERE ${where.join(' AND ')}`;
    const rows = await this.dataSource.query(
      `SELECT n.id, n.kind, n.message, n.entity, n.entity_id, n.batch_id, n.created_at, r.read_at ${from} ORDER BY n.id DESC LIMIT ? OFFSET ?`,
      [user.userId, ...params, q.limit, q.offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total ${from}`, [user.userId, ...params]);
    const [{ unread }] = await this.dataSource.query(
      `SELECT COUNT(*) AS unread FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ?
        WHERE n.organization_id = ? AND r.notification_id IS NULL`,
      [user.userId, user.organizationId],
    );
    return { items: rows.map(view), total: Number(total), unread: Number(unread) };
  }

  /** Marks one of the caller's notifications read (idempotent); another organisation's is 404. */
  async markRead(user: Principal, id: number): Promise<NotificationView> {
    const [n] = await this.dataSource.query('SELECT id FROM notifications WHERE id = ? AND organization_id = ?', [id, user.organizationId]);
    if (!n) throw notFound('Notification');
    await this.dataSource.query('INSERT IGNORE INTO notification_reads (notification_id, user_id, read_at) VALUES (?, ?, ?)', [
      id,
      user.userId,
      this.clock.now(),
    ]);
    const [r] = await this.dataSource.query(
      `SELECT n.id, n.kind, n.message, n.entity, n.entity_id, n.batch_id, n.created_at, r.read_at
         FROM notifications n JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ? WHERE n.id = ?`,
      [user.userId, id],
    );
    return view(r);
  }

  /** Marks all of the caller's unread notifications read, in one INSERT ... SELECT. */
  async readAll(user: Principal): Promise<{ marked: number }> {
    const res = await this.dataSource.query(
      `INSERT IGNORE INTO notification_reads (notification_id, user_id, read_at)
       SELECT n.id, ?, ? FROM notifications n
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ?
        WHERE n.organization_id = ? AND r.notification_id IS NULL`,
      [user.userId, this.clock.now(), user.userId, user.organizationId],
    );
    return { marked: Number(res.affectedRows ?? 0) };
  }
}
