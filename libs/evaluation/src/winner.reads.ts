import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AwardedUcp, AwardPrices, AwardPriceSource } from '@jicai/reimbursement';
import { BatchStatus, batchesByIds } from '@jicai/batches';
import { Winner } from './winner.entity';

/*
 * What other modules may read of `winners` (architecture.md: one owner per table). Each
 * function takes the caller's EntityManager, so it runs inside the caller's transaction and
 * under its locks. Set-based: one query per call. Rows are the typed entity (decimals stay
 * strings).
 */

/**
 * The winners of a batch by item, group, original before revived (section 15.3), rank and bid:
 * the order allocation asks them in and payment standards are computed in.
 */
export function winnersOfBatch(m: EntityManager, batchId: number): Promise<Winner[]> {
  return m.getRepository(Winner).find({ where: { batchId }, order: { itemId: 'ASC', group: 'ASC', revived: 'ASC', rank: 'ASC', bidId: 'ASC' } });
}

/** The winners of one item × group of a batch, in the same order. */
export function winnersOfItemGroup(m: EntityManager, batchId: number, itemId: number, group: string): Promise<Winner[]> {
  return m.getRepository(Winner).find({ where: { batchId, itemId, group }, order: { revived: 'ASC', rank: 'ASC', bidId: 'ASC' } });
}

/**
 * A set-based SELECT of a batch's winners (columns bid_id, measure_units_per_pack) for a
 * caller composing one INSERT … SELECT over its own tables (execution's progress, through
 * allocation's confirmed agreements).
 */
export function winnerPacksQuery(batchId: number): { sql: string; params: unknown[] } {
  return { sql: 'SELECT bid_id, measure_units_per_pack FROM winners WHERE batch_id = ?', params: [batchId] };
}

/**
 * Section 9 (zero markup): the award of a product in force — among its wins in batches now
 * IN_FORCE, the latest award (then the higher batch id) — or null. A product wins in a handful
 * of batches at most: its wins are one query, their batches another.
 */
export async function awardInForceOfProduct(m: EntityManager, productId: number): Promise<{ awardPrice: string; batchId: number } | null> {
  const wins = await m.getRepository(Winner).find({
    select: { bidId: true, batchId: true, awardPrice: true, awardedAt: true },
    where: { productId },
    order: { awardedAt: 'DESC', batchId: 'DESC' },
  });
  if (wins.length === 0) return null;
  const batches = await batchesByIds(
    m,
    wins.map((w) => w.batchId),
  );
  const win = wins.find((w) => batches.get(w.batchId)?.status === BatchStatus.IN_FORCE);
  return win ? { awardPrice: win.awardPrice, batchId: win.batchId } : null;
}

/** The batch's original winners' award UCPs (section 15.3: not the revived), in item, group and rank order: what the award passes to payment standards. */
export async function originalAwardUcps(m: EntityManager, batchId: number): Promise<AwardedUcp[]> {
  return (await winnersOfBatch(m, batchId)).filter((w) => !w.revived).map((w) => ({ itemId: w.itemId, group: w.group, awardUcp: w.awardUnitPrice }));
}

/** Provides reimbursement's AwardPriceSource (reimbursement sits below evaluation and cannot read winners itself). */
@Injectable()
export class WinnerAwardPrices implements AwardPriceSource, OnModuleInit {
  constructor(private readonly awardPrices: AwardPrices) {}

  onModuleInit(): void {
    this.awardPrices.register(this);
  }

  awardInForceOfProduct(m: EntityManager, productId: number): Promise<{ awardPrice: string; batchId: number } | null> {
    return awardInForceOfProduct(m, productId);
  }
}
