import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, Clock, invalidState, Dec, money, roundHalfUp } from '@jicai/common';
import { agreementEndsAt, agreementTermMonths, type Batch, BATCH_LIFECYCLE, BatchRules, BatchStatus, BatchesService, itemsOfBatch } from '@jicai/batches';
import { winnersOfBatch } from '@jicai/evaluation';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { agreedVolume, allocate, AllocationHospital } from './allocation.rules';
import { pendingAgreementHospitalsQuery } from './agreement-readers';
import { AgreementStatus } from './agreement.entity';

/** Rows per multi-row INSERT: well under max_allowed_packet, few round trips. */
export const INSERT_CHUNK = 2000;
const DAY_MS = 24 * 3600 * 1000;

/** A winner of one item × group as the allocation reads it (raw row, fixed at award). */
interface WinnerRow {
  bidId: number;
  /** Section 15.3: joined the winners by revival (asked after the original winners). */
  revived: boolean;
  itemId: number;
  group: string;
  supplierId: number;
  productId: number;
  awardPrice: string;
  awardUnitPrice: string;
  supplyCapacity: number;
}

export interface AllocationSummary {
  batchId: number;
  /** True when the batch was already ALLOCATED (or later): the run changed nothing. */
  alreadyAllocated: boolean;
  itemGroups: number;
  hospitalRows: number;
  agreements: number;
  agreedUnits: number;
  allocatedUnits: number;
  unallocatedUnits: number;
  allocatedAt: string | null;
  confirmationDeadline: string | null;
}

export type ProgressFn = (p: { done: number; total: number }) => Promise<void> | void;

/**
 * The allocation job's work (domain.md sections 6-7), all in one transaction:
 * per item × group, agreed volume of each hospital from its demand and the number of
 * winners, then allocation among the winners by capacity and preference (default rank
 * order), written as agreed_volumes and agreements; the batch goes ALLOCATED with its
 * confirmation deadline. Reads raw rows one item × group at a time and writes multi-row
 * INSERTs, so 50,000 hospitals in an item cost a few dozen statements.
 */
@Injectable()
export class AllocationRunService {
  private readonly logger = new Logger(AllocationRunService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  async run(batchId: number, actor: Principal | null, onProgress?: ProgressFn): Promise<AllocationSummary> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.batches.lock(m, batchId);
      const summary: AllocationSummary = {
        batchId,
        alreadyAllocated: false,
        itemGroups: 0,
        hospitalRows: 0,
        agreements: 0,
        agreedUnits: 0,
        allocatedUnits: 0,
        unallocatedUnits: 0,
        allocatedAt: null,
        confirmationDeadline: null,
      };
      if (batch.status !== BatchStatus.AWARDED) {
        // Idempotence: a retried or duplicated job after success finds the work done.
        if (BATCH_LIFECYCLE.indexOf(batch.status) > BATCH_LIFECYCLE.indexOf(BatchStatus.AWARDED)) {
          return {
            ...summary,
            alreadyAllocated: true,
            allocatedAt: batch.allocatedAt?.toISOString() ?? null,
            confirmationDeadline: batch.confirmationDeadline?.toISOString() ?? null,
          };
        }
        throw invalidState(`Batch ${batch.code} is ${batch.status}; allocation needs an AWARDED batch`, [{ field: 'status', message: `is ${batch.status}` }]);
      }

      const now = this.clock.now();
      const winnersByGroup = await this.winners(m, batchId);
      const itemIds = (await itemsOfBatch(m, batchId)).map((i) => i.id);
      // Groups of the rules, plus any a winner is in (the same set when the data is sound).
      const groups = [...new Set([...Object.keys(batch.rules.groups), ...[...winnersByGroup.values()].flat().map((w) => w.group)])].sort();
      const total = itemIds.length * groups.length;
      let done = 0;
      for (const itemId of itemIds) {
        for (const group of groups) {
          const winners = winnersByGroup.get(key(itemId, group)) ?? [];
          await this.allocateItemGroup(m, batch, itemId, group, winners, now, summary);
          done += 1;
          await onProgress?.({ done, total });
        }
      }

      // Section 7: confirmation deadline = allocation time + confirmationDays.
      const confirmationDeadline = new Date(now.getTime() + batch.rules.confirmationDays * DAY_MS);
      summary.allocatedAt = now.toISOString();
      summary.confirmationDeadline = confirmationDeadline.toISOString();
      const { alreadyAllocated: _, batchId: __, ...counts } = summary;
      await this.batches.transition(m, actor, batch, BatchStatus.ALLOCATED, { allocatedAt: now, confirmationDeadline }, { allocation: counts });
      // Each hospital with agreements to confirm, in one INSERT ... SELECT; once per batch.
      await this.notifications.notifyFrom(m, pendingAgreementHospitalsQuery(batchId), {
        kind: NotificationKind.AGREEMENTS_AWAITING_CONFIRMATION,
        message: `Batch ${batch.code}: your agreements await confirmation until ${confirmationDeadline.toISOString()}`,
        entity: 'batch',
        entityId: batchId,
        batchId,
        dedupeKey: `agreements-pending:${batchId}`,
      });
      this.logger.log(`Batch ${batch.code} allocated: ${summary.agreements} agreements, ${summary.unallocatedUnits} units unallocated`);
      return summary;
    });
  }

  /** Winners of the batch by item × group, each list in rank order. */
  private async winners(m: EntityManager, batchId: number): Promise<Map<string, WinnerRow[]>> {
    const out = new Map<string, WinnerRow[]>();
    for (const r of await winnersOfBatch(m, batchId)) {
      const w: WinnerRow = {
        bidId: r.bidId,
        itemId: r.itemId,
        group: r.group,
        supplierId: r.supplierId,
        productId: r.productId,
        revived: r.revived,
        awardPrice: r.awardPrice,
        awardUnitPrice: r.awardUnitPrice,
        supplyCapacity: r.supplyCapacity,
      };
      const k = key(w.itemId, w.group);
      const list = out.get(k);
      if (list) list.push(w);
      else out.set(k, [w]);
    }
    return out;
  }

  private async allocateItemGroup(
    m: EntityManager,
    batch: Batch,
    itemId: number,
    group: string,
    winners: WinnerRow[],
    now: Date,
    summary: AllocationSummary,
  ): Promise<void> {
    const demands: { hospital_id: number; quantity: number }[] = await m.query(
      'SELECT hospital_id, quantity FROM demands WHERE item_id = ? AND group_name = ? AND batch_id = ? ORDER BY hospital_id',
      [itemId, group, batch.id],
    );
    if (demands.length === 0) return;
    summary.itemGroups += 1;
    const rules: BatchRules = batch.rules;
    // Section 15.3: revived winners count for the agreed-volume ratio (and the term) only when
    // revivalCountsForVolume; they are asked after the original winners either way.
    const k = rules.revivalCountsForVolume ? winners.length : winners.filter((w) => !w.revived).length;

    // Section 6: agreed volume = round(demand × ratio(k)); no winner → nothing agreed.
    const hospitals: AllocationHospital[] = new Array(demands.length);
    const rankOrder = winners.map((w) => w.bidId);
    const preferred = k > 0 ? await this.preferences(m, itemId, group, new Set(rankOrder)) : new Map<number, number[]>();
    for (let i = 0; i < demands.length; i++) {
      const hospitalId = Number(demands[i].hospital_id);
      const volume = agreedVolume(Number(demands[i].quantity), k, rules.agreedVolumeRatio);
      // Section 7: a hospital that gave no preference follows rank order.
      hospitals[i] = { hospitalId, agreedVolume: volume, preferences: preferred.get(hospitalId) ?? rankOrder };
      summary.agreedUnits += volume;
    }

    // Section 7: allocation among the winners, capacity = supply capacity.
    const result =
      k > 0 ? allocate({ hospitals, winners: winners.map((w) => ({ winnerId: w.bidId, capacity: w.supplyCapacity })) }) : { grants: [], unallocated: [] };
    const unallocated = new Map<number, number>();
    for (const u of result.unallocated) unallocated.set(u.hospitalId, u.units);

    const volumeRows: unknown[][] = hospitals.map((h, i) => {
      const rest = unallocated.get(h.hospitalId) ?? 0;
      summary.unallocatedUnits += rest;
      return [batch.id, itemId, group, h.hospitalId, Number(demands[i].quantity), h.agreedVolume, rest];
    });
    await insertChunked(m, 'agreed_volumes', ['batch_id', 'item_id', 'group_name', 'hospital_id', 'demand', 'agreed_volume', 'unallocated'], volumeRows);

    const byBid = new Map(winners.map((w) => [w.bidId, { w, ucp: new Dec(w.awardUnitPrice) }]));
    // Section 15.7: the term follows the number of winners of the item × group.
    const termMonths = agreementTermMonths(rules.termByWinners, batch.agreementMonths, k);
    const endsAt = agreementEndsAt(batch.agreementStart, termMonths);
    const agreementRows: unknown[][] = result.grants.map((g) => {
      const { w, ucp } = byBid.get(g.winnerId)!;
      // Section 7: amount = units × award UCP, 2 decimals half-up.
      const amount = money(roundHalfUp(ucp.times(g.units), 2));
      summary.allocatedUnits += g.units;
      return [
        batch.id,
        itemId,
        group,
        g.hospitalId,
        w.supplierId,
        w.bidId,
        w.productId,
        g.units,
        w.awardPrice,
        w.awardUnitPrice,
        amount,
        AgreementStatus.PENDING_CONFIRMATION,
        0,
        now,
        termMonths,
        endsAt,
      ];
    });
    summary.agreements += agreementRows.length;
    summary.hospitalRows += hospitals.length;
    await insertChunked(
      m,
      'agreements',
      [
        'batch_id',
        'item_id',
        'group_name',
        'hospital_id',
        'supplier_id',
        'bid_id',
        'product_id',
        'units',
        'award_price',
        'unit_comparable_price',
        'amount',
        'status',
        'forced',
        'created_at',
        'term_months',
        'ends_at',
      ],
      agreementRows,
    );
  }

  /**
   * Stated preferences of one item × group, hospital → winner bid ids. The endpoint
   * accepts winners only; ids that are not winners (never expected) are dropped rather
   * than failing the whole batch.
   */
  private async preferences(m: EntityManager, itemId: number, group: string, winnerIds: Set<number>): Promise<Map<number, number[]>> {
    const rows: { hospital_id: number; winner_bid_ids: string }[] = await m.query(
      'SELECT hospital_id, winner_bid_ids FROM preferences WHERE item_id = ? AND group_name = ?',
      [itemId, group],
    );
    const out = new Map<number, number[]>();
    for (const r of rows) {
      const ids = [...new Set((JSON.parse(r.winner_bid_ids) as unknown[]).map(Number))].filter((id) => winnerIds.has(id));
      out.set(Number(r.hospital_id), ids);
    }
    return out;
  }
}

const key = (itemId: number, group: string) => `${itemId}\u0000${group}`;

/** Multi-row INSERTs of at most INSERT_CHUNK rows each. */
export async function insertChunked(m: EntityManager, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  for (let from = 0; from < rows.length; from += INSERT_CHUNK) {
    const chunk = rows.slice(from, from + INSERT_CHUNK);
    const params: unknown[] = [];
    for (const row of chunk) for (const v of row) params.push(v);
    await m.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(',')}`, params);
  }
}
