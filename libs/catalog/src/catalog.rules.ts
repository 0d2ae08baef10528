import { Dec, Decimal, isDecimalString } from '@jicai/common';

/** Pure catalog rules (domain.md sections 2 and 3): names, strengths, measure units. */

// Section 2: the four quality tiers a product can hold; bids compete by tier group (section 3).
export const QUALITY_TIERS = ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'] as const;
export type QualityTier = (typeof QUALITY_TIERS)[number];

export function isQualityTier(x: unknown): x is QualityTier {
  return typeof x === 'string' && (QUALITY_TIERS as readonly string[]).includes(x);
}

/** A strength such as 2.5 mg: `value` is a decimal string, never a float. */
export interface Strength {
  value: string;
  unit: string;
}

/** What decides whether a product may bid in an item (section 4): generic name + dosage form. */
export interface GenericAndForm {
  genericName: string;
  dosageForm: string;
}

// Section 2: names are compared after NFKC (full-width letters, digits, brackets and
// spaces fold to their ordinary forms) and trimming. NFKC first, so that a full-width
// space produced or kept by NFKC is trimmed as well.
export function normalizeName(s: string): string {
  return s.normalize('NFKC').trim();
}

// Section 2: same generic name (通用名) and dosage form (剂型), after normalisation.
export function sameGenericAndForm(a: GenericAndForm, b: GenericAndForm): boolean {
  return normalizeName(a.genericName) === normalizeName(b.genericName) && normalizeName(a.dosageForm) === normalizeName(b.dosageForm);
}

// Section 2: mass units convert to each other; the factor is the size in micrograms.
// NFKC maps MICRO SIGN U+00B5 to GREEK SMALL LETTER MU U+03BC, so 'μg' covers both
// spellings; 'ug' and 'mcg' are the usual ASCII spellings of micrograms. Mass units are
// recognised case-insensitively ("MG" is mg); no catalog uses a mega-anything.
const MICROGRAMS_PER_MASS_UNIT = new Map<string, string>([
  ['g', '1000000'],
  ['mg', '1000'],
  ['\u03bcg', '1'], // μg; U+00B5 µg arrives here via NFKC
  ['ug', '1'],
  ['mcg', '1'],
]);

/** The unit as compared: NFKC + trim (section 2); mass units lower-cased to their canonical key. */
export function normalizeUnit(unit: string): string {
  const n = unit.normalize('NFKC').trim();
  const lower = n.toLowerCase();
  return MICROGRAMS_PER_MASS_UNIT.has(lower) ? lower : n;
}

function microgramsPerUnit(normalizedUnit: string): Decimal | null {
  const f = MICROGRAMS_PER_MASS_UNIT.get(normalizedUnit);
  return f === undefined ? null : new Dec(f);
}

// Section 2: a strength is a positive decimal with a non-empty unit.
export function isValidStrength(s: unknown): s is Strength {
  if (typeof s !== 'object' || s === null) return false;
  const { value, unit } = s as Partial<Strength>;
  if (!isDecimalString(value) || !new Dec(value).gt(0)) return false;
  return typeof unit === 'string' && normalizeUnit(unit) !== '';
}

// Section 2: mg, g and µg convert to each other; any other unit must match exactly
// (after normalisation).
export function unitsComparable(a: string, b: string): boolean {
  const ua = normalizeUnit(a);
  const ub = normalizeUnit(b);
  if (ua === '' || ub === '') return false;
  const ma = microgramsPerUnit(ua);
  const mb = microgramsPerUnit(ub);
  if (ma !== null || mb !== null) return ma !== null && mb !== null;
  return ua === ub;
}

/** Both strengths in a common unit (µg for mass units), or null when not comparable. */
function commonValues(a: Strength, b: Strength): [Decimal, Decimal] | null {
  if (!isValidStrength(a) || !isValidStrength(b) || !unitsComparable(a.unit, b.unit)) return null;
  const ma = microgramsPerUnit(normalizeUnit(a.unit)) ?? new Dec(1);
  const mb = microgramsPerUnit(normalizeUnit(b.unit)) ?? new Dec(1);
  return [new Dec(a.value).times(ma), new Dec(b.value).times(mb)];
}

// Sections 2 and 4: a / b as an exact-as-possible decimal (precision 50), or null when
// either strength is invalid or their units do not convert to each other.
export function strengthRatio(a: Strength, b: Strength): Decimal | null {
  const v = commonValues(a, b);
  return v === null ? null : v[0].div(v[1]);
}

// Section 3: one pack counts packSize × strength / representativeStrength measure units,
// which must be a whole number, else the product cannot bid in the item (null).
// The multiplication comes before the division so that e.g. 3 × 1 mg / 3 mg is exactly 1
// rather than 3 × 0.333…3.
export function measureUnitsPerPack(packSize: number, strength: Strength, repStrength: Strength): number | null {
  if (!Number.isSafeInteger(packSize) || packSize <= 0) return null;
  const v = commonValues(strength, repStrength);
  if (v === null) return null;
  const units = new Dec(packSize).times(v[0]).div(v[1]);
  if (!units.isInteger() || units.lte(0) || units.gt(Number.MAX_SAFE_INTEGER)) return null;
  return units.toNumber();
}
