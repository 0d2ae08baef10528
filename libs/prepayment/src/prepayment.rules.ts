/**
 * Prepayment rules (domain.md section 8), pure: no framework, no I/O.
 *
 * Money is exact decimal (section 0): amounts travel as 2-decimal strings, are
 * computed with the precision-50 `Dec` clone and rounded half-up once, at the
 * moment the prepayment is produced.
 */
import { AMOUNT_DP, Dec, Decimal, fmt, parseDecimal, roundHalfUp, sum } from '@jicai/common';

/** A refused input. `code` is stable so an API layer can map it to its own error. */
export class PrepaymentRuleError extends Error {
  constructor(
    readonly code: 'VALIDATION_FAILED' | 'PREPAYMENT_RATIO_TOO_LOW',
    message: string,
  ) {
    super(message);
    this.name = 'PrepaymentRuleError';
  }
}

/** Section 8: `prepaymentRatio` is never below 0.30. */
export const MIN_PREPAYMENT_RATIO = '0.30';

/** Section 3: `agreementMonths` ∈ {12, 24, 36}. */
export type AgreementMonths = 12 | 24 | 36;
export const AGREEMENT_MONTHS: readonly AgreementMonths[] = [12, 24, 36];

export interface AgreementYear {
  /** 1-based agreement year. */
  year: number;
  /** First day of the year (UTC midnight), inclusive. */
  start: Date;
  /** First day of the next year (UTC midnight), exclusive: start + 12 months. */
  end: Date;
}

const MS_PER_DAY = 86_400_000;

function isUtcMidnight(d: Date): boolean {
  return d.getTime() % MS_PER_DAY === 0;
}

/**
 * Adds calendar months in UTC. When the day of month does not exist in the
 * target month it is clamped to that month's last day (Feb 29 + 12 months =
 * Feb 28 of a common year). Adding whole years only ever changes February 29.
 */
export function addMonthsUtc(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return new Date(Date.UTC(targetYear, targetMonth, day));
}

/**
 * Section 3 / 8: the agreement years of a batch.
 *
 * `agreementStart` must be a UTC date (a Date at 00:00:00.000 UTC); anything
 * else is refused rather than silently truncated, because a local-midnight
 * Date east of UTC would otherwise land on the previous day.
 *
 * Every boundary is computed from `agreementStart` itself (start + 12·k months),
 * never chained from the previous boundary, so a clamped Feb 29 does not drift:
 * start 2024-02-29 gives years [2024-02-29, 2025-02-28), [2025-02-28, 2026-02-28),
 * [2026-02-28, 2027-02-28). Month ends other than Feb 29 are unaffected because
 * a whole number of years keeps the month (Jan 31 → Jan 31).
 * Years are contiguous: year k's `end` equals year k+1's `start`.
 */
export function agreementYears(agreementStart: Date, agreementMonths: AgreementMonths): AgreementYear[] {
  if (!(agreementStart instanceof Date) || Number.isNaN(agreementStart.getTime())) {
    throw new PrepaymentRuleError('VALIDATION_FAILED', 'agreementStart must be a valid Date');
  }
  if (!isUtcMidnight(agreementStart)) {
    throw new PrepaymentRuleError('VALIDATION_FAILED', 'agreementStart must be a UTC date (00:00:00.000Z)');
  }
  if (!AGREEMENT_MONTHS.includes(agreementMonths)) {
    throw new PrepaymentRuleError('VALIDATION_FAILED', `agreementMonths must be one of ${AGREEMENT_MONTHS.join(', ')}`);
  }
  const years: AgreementYear[] = [];
  for (let k = 0; k < agreementMonths / 12; k++) {
    years.push({
      year: k + 1,
      start: addMonthsUtc(agreementStart, 12 * k),
      end: addMonthsUtc(agreementStart, 12 * (k + 1)),
    });
  }
  return years;
}

/**
 * Parses and checks a prepayment ratio: a decimal string in [0.30, 1].
 * Below 0.30 is refused by section 8; above 1 (prepaying more than the agreed
 * amount) is refused as nonsensical — domain.md gives no upper bound.
 */
export function parsePrepaymentRatio(ratio: string): Decimal {
  const r = parseDecimal(ratio);
  if (r === null) {
    throw new PrepaymentRuleError('VALIDATION_FAILED', `prepaymentRatio must be a decimal string, got ${JSON.stringify(ratio)}`);
  }
  if (r.lt(MIN_PREPAYMENT_RATIO)) {
    throw new PrepaymentRuleError('PREPAYMENT_RATIO_TOO_LOW', `prepaymentRatio ${ratio} is below ${MIN_PREPAYMENT_RATIO}`);
  }
  if (r.gt(1)) {
    throw new PrepaymentRuleError('VALIDATION_FAILED', `prepaymentRatio ${ratio} is above 1`);
  }
  return r;
}

function parseAmount(value: string, what: string): Decimal {
  const a = parseDecimal(value, AMOUNT_DP);
  if (a === null || a.isNeg()) {
    throw new PrepaymentRuleError(
      'VALIDATION_FAILED',
      `${what} must be a non-negative decimal string with at most ${AMOUNT_DP} decimals, got ${JSON.stringify(value)}`,
    );
  }
  return a;
}

/**
 * Section 8: prepayment = prepaymentRatio × Σ confirmed agreement amounts,
 * summed exactly, then rounded half-up to 2 decimals (the rounding point).
 * Returns a 2-decimal string. An empty list gives "0.00".
 */
export function prepaymentAmount(ratio: string, confirmedAmounts: readonly string[]): string {
  const r = parsePrepaymentRatio(ratio);
  const total = sum(confirmedAmounts.map((a, i) => parseAmount(a, `confirmedAmounts[${i}]`)));
  return fmt(roundHalfUp(r.times(total), AMOUNT_DP), AMOUNT_DP);
}

export type HospitalId = string | number;

export interface SchedulePrepaymentsInput<H extends HospitalId = HospitalId> {
  agreementStart: Date;
  agreementMonths: AgreementMonths;
  /** Rule `prepaymentRatio` (decimal string, ≥ 0.30). */
  ratio: string;
  /** Per hospital, the amounts (2-decimal strings) of its CONFIRMED agreements in the batch, per year. */
  hospitals: readonly { hospitalId: H; confirmedAnnualAmounts: readonly string[] }[];
}

export interface ScheduledPrepayment<H extends HospitalId = HospitalId> {
  hospitalId: H;
  year: number;
  /** 2-decimal string, > 0. */
  amount: string;
  /** First day of that agreement year (UTC midnight). */
  dueDate: Date;
}

/**
 * Section 8: one prepayment per hospital and agreement year, due the first day
 * of that year. Agreement amounts are annual, so every year of the agreement
 * gets the same amount. Hospitals whose (rounded) prepayment is 0.00 get no row.
 * Rows come ordered by year, then by the hospitals' input order.
 * A hospital listed twice is refused (the caller aggregates its agreements).
 */
export function schedulePrepayments<H extends HospitalId>(input: SchedulePrepaymentsInput<H>): ScheduledPrepayment<H>[] {
  const years = agreementYears(input.agreementStart, input.agreementMonths);
  parsePrepaymentRatio(input.ratio); // refuse a bad ratio even when there are no hospitals
  const seen = new Set<H>();
  const perHospital: { hospitalId: H; amount: string }[] = [];
  for (const h of input.hospitals) {
    if (seen.has(h.hospitalId)) {
      throw new PrepaymentRuleError('VALIDATION_FAILED', `hospital ${String(h.hospitalId)} is listed more than once`);
    }
    seen.add(h.hospitalId);
    const amount = prepaymentAmount(input.ratio, h.confirmedAnnualAmounts);
    if (new Dec(amount).isZero()) continue;
    perHospital.push({ hospitalId: h.hospitalId, amount });
  }
  const rows: ScheduledPrepayment<H>[] = [];
  for (const y of years) {
    for (const h of perHospital) {
      rows.push({ hospitalId: h.hospitalId, year: y.year, amount: h.amount, dueDate: new Date(y.start.getTime()) });
    }
  }
  return rows;
}

/**
 * Section 8: at a year's end the unused prepaid balance is recovered. The
 * amount recovered is the remaining balance, never negative (a negative
 * balance — which settlement never produces — recovers 0.00).
 * Accepts a 2-decimal string or a Decimal; returns a 2-decimal string.
 */
export function recoverable(balance: string | Decimal): string {
  let b: Decimal | null;
  if (typeof balance === 'string') {
    b = parseDecimal(balance, AMOUNT_DP);
  } else if (Decimal.isDecimal(balance) && balance.isFinite()) {
    b = new Dec(balance);
    if (!b.equals(roundHalfUp(b, AMOUNT_DP))) b = null;
  } else {
    b = null;
  }
  if (b === null) {
    throw new PrepaymentRuleError('VALIDATION_FAILED', `balance must be a decimal with at most ${AMOUNT_DP} decimals, got ${JSON.stringify(String(balance))}`);
  }
  return fmt(b.isNeg() ? 0 : b, AMOUNT_DP);
}

/** A disbursed prepayment as drawing (冲抵) sees it: its batch, agreement year and balance. */
export interface PrepaidBalance {
  id: number;
  batchId: number;
  year: number;
  /** 2-decimal string ≥ 0. */
  balance: string;
}

/** One draw on one prepayment for one delivery. */
export interface PrepaymentDrawPlan {
  prepaymentId: number;
  deliveryId: number;
  /** 2-decimal string > 0. */
  amount: string;
}

/** Section 10: the prepaid balance per batch (keys String(batchId)), as settlement computes with it. */
export function prepaidBalancesByBatch(prepayments: readonly PrepaidBalance[]): Record<string, string> {
  const sums = new Map<string, Decimal>();
  for (const p of prepayments) sums.set(String(p.batchId), (sums.get(String(p.batchId)) ?? new Dec(0)).plus(p.balance));
  return Object.fromEntries([...sums].map(([k, v]) => [k, fmt(v, AMOUNT_DP)]));
}

/**
 * Sections 8 and 10: splits each line's `fromPrepayment` across its batch's prepayments, the
 * oldest agreement year first (then the lower id); a line may span two prepayments. Lines come
 * in settlement order. Throws if a batch's lines draw more than its prepayments hold.
 */
export function allocateDraws(
  prepayments: readonly PrepaidBalance[],
  lines: readonly { deliveryId: number; batchId: number; fromPrepayment: string }[],
): PrepaymentDrawPlan[] {
  const queues = new Map<number, { id: number; left: Decimal }[]>();
  const fifo = [...prepayments].sort((a, b) => a.batchId - b.batchId || a.year - b.year || a.id - b.id);
  for (const p of fifo) {
    if (!queues.has(p.batchId)) queues.set(p.batchId, []);
    if (new Dec(p.balance).gt(0)) queues.get(p.batchId)!.push({ id: p.id, left: new Dec(p.balance) });
  }
  const draws: PrepaymentDrawPlan[] = [];
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

export interface TermSchedulePrepaymentsInput<H extends HospitalId = HospitalId> {
  agreementStart: Date;
  ratio: string;
  /** Per hospital, its CONFIRMED agreements' annual amounts (2-decimal strings) with their terms. */
  hospitals: readonly { hospitalId: H; agreements: readonly { months: AgreementMonths; amount: string }[] }[];
}

/**
 * Sections 8 and 15.7: prepayment years follow the agreements' terms. Year y of a hospital
 * gets prepaymentRatio × Σ the annual amounts of its confirmed agreements still in force that
 * year (term ≥ 12·y months), rounded half-up to 2 decimals, due the first day of year y; a
 * year with nothing in force (or 0.00) has no row. When every term is the same this is
 * schedulePrepayments exactly. Rows by year, then the hospitals' input order.
 */
export function schedulePrepaymentsByTerm<H extends HospitalId>(input: TermSchedulePrepaymentsInput<H>): ScheduledPrepayment<H>[] {
  parsePrepaymentRatio(input.ratio);
  const longest = Math.max(12, ...input.hospitals.flatMap((h) => h.agreements.map((a) => a.months))) as AgreementMonths;
  const years = agreementYears(input.agreementStart, longest);
  const seen = new Set<H>();
  for (const h of input.hospitals) {
    if (seen.has(h.hospitalId)) throw new PrepaymentRuleError('VALIDATION_FAILED', `hospital ${String(h.hospitalId)} is listed more than once`);
    seen.add(h.hospitalId);
  }
  const rows: ScheduledPrepayment<H>[] = [];
  for (const y of years) {
    for (const h of input.hospitals) {
      const inForce = h.agreements.filter((a) => a.months >= 12 * y.year).map((a) => a.amount);
      if (inForce.length === 0) continue;
      const amount = prepaymentAmount(input.ratio, inForce);
      if (new Dec(amount).isZero()) continue;
      rows.push({ hospitalId: h.hospitalId, year: y.year, amount, dueDate: new Date(y.start.getTime()) });
    }
  }
  return rows;
}
