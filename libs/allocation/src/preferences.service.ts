import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Principal, Role, Clock, equalities, invalidState, notFound, unprocessable, validationFailed, Page } from '@jicai/common';
import { BatchStatus, batchExists, findBatchItem, lockBatchShared } from '@jicai/batches';
import { winnersOfItemGroup } from '@jicai/evaluation';
import { PreferencesQueryDto, SetPreferenceDto } from './dto/allocation.dto';

const isLockWaitTimeout = (e: unknown) => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.code === 'ER_LOCK_WAIT_TIMEOUT' || err?.driverError?.code === 'ER_LOCK_WAIT_TIMEOUT';
};

export interface PreferenceView {
  id: number;
  batchId: number;
  itemId: number;
  hospitalId: number;
  group: string;
  winnerBidIds: number[];
  updatedAt: string;
}

/**
 * Hospitals' preferences among the winners (domain.md section 7), stated between award
 * and allocation. Rank order is the default, so a hospital that states nothing, or that
 * lists every winner in rank order, is allocated the same way.
 */
@Injectable()
export class PreferencesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Sets (replaces) the calling hospital's preference for one item × group. The batch row
   * is share-locked, so a preference is either in before the allocation job (which locks
   * it for update) reads preferences, or refused because the batch is ALLOCATED.
   */
  async set(user: Principal, batchId: number, itemId: number, dto: SetPreferenceDto): Promise<PreferenceView> {
    try {
      return await this.write(user, batchId, itemId, dto);
    } catch (e) {
      // The allocation job holds the batch row for its whole (long) transaction.
      if (isLockWaitTimeout(e)) throw invalidState('The batch is being allocated; preferences can no longer change');
      throw e;
    }
  }

  private async write(user: Principal, batchId: number, itemId: number, dto: SetPreferenceDto): Promise<PreferenceView> {
    return this.dataSource.transaction(async (m) => {
      const batch = await lockBatchShared(m, batchId);
      if (!batch) throw notFound('Batch');
      if (!(await findBatchItem(m, batchId, itemId))) throw notFound('Item');
      if (!Object.prototype.hasOwnProperty.call(batch.rules.groups, dto.group)) {
        throw validationFailed('Unknown group', [{ field: 'group', message: `must be one of ${Object.keys(batch.rules.groups).join(', ')}` }]);
      }
      if (batch.status !== BatchStatus.AWARDED) {
        throw invalidState(`Preferences can be given only while the batch is AWARDED; ${batch.code} is ${batch.status}`, [
          { field: 'status', message: `is ${batch.status}` },
        ]);
      }
      const winners = new Set((await winnersOfItemGroup(m, batchId, itemId, dto.group)).map((w) => w.bidId));
      const strangers = dto.winnerBidIds.map((id, i) => ({ id, i })).filter(({ id }) => !winners.has(id));
      if (strangers.length) {
        throw unprocessable(
          'NOT_A_WINNER',
          `Only winners of item ${itemId} group ${dto.group} can be preferred`,
          strangers.map(({ id, i }) => ({ field: `winnerBidIds[${i}]`, message: `bid ${id} is not a winner of this item × group` })),
        );
      }
      const now = this.clock.now();
      await m.query(
        `INSERT INTO preferences (batch_id, item_id, hospital_id, group_name, winner_bid_ids, updated_at) VALUES (?,?,?,?,?,?)
         ON DUPLICATE KEY UPDATE winner_bid_ids = VALUES(winner_bid_ids), updated_at = VALUES(updated_at)`,
        [batchId, itemId, user.organizationId, dto.group, JSON.stringify(dto.winnerBidIds), now],
      );
      const [row] = await m.query('SELECT id FROM preferences WHERE item_id = ? AND hospital_id = ? AND group_name = ?', [
        itemId,
        user.organizationId,
        dto.group,
      ]);
      const view: PreferenceView = {
        id: Number(row.id),
        batchId,
        itemId,
        hospitalId: user.organizationId,
        group: dto.group,
        winnerBidIds: dto.winnerBidIds,
        updatedAt: now.toISOString(),
      };
      await this.audit.record(m, {
        actor: user,
        action: 'preference.set',
        entity: 'preference',
        entityId: view.id,
        data: { batchId, itemId, group: dto.group, winnerBidIds: dto.winnerBidIds },
      });
      return view;
    });
  }

  /** A hospital sees its own preferences; an admin sees every stated one. */
  async list(user: Principal, batchId: number, q: PreferencesQueryDto): Promise<Page<PreferenceView>> {
    if (!(await batchExists(this.dataSource.manager, batchId))) throw notFound('Batch');
    const { where, params } = equalities([
      ['batch_id', batchId],
      ['hospital_id', user.role === Role.HOSPITAL ? user.organizationId : undefined],
      ['hospital_id', q.hospitalId],
      ['item_id', q.itemId],
      ['group_name', q.group],
    ]);
    const w = where.join(' AND ');
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM preferences WHERE ${w}`, params);
    const rows: any[] = await this.dataSource.query(
      `SELECT id, batch_id, item_id, hospital_id, group_name, winner_bid_ids, updated_at FROM preferences WHERE ${w} ORDER BY item_id, group_name, hospital_id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    return {
      total: Number(total),
      items: rows.map((r) => ({
        id: Number(r.id),
        batchId: Number(r.batch_id),
        itemId: Number(r.item_id),
        hospitalId: Number(r.hospital_id),
        group: r.group_name,
        winnerBidIds: JSON.parse(r.winner_bid_ids),
        updatedAt: new Date(r.updated_at).toISOString(),
      })),
    };
  }
}
