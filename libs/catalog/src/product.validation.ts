import { decimalsOf, Dec, isDecimalString } from '@jicai/common';
import { isQualityTier, isValidStrength, normalizeName, normalizeUnit, QualityTier } from './catalog.rules';

export const MAX_PACK_SIZE = 1_000_000;
export const STRENGTH_MAX_DP = 6; // products.strength_value DECIMAL(20,6)
const STRENGTH_MAX_INTEGER_DIGITS = 14;

/** A product as given by the API or a sheet row, before normalisation. */
export interface ProductInput {
  genericName: string;
  dosageForm: string;
  strength: { value: string; unit: string };
  packSize: number;
  smallestUnit: string;
  qualityTier: string;
  approvalNumber: string;
  /** 挂网价 (15.6), optional: a decimal string with at most 2 decimals, > 0; null or absent = not listed. */
  listedPackPrice?: string | null;
}

/** What is stored: names trimmed, with NFKC copies for comparisons (domain.md 2). */
export interface ProductFields {
  genericName: string;
  genericNameNorm: string;
  dosageForm: string;
  dosageFormNorm: string;
  strengthValue: string;
  strengthUnit: string;
  packSize: number;
  smallestUnit: string;
  qualityTier: QualityTier;
  approvalNumber: string;
  listedPackPrice: string | null;
}

export type ProductField =
  'genericName' | 'dosageForm' | 'strength.value' | 'strength.unit' | 'packSize' | 'smallestUnit' | 'qualityTier' | 'approvalNumber' | 'listedPackPrice';

export const LISTED_PRICE_DP = 2; // products.listed_pack_price DECIMAL(20,2), a pack price (domain.md 0)
export const LISTED_PRICE_MAX_INTEGER_DIGITS = 12;

/**
 * Section 15.6: the listed pack price (挂网价) — null/absent (not listed), or a decimal string
 * greater than 0 with at most 2 decimals (section 0: pack prices; more is rejected, not rounded).
 * Returns the problem, or null when the value is acceptable.
 */
export function listedPackPriceProblem(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (!isDecimalString(v)) return 'must be a decimal string such as "12.50", or null';
  if (decimalsOf(v) > LISTED_PRICE_DP) return `must have at most ${LISTED_PRICE_DP} decimal places`;
  const d = new Dec(v);
  if (!d.gt(0)) return 'must be greater than 0';
  if (d.gte(new Dec(10).pow(LISTED_PRICE_MAX_INTEGER_DIGITS))) return 'is too large';
  return null;
}

/** The stored form of a valid listed pack price: 2 decimals, or null. */
export const listedPackPriceValue = (v: string | null | undefined): string | null =>
  v === null || v === undefined ? null : new Dec(v).toFixed(LISTED_PRICE_DP);

/**
 * 批准文号 as stored and compared: NFKC and trimmed, so a full-width "Ｈ" and "H" are one
 * number. The unique key's collation (utf8mb4_unicode_ci) also ignores case; the
 * in-file duplicate check uses approvalKey to agree with it.
 */
export const normalizeApprovalNumber = (s: string) => s.normalize('NFKC').trim();
export const approvalKey = (s: string) => normalizeApprovalNumber(s).toUpperCase();

/** The one place the product rules live, for POST /catalog/products and the import alike. */
export function normalizeProduct(
  p: ProductInput,
): { fields: ProductFields; errors: null } | { fields: null; errors: { field: ProductField; message: string }[] } {
  const errors: { field: ProductField; message: string }[] = [];
  const name = (field: ProductField, raw: string, max: number) => {
    const trimmed = raw.trim();
    const norm = normalizeName(raw);
    if (norm === '') errors.push({ field, message: 'must not be blank' });
    else if (trimmed.length > max || norm.length > max) errors.push({ field, message: `must be at most ${max} characters` });
    return { trimmed, norm };
  };
  const generic = name('genericName', p.genericName, 200);
  const form = name('dosageForm', p.dosageForm, 100);
  const smallestUnit = p.smallestUnit.trim();
  if (smallestUnit === '') errors.push({ field: 'smallestUnit', message: 'must not be blank' });
  else if (smallestUnit.length > 32) errors.push({ field: 'smallestUnit', message: 'must be at most 32 characters' });

  // Section 2: a strength is a positive decimal with a unit; mg/g/µg spellings normalised.
  const unit = normalizeUnit(p.strength.unit);
  if (unit === '') errors.push({ field: 'strength.unit', message: 'must not be blank' });
  else if (unit.length > 16) errors.push({ field: 'strength.unit', message: 'must be at most 16 characters' });
  const value = p.strength.value;
  if (!isValidStrength({ value, unit: unit || 'x' })) errors.push({ field: 'strength.value', message: 'must be a decimal greater than 0' });
  else if (decimalsOf(value) > STRENGTH_MAX_DP) errors.push({ field: 'strength.value', message: `must have at most ${STRENGTH_MAX_DP} decimal places` });
  else if (new Dec(value).gte(new Dec(10).pow(STRENGTH_MAX_INTEGER_DIGITS))) errors.push({ field: 'strength.value', message: 'is too large' });

  if (!Number.isSafeInteger(p.packSize) || p.packSize < 1 || p.packSize > MAX_PACK_SIZE) {
    errors.push({ field: 'packSize', message: `must be a whole number from 1 to ${MAX_PACK_SIZE}` });
  }
  if (!isQualityTier(p.qualityTier)) errors.push({ field: 'qualityTier', message: 'must be ORIGINATOR, REFERENCE, CONSISTENCY_PASSED or GENERIC' });
  const approvalNumber = normalizeApprovalNumber(p.approvalNumber);
  if (approvalNumber === '') errors.push({ field: 'approvalNumber', message: 'must not be blank' });
  else if (approvalNumber.length > 64) errors.push({ field: 'approvalNumber', message: 'must be at most 64 characters' });

  const listedProblem = listedPackPriceProblem(p.listedPackPrice);
  if (listedProblem) errors.push({ field: 'listedPackPrice', message: listedProblem });

  if (errors.length) return { fields: null, errors };
  return {
    errors: null,
    fields: {
      genericName: generic.trimmed,
      genericNameNorm: generic.norm,
      dosageForm: form.trimmed,
      dosageFormNorm: form.norm,
      strengthValue: new Dec(value).toFixed(),
      strengthUnit: unit,
      packSize: p.packSize,
      smallestUnit,
      qualityTier: p.qualityTier as QualityTier,
      approvalNumber,
      listedPackPrice: listedPackPriceValue(p.listedPackPrice),
    },
  };
}
