import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, Clock, Decimal, ucp as fmtUcp } from '@jicai/common';
import { BATCH_LIFECYCLE, BatchStatus, BatchesService, type Batch, itemsOfBatch, lockBatchExclusive } from '@jicai/batches';
import { BidCheckFailure } from './bid-integrity';
import { BidSealer } from './bid-sealer';
import { BID_COLUMNS, BidRow, identityOf } from './bid.views';
import { strengthFactor, ucpFromFactor } from './bidding.rules';

/** What a job answers; `notDueUntil` asks the processor to run it again then. */
export type CloseResult =
  | { closed: boolean; status: BatchStatus; notDueUntil?: undefined }
  | { closed: false; skipped: 'BATCH_NOT_FOUND'; notDueUntil?: undefined }
  | { closed: false; notDueUntil: Date };

export type OpenResult =
  | { opened: true; bids: number; alreadyOpened?: boolean; notDueUntil?: undefined }
  | {
      opened: false;
      integrityAlarm: true;
      reason: string | null;
      badBidIds?: number[];
      notDueUntil?: undefined;
    }
  | { opened: false; skipped: string; notDueUntil?: undefined }
  | { opened: false; notDueUntil: Date };

const UPDATE_CHUNK = 500;
/** OPENED and every status after it on the forward path. */
const AFTER_OPENING = new Set<BatchStatus>(BATCH_LIFECYCLE.slice(BATCH_LIFECYCLE.indexOf(BatchStatus.OPENED)));

/**
 * Closing and opening (domain.md sections 3-4), run by the OPENING queue's jobs. Both are
 * idempotent: they lock the batch row and act only from the state they expect, so a
 * retried, stalled-and-rerun or duplicate job does nothing the second time.
 */
@Injectable()
export class OpeningService {
  private readonly logger = new Logger(OpeningService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sealer: BidSealer,
  ) {}

  /** PUBLISHED → CLOSED once biddingClosesAt has passed; any other state is left alone. */
  async closeBidding(batchId: number, jobId?: string): Promise<CloseResult> {
    return this.dataSource.transaction(async (m) => {
      const b = await this.lockOrNull(m, batchId);
      if (!b) return { closed: false, skipped: 'BATCH_NOT_FOUND' };
      if (b.status !== BatchStatus.PUBLISHED) return { closed: false, status: b.status };
      if (this.clock.now().getTime() < b.biddingClosesAt.getTime()) return { closed: false, notDueUntil: b.biddingClosesAt };
      await this.batches.transition(m, null, b, BatchStatus.CLOSED, {}, { jobId: jobId ?? null });
      return { closed: true, status: b.status };
    });
  }

  /**
   * Section 4, at openingAt: closes bidding if still needed, then checks every live bid
   * (decrypts it and recomputes its receipt with its nonce). All good: the revealed columns
   * are filled for every live bid and the batch moves to OPENED, in one transaction. Any
   * failure: nothing is revealed, the batch stays CLOSED with integrityAlarm set, audited
   * as batch.integrity-alarm; the result names the bad bids.
   */
  async openBids(batchId: number, jobId?: string): Promise<OpenResult> {
    const closing = await this.closeBidding(batchId, jobId);
    if ('skipped' in closing) return { opened: false, skipped: closing.skipped };
    if (closing.notDueUntil) return { opened: false, notDueUntil: closing.notDueUntil };

    return this.dataSource.transaction(async (m): Promise<OpenResult> => {
      const b = await this.lockOrNull(m, batchId);
      if (!b) return { opened: false, skipped: 'BATCH_NOT_FOUND' };
      if (AFTER_OPENING.has(b.status) || b.openedAt) {
        const [{ n }] = await m.query('SELECT COUNT(*) AS n FROM bids WHERE batch_id = ? AND live = 1', [batchId]);
        return { opened: true, bids: Number(n), alreadyOpened: true };
      }
      if (b.status !== BatchStatus.CLOSED) return { opened: false, skipped: b.status };
      if (b.integrityAlarm) return { opened: false, integrityAlarm: true, reason: b.integrityAlarmReason };
      const now = this.clock.now();
      if (now.getTime() < b.openingAt.getTime()) return { opened: false, notDueUntil: b.openingAt };

      const rows = (await m.query(`SELECT ${BID_COLUMNS} FROM bids b WHERE b.batch_id = ? AND b.live = 1 ORDER BY b.id`, [batchId])) as BidRow[];
      const items = new Map<number, { value: string; unit: string }>(
        (await itemsOfBatch(m, batchId)).map((i) => [i.id, { value: i.repStrengthValue, unit: i.repStrengthUnit }]),
      );
      const factors = new Map<string, Decimal | null>();
      const bad: { bidId: number; reason: BidCheckFailure | 'UCP_NOT_COMPUTABLE' }[] = [];
      const revealed: { id: number; nonce: string; packPrice: string; supplyCapacity: number; ucp: string }[] = [];
      for (const r of rows) {
        const check = this.sealer.verify(identityOf(r), r.ciphertext, r.receipt);
        if (!check.ok) {
          bad.push({ bidId: r.id, reason: check.reason });
          continue;
        }
        // Section 4: UCP from the decrypted price; the strength factor once per item × strength
        const factorKey = `${r.itemId}|${r.strengthValue}|${r.strengthUnit}`;
        if (!factors.has(factorKey)) {
          const rep = items.get(r.itemId);
          factors.set(factorKey, rep ? strengthFactor({ value: r.strengthValue, unit: r.strengthUnit }, rep, b.rules.strengthRatioCoefficient) : null);
        }
        const factor = factors.get(factorKey);
        const ucp = factor ? ucpFromFactor(check.packPrice, r.packSize, factor) : null;
        if (!ucp) {
          bad.push({ bidId: r.id, reason: 'UCP_NOT_COMPUTABLE' });
          continue;
        }
        revealed.push({ id: r.id, nonce: check.nonce, packPrice: check.packPrice, supplyCapacity: check.supplyCapacity, ucp: fmtUcp(ucp) });
      }

      if (bad.length) {
        const reason = `Opening stopped: ${bad.length} bid(s) failed verification: ${bad.map((x) => `${x.bidId} ${x.reason}`).join(', ')}`;
        const short = reason.length > 500 ? `${reason.slice(0, 497)}...` : reason;
        await this.batches.raiseIntegrityAlarm(m, b, short);
        await this.audit.record(m, {
          actor: null,
          action: 'batch.integrity-alarm',
          entity: 'batch',
          entityId: b.id,
          data: { jobId: jobId ?? null, badBids: bad },
        });
        this.logger.error(`Integrity alarm on batch ${b.code}: ${short}`);
        return { opened: false, integrityAlarm: true, reason: short, badBidIds: bad.map((x) => x.bidId) };
      }

      for (let i = 0; i < revealed.length; i += UPDATE_CHUNK) {
        await this.reveal(m, revealed.slice(i, i + UPDATE_CHUNK), now);
      }
      await this.batches.transition(m, null, b, BatchStatus.OPENED, { openedAt: now }, { jobId: jobId ?? null, bids: revealed.length });
      return { opened: true, bids: revealed.length };
    });
  }

  /** One multi-row UPDATE per chunk: the revealed columns of each bid, keyed by id. */
  private async reveal(m: EntityManager, chunk: { id: number; nonce: string; packPrice: string; supplyCapacity: number; ucp: string }[], now: Date) {
    const cases = (pick: (x: (typeof chunk)[number]) => unknown) => {
      const params: unknown[] = [];
      const sql = chunk.map((x) => (params.push(x.id, pick(x)), 'WHEN ? THEN ?')).join(' ');
      return { sql: `CASE id ${sql} END`, params };
    };
    const nonce = cases((x) => x.nonce);
    const packPrice = cases((x) => x.packPrice);
    const capacity = cases((x) => x.supplyCapacity);
    const ucp = cases((x) => x.ucp);
    const ids = chunk.map((x) => x.id);
    const res = await m.query(
      `UPDATE bids SET status = 'OPENED', opened_at = ?, nonce = ${nonce.sql}, pack_price = ${packPrice.sql},
         supply_capacity = ${capacity.sql}, unit_comparable_price = ${ucp.sql}
       WHERE id IN (${ids.map(() => '?').join(',')}) AND live = 1 AND status = 'SEALED'`,
      [now, ...nonce.params, ...packPrice.params, ...capacity.params, ...ucp.params, ...ids],
    );
    const affected = Number(res.affectedRows);
    // The batch row is locked and bids change only while PUBLISHED: anything else is a bug.
    if (affected !== chunk.length) throw new Error(`opening revealed ${affected} of ${chunk.length} bids; rolled back`);
  }

  private lockOrNull(m: EntityManager, id: number): Promise<Batch | null> {
    return lockBatchExclusive(m, id);
  }
}
