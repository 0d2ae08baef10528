import {
  BatchStatus,
  DEFAULT_RULES,
  agreementEndsAt,
  agreementTermMonths,
  canTransition,
  gateFloorFor,
  groupOfTier,
  publicityEndsAt,
  isCancellable,
  lookupAgreedRatio,
  lookupMaxWinners,
  lookupRetentionShare,
  withDefaultRules,
  nextStatus,
  resolveRules,
  validateBatchTimes,
} from './batch-rules.rules';

/** The rules object of domain.md section 13, written out by hand. */
const SECTION_13 = {
  groups: { A: ['ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED', 'GENERIC'] },
  strengthRatioCoefficient: '1.7',
  priceWeight: '60',
  technicalWeight: '40',
  gateRatio: '1.8',
  gateReduction: '0.5',
  gateFloor: '0.1000',
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
};

/** The rules of section 15 (recent national rounds), defaults written out by hand: all keep section 5's behaviour. */
const SECTION_15 = {
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
};
const ALL_DEFAULTS = { ...SECTION_13, ...SECTION_15 };

function errorsOf(input: unknown): { field: string; message: string }[] {
  const r = resolveRules(input);
  if (r.ok) throw new Error(`expected errors for ${JSON.stringify(input)}`);
  return r.errors;
}
const fieldsOf = (input: unknown) => errorsOf(input).map((e) => e.field);

describe('rules object (domain.md section 13)', () => {
  it('has exactly the defaults of section 13', () => {
    expect(DEFAULT_RULES).toEqual(ALL_DEFAULTS);
    expect(Object.isFrozen(DEFAULT_RULES.maxWinners[0])).toBe(true);
  });

  it('fills every missing key with its default', () => {
    expect(resolveRules(undefined)).toEqual({ ok: true, rules: ALL_DEFAULTS });
    expect(resolveRules({})).toEqual({ ok: true, rules: ALL_DEFAULTS });
    const r = resolveRules({ priceWeight: '100', technicalWeight: '0', gateFloor: null });
    expect(r).toEqual({ ok: true, rules: { ...ALL_DEFAULTS, priceWeight: '100', technicalWeight: '0', gateFloor: null } });
  });

  it('returns a copy that does not share the frozen defaults', () => {
    const r = resolveRules({});
    if (!r.ok) throw new Error('expected ok');
    r.rules.maxWinners.push({ minBids: 8, winners: 5 });
    expect(DEFAULT_RULES.maxWinners).toHaveLength(4);
  });

  it('accepts other groupings (one group of all tiers; consistency-passed in A)', () => {
    const one = { ALL: ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'] };
    expect(resolveRules({ groups: one }).ok).toBe(true);
    const fujian = { A: ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED'], B: ['GENERIC'] };
    expect(resolveRules({ groups: fujian }).ok).toBe(true);
  });

  it('refuses unknown keys and a non-object', () => {
    expect(errorsOf({ priceweight: '60' })).toEqual([{ field: 'rules.priceweight', message: 'unknown rule' }]);
    expect(fieldsOf([1])).toEqual(['rules']);
    expect(fieldsOf('x')).toEqual(['rules']);
    expect(resolveRules({ nope: 1 }, '').ok).toBe(false);
    expect(errorsOf({ nope: 1 })[0].field).toBe('rules.nope');
    const r = resolveRules({ nope: 1 }, 'body');
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['body.nope']);
  });

  it('requires decimals as decimal strings, never numbers', () => {
    expect(fieldsOf({ strengthRatioCoefficient: 1.7 })).toEqual(['rules.strengthRatioCoefficient']);
    expect(fieldsOf({ prepaymentRatio: '3e-1' })).toEqual(['rules.prepaymentRatio']);
    expect(fieldsOf({ priceWeight: null })).toContain('rules.priceWeight');
  });

  it('requires priceWeight + technicalWeight = 100, each at least 0', () => {
    expect(resolveRules({ priceWeight: '70', technicalWeight: '30' }).ok).toBe(true);
    expect(resolveRules({ priceWeight: '59.5', technicalWeight: '40.5' }).ok).toBe(true);
    expect(fieldsOf({ priceWeight: '70' })).toEqual(['rules.technicalWeight']); // 70 + 40 = 110
    expect(fieldsOf({ priceWeight: '110', technicalWeight: '-10' })).toEqual(['rules.technicalWeight']);
  });

  it('refuses weights with more than 4 decimals (scores have 4, section 0)', () => {
    expect(resolveRules({ priceWeight: '59.9999', technicalWeight: '40.0001' }).ok).toBe(true);
    // 59.99995 + 40.00005 = 100, but neither is a 4-decimal score bound.
    expect(fieldsOf({ priceWeight: '59.99995', technicalWeight: '40.00005' })).toEqual(['rules.priceWeight', 'rules.technicalWeight']);
    expect(errorsOf({ priceWeight: '60.00000', technicalWeight: '40' })[0].message).toBe('must have at most 4 decimals');
  });

  it('requires every quality tier in exactly one group', () => {
    expect(fieldsOf({ groups: { A: ['ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED'] } })).toEqual(['rules.groups']);
    expect(fieldsOf({ groups: { A: ['ORIGINATOR', 'REFERENCE', 'GENERIC'], B: ['CONSISTENCY_PASSED', 'GENERIC'] } })).toEqual(['rules.groups.B[1]']);
    expect(fieldsOf({ groups: { A: ['ORIGINATOR', 'ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED', 'GENERIC'] } })).toEqual(['rules.groups.A[1]']);
    expect(fieldsOf({ groups: { A: ['ORIGINATOR', 'REFERENCE', 'BIOSIMILAR'], B: ['CONSISTENCY_PASSED', 'GENERIC'] } })).toEqual(['rules.groups.A[2]']);
    expect(fieldsOf({ groups: { ' ': ['ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED', 'GENERIC'] } })).toEqual(['rules.groups']);
    expect(fieldsOf({ groups: { A: ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'], B: [] } })).toEqual(['rules.groups.B']);
    expect(fieldsOf({ groups: {} })).toEqual(['rules.groups']);
    expect(fieldsOf({ groups: [] })).toEqual(['rules.groups']);
  });

  it('validates the maxWinners table', () => {
    const ok = [
      { minBids: 1, winners: 1 },
      { minBids: 3, winners: 2 },
    ];
    expect(resolveRules({ maxWinners: ok }).ok).toBe(true);
    expect(fieldsOf({ maxWinners: [] })).toEqual(['rules.maxWinners']);
    expect(fieldsOf({ maxWinners: [{ minBids: 2, winners: 1 }] })).toEqual(['rules.maxWinners[0].minBids']);
    expect(
      fieldsOf({
        maxWinners: [
          { minBids: 1, winners: 1 },
          { minBids: 1, winners: 2 },
        ],
      }),
    ).toEqual(['rules.maxWinners[1].minBids']);
    expect(
      fieldsOf({
        maxWinners: [
          { minBids: 1, winners: 1 },
          { minBids: 2.5, winners: 2 },
        ],
      }),
    ).toEqual(['rules.maxWinners[1].minBids']);
    expect(fieldsOf({ maxWinners: [{ minBids: 1, winners: 0 }] })).toEqual(['rules.maxWinners[0].winners']);
    expect(fieldsOf({ maxWinners: [{ minBids: 1, winners: '1' }] })).toEqual(['rules.maxWinners[0].winners']);
    expect(fieldsOf({ maxWinners: [{ minBids: 1, winners: 1, extra: true }] })).toEqual(['rules.maxWinners[0].extra']);
    expect(fieldsOf({ maxWinners: [null] })).toEqual(['rules.maxWinners[0]']);
  });

  it('validates the agreedVolumeRatio table', () => {
    expect(resolveRules({ agreedVolumeRatio: [{ winners: 1, ratio: '1' }] }).ok).toBe(true);
    expect(fieldsOf({ agreedVolumeRatio: [] })).toEqual(['rules.agreedVolumeRatio']);
    expect(fieldsOf({ agreedVolumeRatio: [{ winners: 2, ratio: '0.5' }] })).toEqual(['rules.agreedVolumeRatio[0].winners']);
    expect(
      fieldsOf({
        agreedVolumeRatio: [
          { winners: 1, ratio: '0.5' },
          { winners: 3, ratio: '0.6' },
          { winners: 3, ratio: '0.7' },
        ],
      }),
    ).toEqual(['rules.agreedVolumeRatio[2].winners']);
    expect(fieldsOf({ agreedVolumeRatio: [{ winners: 1, ratio: '0' }] })).toEqual(['rules.agreedVolumeRatio[0].ratio']);
    expect(fieldsOf({ agreedVolumeRatio: [{ winners: 1, ratio: '1.01' }] })).toEqual(['rules.agreedVolumeRatio[0].ratio']);
    expect(fieldsOf({ agreedVolumeRatio: [{ winners: 1, ratio: 0.5 }] })).toEqual(['rules.agreedVolumeRatio[0].ratio']);
  });

  it('validates the gates: null is off, otherwise a decimal in range', () => {
    expect(resolveRules({ gateRatio: null, gateReduction: null, gateFloor: null }).ok).toBe(true);
    expect(resolveRules({ gateRatio: '1', gateReduction: '0', gateFloor: '0' }).ok).toBe(true);
    expect(fieldsOf({ gateRatio: '0.99' })).toEqual(['rules.gateRatio']);
    expect(fieldsOf({ gateReduction: '1' })).toEqual(['rules.gateReduction']);
    expect(fieldsOf({ gateReduction: '-0.1' })).toEqual(['rules.gateReduction']);
    expect(fieldsOf({ gateFloor: '-0.0001' })).toEqual(['rules.gateFloor']);
    expect(fieldsOf({ gateFloor: 0.1 })).toEqual(['rules.gateFloor']);
    // gateFloor bounds a UCP (4 decimals); the others are ratios of any precision.
    expect(resolveRules({ gateFloor: '0.1234', gateRatio: '1.85555', gateReduction: '0.33333' }).ok).toBe(true);
    expect(fieldsOf({ gateFloor: '0.12345' })).toEqual(['rules.gateFloor']);
  });

  it('validates K, prepayment, standard basis and days', () => {
    expect(fieldsOf({ strengthRatioCoefficient: '0' })).toEqual(['rules.strengthRatioCoefficient']);
    expect(resolveRules({ strengthRatioCoefficient: '1' }).ok).toBe(true);
    expect(resolveRules({ prepaymentRatio: '0.3' }).ok).toBe(true);
    expect(resolveRules({ prepaymentRatio: '1' }).ok).toBe(true);
    expect(fieldsOf({ prepaymentRatio: '0.29' })).toEqual(['rules.prepaymentRatio']);
    expect(fieldsOf({ prepaymentRatio: '1.01' })).toEqual(['rules.prepaymentRatio']);
    expect(resolveRules({ standardBasis: 'GROUP_HIGHEST' }).ok).toBe(true);
    expect(fieldsOf({ standardBasis: 'ITEM_LOWEST' })).toEqual(['rules.standardBasis']);
    expect(resolveRules({ paymentTermDays: 0, confirmationDays: 0 }).ok).toBe(true);
    expect(fieldsOf({ paymentTermDays: -1 })).toEqual(['rules.paymentTermDays']);
    expect(fieldsOf({ confirmationDays: 7.5 })).toEqual(['rules.confirmationDays']);
    expect(fieldsOf({ confirmationDays: '7' })).toEqual(['rules.confirmationDays']);
  });

  it('validates the execution rules (issue 13)', () => {
    expect(resolveRules({ ordersRequired: false, orderConfirmHours: 1, progressAlertRatio: '1', nonSelectedShareLimit: '0' }).ok).toBe(true);
    expect(fieldsOf({ ordersRequired: 'false' })).toEqual(['rules.ordersRequired']);
    expect(fieldsOf({ orderConfirmHours: 0 })).toEqual(['rules.orderConfirmHours']);
    expect(fieldsOf({ orderConfirmHours: 1.5 })).toEqual(['rules.orderConfirmHours']);
    expect(fieldsOf({ progressAlertRatio: '0' })).toEqual(['rules.progressAlertRatio']);
    expect(fieldsOf({ progressAlertRatio: 0.8 })).toEqual(['rules.progressAlertRatio']);
    expect(fieldsOf({ nonSelectedShareLimit: '1.01' })).toEqual(['rules.nonSelectedShareLimit']);
    expect(
      fieldsOf({
        retentionShares: [
          { minScore: '70', share: '0.4' },
          { minScore: '80', share: '1.5' },
        ],
      }),
    ).toEqual(['rules.retentionShares[1].minScore', 'rules.retentionShares[1].share']);
    expect(fieldsOf({ retentionShares: [] })).toEqual(['rules.retentionShares']);
  });

  it('effective rules: the stored object over the defaults (a batch stored before a rule existed takes its default)', () => {
    const stored = { ...SECTION_13 } as Record<string, unknown>;
    delete stored.orderConfirmHours;
    stored.ordersRequired = false;
    const r = withDefaultRules(stored as any);
    expect(r.ordersRequired).toBe(false);
    expect(r.orderConfirmHours).toBe(48);
  });

  it('reports every error at once', () => {
    expect(fieldsOf({ gateRatio: '0.5', prepaymentRatio: '0.1', bogus: 1 })).toEqual(['rules.bogus', 'rules.gateRatio', 'rules.prepaymentRatio']);
  });
});

describe('table look-ups (domain.md section 13)', () => {
  it('retentionShares: >= 80 keeps 50 %, 70-80 40 %, 60-70 30 %, below 60 nothing (issue 13 defaults)', () => {
    const t = DEFAULT_RULES.retentionShares;
    const shares = ['100', '80', '79.9999', '70', '69.5', '60', '59.9999', '0'].map((s) => lookupRetentionShare(t, s).toString());
    expect(shares).toEqual(['0.5', '0.5', '0.4', '0.4', '0.3', '0.3', '0', '0']);
    expect(lookupRetentionShare([{ minScore: '90', share: '0.2' }], '89').toString()).toBe('0');
  });

  it('maxWinners: the row of the largest minBids not above n (section 5 defaults)', () => {
    const t = DEFAULT_RULES.maxWinners;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => lookupMaxWinners(t, n))).toEqual([0, 1, 2, 2, 3, 3, 4, 4, 4]);
  });

  it('agreedVolumeRatio: the row of the largest winners not above k (section 6 defaults)', () => {
    const t = DEFAULT_RULES.agreedVolumeRatio;
    expect(lookupAgreedRatio(t, 0)).toBeNull();
    expect(lookupAgreedRatio(t, 1)?.toFixed(2)).toBe('0.50');
    expect(lookupAgreedRatio(t, 3)?.toFixed(2)).toBe('0.70');
    expect(lookupAgreedRatio(t, 4)?.toFixed(2)).toBe('0.80');
    expect(lookupAgreedRatio(t, 9)?.toFixed(2)).toBe('0.80');
    // section 14: 15,001 × 0.70 = 10,500.7 → 10,501
    expect(lookupAgreedRatio(t, 3)?.times(15001).toDecimalPlaces(0).toString()).toBe('10501');
  });

  it('answers from a sparse table', () => {
    const t = [
      { minBids: 1, winners: 1 },
      { minBids: 5, winners: 2 },
    ];
    expect([1, 4, 5, 9].map((n) => lookupMaxWinners(t, n))).toEqual([1, 1, 2, 2]);
    expect(
      lookupAgreedRatio(
        [
          { winners: 1, ratio: '0.5' },
          { winners: 3, ratio: '0.9' },
        ],
        2,
      )?.toString(),
    ).toBe('0.5');
  });

  it('finds the group of a tier', () => {
    expect(groupOfTier(DEFAULT_RULES, 'ORIGINATOR')).toBe('A');
    expect(groupOfTier(DEFAULT_RULES, 'REFERENCE')).toBe('A');
    expect(groupOfTier(DEFAULT_RULES, 'CONSISTENCY_PASSED')).toBe('B');
    expect(groupOfTier(DEFAULT_RULES, 'GENERIC')).toBe('B');
    expect(() => groupOfTier({ groups: { A: ['ORIGINATOR'] } }, 'GENERIC')).toThrow();
  });
});

describe('batch lifecycle (domain.md section 3)', () => {
  const S = BatchStatus;
  const path = [S.DRAFT, S.PUBLISHED, S.CLOSED, S.OPENED, S.EVALUATED, S.AWARDED, S.ALLOCATED, S.IN_FORCE, S.COMPLETED];
  const all = [...path, S.CANCELLED];

  it('moves only one step forward', () => {
    for (let i = 0; i + 1 < path.length; i++) expect(nextStatus(path[i])).toBe(path[i + 1]);
    expect(nextStatus(S.COMPLETED)).toBeNull();
    expect(nextStatus(S.CANCELLED)).toBeNull();
    for (const from of all) {
      for (const to of all) {
        if (to === S.CANCELLED) continue;
        const i = path.indexOf(from);
        const expected = i >= 0 && path[i + 1] === to;
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
    expect(canTransition(S.PUBLISHED, S.DRAFT)).toBe(false);
    expect(canTransition(S.DRAFT, S.CLOSED)).toBe(false);
    expect(canTransition(S.DRAFT, S.DRAFT)).toBe(false);
  });

  it('cancels from any state before AWARDED only', () => {
    const cancellable = [S.DRAFT, S.PUBLISHED, S.CLOSED, S.OPENED, S.EVALUATED];
    for (const from of all) {
      expect([from, canTransition(from, S.CANCELLED)]).toEqual([from, cancellable.includes(from)]);
      expect(isCancellable(from)).toBe(cancellable.includes(from));
    }
  });

  it('validates the bidding window and agreement length', () => {
    const t = (iso: string) => new Date(iso);
    const good = {
      biddingOpensAt: t('2025-03-01T00:00:00Z'),
      biddingClosesAt: t('2025-03-15T09:00:00Z'),
      openingAt: t('2025-03-15T09:00:00Z'), // closes = opening is allowed
      agreementMonths: 24,
    };
    expect(validateBatchTimes(good)).toEqual([]);
    expect(validateBatchTimes({ ...good, agreementMonths: 12 })).toEqual([]);
    expect(validateBatchTimes({ ...good, agreementMonths: 36 })).toEqual([]);
    expect(validateBatchTimes({ ...good, agreementMonths: 18 }).map((e) => e.field)).toEqual(['agreementMonths']);
    expect(validateBatchTimes({ ...good, biddingClosesAt: good.biddingOpensAt }).map((e) => e.field)).toEqual(['biddingClosesAt']);
    expect(validateBatchTimes({ ...good, openingAt: t('2025-03-15T08:59:59Z') }).map((e) => e.field)).toEqual(['openingAt']);
    expect(validateBatchTimes({ ...good, openingAt: new Date('nonsense') }).map((e) => e.field)).toEqual(['openingAt']);
    expect(
      validateBatchTimes({
        biddingOpensAt: t('2025-03-20T00:00:00Z'),
        biddingClosesAt: t('2025-03-15T00:00:00Z'),
        openingAt: t('2025-03-10T00:00:00Z'),
        agreementMonths: 0,
      }).map((e) => e.field),
    ).toEqual(['biddingClosesAt', 'openingAt', 'agreementMonths']);
  });
});

describe('rules of recent national rounds (domain.md 15)', () => {
  it('15.1 gateAnchor: LOWEST or MAX_LOWEST_HALF_AVERAGE', () => {
    expect(resolveRules({ gateAnchor: 'MAX_LOWEST_HALF_AVERAGE' }).ok).toBe(true);
    expect(errorsOf({ gateAnchor: 'AVERAGE' })).toEqual([{ field: 'rules.gateAnchor', message: 'must be one of LOWEST, MAX_LOWEST_HALF_AVERAGE' }]);
    expect(fieldsOf({ gateAnchor: null })).toEqual(['rules.gateAnchor']);
  });

  it('15.2 gateReduction may be null (batch 10), gateFloor per dosage-form class', () => {
    expect(resolveRules({ gateReduction: null }).ok).toBe(true);
    const perClass = { ORAL_SOLID: '0.1000', SMALL_VOLUME_INJECTION: '1.0000', LARGE_VOLUME_INJECTION: null };
    const r = resolveRules({ gateFloor: perClass });
    expect(r.ok && r.rules.gateFloor).toEqual(perClass);
    expect(fieldsOf({ gateFloor: { ORAL: '0.1' } })).toEqual(['rules.gateFloor.ORAL']);
    expect(fieldsOf({ gateFloor: { ORAL_SOLID: '0.10001' } })).toEqual(['rules.gateFloor.ORAL_SOLID']);
    expect(fieldsOf({ gateFloor: { ORAL_SOLID: '-1' } })).toEqual(['rules.gateFloor.ORAL_SOLID']);
    expect(fieldsOf({ gateFloor: { OTHER: 0.1 } })).toEqual(['rules.gateFloor.OTHER']);
  });

  it("gateFloorFor: one floor for all, or the class's (a class left out or null has none)", () => {
    expect(gateFloorFor('0.1000', 'LARGE_VOLUME_INJECTION')).toBe('0.1000');
    expect(gateFloorFor(null, 'ORAL_SOLID')).toBeNull();
    const perClass = { ORAL_SOLID: '0.1000', SMALL_VOLUME_INJECTION: null };
    expect(gateFloorFor(perClass, 'ORAL_SOLID')).toBe('0.1000');
    expect(gateFloorFor(perClass, 'SMALL_VOLUME_INJECTION')).toBeNull();
    expect(gateFloorFor(perClass, 'OTHER')).toBeNull();
  });

  it('15.4 publicityDays: whole days 0–365; publicity ends that many 24 h after evaluation', () => {
    expect(resolveRules({ publicityDays: 0 }).ok).toBe(true);
    expect(fieldsOf({ publicityDays: 1.5 })).toEqual(['rules.publicityDays']);
    expect(fieldsOf({ publicityDays: -1 })).toEqual(['rules.publicityDays']);
    expect(fieldsOf({ publicityDays: '3' })).toEqual(['rules.publicityDays']);
    // 2027-03-01 10:00 + 3 × 24 h = 2027-03-04 10:00
    expect(publicityEndsAt(new Date('2027-03-01T10:00:00Z'), 3).toISOString()).toBe('2027-03-04T10:00:00.000Z');
  });

  it('15.5 abnormalLowRatio: null (off) or a decimal in (0, 1] with at most 4 decimals', () => {
    expect(resolveRules({ abnormalLowRatio: '0.5' }).ok).toBe(true);
    expect(fieldsOf({ abnormalLowRatio: '0' })).toEqual(['rules.abnormalLowRatio']);
    expect(fieldsOf({ abnormalLowRatio: '1.01' })).toEqual(['rules.abnormalLowRatio']);
    expect(fieldsOf({ abnormalLowRatio: '0.12345' })).toEqual(['rules.abnormalLowRatio']);
    expect(fieldsOf({ abnormalLowRatio: 0.5 })).toEqual(['rules.abnormalLowRatio']);
  });

  it('15.7 termByWinners: null or a table from winners to 12, 24 or 36 months', () => {
    const national = [
      { winners: 1, months: 12 },
      { winners: 2, months: 24 },
      { winners: 4, months: 36 },
    ];
    expect(resolveRules({ termByWinners: national }).ok).toBe(true);
    expect(fieldsOf({ termByWinners: [{ winners: 2, months: 12 }] })).toEqual(['rules.termByWinners[0].winners']);
    expect(fieldsOf({ termByWinners: [{ winners: 1, months: 18 }] })).toEqual(['rules.termByWinners[0].months']);
    expect(
      fieldsOf({
        termByWinners: [
          { winners: 1, months: 12 },
          { winners: 1, months: 24 },
        ],
      }),
    ).toEqual(['rules.termByWinners[1].winners']);
    expect(fieldsOf({ termByWinners: [] })).toEqual(['rules.termByWinners']);
    // national default: 1 → 12, 2–3 → 24, 4+ → 36
    expect([1, 2, 3, 4, 5].map((k) => agreementTermMonths(national, 12, k))).toEqual([12, 24, 24, 36, 36]);
    // null: agreementMonths for all
    expect(agreementTermMonths(null, 24, 1)).toBe(24);
  });

  it('15.7 agreementEndsAt: start + whole years; 29 Feb ends on 28 Feb', () => {
    expect(agreementEndsAt(new Date('2027-01-01T00:00:00Z'), 24).toISOString()).toBe('2029-01-01T00:00:00.000Z');
    expect(agreementEndsAt(new Date('2028-02-29T00:00:00Z'), 12).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(agreementEndsAt(new Date('2028-02-29T00:00:00Z'), 48).toISOString()).toBe('2032-02-29T00:00:00.000Z');
  });

  it('15.6 transition: NONE or NHSA_2019; transitionYears an integer from 1 to 5', () => {
    const r = resolveRules({ transition: 'NHSA_2019', transitionYears: 3 });
    expect(r.ok && [r.rules.transition, r.rules.transitionYears]).toEqual(['NHSA_2019', 3]);
    expect(resolveRules({ transition: 'NHSA_2019' })).toEqual({ ok: true, rules: { ...ALL_DEFAULTS, transition: 'NHSA_2019' } });
    expect(fieldsOf({ transition: 'NHSA2019' })).toEqual(['rules.transition']);
    expect(fieldsOf({ transition: null })).toEqual(['rules.transition']);
    for (const bad of [0, 6, 2.5, '2', null]) expect(fieldsOf({ transitionYears: bad })).toEqual(['rules.transitionYears']);
    expect(resolveRules({ transitionYears: 1 }).ok).toBe(true);
    expect(resolveRules({ transitionYears: 5 }).ok).toBe(true);
  });

  it('15.3 revival: NONE or ACCEPT_HIGHEST_WINNING_PRICE, booleans, hours 1–2160', () => {
    expect(resolveRules({ revival: 'ACCEPT_HIGHEST_WINNING_PRICE', revivalIncludesRanked: true, revivalHours: 24, revivalCountsForVolume: true }).ok).toBe(
      true,
    );
    expect(fieldsOf({ revival: 'YES' })).toEqual(['rules.revival']);
    expect(fieldsOf({ revivalIncludesRanked: 'true', revivalCountsForVolume: 1 })).toEqual(['rules.revivalIncludesRanked', 'rules.revivalCountsForVolume']);
    expect(fieldsOf({ revivalHours: 0 })).toEqual(['rules.revivalHours']);
    expect(fieldsOf({ revivalHours: 2.5 })).toEqual(['rules.revivalHours']);
  });

  it('withDefaultRules: a batch stored before a rule existed reads it as its default', () => {
    expect(withDefaultRules({ ...SECTION_13, priceWeight: '100', technicalWeight: '0' } as never)).toEqual({
      ...ALL_DEFAULTS,
      priceWeight: '100',
      technicalWeight: '0',
    });
  });
});
