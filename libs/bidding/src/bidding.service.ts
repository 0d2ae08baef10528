import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditService,
  Principal,
  Role,
  Clock,
  AppError,
  ErrorDetail,
  conflict,
  forbidden,
  invalidState,
  notFound,
  unprocessable,
  validationFailed,
  JobsService,
  requesterOf,
  QueueName,
  ucp as fmtUcp,
  retryOnLockConflict,
  isDuplicateKey,
} from '@jicai/common';
import {
  type BatchItem,
  BatchRules,
  BatchStatus,
  groupOfTier,
  BatchJobPayload,
  findBatch,
  itemsOfBatch,
  findBatchItem,
  lockBatchShared,
  OPEN_BIDS_JOB,
  openBidsJobId,
} from '@jicai/batches';
import { findProduct, QualityTier, Strength, measureUnitsPerPack, namesOf, normalizeName } from '@jicai/catalog';
import { newNonceSalt } from './bid-integrity';
import { BidSealer } from './bid-sealer';
import { BidStatus } from './bid.entity';
import { BID_COLUMNS, BidRow, BidView, Revealed, bidView, identityOf, revealedColumns } from './bid.views';
import { unitComparablePrice, validateCapacity, validatePackPrice } from './bidding.rules';
import { biddingWindow } from './bidding-window.rules';
import { ListBidsQueryDto, SubmitBidDto } from './dto/bid.dto';

/** The batch fields bidding needs, read under a lock. */
interface BatchForBidding {
  id: number;
  code: string;
  status: BatchStatus;
  biddingOpensAt: Date;
  biddingClosesAt: Date;
  openingAt: Date;
  openedAt: Date | null;
  integrityAlarm: boolean;
  rules: BatchRules;
}

/** The item fields bidding needs (a BatchItem read through the batches module). */
type ItemRow = Pick<BatchItem, 'id' | 'genericName' | 'dosageForm' | 'repStrengthValue' | 'repStrengthUnit' | 'ceilingUnitPrice'>;

const repStrengthOf = (i: ItemRow): Strength => ({ value: i.repStrengthValue, unit: i.repStrengthUnit });
const strengthOf = (r: Pick<BidRow, 'strengthValue' | 'strengthUnit'>): Strength => ({ value: r.strengthValue, unit: r.strengthUnit });

const retryLogger = new Logger('Bidding');

/** Deadlocks and lock-wait timeouts are retried (the platform's one policy): the transaction did nothing. */
const retrying = <T>(transaction: () => Promise<T>) =>
  retryOnLockConflict(
    transaction,
    (e, attempt) => retryLogger.warn(`bid transaction retried after ${(e as { code?: string }).code ?? 'a lock conflict'} (attempt ${attempt})`),
    isLiveSlotRace,
  );

/**
 * Two submissions to one supplier × item × group that both found no live bid (or found the
 * one the other replaced): the unique key on live refuses the second's row. It did nothing;
 * run again, it finds the first's bid live and replaces it.
 */
const isLiveSlotRace = (e: unknown) => isDuplicateKey(e) && /uq_bids_live/.test((e as Error).message ?? '');

/** Before opening: how many live bids each item × group has; nothing else. */
export interface BidCounts {
  items: { itemId: number; group: string; count: number }[];
}

/**
 * Sealed bids (domain.md section 4): submission, replacement, withdrawal, the views each
 * role may have, and the admin's request to open.
 *
 * Concurrency: a submission or withdrawal holds a shared lock on the batch row (so the
 * close and open jobs, which lock it exclusively, wait for bids in flight and no bid
 * commits after the status left PUBLISHED) and an exclusive lock on the live bid of its
 * supplier × item × group (so replacements of one slot are serialised and the last
 * committed one is live); bids of other suppliers in the same item do not wait for each
 * other (an item lock serialised the whole item, which bounded a burst near the deadline).
 * The unique key on bids (item, supplier, group, live) enforces one live bid: the second of
 * two racing first bids of a slot is refused by it and runs again (isLiveSlotRace).
 * READ COMMITTED: spares the gap locks a missed `FOR UPDATE` takes under REPEATABLE READ,
 * which deadlock concurrent first bids of neighbouring slots.
 */
@Injectable()
export class BiddingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly sealer: BidSealer,
  ) {}

  async submit(actor: Principal, batchId: number, dto: SubmitBidDto) {
    const details: ErrorDetail[] = [];
    const price = validatePackPrice(dto.packPrice);
    if (!price.ok) details.push({ field: 'packPrice', message: price.message });
    const capacity = validateCapacity(dto.supplyCapacity);
    if (!capacity.ok) details.push({ field: 'supplyCapacity', message: capacity.message });
    if (!price.ok || !capacity.ok) throw validationFailed('The bid is not valid', details);

    return retrying(() =>
      this.dataSource.transaction('READ COMMITTED', async (m) => {
        const batch = await this.sharedBatch(m, batchId);
        const item = await findBatchItem(m, batchId, dto.itemId);
        if (!item) throw notFound('Item');
        const now = this.clock.now();
        this.assertBiddingOpen(batch, now);

        const product = await findProduct(m, dto.productId);
        // Another supplier's product answers exactly as a missing one: no existence oracle.
        if (!product || product.supplierId !== actor.organizationId) throw notFound('Product');
        // Section 4 (and 2): generic name and dosage form match the item after NFKC and trimming.
        if (normalizeName(product.genericName) !== normalizeName(item.genericName) || normalizeName(product.dosageForm) !== normalizeName(item.dosageForm)) {
          throw unprocessable('PRODUCT_MISMATCH', 'The product does not have the generic name and dosage form of the item', [
            { field: 'productId', message: `product is ${product.genericName} ${product.dosageForm}; item is ${item.genericName} ${item.dosageForm}` },
          ]);
        }
        const strength: Strength = { value: product.strengthValue, unit: product.strengthUnit };
        // Section 3: one pack must count a whole number of measure units, else the product cannot bid here.
        const units = measureUnitsPerPack(product.packSize, strength, repStrengthOf(item));
        const ucp =
          units === null ? null : unitComparablePrice(price.value, product.packSize, strength, repStrengthOf(item), batch.rules.strengthRatioCoefficient);
        if (units === null || ucp === null) {
          throw unprocessable('STRENGTH_NOT_COMPARABLE', 'One pack of this product is not a whole number of measure units of the item', [
            {
              field: 'productId',
              message: `${product.packSize} × ${strength.value} ${strength.unit} against a representative strength of ${item.repStrengthValue} ${item.repStrengthUnit}`,
            },
          ]);
        }
        // Section 4: a UCP above the item's ceiling is refused.
        if (ucp.gt(item.ceilingUnitPrice)) {
          throw unprocessable('BID_ABOVE_CEILING', `The unit comparable price ${fmtUcp(ucp)} is above the ceiling ${item.ceilingUnitPrice}`, [
            { field: 'packPrice', message: `unit comparable price ${fmtUcp(ucp)} > ceiling ${item.ceilingUnitPrice}` },
          ]);
        }
        const group = groupOfTier(batch.rules, product.qualityTier as QualityTier);

        const [previous] = await m.query('SELECT id FROM bids WHERE item_id = ? AND supplier_id = ? AND group_name = ? AND live = 1 FOR UPDATE', [
          item.id,
          actor.organizationId,
          group,
        ]);
        if (previous) {
          await m.query(`UPDATE bids SET status = 'REPLACED', live = NULL, replaced_at = ? WHERE id = ?`, [now, previous.id]);
        }
        const identity = { batchId, itemId: item.id, supplierId: actor.organizationId, productId: product.id, nonceSalt: newNonceSalt() };
        const sealed = this.sealer.seal(identity, price.value.toFixed(2), capacity.value);
        const inserted = await m.query(
          `INSERT INTO bids (batch_id, item_id, supplier_id, product_id, group_name, status, live, pack_size, strength_value, strength_unit,
             measure_units_per_pack, ciphertext, nonce_salt, receipt, submitted_at, submitted_by)
           VALUES (?, ?, ?, ?, ?, 'SEALED', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            batchId,
            item.id,
            actor.organizationId,
            product.id,
            group,
            product.packSize,
            product.strengthValue,
            product.strengthUnit,
            units,
            sealed.ciphertext,
            identity.nonceSalt,
            sealed.receipt,
            now,
            actor.userId,
          ],
        );
        const id = Number(inserted.insertId);
        if (previous) await m.query('UPDATE bids SET replaced_by = ? WHERE id = ?', [id, previous.id]);
        // No price, capacity or UCP in the audit log: it is readable before opening.
        await this.audit.record(m, {
          actor,
          action: previous ? 'bid.replace' : 'bid.submit',
          entity: 'bid',
          entityId: id,
          data: { batchId, itemId: item.id, group, productId: product.id, receipt: sealed.receipt, replaces: previous?.id ?? null },
        });
        return {
          id,
          batchId,
          itemId: item.id,
          group,
          supplierId: actor.organizationId,
          productId: product.id,
          packPrice: sealed.packPrice,
          supplyCapacity: capacity.value,
          unitComparablePrice: fmtUcp(ucp),
          measureUnitsPerPack: units,
          receipt: sealed.receipt,
          nonce: sealed.nonce,
          status: BidStatus.SEALED,
          submittedAt: now.toISOString(),
          replaces: previous ? Number(previous.id) : null,
        };
      }),
    );
  }

  /** Withdraws the caller's live bid before bidding closes; the version is kept, WITHDRAWN. */
  async withdraw(actor: Principal, bidId: number): Promise<BidView> {
    const [found] = await this.dataSource.query('SELECT batch_id AS batchId, item_id AS itemId, supplier_id AS supplierId FROM bids WHERE id = ?', [bidId]);
    if (!found || found.supplierId !== actor.organizationId) throw notFound('Bid');
    return retrying(() =>
      this.dataSource.transaction('READ COMMITTED', async (m) => {
        const batch = await this.sharedBatch(m, found.batchId);
        const item = await findBatchItem(m, found.batchId, found.itemId);
        if (!item) throw notFound('Item');
        const [row] = (await m.query(`SELECT ${BID_COLUMNS} FROM bids b WHERE b.id = ? FOR UPDATE`, [bidId])) as BidRow[];
        const now = this.clock.now();
        this.assertBiddingOpen(batch, now);
        if (row.live !== 1)
          throw invalidState(`Bid ${bidId} is ${row.status}; only the live bid can be withdrawn`, [{ field: 'status', message: `is ${row.status}` }]);
        await m.query(`UPDATE bids SET status = 'WITHDRAWN', live = NULL, withdrawn_at = ? WHERE id = ?`, [now, bidId]);
        await this.audit.record(m, {
          actor,
          action: 'bid.withdraw',
          entity: 'bid',
          entityId: bidId,
          data: { batchId: row.batchId, itemId: row.itemId, group: row.groupName },
        });
        const withdrawn: BidRow = { ...row, status: BidStatus.WITHDRAWN, live: null, withdrawnAt: now };
        return bidView(withdrawn, this.ownerRevealed(withdrawn, item, batch.rules));
      }),
    );
  }

  /**
   * GET /batches/:id/bids. Suppliers: their own live bids (or every version with
   * history=true), decrypted for them. Admin and fund: counts per item × group until the
   * batch has been opened, then every live bid with its revealed price and nonce.
   */
  async list(viewer: Principal, batchId: number, q: ListBidsQueryDto): Promise<{ items: BidView[]; total: number } | BidCounts> {
    const batch = await findBatch(this.dataSource.manager, batchId);
    if (!batch) throw notFound('Batch');
    const history = q.history === 'true';
    if (viewer.role === Role.SUPPLIER) return this.listOwn(viewer, batch, q, history);
    if (viewer.role !== Role.ADMIN && viewer.role !== Role.FUND) throw forbidden();
    if (history) throw validationFailed('history is for suppliers, about their own bids', [{ field: 'history', message: 'suppliers only' }]);
    if (!batch.openedAt) return this.counts(batch, q.itemId);

    const where = ['b.batch_id = ?', 'b.live = 1'];
    const params: unknown[] = [batchId];
    if (q.itemId) {
      where.push('b.item_id = ?');
      params.push(q.itemId);
    }
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM bids b WHERE ${where.join(' AND ')}`, params);
    const rows = (await this.dataSource.query(
      `SELECT ${BID_COLUMNS} FROM bids b WHERE ${where.join(' AND ')} ORDER BY b.item_id, b.group_name, b.id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    )) as BidRow[];
    // Opened: every bidder is known now (section 5), so the names go beside the ids.
    return { items: await this.withNames(rows.map((r) => bidView(r, revealedColumns(r)))), total: Number(total) };
  }

  private async listOwn(viewer: Principal, batch: BatchForBidding, q: ListBidsQueryDto, history: boolean) {
    const where = ['b.batch_id = ?', 'b.supplier_id = ?'];
    const params: unknown[] = [batch.id, viewer.organizationId];
    if (!history) where.push('b.live = 1');
    if (q.itemId) {
      where.push('b.item_id = ?');
      params.push(q.itemId);
    }
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM bids b WHERE ${where.join(' AND ')}`, params);
    const order = history ? 'b.id DESC' : 'b.item_id, b.group_name, b.id';
    const rows = (await this.dataSource.query(`SELECT ${BID_COLUMNS} FROM bids b WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`, [
      ...params,
      q.limit,
      q.offset,
    ])) as BidRow[];
    const items = await this.itemsOf(batch.id);
    // The supplier's own bids: its own name and products, nothing of anyone else's.
    return { items: await this.withNames(rows.map((r) => bidView(r, this.ownerRevealed(r, items.get(r.itemId)!, batch.rules)))), total: Number(total) };
  }

  /** Names beside the ids of bids the viewer may already see whole (opened, or its own). */
  private async withNames(bids: BidView[]): Promise<BidView[]> {
    const names = await namesOf(this.dataSource.manager, { organizations: bids.map((b) => b.supplierId), products: bids.map((b) => b.productId) });
    return bids.map((b) => ({ ...b, supplierName: names.organization(b.supplierId), ...names.product(b.productId) }));
  }

  /** Every item × group of the rules with its number of live bids (0 included): no ids, no names, no prices. */
  private async counts(batch: BatchForBidding, itemId?: number): Promise<BidCounts> {
    const rows = await this.dataSource.query(
      'SELECT item_id AS itemId, group_name AS groupName, COUNT(*) AS n FROM bids WHERE batch_id = ? AND live = 1 GROUP BY item_id, group_name',
      [batch.id],
    );
    const n = new Map<string, number>(rows.map((r: any) => [`${r.itemId}:${r.groupName}`, Number(r.n)]));
    const items = [...(await this.itemsOf(batch.id)).keys()].filter((id) => !itemId || id === itemId);
    return { items: items.flatMap((id) => Object.keys(batch.rules.groups).map((group) => ({ itemId: id, group, count: n.get(`${id}:${group}`) ?? 0 }))) };
  }

  /** The owner sees its own price: the revealed columns once opened, else decrypted now. */
  private ownerRevealed(r: BidRow, item: ItemRow, rules: BatchRules): Revealed {
    if (r.openedAt) return revealedColumns(r);
    const content = this.sealer.openForOwner(identityOf(r), r.ciphertext);
    const nonce = this.sealer.nonceOf(r.ciphertext, r.nonceSalt);
    if (!content) return { packPrice: null, supplyCapacity: null, unitComparablePrice: null, nonce };
    const ucp = unitComparablePrice(content.packPrice, r.packSize, strengthOf(r), repStrengthOf(item), rules.strengthRatioCoefficient);
    return { packPrice: content.packPrice, supplyCapacity: content.supplyCapacity, unitComparablePrice: ucp ? fmtUcp(ucp) : null, nonce };
  }

  private async itemsOf(batchId: number): Promise<Map<number, ItemRow>> {
    const rows: ItemRow[] = await itemsOfBatch(this.dataSource.manager, batchId);
    return new Map(rows.map((i) => [i.id, i]));
  }

  /**
   * POST /batches/:id/open: once openingAt has passed by the server clock, runs the
   * opening job now. The job id is the one the batch schedule uses, so the delayed job is
   * promoted rather than doubled, and a job already waiting or running is answered as is.
   */
  async requestOpening(actor: Principal, batchId: number): Promise<{ jobId: string }> {
    const batch = await findBatch(this.dataSource.manager, batchId);
    if (!batch) throw notFound('Batch');
    if (batch.integrityAlarm) {
      throw conflict('INTEGRITY_ALARM', `Batch ${batch.code} is blocked by an integrity alarm; it cannot be opened`);
    }
    if (batch.status !== BatchStatus.PUBLISHED && batch.status !== BatchStatus.CLOSED) {
      throw invalidState(`Batch ${batch.code} is ${batch.status}; only a PUBLISHED or CLOSED batch can be opened`, [
        { field: 'status', message: `is ${batch.status}` },
      ]);
    }
    const now = this.clock.now();
    if (now.getTime() < batch.openingAt.getTime()) {
      throw conflict('OPENING_NOT_DUE', `Bids of batch ${batch.code} open at ${batch.openingAt.toISOString()}`, [
        { field: 'openingAt', message: batch.openingAt.toISOString() },
      ]);
    }
    const payload: BatchJobPayload = { batchId, requestedBy: requesterOf(actor) };
    const jobId = await this.jobs.enqueue(QueueName.OPENING, OPEN_BIDS_JOB, payload, { jobId: openBidsJobId(batchId) }, { promoteDelayed: true });
    await this.audit.recordNow({ actor, action: 'batch.open-requested', entity: 'batch', entityId: batchId, data: { jobId } });
    return { jobId };
  }

  private async sharedBatch(m: EntityManager, id: number): Promise<BatchForBidding> {
    const batch = await lockBatchShared(m, id);
    if (!batch) throw notFound('Batch');
    return batch;
  }

  private assertBiddingOpen(batch: BatchForBidding, now: Date): void {
    const w = biddingWindow(batch.status, batch.biddingOpensAt, batch.biddingClosesAt, now);
    if (w === 'NOT_OPEN') {
      throw new AppError(409, 'BIDDING_NOT_OPEN', `Bidding in batch ${batch.code} opens at ${batch.biddingOpensAt.toISOString()}`, [
        { field: 'biddingOpensAt', message: batch.biddingOpensAt.toISOString() },
      ]);
    }
    if (w === 'CLOSED') {
      throw new AppError(409, 'BIDDING_CLOSED', `Bidding in batch ${batch.code} is closed`, [
        { field: 'biddingClosesAt', message: batch.biddingClosesAt.toISOString() },
      ]);
    }
  }
}
