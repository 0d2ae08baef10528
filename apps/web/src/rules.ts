import Decimal from 'decimal.js';

/**
 * The price cut of a UCP against the item's ceiling, as a percentage with 2 decimals
 * (1 − ucp ÷ ceiling, half-up): exact decimal arithmetic, never floats.
 */
export function priceCut(ucp: string, ceiling: string): string {
  const c = new Decimal(ceiling);
  if (c.lte(0)) return '—';
  const cut = new Decimal(1).minus(new Decimal(ucp).div(c)).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return `${cut.toFixed(2)}%`;
}

/**
 * The ratio gate's line (domain.md 5, 15.1): gateRatio × the anchor the evaluation used, 4 decimals
 * half-up as every UCP; null when the rule is off or the evaluation gave no anchor.
 */
export function gateRatioLine(gateRatio: unknown, anchorUcp: string | null | undefined): string | null {
  if (gateRatio === null || gateRatio === undefined || !anchorUcp) return null;
  return new Decimal(String(gateRatio)).times(anchorUcp).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}
