/**
 * Payment standard linkage and claim rules (domain.md section 9), pure: no
 * framework, no I/O. Exact decimals (section 0): UCPs have 4 decimals, pack
 * prices and amounts 2, each rounded half-up when first produced.
 */
import { AMOUNT_DP, Dec, Decimal, fmt, parseDecimal, PRICE_DP, roundHalfUp, UCP_DP } from '@jicai/common';

export type ReimbursementRuleErrorCode = 'VALIDATION_FAILED' | 'NO_PAYMENT_STANDARD';

/** A refused input. `code` is stable so an API layer can map it (NO_PAYMENT_STANDARD → 422). */
export class ReimbursementRuleError extends Error {
  constructor(
    readonly code: ReimbursementRuleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReimbursementRuleError';
  }
}

const invalid = (message: string) => new ReimbursementRuleError('VALIDATION_FAILED', message);

/** Section 9 / 13: rule `standardBasis`. */
export type StandardBasis = 'ITEM_HIGHEST' | 'GROUP_HIGHEST';

export interface StandardUnitPricesInput {
  basis: StandardBasis;
  /** Every group of the batch rules (e.g. ["A", "B"]), winners or not. */
  groups: readonly string[];
  /** The item's winners: their group and award UCP (4-decimal string). */
  winners: readonly { group: string; awardUcp: string }[];
}

export interface StandardUnitPrices {
  /** Payment standard per measure unit for each group (4-decimal string), null when the item has no winner. */
  byGroup: Record<string, string | null>;
  /** The highest award UCP of the item (4-decimal string), null when it has no winner. */
  itemHighest: string | null;
}

/**
 * Section 9: payment standard per measure unit, per group of an item.
 * - ITEM_HIGHEST: every group gets the highest award UCP among all the item's winners.
 * - GROUP_HIGHEST: each group gets the highest award UCP among its own winners;
 *   a group without winners takes the item's highest.
 * - An item with no winner at all has no standard: null everywhere.
 * A winner in a group not listed in `groups` is refused.
 */
export function standardUnitPrices(input: StandardUnitPricesInput): StandardUnitPrices {
  if (input.basis !== 'ITEM_HIGHEST' && input.basis !== 'GROUP_HIGHEST') {
    throw invalid(`standardBasis must be ITEM_HIGHEST or GROUP_HIGHEST, got ${JSON.stringify(input.basis)}`);
  }
  const groups = new Set(input.groups);
  const groupHighest = new Map<string, Decimal>();
  let itemHighest: Decimal | null = null;
  for (const w of input.winners) {
    if (!groups.has(w.group)) throw invalid(`winner group ${JSON.stringify(w.group)} is not one of the batch groups`);
    const u = parseDecimal(w.awardUcp, UCP_DP);
    if (u === null || !u.gt(0)) {
      throw invalid(`awardUcp must be a positive decimal string with at most ${UCP_DP} decimals, got ${JSON.stringify(w.awardUcp)}`);
    }
    const g = groupHighest.get(w.group);
    if (g === undefined || u.gt(g)) groupHighest.set(w.group, u);
    if (itemHighest === null || u.gt(itemHighest)) itemHighest = u;
  }
  const item = itemHighest === null ? null : fmt(itemHighest, UCP_DP);
  const byGroup: Record<string, string | null> = {};
  for (const group of groups) {
    const own = groupHighest.get(group);
    byGroup[group] = input.basis === 'GROUP_HIGHEST' && own !== undefined ? fmt(own, UCP_DP) : item;
  }
  return { byGroup, itemHighest: item };
}

function toPositiveDecimal(value: unknown, what: string, maxDp?: number): Decimal {
  let d: Decimal | null = null;
  if (typeof value === 'string') d = parseDecimal(value, maxDp);
  else if (Decimal.isDecimal(value) && (value as Decimal).isFinite()) d = new Dec(value as Decimal);
  if (d === null || !d.gt(0) || (maxDp !== undefined && !d.equals(d.toDecimalPlaces(maxDp)))) {
    const dp = maxDp === undefined ? '' : ` with at most ${maxDp} decimals`;
    throw invalid(`${what} must be a positive decimal${dp}, got ${JSON.stringify(String(value))}`);
  }
  return d;
}

function checkPositiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * K^log2(ratio), exact when the ratio is a power of two (ratio 2 → K, 1/2 → 1/K
 * at 50 significant digits, 4 → K²), otherwise at the Dec precision of 50 digits.
 */
export function strengthFactor(K: Decimal.Value, strengthRatio: Decimal.Value): Decimal {
  const k = new Dec(K);
  const r = new Dec(strengthRatio);
  const e = Dec.log2(r);
  const n = e.round();
  // An integral exponent is taken exactly (guards against log2 returning 0.999…9).
  if (new Dec(2).pow(n).equals(r)) return k.pow(n);
  return k.pow(e);
}

/**
 * Section 9: payment standard per pack of product p,
 * `standard_p = standardUnit × K^log2(strength_p / repStrength) × packSize`,
 * rounded half-up to 2 decimals. Returns a 2-decimal string.
 *
 * @param standardUnit payment standard per measure unit (UCP, ≤ 4 decimals)
 * @param K rule `strengthRatioCoefficient` (e.g. "1.7")
 * @param strengthRatio strength_p / representative strength, in the same unit (caller converts mg/g/µg)
 * @param packSize smallest units per pack (integer > 0)
 */
export function standardPackPrice(standardUnit: string, K: string, strengthRatio: string | Decimal, packSize: number): string {
  const unit = toPositiveDecimal(standardUnit, 'standardUnit', UCP_DP);
  const k = toPositiveDecimal(K, 'strengthRatioCoefficient');
  const ratio = toPositiveDecimal(strengthRatio, 'strengthRatio');
  checkPositiveInteger(packSize, 'packSize');
  return fmt(roundHalfUp(unit.times(strengthFactor(k, ratio)).times(packSize), PRICE_DP), PRICE_DP);
}

export interface ClaimQuoteInput {
  /** Actual pack price a (2-decimal string, > 0). */
  packPrice: string;
  /** Packs q (integer > 0). */
  packs: number;
  /** Payment standard per pack s (2-decimal string); null when the product has none. */
  standardPackPrice: string | null;
  /** Reimbursement ratio r, a decimal string in [0, 1]. */
  reimbursementRatio: string;
}

export interface ClaimQuote {
  total: string;
  eligible: string;
  selfPaidExcess: string;
  fundPays: string;
  patientPays: string;
}

/**
 * Section 9: a claim line, computed in the order of the rule-book, each value
 * 2 decimals and the rounded value used by the next step:
 *   total = a × q
 *   eligible = min(a, s) × q
 *   selfPaidExcess = max(0, a − s) × q
 *   fundPays = eligible × r (rounded half-up to 2 decimals)
 *   patientPays = total − fundPays
 * (total, eligible and selfPaidExcess are exact: 2-decimal prices × integer packs.)
 * A missing standard throws NO_PAYMENT_STANDARD.
 */
export function claimQuote(input: ClaimQuoteInput): ClaimQuote {
  const a = toPositiveDecimal(input.packPrice, 'packPrice', PRICE_DP);
  const q = checkPositiveInteger(input.packs, 'packs');
  if (input.standardPackPrice === null || input.standardPackPrice === undefined) {
    throw new ReimbursementRuleError('NO_PAYMENT_STANDARD', 'The product has no payment standard');
  }
  const s = parseDecimal(input.standardPackPrice, PRICE_DP);
  if (s === null || s.isNeg()) {
    throw invalid(`standardPackPrice must be a non-negative decimal string with at most ${PRICE_DP} decimals, got ${JSON.stringify(input.standardPackPrice)}`);
  }
  const r = parseDecimal(input.reimbursementRatio);
  if (r === null || r.lt(0) || r.gt(1)) {
    throw invalid(`reimbursementRatio must be a decimal string in [0, 1], got ${JSON.stringify(input.reimbursementRatio)}`);
  }

  const total = roundHalfUp(a.times(q), AMOUNT_DP);
  const eligible = roundHalfUp(Dec.min(a, s).times(q), AMOUNT_DP);
  const excessPerPack = a.gt(s) ? a.minus(s) : new Dec(0);
  const selfPaidExcess = roundHalfUp(excessPerPack.times(q), AMOUNT_DP);
  const fundPays = roundHalfUp(eligible.times(r), AMOUNT_DP);
  const patientPays = roundHalfUp(total.minus(fundPays), AMOUNT_DP);
  return {
    total: fmt(total, AMOUNT_DP),
    eligible: fmt(eligible, AMOUNT_DP),
    selfPaidExcess: fmt(selfPaidExcess, AMOUNT_DP),
    fundPays: fmt(fundPays, AMOUNT_DP),
    patientPays: fmt(patientPays, AMOUNT_DP),
  };
}

/**
 * Section 9 (zero markup): a selected product (one that won in the batch) sold
 * above its award price violates zero markup (ZERO_MARKUP_VIOLATION). Selling at
 * or below the award price is fine; a product that was not selected never violates.
 * A selected product must come with its award price.
 */
export function zeroMarkupViolation(selected: boolean, packPrice: string, awardPrice: string | null | undefined): boolean {
  const a = toPositiveDecimal(packPrice, 'packPrice', PRICE_DP);
  if (!selected) return false;
  if (awardPrice === null || awardPrice === undefined) throw invalid('A selected product needs its award price');
  const award = toPositiveDecimal(awardPrice, 'awardPrice', PRICE_DP);
  return a.gt(award);
}
