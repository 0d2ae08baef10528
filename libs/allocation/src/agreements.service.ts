import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, AuditService, Dec, Principal, Role, Clock, conflict, equalities, invalidState, notFound, Page, KeysetPage, nextAfter } from '@jicai/common';
import { type Batch, BatchStatus, batchExists, itemsOfBatch, lockBatchShared } from '@jicai/batches';
import { namesOf } from '@jicai/catalog';
import { organizationsByIds } from '@jicai/organizations';
import { AgreementStatus } from './agreement.entity';
import { AgreementsExportQueryDto, AgreementsQueryDto, UnallocatedQueryDto } from './dto/allocation.dto';

/** Agreements can be confirmed once allocated and while in force (domain.md section 7). */
const CONFIRMABLE = [BatchStatus.ALLOCATED, BatchStatus.IN_FORCE];
const EXPORT_PAGE = 5000;
/** Ids per UPDATE ... WHERE id IN (...) of a bulk confirmation. */
const CONFIRM_CHUNK = 1000;

export interface BulkConfirmResult {
  batchId: number;
  hospitalId: number;
  confirmed: number;
  alreadyConfirmed: number;
  confirmedAt: string;
}

export interface AgreementView {
  id: number;
  batchId: number;
  hospitalId: number;
  supplierId: number;
  bidId: number;
  productId: number;
  itemId: number;
  group: string;
  units: number;
  awardPrice: string;
  unitComparablePrice: string;
  amount: string;
  status: AgreementStatus;
  confirmedAt: string | null;
  forced: boolean;
  /** Section 15.7: the term in months and the end date (agreementStart + term). */
  termMonths: number | null;
  endsAt: string | null;
}

/** Names beside the ids (issue 14: clerks read names), in lists. */
export interface AgreementNames {
  hospitalName?: string;
  supplierName?: string;
  productName?: string;
  productSpec?: string;
}

export interface AgreementExportRow extends AgreementView {
  hospitalName: string;
  supplierName: string;
  genericName: string;
  dosageForm: string;
}

/** GET /batches/:id/agreements/by-winner: the agreements of one winning bid, summed in SQL. */
export interface WinnerSummaryView {
  bidId: number;
  itemId: number;
  genericName: string;
  group: string;
  supplierId: number;
  supplierName: string;
  productId: number;
  productName: string;
  productSpec: string;
  awardPrice: string;
  unitComparablePrice: string;
  hospitals: number;
  agreements: number;
  units: number;
  amount: string;
  confirmed: number;
  pending: number;
  confirmedUnits: number;
  confirmedAmount: string;
}

export interface UnallocatedView {
  hospitalId: number;
  hospitalName: string;
  itemId: number;
  group: string;
  units: number;
}

const AGREEMENT_COLUMNS = `a.id, a.batch_id, a.hospital_id, a.supplier_id, a.bid_id, a.product_id, a.item_id, a.group_name, a.units,
  a.award_price, a.unit_comparable_price, a.amount, a.status, a.confirmed_at, a.forced, a.term_months, a.ends_at`;

function agreementView(r: any): AgreementView {
  return {
    id: Number(r.id),
    batchId: Number(r.batch_id),
    hospitalId: Number(r.hospital_id),
    supplierId: Number(r.supplier_id),
    bidId: Number(r.bid_id),
    productId: Number(r.product_id),
    itemId: Number(r.item_id),
    group: r.group_name,
    units: Number(r.units),
    awardPrice: r.award_price,
    unitComparablePrice: r.unit_comparable_price,
    amount: r.amount,
    status: r.status,
    confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
    forced: Boolean(Number(r.forced)),
    termMonths: r.term_months === null || r.term_months === undefined ? null : Number(r.term_months),
    endsAt: r.ends_at ? new Date(r.ends_at).toISOString() : null,
  };
}

interface Scope {
  where: string[];
  params: unknown[];
}

/**
 * Agreements (domain.md section 7): who sees which (a hospital its own, a supplier its
 * own, admins and the fund all), unallocated volume, and confirmation.
 */
@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private async requireBatch(batchId: number): Promise<void> {
    if (!(await batchExists(this.dataSource.manager, batchId))) throw notFound('Batch');
  }

  /** The rows of a batch the caller may see, narrowed by the optional filters. */
  async scope(user: Principal, batchId: number, f: AgreementsExportQueryDto): Promise<Scope> {
    await this.requireBatch(batchId);
    return equalities([
      ['a.batch_id', batchId],
      ['a.hospital_id', user.role === Role.HOSPITAL ? user.organizationId : undefined],
      ['a.supplier_id', user.role === Role.SUPPLIER ? user.organizationId : undefined],
      ['a.item_id', f.itemId],
      ['a.group_name', f.group],
      ['a.status', f.status],
    ]);
  }

  async list(user: Principal, batchId: number, q: AgreementsQueryDto): Promise<Page<AgreementView> | KeysetPage<AgreementView>> {
    const { where, params } = await this.scope(user, batchId, q);
    const w = where.join(' AND ');
    if (q.after !== undefined) {
      const rows = await this.dataSource.query(`SELECT ${AGREEMENT_COLUMNS} FROM agreements a WHERE ${w} AND a.id > ? ORDER BY a.id LIMIT ?`, [
        ...params,
        q.after,
        q.limit,
      ]);
      const items: AgreementView[] = rows.map(agreementView);
      return { items: await this.withNames(items), nextAfter: nextAfter(items, q.limit, (a) => a.id) };
    }
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM agreements a WHERE ${w}`, params);
    const rows = await this.dataSource.query(`SELECT ${AGREEMENT_COLUMNS} FROM agreements a WHERE ${w} ORDER BY a.id LIMIT ? OFFSET ?`, [
      ...params,
      q.limit,
      q.offset,
    ]);
    return { total: Number(total), items: await this.withNames(rows.map(agreementView)) };
  }

  /** The page's hospital, supplier and product names, in two set-based reads through their owners. */
  private async withNames(items: AgreementView[]): Promise<(AgreementView & AgreementNames)[]> {
    const names = await namesOf(this.dataSource.manager, {
      organizations: items.flatMap((a) => [a.hospitalId, a.supplierId]),
      products: items.map((a) => a.productId),
    });
    return items.map((a) => ({
      ...a,
      hospitalName: names.organization(a.hospitalId),
      supplierName: names.organization(a.supplierId),
      ...names.product(a.productId),
    }));
  }

  /**
   * Every visible row with names for people, page by page in id order (keyset, so a
   * million rows cost a few hundred short queries, never one huge result in memory).
   * The page is read from agreements alone, so the plan stays an index range scan in id
   * order whatever the statistics say; names come from small lookups (items once,
   * organisations per page for the ids not seen yet).
   */
  async *exportPages(scope: Scope): AsyncGenerator<AgreementExportRow[]> {
    const batchId = scope.params[0];
    const items = new Map<number, { genericName: string; dosageForm: string }>();
    for (const i of await itemsOfBatch(this.dataSource.manager, Number(batchId))) items.set(i.id, { genericName: i.genericName, dosageForm: i.dosageForm });
    const names = new Map<number, string>();
    let after = 0;
    for (;;) {
      const rows: AgreementView[] = (
        await this.dataSource.query(`SELECT ${AGREEMENT_COLUMNS} FROM agreements a WHERE ${scope.where.join(' AND ')} AND a.id > ? ORDER BY a.id LIMIT ?`, [
          ...scope.params,
          after,
          EXPORT_PAGE,
        ])
      ).map(agreementView);
      if (rows.length === 0) return;
      const unknown = [...new Set(rows.flatMap((r) => [r.hospitalId, r.supplierId]))].filter((id) => !names.has(id));
      if (unknown.length) {
        for (const o of (await organizationsByIds(this.dataSource.manager, unknown)).values()) names.set(o.id, o.name);
      }
      yield rows.map((r) => ({
        ...r,
        hospitalName: names.get(r.hospitalId) ?? '',
        supplierName: names.get(r.supplierId) ?? '',
        genericName: items.get(r.itemId)?.genericName ?? '',
        dosageForm: items.get(r.itemId)?.dosageForm ?? '',
      }));
      if (rows.length < EXPORT_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * Agreements by winner (issue 14): per winning bid (supplier, product, item, group) the
   * hospitals, agreements, units and amount, confirmed and pending, one GROUP BY over the
   * batch's agreements (idx_agreements_batch_status); names through their owners per page.
   */
  async byWinner(batchId: number, q: { limit: number; offset: number }): Promise<Page<WinnerSummaryView>> {
    await this.requireBatch(batchId);
    const [{ total }] = await this.dataSource.query('SELECT COUNT(DISTINCT bid_id) AS total FROM agreements WHERE batch_id = ?', [batchId]);
    const rows: any[] = await this.dataSource.query(
      `SELECT bid_id, item_id, group_name, supplier_id, product_id, MAX(award_price) AS award_price, MAX(unit_comparable_price) AS ucp,
              COUNT(DISTINCT hospital_id) AS hospitals, COUNT(*) AS agreements, SUM(units) AS units, SUM(amount) AS amount,
              SUM(status = 'CONFIRMED') AS confirmed, SUM(status = 'PENDING_CONFIRMATION') AS pending,
              SUM(CASE WHEN status = 'CONFIRMED' THEN units ELSE 0 END) AS confirmed_units,
              SUM(CASE WHEN status = 'CONFIRMED' THEN amount ELSE 0 END) AS confirmed_amount
       FROM agreements WHERE batch_id = ?
       GROUP BY bid_id, item_id, group_name, supplier_id, product_id
       ORDER BY item_id, group_name, SUM(amount) DESC, bid_id LIMIT ? OFFSET ?`,
      [batchId, q.limit, q.offset],
    );
    const items = new Map((await itemsOfBatch(this.dataSource.manager, batchId)).map((i) => [i.id, i.genericName]));
    const names = await namesOf(this.dataSource.manager, {
      organizations: rows.map((r) => Number(r.supplier_id)),
      products: rows.map((r) => Number(r.product_id)),
    });
    // SUM of DECIMAL(20,2) is an exact DECIMAL: the driver answers it as a string, kept as it is (2 decimals).
    const money = (v: unknown) => new Dec(String(v ?? '0')).toFixed(2);
    return {
      total: Number(total),
      items: rows.map((r) => ({
        bidId: Number(r.bid_id),
        itemId: Number(r.item_id),
        genericName: items.get(Number(r.item_id)) ?? '',
        group: r.group_name,
        supplierId: Number(r.supplier_id),
        supplierName: names.organization(Number(r.supplier_id)),
        productId: Number(r.product_id),
        ...names.product(Number(r.product_id)),
        awardPrice: new Dec(r.award_price).toFixed(2),
        unitComparablePrice: new Dec(r.ucp).toFixed(4),
        hospitals: Number(r.hospitals),
        agreements: Number(r.agreements),
        units: Number(r.units),
        amount: money(r.amount),
        confirmed: Number(r.confirmed),
        pending: Number(r.pending),
        confirmedUnits: Number(r.confirmed_units),
        confirmedAmount: money(r.confirmed_amount),
      })),
    };
  }

  /** Agreed units no preferred winner could supply (section 7, step 3). Suppliers are refused by role. */
  async unallocated(user: Principal, batchId: number, q: UnallocatedQueryDto): Promise<Page<UnallocatedView>> {
    await this.requireBatch(batchId);
    const { where, params } = equalities([
      ['batch_id', batchId],
      ['hospital_id', user.role === Role.HOSPITAL ? user.organizationId : undefined],
      ['item_id', q.itemId],
      ['group_name', q.group],
    ]);
    const w = [...where, 'unallocated > 0'].join(' AND ');
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM agreed_volumes WHERE ${w}`, params);
    const rows: any[] = await this.dataSource.query(
      `SELECT hospital_id, item_id, group_name, unallocated FROM agreed_volumes WHERE ${w} ORDER BY item_id, group_name, hospital_id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    const names = await namesOf(this.dataSource.manager, { organizations: rows.map((r) => Number(r.hospital_id)) });
    return {
      total: Number(total),
      items: rows.map((r) => ({
        hospitalId: Number(r.hospital_id),
        hospitalName: names.organization(Number(r.hospital_id)),
        itemId: Number(r.item_id),
        group: r.group_name,
        units: Number(r.unallocated),
      })),
    };
  }

  /**
   * POST /agreements/:id/confirm. A hospital confirms its own pending agreement (another
   * hospital's is 404); an admin may confirm one (forced) only once the batch's
   * confirmation deadline has passed. Lock order: batch (shared) then agreement, the
   * same as confirmOverdue, so the two never deadlock.
   */
  async confirm(user: Principal, agreementId: number): Promise<AgreementView> {
    return this.dataSource.transaction(async (m) => {
      const [found] = await m.query('SELECT batch_id, hospital_id FROM agreements WHERE id = ?', [agreementId]);
      if (!found || (user.role === Role.HOSPITAL && Number(found.hospital_id) !== user.organizationId)) throw notFound('Agreement');
      const batch = await lockBatchShared(m, Number(found.batch_id));
      const [row] = await m.query(`SELECT ${AGREEMENT_COLUMNS} FROM agreements a WHERE a.id = ? FOR UPDATE`, [agreementId]);
      if (!batch || !CONFIRMABLE.includes(batch.status)) {
        throw invalidState(`Agreements can be confirmed only while the batch is ALLOCATED or IN_FORCE; it is ${batch?.status}`, [
          { field: 'status', message: `batch is ${batch?.status}` },
        ]);
      }
      if (row.status === AgreementStatus.CONFIRMED) throw conflict('ALREADY_CONFIRMED', `Agreement ${agreementId} is already confirmed`);
      const now = this.clock.now();
      const forced = user.role !== Role.HOSPITAL;
      if (forced) this.requireDeadlinePassed(batch, now);
      await m.query('UPDATE agreements SET status = ?, confirmed_at = ?, confirmed_by = ?, forced = ? WHERE id = ?', [
        AgreementStatus.CONFIRMED,
        now,
        user.userId,
        forced ? 1 : 0,
        agreementId,
      ]);
      await this.audit.record(m, {
        actor: user,
        action: forced ? 'agreement.confirm-forced' : 'agreement.confirm',
        entity: 'agreement',
        entityId: agreementId,
        data: { batchId: batch.id, hospitalId: Number(row.hospital_id), forced },
      });
      return { ...agreementView(row), status: AgreementStatus.CONFIRMED, confirmedAt: now.toISOString(), forced };
    });
  }

  /**
   * POST /batches/:id/agreements/confirm-overdue: after the deadline an admin confirms
   * every still-pending agreement of the batch (forced), in one transaction and one audit
   * entry; each row keeps who confirmed it, when, and that it was forced.
   */
  async confirmOverdue(user: Principal, batchId: number): Promise<{ batchId: number; confirmed: number; confirmedAt: string }> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.lockConfirmableBatch(m, batchId);
      const now = this.clock.now();
      this.requireDeadlinePassed(batch, now);
      const res = await m.query('UPDATE agreements SET status = ?, confirmed_at = ?, confirmed_by = ?, forced = 1 WHERE batch_id = ? AND status = ?', [
        AgreementStatus.CONFIRMED,
        now,
        user.userId,
        batchId,
        AgreementStatus.PENDING_CONFIRMATION,
      ]);
      const confirmed = Number(res.affectedRows ?? 0);
      await this.audit.record(m, {
        actor: user,
        action: 'agreement.confirm-overdue',
        entity: 'batch',
        entityId: batchId,
        data: { confirmed, confirmationDeadline: batch.confirmationDeadline?.toISOString() },
      });
      return { batchId, confirmed, confirmedAt: now.toISOString() };
    });
  }

  /**
   * POST /batches/:id/agreements/confirm: a hospital confirms every pending agreement of its
   * own in the batch, or the chosen ones, in one transaction and one audit entry (all or
   * nothing: an id that is not the hospital's agreement of this batch answers 404 and
   * nothing is confirmed). Idempotent: on a retry the agreements already confirmed are
   * counted in `alreadyConfirmed` and left as they are. Lock order as confirm(): batch
   * (shared), then the agreements.
   */
  async confirmMany(user: Principal, batchId: number, agreementIds?: number[]): Promise<BulkConfirmResult> {
    return this.dataSource.transaction(async (m) => {
      await this.lockConfirmableBatch(m, batchId);
      const chosen = agreementIds !== undefined;
      const rows: { id: number; status: AgreementStatus }[] = await m.query(
        `SELECT id, status FROM agreements WHERE batch_id = ? AND hospital_id = ?${chosen ? ' AND id IN (?)' : ''} ORDER BY id FOR UPDATE`,
        chosen ? [batchId, user.organizationId, agreementIds] : [batchId, user.organizationId],
      );
      if (chosen && rows.length !== agreementIds.length) {
        const found = new Set(rows.map((r) => Number(r.id)));
        const missing = agreementIds.filter((id) => !found.has(id));
        throw new AppError(
          404,
          'NOT_FOUND',
          `${missing.length} of the agreements are not yours in batch ${batchId}; nothing was confirmed`,
          missing.slice(0, 50).map((id) => ({ field: `agreementIds`, message: `agreement ${id} not found` })),
        );
      }
      const pending = rows.filter((r) => r.status === AgreementStatus.PENDING_CONFIRMATION).map((r) => Number(r.id));
      const now = this.clock.now();
      for (let i = 0; i < pending.length; i += CONFIRM_CHUNK) {
        await m.query('UPDATE agreements SET status = ?, confirmed_at = ?, confirmed_by = ?, forced = 0 WHERE id IN (?)', [
          AgreementStatus.CONFIRMED,
          now,
          user.userId,
          pending.slice(i, i + CONFIRM_CHUNK),
        ]);
      }
      const result = {
        batchId,
        hospitalId: user.organizationId,
        confirmed: pending.length,
        alreadyConfirmed: rows.length - pending.length,
        confirmedAt: now.toISOString(),
      };
      // Audited once, and only when something changed: a retry that confirms nothing adds no entry.
      if (pending.length) {
        await this.audit.record(m, {
          actor: user,
          action: 'agreement.confirm-bulk',
          entity: 'batch',
          entityId: batchId,
          data: { hospitalId: user.organizationId, confirmed: pending.length, agreementIds: pending },
        });
      }
      return result;
    });
  }

  /** The batch, locked shared (the lock order of every confirmation: batch, then agreements); 404, or 409 unless ALLOCATED or IN_FORCE. */
  private async lockConfirmableBatch(m: EntityManager, batchId: number): Promise<Batch> {
    const batch = await lockBatchShared(m, batchId);
    if (!batch) throw notFound('Batch');
    if (!CONFIRMABLE.includes(batch.status)) {
      throw invalidState(`Agreements can be confirmed only while the batch is ALLOCATED or IN_FORCE; ${batch.code} is ${batch.status}`, [
        { field: 'status', message: `is ${batch.status}` },
      ]);
    }
    return batch;
  }

  /** Section 7: an admin confirms only after the confirmation deadline (strictly after). */
  private requireDeadlinePassed(batch: Batch, now: Date): void {
    const deadline = batch.confirmationDeadline;
    if (!deadline || now.getTime() <= deadline.getTime()) {
      throw conflict('CONFIRMATION_DEADLINE_NOT_PASSED', `Admins may confirm only after the confirmation deadline ${deadline?.toISOString()}`, [
        { field: 'confirmationDeadline', message: `is ${deadline?.toISOString()}` },
      ]);
    }
  }
}
