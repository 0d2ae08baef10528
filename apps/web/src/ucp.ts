import { unitComparablePrice, validatePackPrice } from '../../../libs/bidding/src/bidding.rules';

export interface UcpPreview {
  ok: boolean;
  ucp?: string;
  aboveCeiling?: boolean;
  message?: string;
}

/**
 * The live UCP of a bid as its price is typed: the server's own rule code (domain.md section 4,
 * bidding.rules.ts), so what the form shows is what the server will compute and check.
 */
export function previewUcp(input: {
  packPrice: string;
  packSize: number;
  strength: { value: string; unit: string };
  repStrength: { value: string; unit: string };
  K: string;
  ceiling: string;
}): UcpPreview {
  const price = validatePackPrice(input.packPrice);
  if (!price.ok) return { ok: false, message: price.message };
  const ucp = unitComparablePrice(price.value, input.packSize, input.strength, input.repStrength, input.K);
  if (ucp === null) return { ok: false, message: 'STRENGTH_NOT_COMPARABLE' };
  return { ok: true, ucp: ucp.toFixed(4), aboveCeiling: ucp.gt(input.ceiling) };
}
