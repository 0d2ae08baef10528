/**
 * Evaluation and selection rules (domain.md sections 0, 5, 13, 14).
 *
 * Pure functions: no NestJS, no TypeORM, no I/O. All prices, scores and
 * ratios are exact decimals (decimal.js via the money helpers) carried as
 * strings; nothing here ever goes through a JS float.
 */
import { Dec, SCORE_DP, UCP_DP, fmt, parseDecimal, roundHalfUp, sum } from '@jicai/common';
import type { Decimal } from '@jicai/common';

/** Same shape as the API's error details ({field, message}), so a service can pass them on. */
export interface RuleErrorDetail {
  field: string;
  message: string;
}

// ---------------------------------------------------------------------------
// Section 5 (technical score): TS = sum of criteria points, each within its
// maximum, TS within [0, technicalWeight]; section 0: scores have 4 decimals.
// ---------------------------------------------------------------------------

export interface TechnicalCriterion {
  name: string;
  /** Points awarded, decimal string with at most 4 decimals, in [0, maxPoints]. */
  points: string;
  /** Maximum points of the criterion, decimal string with at most 4 decimals, ≥ 0. */
  maxPoints: string;
}

export type TechnicalScoreResult = { ok: true; technicalScore: string } | { ok: false; errors: RuleErrorDetail[] };

/**
 * domain.md section 5: the technical score entered by admins is the sum of
 * criteria points, each within [0, maxPoints], and the total within
 * [0, technicalWeight]. Section 0: scores carry 4 decimals; an input with more
 * decimals is rejected (not rounded). Every problem is reported, not just the first.
 * No criteria at all gives a technical score of 0.0000.
 */
export function technicalScoreFromCriteria(criteria: readonly TechnicalCriterion[], technicalWeight: string): TechnicalScoreResult {
  const errors: RuleErrorDetail[] = [];
  const weight = parseDecimal(technicalWeight, SCORE_DP);
  if (weight === null || weight.lessThan(0)) {
    errors.push({ field: 'technicalWeight', message: 'must be a decimal ≥ 0 with at most 4 decimals' });
  }
  const accepted: Decimal[] = [];
  criteria.forEach((c, i) => {
    const max = parseDecimal(c.maxPoints, SCORE_DP);
    const pts = parseDecimal(c.points, SCORE_DP);
    if (max === null || max.lessThan(0)) {
      errors.push({ field: `criteria[${i}].maxPoints`, message: 'must be a decimal ≥ 0 with at most 4 decimals' });
    }
    if (pts === null) {
      errors.push({ field: `criteria[${i}].points`, message: 'must be a decimal with at most 4 decimals' });
      return;
    }
    if (pts.lessThan(0)) {
      errors.push({ field: `criteria[${i}].points`, message: `points of "${c.name}" must not be negative` });
      return;
    }
    if (max !== null && pts.greaterThan(max)) {
      errors.push({
        field: `criteria[${i}].points`,
        message: `points of "${c.name}" (${c.points}) exceed its maximum ${c.maxPoints}`,
      });
      return;
    }
    accepted.push(pts);
  });
  const total = sum(accepted);
  if (weight !== null && errors.length === 0 && total.greaterThan(weight)) {
    errors.push({
      field: 'criteria',
      message: `total ${fmt(total, SCORE_DP)} exceeds the technical weight ${technicalWeight}`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  // Every addend has ≤ 4 decimals, so the sum is exact at 4 decimals; rounding is a no-op.
  return { ok: true, technicalScore: fmt(roundHalfUp(total, SCORE_DP), SCORE_DP) };
}

// ---------------------------------------------------------------------------
// Section 13: the maxWinners table. "A table answers n with the row of the
// largest minBids not above n." No such row (e.g. n = 0) → 0 winners.
// ---------------------------------------------------------------------------

export interface MaxWinnersRow {
  minBids: number;
  winners: number;
}

/** domain.md sections 5 and 13: maxWinners(n) from the batch's table (default 1→1, 2–3→2, 4–5→3, 6+→4). */
export function maxWinnersFor(n: number, table: readonly MaxWinnersRow[]): number {
  let best: MaxWinnersRow | null = null;
  for (const row of table) {
    if (row.minBids <= n && (best === null || row.minBids > best.minBids)) best = row;
  }
  return best === null ? 0 : best.winners;
}

// ---------------------------------------------------------------------------
// Section 5: evaluation of one item × group.
// ---------------------------------------------------------------------------

export interface EvaluationBidInput {
  bidId: number;
  /** Unit comparable price, decimal string, > 0, at most 4 decimals (section 4). */
  ucp: string;
  /** Technical score as entered (≤ 4 decimals), null when not entered yet. */
  technicalScore: string | null;
  /** Time of the bid's final (live) submission: third tie-break. */
  finalSubmittedAt: Date;
}

export interface EvaluationRules {
  priceWeight: string;
  technicalWeight: string;
  /** null = gate off (section 13). */
  gateRatio: string | null;
  gateReduction: string | null;
  /** The floor of the item's dosage-form class (section 15.2: resolved by the caller). */
  gateFloor: string | null;
  /** Section 15.1: what gateRatio is measured from; missing = LOWEST. */
  gateAnchor?: GateAnchor;
  maxWinners: readonly MaxWinnersRow[];
}

export type GateAnchor = 'LOWEST' | 'MAX_LOWEST_HALF_AVERAGE';

/** Which gate a bid passed (the first that holds, in the order of section 5); NO_GATE when all are off. */
export type GatePassedBy = 'RATIO' | 'REDUCTION' | 'FLOOR' | 'NO_GATE';

/**
 * Section 15.1: the anchor of the ratio gate over the valid bids' UCPs (4 decimals each).
 * LOWEST: minUCP. MAX_LOWEST_HALF_AVERAGE: max(minUCP, 0.5 × average UCP), the half
 * average rounded half-up to 4 decimals when produced (section 0).
 */
export function gateAnchorUcp(ucps: readonly Decimal[], anchor: GateAnchor = 'LOWEST'): Decimal {
  if (ucps.length === 0) throw new Error('no UCPs to anchor the gate on');
  const minUcp = ucps.reduce((m, u) => (u.lessThan(m) ? u : m), ucps[0]);
  if (anchor === 'LOWEST') return minUcp;
  const halfAverage = roundHalfUp(sum(ucps).dividedBy(ucps.length).times('0.5'), UCP_DP);
  return halfAverage.greaterThan(minUcp) ? halfAverage : minUcp;
}

export interface EvaluationInput {
  bids: readonly EvaluationBidInput[];
  /** The item's ceiling UCP (最高有效申报价 per measure unit). */
  ceilingUcp: string;
  rules: EvaluationRules;
}

export interface EvaluatedBid {
  bidId: number;
  /** UCP as 4-decimal string. */
  ucp: string;
  /** TS used, 4 decimals ("0.0000" when technicalWeight is 0). */
  technicalScore: string;
  /** PS = priceWeight × minUCP / UCP, 4 decimals. */
  priceScore: string;
  /** CS = TS + PS, 4 decimals. */
  compositeScore: string;
  /** 1-based, unique (ties are broken down to the bid id). */
  rank: number;
  /**
   * domain.md section 5, "Winners: the first maxWinners(n) gated bids in rank
   * order": `gated: true` means the bid PASSES the price gates (at least one
   * enabled gate holds, or no gate is enabled) and so may win. `gated: false`
   * means it fails every enabled gate and cannot win (worked example: b4).
   */
  gated: boolean;
  /** The first gate it passed (ratio, reduction, floor), NO_GATE when all are off, null when it failed. */
  gatePassedBy: GatePassedBy | null;
  winner: boolean;
}

export interface EvaluationResult {
  /** Every valid bid, in rank order. */
  bids: EvaluatedBid[];
  /** Winning bid ids in rank order. */
  winners: number[];
  /** Section 15.1: the UCP the ratio gate was measured from (null without bids or without that gate). */
  anchorUcp: string | null;
  /**
   * True when the item × group has no winner (流标): no valid bid at all, or
   * no bid passes the gates, or the maxWinners table gives 0 for n.
   */
  noBid: boolean;
}

/** Thrown by evaluateGroup when a valid bid lacks a technical score (service: TECHNICAL_SCORES_MISSING). */
export class TechnicalScoresMissingError extends Error {
  readonly code = 'TECHNICAL_SCORES_MISSING';
  constructor(readonly bidIds: number[]) {
    super(`Technical score missing for bid(s) ${bidIds.join(', ')}`);
    this.name = 'TechnicalScoresMissingError';
  }
}

/** Thrown by evaluateGroup for malformed input (a programming or data error, not a user one). */
export class EvaluationInputError extends Error {
  readonly code = 'INVALID_EVALUATION_INPUT';
  constructor(readonly details: RuleErrorDetail[]) {
    super(`Invalid evaluation input: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`);
    this.name = 'EvaluationInputError';
  }
}

interface WorkingBid {
  input: EvaluationBidInput;
  ucp: Decimal;
  ts: Decimal;
  ps: Decimal;
  cs: Decimal;
  time: number;
  gated: boolean;
  gatePassedBy: GatePassedBy | null;
}

/**
 * domain.md section 5, per item × group over its n valid bids:
 * - PS = priceWeight × minUCP / UCP, rounded half-up to 4 decimals (section 0:
 *   rounded when produced; the rounded PS is what CS uses).
 * - TS as given (4 decimals); technicalWeight "0" means price only: TS is 0 for
 *   every bid whether or not one was entered (an entered value is ignored).
 *   Otherwise a bid without TS makes the evaluation refuse: throws
 *   TechnicalScoresMissingError listing the bid ids (ascending).
 * - CS = TS + PS; rank by CS descending, ties by lower UCP, then earlier final
 *   submission, then lower bid id.
 * - Price gates: a bid passes if ANY enabled gate holds:
 *   UCP ≤ gateRatio × minUCP, UCP ≤ (1 − gateReduction) × ceiling, UCP ≤ gateFloor.
 *   The thresholds are compared EXACTLY (not rounded to 4 decimals first: they
 *   are comparison bounds, not produced values), so with minUCP 0.1176 and
 *   gateRatio 1.8 the bound is 0.21168 and a UCP of 0.2117 fails that gate.
 *   If all three gates are null (off), there is no gate and every bid passes.
 * - Winners: the first maxWinners(n) gated bids (those passing the gates) in rank
 *   order, where n counts all valid bids (failing ones included, as in the worked
 *   example of section 14).
 */
export function evaluateGroup(input: EvaluationInput): EvaluationResult {
  const { rules } = input;
  const errors: RuleErrorDetail[] = [];
  const dec = (value: string | null, field: string, dp: number, positive = false): Decimal | null => {
    const d = parseDecimal(value, dp);
    if (d === null || d.lessThan(0) || (positive && d.isZero())) {
      errors.push({ field, message: `must be a decimal ${positive ? '> 0' : '≥ 0'} with at most ${dp} decimals` });
      return null;
    }
    return d;
  };
  const RULE_DP = 20; // rules are ratios/weights; they are validated elsewhere, just refuse garbage here
  const priceWeight = dec(rules.priceWeight, 'rules.priceWeight', RULE_DP);
  const technicalWeight = dec(rules.technicalWeight, 'rules.technicalWeight', SCORE_DP);
  const gateRatio = rules.gateRatio === null ? null : dec(rules.gateRatio, 'rules.gateRatio', RULE_DP);
  const gateReduction = rules.gateReduction === null ? null : dec(rules.gateReduction, 'rules.gateReduction', RULE_DP);
  const gateFloor = rules.gateFloor === null ? null : dec(rules.gateFloor, 'rules.gateFloor', UCP_DP);
  const ceiling = dec(input.ceilingUcp, 'ceilingUcp', UCP_DP, true);
  if (gateReduction !== null && gateReduction.greaterThan(1)) {
    errors.push({ field: 'rules.gateReduction', message: 'must not exceed 1' });
  }

  const seen = new Set<number>();
  const missing: number[] = [];
  const parsed: { input: EvaluationBidInput; ucp: Decimal; ts: Decimal }[] = [];
  input.bids.forEach((b, i) => {
    if (!Number.isSafeInteger(b.bidId)) errors.push({ field: `bids[${i}].bidId`, message: 'must be an integer' });
    else if (seen.has(b.bidId)) errors.push({ field: `bids[${i}].bidId`, message: `duplicate bid id ${b.bidId}` });
    seen.add(b.bidId);
    if (!(b.finalSubmittedAt instanceof Date) || Number.isNaN(b.finalSubmittedAt.getTime())) {
      errors.push({ field: `bids[${i}].finalSubmittedAt`, message: 'must be a valid date' });
    }
    const ucp = dec(b.ucp, `bids[${i}].ucp`, UCP_DP, true);
    let ts: Decimal | null = new Dec(0);
    if (technicalWeight !== null && !technicalWeight.isZero()) {
      if (b.technicalScore === null || b.technicalScore === undefined) {
        missing.push(b.bidId);
        ts = null;
      } else {
        ts = dec(b.technicalScore, `bids[${i}].technicalScore`, SCORE_DP);
        if (ts !== null && ts.greaterThan(technicalWeight)) {
          errors.push({ field: `bids[${i}].technicalScore`, message: 'exceeds the technical weight' });
        }
      }
    }
    if (ucp !== null && ts !== null) parsed.push({ input: b, ucp, ts });
  });
  if (errors.length > 0) throw new EvaluationInputError(errors);
  if (missing.length > 0) throw new TechnicalScoresMissingError([...missing].sort((a, b) => a - b));

  const n = parsed.length;
  if (n === 0) return { bids: [], winners: [], noBid: true, anchorUcp: null };

  // Non-null here: any null would have thrown above.
  const pw = priceWeight as Decimal;
  const minUcp = parsed.reduce((m, b) => (b.ucp.lessThan(m) ? b.ucp : m), parsed[0].ucp);
  const anyGate = gateRatio !== null || gateReduction !== null || gateFloor !== null;
  // Section 15.1: the ratio gate is measured from the anchor; PS keeps minUCP.
  const anchorUcp =
    gateRatio === null
      ? null
      : gateAnchorUcp(
          parsed.map((b) => b.ucp),
          rules.gateAnchor ?? 'LOWEST',
        );
  const ratioBound = gateRatio === null || anchorUcp === null ? null : gateRatio.times(anchorUcp);
  const reductionBound = gateReduction === null ? null : new Dec(1).minus(gateReduction).times(ceiling as Decimal);

  const working: WorkingBid[] = parsed.map(({ input: b, ucp, ts }) => {
    const ps = roundHalfUp(pw.times(minUcp).dividedBy(ucp), SCORE_DP);
    const passedBy: GatePassedBy | null = !anyGate
      ? 'NO_GATE'
      : ratioBound !== null && ucp.lessThanOrEqualTo(ratioBound)
        ? 'RATIO'
        : reductionBound !== null && ucp.lessThanOrEqualTo(reductionBound)
          ? 'REDUCTION'
          : gateFloor !== null && ucp.lessThanOrEqualTo(gateFloor)
            ? 'FLOOR'
            : null;
    return { input: b, ucp, ts, ps, cs: ts.plus(ps), time: b.finalSubmittedAt.getTime(), gated: passedBy !== null, gatePassedBy: passedBy };
  });

  working.sort((a, b) => b.cs.comparedTo(a.cs) || a.ucp.comparedTo(b.ucp) || a.time - b.time || a.input.bidId - b.input.bidId);

  const slots = maxWinnersFor(n, rules.maxWinners);
  const winners: number[] = [];
  const bids: EvaluatedBid[] = working.map((w, i) => {
    const winner = w.gated && winners.length < slots;
    if (winner) winners.push(w.input.bidId);
    return {
      bidId: w.input.bidId,
      ucp: fmt(w.ucp, UCP_DP),
      technicalScore: fmt(w.ts, SCORE_DP),
      priceScore: fmt(w.ps, SCORE_DP),
      compositeScore: fmt(w.cs, SCORE_DP),
      rank: i + 1,
      gated: w.gated,
      gatePassedBy: w.gatePassedBy,
      winner,
    };
  });
  return { bids, winners, noBid: winners.length === 0, anchorUcp: anchorUcp === null ? null : fmt(anchorUcp, UCP_DP) };
}

// ---------------------------------------------------------------------------
// Section 15.5: abnormally low bids (异常低价).
// ---------------------------------------------------------------------------

/** The median of UCPs (4 decimals): the middle one, or the mean of the two middle ones rounded half-up. */
export function medianUcp(ucps: readonly Decimal[]): Decimal {
  if (ucps.length === 0) throw new Error('no UCPs');
  const sorted = [...ucps].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid];
  return roundHalfUp(sorted[mid - 1].plus(sorted[mid]).dividedBy(2), UCP_DP);
}

/**
 * Section 15.5: with rule abnormalLowRatio r (null = off), a bid whose UCP is strictly
 * below r × the median UCP of its item × group is flagged. The threshold is a comparison
 * bound, kept exact (r has at most 4 decimals, so it has at most 8). Null when off or no bids.
 */
export function abnormallyLowBids(
  bids: readonly { bidId: number; ucp: string }[],
  ratio: string | null,
): { medianUcp: string; threshold: string; flagged: number[] } | null {
  if (ratio === null || bids.length === 0) return null;
  const median = medianUcp(bids.map((b) => new Dec(b.ucp)));
  const threshold = new Dec(ratio).times(median);
  const flagged = bids
    .filter((b) => new Dec(b.ucp).lessThan(threshold))
    .map((b) => b.bidId)
    .sort((a, b) => a - b);
  return { medianUcp: fmt(median, UCP_DP), threshold: threshold.toFixed(), flagged };
}

// ---------------------------------------------------------------------------
// Section 15.3: revival (复活).
// ---------------------------------------------------------------------------

/**
 * Section 15.3: the offer UCP of an item × group with winners: the highest winning award UCP,
 * or with a single winner gateRatio × its UCP (4 decimals half-up; gate off: its UCP); and
 * the bids offered it: every non-winner that failed the gates, plus (includeRanked) those that
 * passed but ranked below the winners, in rank order. Null when nobody won.
 */
export function revivalOffers(
  bids: readonly Pick<EvaluatedBid, 'bidId' | 'rank' | 'gated' | 'winner' | 'ucp'>[],
  gateRatio: string | null,
  includeRanked: boolean,
): { offerUcp: string; bidIds: number[] } | null {
  const winners = bids.filter((b) => b.winner);
  if (winners.length === 0) return null;
  const highest = winners.map((b) => new Dec(b.ucp)).reduce((a, b) => (b.greaterThan(a) ? b : a));
  const offer = winners.length === 1 && gateRatio !== null ? roundHalfUp(new Dec(gateRatio).times(highest), UCP_DP) : highest;
  const bidIds = [...bids]
    .sort((a, b) => a.rank - b.rank)
    .filter((b) => !b.winner && (!b.gated || includeRanked))
    .map((b) => b.bidId);
  return { offerUcp: fmt(offer, UCP_DP), bidIds };
}
