import { Dec, Decimal } from '@jicai/common';

/** Pure rules of execution progress (执行进度), issue 13 item 2. No I/O. */

export const RATIO_DP = 4;

export enum ProgressFlag {
  BEHIND = 'BEHIND',
  NON_SELECTED_SHARE = 'NON_SELECTED_SHARE',
}

/** Agreement year y (1-based) runs [agreementStart + 12(y−1) months, agreementStart + 12y months). */
export function agreementYear(agreementStart: Date, y: number): { start: Date; end: Date } {
  const at = (months: number) => {
    const d = new Date(agreementStart.getTime());
    d.setUTCMonth(d.getUTCMonth() + months);
    return d;
  };
  return { start: at(12 * (y - 1)), end: at(12 * y) };
}

/** The agreement years of a batch: agreementMonths / 12 of them. */
export function agreementYears(agreementMonths: number): number[] {
  return Array.from({ length: Math.floor(agreementMonths / 12) }, (_, i) => i + 1);
}

/** Expected completion = the elapsed share of the year at `now`, in [0, 1], 4 decimals half-up. */
export function expectedCompletion(year: { start: Date; end: Date }, now: Date): Decimal {
  const total = year.end.getTime() - year.start.getTime();
  const elapsed = Math.min(Math.max(now.getTime() - year.start.getTime(), 0), total);
  return new Dec(elapsed).div(total).toDecimalPlaces(RATIO_DP, Decimal.ROUND_HALF_UP);
}

/** Units from packs: packs × measure units per pack (domain.md 3). */
export function measureUnits(packs: number, measureUnitsPerPack: number): number {
  return packs * measureUnitsPerPack;
}

/** Completion = accepted ÷ agreed, 4 decimals half-up; null when nothing is agreed. */
export function completion(acceptedUnits: number, agreedUnits: number): Decimal | null {
  if (agreedUnits <= 0) return null;
  return new Dec(acceptedUnits).div(agreedUnits).toDecimalPlaces(RATIO_DP, Decimal.ROUND_HALF_UP);
}

/** BEHIND when completion < progressAlertRatio × expected (both as rounded above). */
export function isBehind(completionRatio: Decimal | null, expected: Decimal, progressAlertRatio: Decimal.Value): boolean {
  if (completionRatio === null) return false;
  return completionRatio.lt(new Dec(progressAlertRatio).times(expected));
}

/**
 * Non-selected share = non-selected units ÷ (non-selected + accepted selected units) of the
 * hospital in the item, 4 decimals half-up; null when it bought nothing at all.
 */
export function nonSelectedShare(nonSelectedUnits: number, selectedUnits: number): Decimal | null {
  const total = nonSelectedUnits + selectedUnits;
  if (total <= 0) return null;
  return new Dec(nonSelectedUnits).div(total).toDecimalPlaces(RATIO_DP, Decimal.ROUND_HALF_UP);
}

/** NON_SELECTED_SHARE when the share exceeds rule nonSelectedShareLimit. */
export function exceedsNonSelectedLimit(share: Decimal | null, limit: Decimal.Value): boolean {
  return share !== null && share.gt(limit);
}

/** Sorted distinct ids as [from, to] runs of consecutive integers: [3, 4, 5, 9] → [[3, 5], [9, 9]]. */
export function consecutiveRuns(ids: readonly number[]): [number, number][] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const id of sorted) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}
