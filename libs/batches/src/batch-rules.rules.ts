import { Dec, Decimal, SCORE_DP, UCP_DP, decimalsOf, isDecimalString } from '@jicai/common';
import { QUALITY_TIERS, QualityTier, isQualityTier } from '@jicai/catalog';

/** Pure batch rules: the rules object (domain.md section 13) and the lifecycle (section 3). */

export type { QualityTier };

export type StandardBasis = 'ITEM_HIGHEST' | 'GROUP_HIGHEST';

/** Section 15.1: what the gateRatio is measured from (LOWEST = minUCP, as in batch 7). */
export type GateAnchor = 'LOWEST' | 'MAX_LOWEST_HALF_AVERAGE';
export const GATE_ANCHORS: readonly GateAnchor[] = ['LOWEST', 'MAX_LOWEST_HALF_AVERAGE'];

/** Section 15.2: the dosage-form class of an item (剂型类别), for a per-class gateFloor. */
export type DosageFormClass = 'ORAL_SOLID' | 'SMALL_VOLUME_INJECTION' | 'LARGE_VOLUME_INJECTION' | 'OTHER';
export const DOSAGE_FORM_CLASSES: readonly DosageFormClass[] = ['ORAL_SOLID', 'SMALL_VOLUME_INJECTION', 'LARGE_VOLUME_INJECTION', 'OTHER'];
export const isDosageFormClass = (x: unknown): x is DosageFormClass => DOSAGE_FORM_CLASSES.includes(x as DosageFormClass);

/** Section 15.2: one floor for every item, or one per dosage-form class (a class left out has none). */
export type GateFloorRule = string | null | Partial<Record<DosageFormClass, string | null>>;
export const STANDARD_BASES: readonly StandardBasis[] = ['ITEM_HIGHEST', 'GROUP_HIGHEST'];

/** Section 5: with n valid bids at least `minBids`, at most `winners` win. */
export interface MaxWinnersRow {
  minBids: number;
  winners: number;
}

/** Section 15.3 */
export type RevivalRule = 'NONE' | 'ACCEPT_HIGHEST_WINNING_PRICE';
export const REVIVAL_RULES: readonly RevivalRule[] = ['NONE', 'ACCEPT_HIGHEST_WINNING_PRICE'];

/** Section 15.6: transition payment standards of non-selected products (NHSA 2019), or none. */
export type TransitionRule = 'NONE' | 'NHSA_2019';
export const TRANSITION_RULES: readonly TransitionRule[] = ['NONE', 'NHSA_2019'];
/** Section 15.6: transitionYears is a whole number of years in this range. */
export const MAX_TRANSITION_YEARS = 5;

/** Section 15.7: with at least `winners` winners, the agreement runs `months` (12, 24 or 36). */
export interface TermByWinnersRow {
  winners: number;
  months: number;
}

/** Section 6: with at least `winners` winners, agreed volume = demand × `ratio`. */
export interface AgreedVolumeRatioRow {
  winners: number;
  ratio: string;
}

/** Savings retention (结余留用): a hospital whose assessment score is at least `minScore` keeps `share` of its savings. */
export interface RetentionShareRow {
  minScore: string;
  share: string;
}

/** Section 13: a batch's rules as the API takes and returns them (decimals as strings). */
export interface BatchRules {
  /** group name → the quality tiers competing in it (section 3) */
  groups: Record<string, QualityTier[]>;
  /** K, 含量差比价系数 (section 4) */
  strengthRatioCoefficient: string;
  priceWeight: string;
  technicalWeight: string;
  /** null = gate off (section 5) */
  gateRatio: string | null;
  gateReduction: string | null;
  gateFloor: GateFloorRule;
  /** Section 15.1 */
  gateAnchor: GateAnchor;
  /** Section 15.4: days of publicity (公示) after evaluation before award */
  publicityDays: number;
  /** Section 15.5: null = off */
  abnormalLowRatio: string | null;
  /** Section 15.3: revival (复活) of bids that did not win */
  revival: RevivalRule;
  revivalIncludesRanked: boolean;
  revivalHours: number;
  revivalCountsForVolume: boolean;
  /** Section 15.7: agreement term in months by the number of winners; null = agreementMonths for all */
  termByWinners: TermByWinnersRow[] | null;
  /** Section 15.6: transition standards for non-selected products at award */
  transition: TransitionRule;
  /** Section 15.6: years of the transition; the selected standard applies from year transitionYears + 1 */
  transitionYears: number;
  maxWinners: MaxWinnersRow[];
  agreedVolumeRatio: AgreedVolumeRatioRow[];
  prepaymentRatio: string;
  standardBasis: StandardBasis;
  paymentTermDays: number;
  confirmationDays: number;
  /** Execution: a delivery must reference a purchase order (采购订单) line. */
  ordersRequired: boolean;
  /** Execution: hours a supplier has to confirm or refuse an order. */
  orderConfirmHours: number;
  /** Execution: BEHIND when completion < progressAlertRatio × expected completion. */
  progressAlertRatio: string;
  /** Execution: NON_SELECTED_SHARE when non-selected ÷ (non-selected + selected accepted units) exceeds it. */
  nonSelectedShareLimit: string;
  /** Execution: retained share of savings by assessment score (the row of the largest minScore not above the score). */
  retentionShares: RetentionShareRow[];
}

export const RULE_KEYS: readonly (keyof BatchRules)[] = [
  'groups',
  'strengthRatioCoefficient',
  'priceWeight',
  'technicalWeight',
  'gateRatio',
  'gateReduction',
  'gateFloor',
  'gateAnchor',
  'publicityDays',
  'abnormalLowRatio',
  'termByWinners',
  'revival',
  'revivalIncludesRanked',
  'revivalHours',
  'revivalCountsForVolume',
  'transition',
  'transitionYears',
  'maxWinners',
  'agreedVolumeRatio',
  'prepaymentRatio',
  'standardBasis',
  'paymentTermDays',
  'confirmationDays',
  'ordersRequired',
  'orderConfirmHours',
  'progressAlertRatio',
  'nonSelectedShareLimit',
  'retentionShares',
];

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

// Section 13: the defaults, exactly as the rule-book lists them (Jinhua A/B groups).
export const DEFAULT_RULES: Readonly<BatchRules> = deepFreeze<BatchRules>({
  groups: { A: ['ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED', 'GENERIC'] },
  strengthRatioCoefficient: '1.7',
  priceWeight: '60',
  technicalWeight: '40',
  gateRatio: '1.8',
  gateReduction: '0.5',
  gateFloor: '0.1000',
  gateAnchor: 'LOWEST',
  publicityDays: 3,
  abnormalLowRatio: null,
  termByWinners: null,
  revival: 'NONE',
  revivalIncludesRanked: false,
  revivalHours: 48,
  revivalCountsForVolume: false,
  transition: 'NONE',
  transitionYears: 2,
  maxWinners: [
    { minBids: 1, winners: 1 },
    { minBids: 2, winners: 2 },
    { minBids: 4, winners: 3 },
    { minBids: 6, winners: 4 },
  ],
  agreedVolumeRatio: [
    { winners: 1, ratio: '0.50' },
    { winners: 2, ratio: '0.60' },
    { winners: 3, ratio: '0.70' },
    { winners: 4, ratio: '0.80' },
  ],
  prepaymentRatio: '0.30',
  standardBasis: 'ITEM_HIGHEST',
  paymentTermDays: 30,
  confirmationDays: 7,
  ordersRequired: true,
  orderConfirmHours: 48,
  progressAlertRatio: '0.8',
  nonSelectedShareLimit: '0.3',
  retentionShares: [
    { minScore: '80', share: '0.50' },
    { minScore: '70', share: '0.40' },
    { minScore: '60', share: '0.30' },
    { minScore: '0', share: '0' },
  ],
});

/** A deep, mutable copy (the defaults themselves are frozen). */
export function cloneRules(rules: Readonly<BatchRules>): BatchRules {
  return JSON.parse(JSON.stringify(rules)) as BatchRules;
}

export interface RuleError {
  field: string;
  message: string;
}

export type ResolveRulesResult = { ok: true; rules: BatchRules } | { ok: false; errors: RuleError[] };

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const isNonNegativeInteger = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * Section 13: fills every missing key with its default and validates the whole object.
 * Error fields are paths under `fieldPrefix` (default "rules"), e.g. "rules.maxWinners[2].minBids".
 * A key present with value `undefined` counts as missing; `null` is only meaningful for the
 * three gates (off) and is an error elsewhere.
 */
export function resolveRules(input: unknown, fieldPrefix = 'rules'): ResolveRulesResult {
  const at = (path: string) => (fieldPrefix ? (path ? `${fieldPrefix}.${path}` : fieldPrefix) : path);
  const errors: RuleError[] = [];
  const err = (path: string, message: string) => errors.push({ field: at(path), message });

  if (input === undefined || input === null) return { ok: true, rules: cloneRules(DEFAULT_RULES) };
  if (!isPlainObject(input)) {
    err('', 'must be an object');
    return { ok: false, errors };
  }
  for (const key of Object.keys(input)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) err(key, 'unknown rule');
  }
  const given = (key: keyof BatchRules): unknown => (input[key] === undefined ? DEFAULT_RULES[key] : input[key]);

  /** A decimal string (with at most maxDp decimals when given), or null when invalid (the error is recorded). */
  const decimal = (key: keyof BatchRules, check: (d: Decimal) => boolean, range: string, maxDp?: number): Decimal | null => {
    const v = given(key);
    if (!isDecimalString(v)) {
      err(key, 'must be a decimal string');
      return null;
    }
    if (maxDp !== undefined && decimalsOf(v) > maxDp) {
      err(key, `must have at most ${maxDp} decimals`);
      return null;
    }
    const d = new Dec(v);
    if (!check(d)) {
      err(key, `must be ${range}`);
      return null;
    }
    return d;
  };
  const gate = (key: 'gateRatio' | 'gateReduction' | 'gateFloor', check: (d: Decimal) => boolean, range: string, maxDp?: number) => {
    if (given(key) !== null) decimal(key, check, range, maxDp);
  };

  // Section 3: every tier competes in exactly one named group.
  const groups = given('groups');
  if (!isPlainObject(groups) || Object.keys(groups).length === 0) {
    err('groups', 'must be a non-empty object of group name → quality tiers');
  } else {
    const groupOf = new Map<string, string>();
    for (const [name, tiers] of Object.entries(groups)) {
      if (name.trim() === '') err('groups', 'group names must not be empty');
      if (!Array.isArray(tiers) || tiers.length === 0) {
        err(`groups.${name}`, 'must be a non-empty array of quality tiers');
        continue;
      }
      tiers.forEach((tier, i) => {
        if (!isQualityTier(tier)) err(`groups.${name}[${i}]`, `must be one of ${QUALITY_TIERS.join(', ')}`);
        else if (groupOf.has(tier)) err(`groups.${name}[${i}]`, `${tier} is already in group ${groupOf.get(tier)}`);
        else groupOf.set(tier, name);
      });
    }
    for (const tier of QUALITY_TIERS) {
      if (!groupOf.has(tier)) err('groups', `${tier} must belong to a group`);
    }
  }

  // Section 4: K > 0 (K = 1 makes all strengths price alike).
  decimal('strengthRatioCoefficient', (d) => d.gt(0), 'greater than 0');

  // Section 5: the two weights are non-negative and sum to 100. They bound scores, which
  // have 4 decimals (section 0): a TS is at most technicalWeight and evaluation refuses a
  // weight with more decimals, so such a weight is refused here, while the batch is a draft.
  const pw = decimal('priceWeight', (d) => d.gte(0), 'at least 0', SCORE_DP);
  const tw = decimal('technicalWeight', (d) => d.gte(0), 'at least 0', SCORE_DP);
  if (pw && tw && !pw.plus(tw).eq(100)) err('technicalWeight', 'priceWeight + technicalWeight must be 100');

  // Section 5: gates, each null (off) or a decimal in its range.
  gate('gateRatio', (d) => d.gte(1), 'at least 1');
  gate('gateReduction', (d) => d.gte(0) && d.lt(1), 'at least 0 and below 1');
  // Section 15.2: the floor is a UCP bound (4 decimals, as UCPs and as evaluation requires),
  // for every item or per dosage-form class.
  const floor = given('gateFloor');
  if (isPlainObject(floor)) {
    for (const [cls, v] of Object.entries(floor)) {
      if (!isDosageFormClass(cls)) err(`gateFloor.${cls}`, `must be one of ${DOSAGE_FORM_CLASSES.join(', ')}`);
      else if (v !== null) {
        if (!isDecimalString(v)) err(`gateFloor.${cls}`, 'must be a decimal string or null');
        else if (decimalsOf(v) > UCP_DP) err(`gateFloor.${cls}`, `must have at most ${UCP_DP} decimals`);
        else if (new Dec(v).lt(0)) err(`gateFloor.${cls}`, 'must be at least 0');
      }
    }
  } else gate('gateFloor', (d) => d.gte(0), 'at least 0', UCP_DP);
  // Sections 15.4 and 15.5.
  if (!isNonNegativeInteger(given('publicityDays')) || (given('publicityDays') as number) > 365) err('publicityDays', 'must be an integer from 0 to 365');
  if (given('abnormalLowRatio') !== null) decimal('abnormalLowRatio', (d) => d.gt(0) && d.lte(1), 'above 0 and at most 1', 4);
  // Section 15.7: null, or a table from winners (1, then strictly increasing) to 12, 24 or 36 months.
  const terms = given('termByWinners');
  if (terms !== null) {
    if (!Array.isArray(terms) || terms.length === 0) err('termByWinners', 'must be null or a non-empty array of {winners, months}');
    else {
      let previous: number | null = null;
      terms.forEach((row: unknown, i) => {
        const p = `termByWinners[${i}]`;
        if (!isPlainObject(row)) return err(p, 'must be an object {winners, months}');
        for (const k of Object.keys(row)) if (k !== 'winners' && k !== 'months') err(`${p}.${k}`, 'unknown key');
        const { winners, months } = row;
        if (!Number.isSafeInteger(winners)) err(`${p}.winners`, 'must be an integer');
        else if (i === 0 && winners !== 1) err(`${p}.winners`, 'the first row must have winners 1');
        else if (previous !== null && (winners as number) <= previous) err(`${p}.winners`, 'must be strictly increasing');
        if (Number.isSafeInteger(winners)) previous = winners as number;
        if (!AGREEMENT_MONTHS.includes(months as number)) err(`${p}.months`, 'must be 12, 24 or 36');
      });
    }
  }
  // Section 15.3.
  if (!REVIVAL_RULES.includes(given('revival') as RevivalRule)) err('revival', `must be one of ${REVIVAL_RULES.join(', ')}`);
  for (const key of ['revivalIncludesRanked', 'revivalCountsForVolume'] as const) if (typeof given(key) !== 'boolean') err(key, 'must be true or false');
  const revivalHours = given('revivalHours');
  if (!Number.isSafeInteger(revivalHours) || (revivalHours as number) < 1 || (revivalHours as number) > 24 * 90)
    err('revivalHours', 'must be an integer from 1 to 2160');
  // Section 15.6.
  if (!TRANSITION_RULES.includes(given('transition') as TransitionRule)) err('transition', `must be one of ${TRANSITION_RULES.join(', ')}`);
  const transitionYears = given('transitionYears');
  if (!Number.isSafeInteger(transitionYears) || (transitionYears as number) < 1 || (transitionYears as number) > MAX_TRANSITION_YEARS)
    err('transitionYears', `must be an integer from 1 to ${MAX_TRANSITION_YEARS}`);
  const anchor = given('gateAnchor');
  if (!GATE_ANCHORS.includes(anchor as GateAnchor)) err('gateAnchor', `must be one of ${GATE_ANCHORS.join(', ')}`);

  // Section 5: maxWinners table, minBids 1, then strictly increasing; winners >= 1.
  const maxWinners = given('maxWinners');
  if (!Array.isArray(maxWinners) || maxWinners.length === 0) {
    err('maxWinners', 'must be a non-empty array of {minBids, winners}');
  } else {
    let previous: number | null = null;
    maxWinners.forEach((row: unknown, i) => {
      const p = `maxWinners[${i}]`;
      if (!isPlainObject(row)) return err(p, 'must be an object {minBids, winners}');
      for (const k of Object.keys(row)) if (k !== 'minBids' && k !== 'winners') err(`${p}.${k}`, 'unknown key');
      const { minBids, winners } = row;
      if (!Number.isSafeInteger(minBids)) err(`${p}.minBids`, 'must be an integer');
      else if (i === 0 && minBids !== 1) err(`${p}.minBids`, 'the first row must have minBids 1');
      else if (previous !== null && (minBids as number) <= previous) err(`${p}.minBids`, 'must be strictly increasing');
      if (Number.isSafeInteger(minBids)) previous = minBids as number;
      if (!Number.isSafeInteger(winners) || (winners as number) < 1) err(`${p}.winners`, 'must be an integer of at least 1');
    });
  }

  // Section 6: agreedVolumeRatio table, winners 1, then strictly increasing; ratio in (0, 1].
  const ratios = given('agreedVolumeRatio');
  if (!Array.isArray(ratios) || ratios.length === 0) {
    err('agreedVolumeRatio', 'must be a non-empty array of {winners, ratio}');
  } else {
    let previous: number | null = null;
    ratios.forEach((row: unknown, i) => {
      const p = `agreedVolumeRatio[${i}]`;
      if (!isPlainObject(row)) return err(p, 'must be an object {winners, ratio}');
      for (const k of Object.keys(row)) if (k !== 'winners' && k !== 'ratio') err(`${p}.${k}`, 'unknown key');
      const { winners, ratio } = row;
      if (!Number.isSafeInteger(winners)) err(`${p}.winners`, 'must be an integer');
      else if (i === 0 && winners !== 1) err(`${p}.winners`, 'the first row must have winners 1');
      else if (previous !== null && (winners as number) <= previous) err(`${p}.winners`, 'must be strictly increasing');
      if (Number.isSafeInteger(winners)) previous = winners as number;
      if (!isDecimalString(ratio)) err(`${p}.ratio`, 'must be a decimal string');
      else if (!(new Dec(ratio).gt(0) && new Dec(ratio).lte(1))) err(`${p}.ratio`, 'must be above 0 and at most 1');
    });
  }

  // Section 8: prepayment never below 30 %.
  decimal('prepaymentRatio', (d) => d.gte('0.30') && d.lte(1), 'at least 0.30 and at most 1');

  // Section 9.
  const basis = given('standardBasis');
  if (!STANDARD_BASES.includes(basis as StandardBasis)) err('standardBasis', `must be one of ${STANDARD_BASES.join(', ')}`);

  // Sections 7 and 10: whole days.
  if (!isNonNegativeInteger(given('paymentTermDays'))) err('paymentTermDays', 'must be an integer of at least 0');
  if (!isNonNegativeInteger(given('confirmationDays'))) err('confirmationDays', 'must be an integer of at least 0');

  // Execution (issue 13).
  if (typeof given('ordersRequired') !== 'boolean') err('ordersRequired', 'must be true or false');
  const hours = given('orderConfirmHours');
  if (!Number.isSafeInteger(hours) || (hours as number) < 1) err('orderConfirmHours', 'must be an integer of at least 1');
  decimal('progressAlertRatio', (d) => d.gt(0) && d.lte(1), 'above 0 and at most 1', SCORE_DP);
  decimal('nonSelectedShareLimit', (d) => d.gte(0) && d.lte(1), 'at least 0 and at most 1', SCORE_DP);
  const shares = given('retentionShares');
  if (!Array.isArray(shares) || shares.length === 0) {
    err('retentionShares', 'must be a non-empty array of {minScore, share}');
  } else {
    let previous: Decimal | null = null;
    shares.forEach((row: unknown, i) => {
      const p = `retentionShares[${i}]`;
      if (!isPlainObject(row)) return err(p, 'must be an object {minScore, share}');
      for (const k of Object.keys(row)) if (k !== 'minScore' && k !== 'share') err(`${p}.${k}`, 'unknown key');
      const { minScore, share } = row;
      if (!isDecimalString(minScore) || decimalsOf(minScore) > SCORE_DP) err(`${p}.minScore`, `must be a decimal string with at most ${SCORE_DP} decimals`);
      else {
        const m = new Dec(minScore);
        if (m.lt(0) || m.gt(100)) err(`${p}.minScore`, 'must be between 0 and 100');
        else if (previous !== null && !m.lt(previous)) err(`${p}.minScore`, 'must be strictly decreasing');
        previous = m;
      }
      if (!isDecimalString(share) || decimalsOf(share) > SCORE_DP) err(`${p}.share`, `must be a decimal string with at most ${SCORE_DP} decimals`);
      else if (new Dec(share).lt(0) || new Dec(share).gt(1)) err(`${p}.share`, 'must be between 0 and 1');
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  const rules = {} as Record<string, unknown>;
  for (const key of RULE_KEYS) rules[key] = given(key);
  return { ok: true, rules: cloneRules(rules as unknown as BatchRules) };
}

// Section 13: a table answers n with the row of the largest minBids not above n; below the
// first row (n = 0) there is nobody to win.
export function lookupMaxWinners(table: readonly MaxWinnersRow[], n: number): number {
  let winners = 0;
  let best = -Infinity;
  for (const row of table) {
    if (row.minBids <= n && row.minBids > best) {
      best = row.minBids;
      winners = row.winners;
    }
  }
  return winners;
}

// Sections 6 and 13: the ratio of the row with the largest `winners` not above k; null when
// k = 0 (a group without winners has no agreed volume).
export function lookupAgreedRatio(table: readonly AgreedVolumeRatioRow[], k: number): Decimal | null {
  let ratio: string | null = null;
  let best = -Infinity;
  for (const row of table) {
    if (row.winners <= k && row.winners > best) {
      best = row.winners;
      ratio = row.ratio;
    }
  }
  return ratio === null ? null : new Dec(ratio);
}

/**
 * Section 15.7: the term (months) of the agreements of an item × group with k winners: the
 * row of the largest `winners` not above k, or agreementMonths when the rule is null.
 */
export function agreementTermMonths(termByWinners: readonly TermByWinnersRow[] | null, agreementMonths: number, k: number): number {
  if (termByWinners === null) return agreementMonths;
  let months = agreementMonths;
  let best = -Infinity;
  for (const row of termByWinners) {
    if (row.winners <= k && row.winners > best) {
      best = row.winners;
      months = row.months;
    }
  }
  return months;
}

/** Section 15.7: an agreement ends `months` (a whole number of years) after agreementStart; 29 Feb falls back to 28 Feb. */
export function agreementEndsAt(agreementStart: Date, months: number): Date {
  const years = Math.floor(months / 12);
  const y = agreementStart.getUTCFullYear() + years;
  const m = agreementStart.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(agreementStart.getUTCDate(), lastDay)));
}

/** Section 15.4: publicity ends publicityDays × 24 h after evaluation. */
export function publicityEndsAt(evaluatedAt: Date, publicityDays: number): Date {
  return new Date(evaluatedAt.getTime() + publicityDays * 24 * 3600_000);
}

/** Section 15.2: the floor that applies to an item of class `cls` (null = no floor gate). */
export function gateFloorFor(rule: GateFloorRule, cls: DosageFormClass): string | null {
  if (rule === null || typeof rule === 'string') return rule;
  return rule[cls] ?? null;
}

/**
 * A stored rules object with every key it lacks taken from the defaults: batches created
 * before a rule existed keep today's behaviour (the defaults are it).
 */
export function withDefaultRules(stored: Partial<BatchRules> | null | undefined): BatchRules {
  const rules = cloneRules(DEFAULT_RULES) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(stored ?? {})) if (v !== undefined) rules[k] = v;
  return rules as unknown as BatchRules;
}

// Section 3: a bid competes in the group of its product's quality tier. Validated rules
// put every tier in exactly one group, so a miss is a programming error.
export function groupOfTier(rules: Pick<BatchRules, 'groups'>, tier: QualityTier): string {
  for (const [name, tiers] of Object.entries(rules.groups)) {
    if (tiers.includes(tier)) return name;
  }
  throw new Error(`quality tier ${tier} is in no group of these rules`);
}

// Section 3: the lifecycle of a batch (集采批次).
export enum BatchStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  CLOSED = 'CLOSED',
  OPENED = 'OPENED',
  EVALUATED = 'EVALUATED',
  AWARDED = 'AWARDED',
  ALLOCATED = 'ALLOCATED',
  IN_FORCE = 'IN_FORCE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

/** The forward path of section 3, in order (CANCELLED is off the path). */
export const BATCH_LIFECYCLE: readonly BatchStatus[] = [
  BatchStatus.DRAFT,
  BatchStatus.PUBLISHED,
  BatchStatus.CLOSED,
  BatchStatus.OPENED,
  BatchStatus.EVALUATED,
  BatchStatus.AWARDED,
  BatchStatus.ALLOCATED,
  BatchStatus.IN_FORCE,
  BatchStatus.COMPLETED,
];

/** Section 3: the one forward step from `from`, or null at the end (or when cancelled). */
export function nextStatus(from: BatchStatus): BatchStatus | null {
  const i = BATCH_LIFECYCLE.indexOf(from);
  return i < 0 || i === BATCH_LIFECYCLE.length - 1 ? null : BATCH_LIFECYCLE[i + 1];
}

/** Section 3: CANCELLED is possible from any state before AWARDED. */
export function isCancellable(status: BatchStatus): boolean {
  const i = BATCH_LIFECYCLE.indexOf(status);
  return i >= 0 && i < BATCH_LIFECYCLE.indexOf(BatchStatus.AWARDED);
}

// Section 3: only the next forward step, or cancellation before award; never backwards,
// never skipping, never out of CANCELLED or COMPLETED.
export function canTransition(from: BatchStatus, to: BatchStatus): boolean {
  if (to === BatchStatus.CANCELLED) return isCancellable(from);
  return nextStatus(from) === to;
}

export interface BatchTimes {
  biddingOpensAt: Date;
  biddingClosesAt: Date;
  openingAt: Date;
  agreementMonths: number;
}

export const AGREEMENT_MONTHS: readonly number[] = [12, 24, 36];

// Section 3: biddingOpensAt < biddingClosesAt <= openingAt; agreementMonths in {12, 24, 36}.
export function validateBatchTimes(t: BatchTimes): RuleError[] {
  const errors: RuleError[] = [];
  const valid = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
  for (const key of ['biddingOpensAt', 'biddingClosesAt', 'openingAt'] as const) {
    if (!valid(t[key])) errors.push({ field: key, message: 'must be a valid date-time' });
  }
  if (valid(t.biddingOpensAt) && valid(t.biddingClosesAt) && !(t.biddingOpensAt.getTime() < t.biddingClosesAt.getTime())) {
    errors.push({ field: 'biddingClosesAt', message: 'must be after biddingOpensAt' });
  }
  if (valid(t.biddingClosesAt) && valid(t.openingAt) && !(t.biddingClosesAt.getTime() <= t.openingAt.getTime())) {
    errors.push({ field: 'openingAt', message: 'must not be before biddingClosesAt' });
  }
  if (!AGREEMENT_MONTHS.includes(t.agreementMonths)) {
    errors.push({ field: 'agreementMonths', message: 'must be 12, 24 or 36' });
  }
  return errors;
}

// Issue 13, savings retention: the share of the row with the largest minScore not above the
// score; a score below every row keeps nothing.
export function lookupRetentionShare(table: readonly RetentionShareRow[], score: Decimal.Value): Decimal {
  const s = new Dec(score);
  let share: string | null = null;
  let best: Decimal | null = null;
  for (const row of table) {
    const min = new Dec(row.minScore);
    if (min.lte(s) && (best === null || min.gt(best))) {
      best = min;
      share = row.share;
    }
  }
  return new Dec(share ?? 0);
}
