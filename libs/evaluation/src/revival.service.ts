import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, AuditService, Clock, Principal, conflict, notFound } from '@jicai/common';
import { type Batch, BatchStatus, BatchesService } from '@jicai/batches';
import { adminOrOwnSupplierRows } from './supplier-scope';
import { maxWinnersFor } from './evaluation.rules';

export type RevivalStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'LAPSED';

export interface RevivalOfferView {
  bidId: number;
  itemId: number;
  group: string;
  supplierId: number;
  rank: number;
  offerUcp: string;
  offerPackPrice: string;
  deadline: string;
  /** PENDING past its deadline reads LAPSED (the award writes it so). */
  status: RevivalStatus;
  answeredAt: string | null;
}

export interface AcceptedRevival {
  bidId: number;
  itemId: number;
  group: string;
  rank: number;
  offerUcp: string;
  offerPackPrice: string;
}

/** Domain.md 15.3: revival offers, their answers, and what the award takes from them. */
@Injectable()
export class RevivalService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** POST /bids/:id/revival {accept} [supplier, own offer], before its deadline, while the batch is EVALUATED. */
  async answer(actor: Principal, bidId: number, accept: boolean): Promise<RevivalOfferView> {
    return this.dataSource.transaction(async (m) => {
      const [o] = await m.query('SELECT batch_id AS batchId, supplier_id AS supplierId FROM revival_offers WHERE bid_id = ?', [bidId]);
      if (!o || Number(o.supplierId) !== actor.organizationId) throw notFound('Revival offer');
      const batch = await this.batches.lock(m, Number(o.batchId));
      const [offer] = await m.query('SELECT status, deadline FROM revival_offers WHERE bid_id = ? FOR UPDATE', [bidId]);
      if (batch.status !== BatchStatus.EVALUATED || offer.status !== 'PENDING' || this.clock.now() >= new Date(offer.deadline)) {
        throw conflict(
          'REVIVAL_CLOSED',
          `The revival offer is closed (${offer.status === 'PENDING' ? `deadline ${new Date(offer.deadline).toISOString()}` : offer.status})`,
        );
      }
      const status: RevivalStatus = accept ? 'ACCEPTED' : 'DECLINED';
      await m.query('UPDATE revival_offers SET status = ?, answered_by = ?, answered_at = ? WHERE bid_id = ?', [status, actor.userId, this.clock.now(), bidId]);
      await this.audit.record(m, { actor, action: 'bid.revival.answer', entity: 'bid', entityId: bidId, data: { batchId: batch.id, status } });
      return (await this.rows(m, 'r.bid_id = ?', [bidId]))[0];
    });
  }

  /** GET /batches/:id/revival-offers: admins all, a supplier its own. */
  async list(viewer: Principal, batchId: number): Promise<{ items: RevivalOfferView[]; total: number }> {
    await this.batches.get(batchId);
    return adminOrOwnSupplierRows(viewer, 'r', batchId, (where, params) => this.rows(this.dataSource.manager, where, params));
  }

  /** Offers per bid for the results view (every viewer of the results sees them: they are part of the result). */
  async byBid(batchId: number): Promise<Map<number, RevivalOfferView>> {
    return new Map((await this.rows(this.dataSource.manager, 'r.batch_id = ?', [batchId])).map((o) => [o.bidId, o]));
  }

  /**
   * At award: 409 REVIVAL_OFFERS_OPEN while an offer is pending before its deadline; then the
   * unanswered ones lapse (audited), and the accepted ones are returned in rank order per item
   * × group — with revivalCountsForVolume, only as many as maxWinners(n) leaves free.
   */
  async closeForAward(m: EntityManager, actor: Principal, batch: Batch): Promise<AcceptedRevival[]> {
    const now = this.clock.now();
    const open = await m.query(
      "SELECT bid_id AS bidId, deadline FROM revival_offers WHERE batch_id = ? AND status = 'PENDING' AND deadline > ? ORDER BY bid_id",
      [batch.id, now],
    );
    if (open.length) {
      throw new AppError(
        409,
        'REVIVAL_OFFERS_OPEN',
        `${open.length} revival offer(s) are open until their deadline`,
        open.map((o: any) => ({ field: `bids[${o.bidId}]`, message: `revival offer open until ${new Date(o.deadline).toISOString()}` })),
      );
    }
    const lapsed = await m.query("SELECT bid_id AS bidId FROM revival_offers WHERE batch_id = ? AND status = 'PENDING'", [batch.id]);
    if (lapsed.length) {
      await m.query("UPDATE revival_offers SET status = 'LAPSED' WHERE batch_id = ? AND status = 'PENDING'", [batch.id]);
      await this.audit.record(m, {
        actor,
        action: 'revival.lapse',
        entity: 'batch',
        entityId: batch.id,
        data: { bids: lapsed.map((l: any) => Number(l.bidId)) },
      });
    }
    const accepted = await m.query(
      `SELECT r.bid_id AS bidId, r.item_id AS itemId, r.group_name AS \`group\`, r.\`rank\` AS \`rank\`, r.offer_ucp AS offerUcp, r.offer_pack_price AS offerPackPrice,
              g.bid_count AS bidCount, g.winner_count AS winnerCount
       FROM revival_offers r JOIN evaluation_groups g ON g.item_id = r.item_id AND g.group_name = r.group_name
       WHERE r.batch_id = ? AND r.status = 'ACCEPTED' ORDER BY r.item_id, r.group_name, r.\`rank\``,
      [batch.id],
    );
    const taken = new Map<string, number>();
    const out: AcceptedRevival[] = [];
    for (const a of accepted) {
      const key = `${a.itemId}|${a.group}`;
      const n = taken.get(key) ?? 0;
      // revivalCountsForVolume: revived winners fill only the slots maxWinners(n) leaves.
      if (batch.rules.revivalCountsForVolume && Number(a.winnerCount) + n >= maxWinnersFor(Number(a.bidCount), batch.rules.maxWinners)) continue;
      taken.set(key, n + 1);
      out.push({
        bidId: Number(a.bidId),
        itemId: Number(a.itemId),
        group: a.group,
        rank: Number(a.rank),
        offerUcp: a.offerUcp,
        offerPackPrice: a.offerPackPrice,
      });
    }
    return out;
  }

  private async rows(m: EntityManager, where: string, params: unknown[]): Promise<RevivalOfferView[]> {
    const now = this.clock.now();
    const rows = await m.query(
      `SELECT r.bid_id AS bidId, r.item_id AS itemId, r.group_name AS \`group\`, r.supplier_id AS supplierId, r.\`rank\` AS \`rank\`, r.offer_ucp AS offerUcp,
              r.offer_pack_price AS offerPackPrice, r.deadline, r.status, r.answered_at AS answeredAt
       FROM revival_offers r WHERE ${where} ORDER BY r.item_id, r.group_name, r.\`rank\``,
      params,
    );
    return rows.map((r: any) => ({
      bidId: Number(r.bidId),
      itemId: Number(r.itemId),
      group: r.group,
      supplierId: Number(r.supplierId),
      rank: Number(r.rank),
      offerUcp: r.offerUcp,
      offerPackPrice: r.offerPackPrice,
      deadline: new Date(r.deadline).toISOString(),
      status: r.status === 'PENDING' && now >= new Date(r.deadline) ? 'LAPSED' : r.status,
      answeredAt: r.answeredAt ? new Date(r.answeredAt).toISOString() : null,
    }));
  }
}
