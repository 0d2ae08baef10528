import { createHash } from 'node:crypto';
import { Dec, Decimal, PRICE_DP, UCP_DP, parseDecimal, roundHalfUp } from '@jicai/common';
import { Strength, strengthRatio } from '@jicai/catalog';

/** Pure bidding rules (domain.md section 4): unit comparable price, receipts, input checks. */

/**
 * Section 4: UCP (单位可比价) = (packPrice / packSize) × K^log2(repStrength / strength),
 * rounded half-up to 4 decimals (section 0) only at the end, where the UCP is first produced.
 * K^log2(r) is evaluated with the precision-50 clone, far beyond the 4 decimals kept.
 * Returns null when the strengths do not convert to each other (the product cannot bid);
 * throws on arguments the caller should have validated (price, pack size, K).
 */
export function unitComparablePrice(packPrice: Decimal.Value, packSize: number, strength: Strength, repStrength: Strength, K: Decimal.Value): Decimal | null {
  const price = new Dec(packPrice);
  if (!price.gt(0)) throw new RangeError('packPrice must be greater than 0');
  if (!Number.isSafeInteger(packSize) || packSize <= 0) throw new RangeError('packSize must be a positive integer');
  const factor = strengthFactor(strength, repStrength, K);
  return factor === null ? null : ucpFromFactor(price, packSize, factor);
}

/**
 * Section 4: the strength factor K^log2(repStrength / strength) of the UCP, unrounded
 * (precision 50); null when the units do not convert. It depends on neither price nor pack
 * size, so a caller pricing many bids (the opening) computes it once per strength: the
 * power and logarithm at precision 50 take milliseconds each.
 */
export function strengthFactor(strength: Strength, repStrength: Strength, K: Decimal.Value): Decimal | null {
  const k = new Dec(K);
  if (!k.gt(0)) throw new RangeError('K must be greater than 0');
  const ratio = strengthRatio(repStrength, strength);
  if (ratio === null) return null;
  // ratio 1 (the representative strength itself) needs no power at all: exactly price / packSize
  return ratio.eq(1) ? new Dec(1) : Dec.pow(k, Dec.log2(ratio));
}

/** Section 4: the UCP from a factor of strengthFactor: (packPrice / packSize) × factor, half-up to 4 decimals. */
export function ucpFromFactor(packPrice: Decimal.Value, packSize: number, factor: Decimal): Decimal {
  return roundHalfUp(new Dec(packPrice).div(packSize).times(factor), UCP_DP);
}

/** What a receipt commits to (section 4). Ids are the database ids, as JSON numbers. */
export interface ReceiptInput {
  batchId: number;
  itemId: number;
  supplierId: number;
  productId: number;
  /** the pack price as entered (at most 2 decimals) */
  packPrice: Decimal.Value;
  /** measure units per year, an integer */
  supplyCapacity: number;
  /** the bid's random nonce, published at opening */
  nonce: string;
}

/**
 * Section 4: the canonical JSON a receipt hashes. Exactly
 *
 *   {"batchId":<int>,"itemId":<int>,"supplierId":<int>,"productId":<int>,
 *    "packPrice":"<price with exactly 2 decimals>","supplyCapacity":<int>,"nonce":"<nonce>"}
 *
 * on one line: keys in that order, no whitespace anywhere outside strings (JSON.stringify
 * without indentation), ids and supplyCapacity as JSON integers, packPrice as a string with
 * exactly two decimals ("5.6" and "5.60" both give "5.60"), nonce as a JSON string (escaped
 * as JSON.stringify escapes it), UTF-8 encoded for hashing. Anyone holding the opened bid
 * can rebuild this string and recompute the receipt.
 */
export function canonicalReceiptJson(r: ReceiptInput): string {
  for (const key of ['batchId', 'itemId', 'supplierId', 'productId', 'supplyCapacity'] as const) {
    if (!Number.isSafeInteger(r[key])) throw new RangeError(`${key} must be an integer`);
  }
  if (typeof r.nonce !== 'string') throw new TypeError('nonce must be a string');
  const price = new Dec(r.packPrice);
  // a price with more than 2 decimals would be silently rounded by formatting; refuse instead
  if (!price.eq(price.toDecimalPlaces(PRICE_DP))) throw new RangeError('packPrice has more than 2 decimals');
  return JSON.stringify({
    batchId: r.batchId,
    itemId: r.itemId,
    supplierId: r.supplierId,
    productId: r.productId,
    packPrice: price.toFixed(PRICE_DP),
    supplyCapacity: r.supplyCapacity,
    nonce: r.nonce,
  });
}

/** Section 4: the receipt, SHA-256 (lower-case hex) of the canonical JSON above. */
export function receiptOf(r: ReceiptInput): string {
  return createHash('sha256').update(canonicalReceiptJson(r), 'utf8').digest('hex');
}

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

// Sections 0 and 4: a pack price is a decimal string, > 0, with at most 2 decimals
// ("3.330" has three and is refused, as section 0 rejects more decimals on input).
export function validatePackPrice(input: unknown): Validated<Decimal> {
  if (typeof input !== 'string') return { ok: false, message: 'packPrice must be a decimal string' };
  const d = parseDecimal(input, PRICE_DP);
  if (d === null) return { ok: false, message: 'packPrice must be a decimal with at most 2 decimals' };
  if (!d.gt(0)) return { ok: false, message: 'packPrice must be greater than 0' };
  return { ok: true, value: d };
}

// Sections 0 and 4: supply capacity is a whole number of measure units per year, > 0.
export function validateCapacity(input: unknown): Validated<number> {
  if (typeof input !== 'number' || !Number.isSafeInteger(input)) {
    return { ok: false, message: 'supplyCapacity must be an integer' };
  }
  if (input <= 0) return { ok: false, message: 'supplyCapacity must be greater than 0' };
  return { ok: true, value: input };
}
