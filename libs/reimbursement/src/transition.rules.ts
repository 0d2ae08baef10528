/**
 * Transition payment standards for non-selected products (domain.md 15.6, NHSA 2019), pure:
 * no framework, no I/O. Exact decimals (section 0): UCPs have 4 decimals, rounded half-up
 * where they are first produced.
 */
import { Dec, fmt, parseDecimal, roundHalfUp, UCP_DP } from '@jicai/common';
import { ReimbursementRuleError } from './reimbursement.rules';

/** Why a non-selected product got the schedule it got. */
export type TransitionReason = 'ABOVE_TWICE' | 'WITHIN_TWICE' | 'GENERIC_TIER' | 'NO_LISTED_PRICE';
export const TRANSITION_REASONS: readonly TransitionReason[] = ['ABOVE_TWICE', 'WITHIN_TWICE', 'GENERIC_TIER', 'NO_LISTED_PRICE'];

/** Year 1 is own UCP × this (but never below the selected standard). */
export const TRANSITION_FIRST_YEAR_RATIO = '0.7';
/** A product whose UCP is more than this × the selected standard gets a stepped schedule. */
export const TRANSITION_THRESHOLD = 2;

export interface TransitionInput {
  /** The selected standard per measure unit (section 9) of the group of the product's tier, 4 decimals. */
  selectedUcp: string;
  /** The product's current UCP from its listed pack price (section 4's formula), 4 decimals; null when it has no listed price. */
  currentUcp: string | null;
  /** The product's quality tier: GENERIC has not passed consistency evaluation. */
  qualityTier: string;
  /** Rule transitionYears (≥ 1): the selected standard applies from year transitionYears + 1. */
  transitionYears: number;
}

export interface TransitionSchedule {
  reason: TransitionReason;
  /**
   * The standard per measure unit of years 1, 2, …, 4 decimals. The last entry applies from
   * its year on, without end; a product that gets the selected standard at once has one entry.
   */
  yearUcps: string[];
}

const invalid = (message: string) => new ReimbursementRuleError('VALIDATION_FAILED', message);

function positiveUcp(v: string, what: string) {
  const d = parseDecimal(v, UCP_DP);
  if (d === null || !d.gt(0)) throw invalid(`${what} must be a positive decimal string with at most ${UCP_DP} decimals, got ${JSON.stringify(v)}`);
  return d;
}

/**
 * Section 15.6 (NHSA 2019). For a non-selected product of the item's generic name and dosage form:
 * 1. tier GENERIC (not consistency-passed): the selected standard S at once, whatever its price;
 * 2. no listed pack price: S at once (nothing to step down from);
 * 3. current UCP C ≤ 2 × S: S at once;
 * 4. C > 2 × S: year 1 = Y1 = max(round4(C × 0.7), S); then equal steps
 *    d = (Y1 − S) / N (N = transitionYears, d unrounded), year y = round4(Y1 − (y − 1) × d)
 *    for y = 1 … N, and S from year N + 1 on. (Since C > 2S, C × 0.7 > 1.4 S, so the max
 *    only guards the rule as written; it never binds.)
 * The comparison C > 2S is exact (both are 4-decimal values).
 */
export function transitionSchedule(input: TransitionInput): TransitionSchedule {
  const s = positiveUcp(input.selectedUcp, 'selectedUcp');
  const n = input.transitionYears;
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(`transitionYears must be a positive integer, got ${JSON.stringify(n)}`);
  const atOnce = (reason: TransitionReason): TransitionSchedule => ({ reason, yearUcps: [fmt(s, UCP_DP)] });
  if (input.qualityTier === 'GENERIC') return atOnce('GENERIC_TIER');
  if (input.currentUcp === null) return atOnce('NO_LISTED_PRICE');
  const c = positiveUcp(input.currentUcp, 'currentUcp');
  if (!c.gt(s.times(TRANSITION_THRESHOLD))) return atOnce('WITHIN_TWICE');
  const y1 = Dec.max(roundHalfUp(c.times(TRANSITION_FIRST_YEAR_RATIO), UCP_DP), s);
  const step = y1.minus(s).div(n);
  const yearUcps: string[] = [];
  for (let y = 1; y <= n; y++) yearUcps.push(fmt(roundHalfUp(y1.minus(step.times(y - 1)), UCP_DP), UCP_DP));
  yearUcps.push(fmt(s, UCP_DP));
  return { reason: 'ABOVE_TWICE', yearUcps };
}

/** One year of a schedule with its dates (UTC calendar dates, YYYY-MM-DD). */
export interface ScheduleYear {
  year: number;
  /** First day the year's standard applies. */
  from: string;
  /** Last day it applies (inclusive); null for the last year, which applies from `from` on. */
  to: string | null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD string that names a real calendar date, or null. */
export function parseIsoDate(s: unknown): Date | null {
  if (typeof s !== 'string') return null;
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s ? d : null;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** `start` plus whole years; 29 February falls back to 28 February (as agreement terms do, 15.7). */
function plusYears(start: Date, years: number): Date {
  const y = start.getUTCFullYear() + years;
  const m = start.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(start.getUTCDate(), lastDay)));
}

/**
 * Section 15.6: the dates of a schedule of `count` years starting on the award's UTC date D.
 * Year y runs from D + (y − 1) years to the day before D + y years; the last year has no end.
 */
export function scheduleYears(awardedAt: Date, count: number): ScheduleYear[] {
  const d = new Date(Date.UTC(awardedAt.getUTCFullYear(), awardedAt.getUTCMonth(), awardedAt.getUTCDate()));
  const years: ScheduleYear[] = [];
  for (let y = 1; y <= count; y++) {
    const to = y === count ? null : isoDate(new Date(plusYears(d, y).getTime() - 86_400_000));
    years.push({ year: y, from: isoDate(plusYears(d, y - 1)), to });
  }
  return years;
}

/**
 * Section 15.6: the year of `years` in force on `date` (YYYY-MM-DD): the one with
 * from ≤ date ≤ to (or from ≤ date for the last). A date before year 1 reads year 1: the
 * quote never goes back to an earlier award (section 9 takes the latest award).
 */
export function yearInForce<T extends ScheduleYear>(years: readonly T[], date: string): T {
  if (years.length === 0) throw new Error('a schedule has at least one year');
  let found = years[0];
  for (const y of years) if (y.from <= date) found = y;
  return found;
}
