import { Dec, Decimal } from '@jicai/common';
import { lookupRetentionShare, RetentionShareRow } from '@jicai/batches';

/** Pure rules of savings retention (结余留用), issue 13 item 3. No I/O. */

export interface SavingsLine {
  /** The item's baseline UCP (pre-round average purchase price per measure unit), 4 decimals. */
  baselineUcp: string;
  /** The agreement's award UCP, 4 decimals. */
  awardUcp: string;
  agreedUnits: number;
  acceptedUnits: number;
}

/**
 * Savings of a hospital in an agreement year = Σ over its agreements of (baseline UCP − award
 * UCP) × min(accepted, agreed) units (purchases above the agreed volume do not count), exact,
 * then rounded half-up to 2 decimals once, on the total.
 */
export function savings(lines: readonly SavingsLine[]): Decimal {
  let total = new Dec(0);
  for (const l of lines) {
    const counted = Math.min(l.acceptedUnits, l.agreedUnits);
    total = total.plus(new Dec(l.baselineUcp).minus(l.awardUcp).times(counted));
  }
  return total.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * Retained = max(savings, 0) × the share of the hospital's assessment score (rule
 * retentionShares), 2 decimals half-up, from the rounded savings. No score yet: null (the
 * year-end job leaves such a row provisional).
 */
export function retained(
  savingsAmount: Decimal.Value,
  score: Decimal.Value | null,
  table: readonly RetentionShareRow[],
): { share: Decimal; retained: Decimal } | null {
  if (score === null) return null;
  const share = lookupRetentionShare(table, score);
  const base = Decimal.max(new Dec(savingsAmount), 0);
  return { share, retained: base.times(share).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) };
}
