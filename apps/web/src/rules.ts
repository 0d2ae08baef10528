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
