import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AMOUNT_DP, Dec, Decimal, fmt } from '@jicai/common';

/** A disbursed prepayment of a hospital, locked for the rest of the transaction. */
export interface LockedPrepayment {
  id: number;
  batchId: number;
  year: number;
  /** 2-decimal string ≥ 0. */
  balance: string;
}

/** Σ amount drawn from one prepayment for one delivery (冲抵). */
export interface PrepaymentDraw {
  prepaymentId: number;
  deliveryId: number;
  amount: string;
}

/**
 * The prepaid balance as settlement needs it (section 8 and 10), straight on the prepayments
 * and prepayment_draws tables: lock a hospital's disbursed prepayments, split what a run draws
 * per batch across them first-in-first-out (agreement year, then id), write the draws and
 * decrease the balances, never below zero.
 *
 * This stands in for libs/prepayment's PrepaymentService.lockBalances / draw, which is being
 * written in parallel; the SQL is the same contract (balance column, status DISBURSED), so
 * swapping it in later changes only this class's callers.
 */
@Injectable()
export class PrepaidBalances {
  /** Locks (FOR UPDATE) the hospital's DISBURSED prepayments, in FIFO order per batch. */
  async lock(m: EntityManager, hospitalId: number): Promise<LockedPrepayment[]> {
    const rows: { id: number; batchId: number; year: number; balance: string }[] = await m.query(
      `SELECT id, batch_id AS batchId, year, balance FROM prepayments
       WHERE hospital_id = ? AND status = 'DISBURSED' ORDER BY batch_id, year, id FOR UPDATE`,
      [hospitalId],
    );
    return rows.map((r) => ({ id: Number(r.id), batchId: Number(r.batchId), year: Number(r.year), balance: String(r.balance) }));
  }

  /** The prepaid balance per batch (keys String(batchId)), as settleHospital takes it. */
  static balancesByBatch(locked: LockedPrepayment[]): Record<string, string> {
    const sums = new Map<string, Decimal>();
    for (const p of locked) sums.set(String(p.batchId), (sums.get(String(p.batchId)) ?? new Dec(0)).plus(p.balance));
    return Object.fromEntries([...sums].map(([k, v]) => [k, fmt(v, AMOUNT_DP)]));
  }

  /**
   * Splits each line's `fromPrepayment` across the batch's prepayments, oldest agreement
   * year first (then lower id); a line may span two prepayments. Lines come in settlement
   * order. Throws if a batch's lines draw more than its prepayments hold.
   */
  static allocate(locked: LockedPrepayment[], lines: { deliveryId: number; batchId: number; fromPrepayment: string }[]): PrepaymentDraw[] {
    const queues = new Map<number, { id: number; left: Decimal }[]>();
    const fifo = [...locked].sort((a, b) => a.batchId - b.batchId || a.year - b.year || a.id - b.id);
    for (const p of fifo) {
      if (!queues.has(p.batchId)) queues.set(p.batchId, []);
      if (new Dec(p.balance).gt(0)) queues.get(p.batchId)!.push({ id: p.id, left: new Dec(p.balance) });
    }
    const draws: PrepaymentDraw[] = [];
    for (const line of lines) {
      let want = new Dec(line.fromPrepayment);
      const queue = queues.get(line.batchId) ?? [];
      while (want.gt(0)) {
        const head = queue[0];
        if (!head) throw new Error(`delivery ${line.deliveryId} draws more than the prepaid balance of batch ${line.batchId}`);
        const take = Dec.min(head.left, want);
        draws.push({ prepaymentId: head.id, deliveryId: line.deliveryId, amount: fmt(take, AMOUNT_DP) });
        head.left = head.left.minus(take);
        want = want.minus(take);
        if (head.left.isZero()) queue.shift();
      }
    }
    return draws;
  }

  /**
   * Writes the draws (prepayment_draws) and takes them off the balances. Each UPDATE is
   * guarded by `balance >= drawn`, so a balance can never go below zero; a refused update
   * throws and the caller's transaction rolls back.
   */
  async draw(m: EntityManager, runId: number, draws: PrepaymentDraw[], at: Date): Promise<void> {
    if (!draws.length) return;
    for (let i = 0; i < draws.length; i += 1000) {
      const chunk = draws.slice(i, i + 1000);
      await m.query('INSERT INTO prepayment_draws (prepayment_id, delivery_id, run_id, amount, created_at) VALUES ?', [
        chunk.map((d) => [d.prepaymentId, d.deliveryId, runId, d.amount, at]),
      ]);
    }
    const perPrepayment = new Map<number, Decimal>();
    for (const d of draws) perPrepayment.set(d.prepaymentId, (perPrepayment.get(d.prepaymentId) ?? new Dec(0)).plus(d.amount));
    for (const [id, amount] of perPrepayment) {
      const a = fmt(amount, AMOUNT_DP);
      const res = await m.query(`UPDATE prepayments SET balance = balance - ? WHERE id = ? AND status = 'DISBURSED' AND balance >= ?`, [a, id, a]);
      if (affected(res) !== 1) throw new Error(`prepayment ${id} cannot give ${a}: its balance changed under the lock`);
    }
  }
}

/** affectedRows of a raw UPDATE through TypeORM's mysql driver. */
export function affected(res: unknown): number {
  const r = res as { affectedRows?: number } | [unknown, number] | undefined;
  if (Array.isArray(r)) return Number(r[1]);
  return Number(r?.affectedRows ?? 0);
}
