import Decimal from 'decimal.js';

/**
 * Exact decimal arithmetic for money, prices, scores and ratios (domain.md section 0).
 * A dedicated Decimal clone keeps our precision and rounding independent of any other
 * decimal.js user in the process. Precision is generous so that intermediate values
 * (e.g. K^log2(x) in the UCP formula) are exact well beyond the 4 decimals we keep.
 */
export const Dec = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Dec = Decimal;

/** Precisions of domain.md section 0. */
export const PRICE_DP = 2; // pack price, payment standard per pack
export const UCP_DP = 4; // unit comparable price
export const SCORE_DP = 4; // scores
export const AMOUNT_DP = 2; // amounts in yuan

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** True when `s` is a plain decimal string ("3.33", "-1", "0.1000"), no exponent, no spaces. */
export function isDecimalString(s: unknown): s is string {
  return typeof s === 'string' && DECIMAL_RE.test(s);
}

/** Number of decimals written in a plain decimal string. */
export function decimalsOf(s: string): number {
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/**
 * Parses an input decimal that must not carry more than `maxDp` decimals
 * (section 0: "input with more is rejected"). Trailing zeros beyond maxDp are
 * still more decimals and are rejected too, so "3.330" is not a pack price.
 * Returns null when the string is not a decimal or has too many decimals.
 */
export function parseDecimal(s: unknown, maxDp?: number): Decimal | null {
  if (typeof s === 'number') return null; // money never travels as a JS number
  if (!isDecimalString(s)) return null;
  if (maxDp !== undefined && decimalsOf(s) > maxDp) return null;
  return new Dec(s);
}

/** Rounds half-up to `dp` decimals: the only rounding the platform does. */
export function roundHalfUp(x: Decimal.Value, dp: number): Decimal {
  return new Dec(x).toDecimalPlaces(dp, Decimal.ROUND_HALF_UP);
}

/** Fixed-point string with exactly `dp` decimals, for JSON and DECIMAL columns. */
export function fmt(x: Decimal.Value, dp: number): string {
  return new Dec(x).toFixed(dp, Decimal.ROUND_HALF_UP);
}

export const money = (x: Decimal.Value): string => fmt(x, AMOUNT_DP);
export const price = (x: Decimal.Value): string => fmt(x, PRICE_DP);
export const ucp = (x: Decimal.Value): string => fmt(x, UCP_DP);
export const score = (x: Decimal.Value): string => fmt(x, SCORE_DP);

/** Sum of decimals, exact. */
export function sum(values: Iterable<Decimal.Value>): Decimal {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}

export { Decimal };
