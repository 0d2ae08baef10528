import { Dec } from '@jicai/common';
import { claimQuote, ReimbursementRuleError, standardPackPrice, standardUnitPrices, strengthFactor, zeroMarkupViolation } from './reimbursement.rules';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReimbursementRuleError);
    return (e as ReimbursementRuleError).code;
  }
  throw new Error('expected a ReimbursementRuleError');
};

describe('standardUnitPrices (domain.md section 9)', () => {
  // Section 14 winners in group B: b1 0.1189, b2 0.1176, b3 0.1500; plus two group-A winners.
  const winners = [
    { group: 'B', awardUcp: '0.1189' },
    { group: 'B', awardUcp: '0.1176' },
    { group: 'B', awardUcp: '0.1500' },
    { group: 'A', awardUcp: '0.2500' },
    { group: 'A', awardUcp: '0.3000' },
  ];

  it('ITEM_HIGHEST gives every group the item’s highest award UCP', () => {
    // max(0.1189, 0.1176, 0.1500, 0.2500, 0.3000) = 0.3000
    expect(standardUnitPrices({ basis: 'ITEM_HIGHEST', groups: ['A', 'B'], winners })).toEqual({
      byGroup: { A: '0.3000', B: '0.3000' },
      itemHighest: '0.3000',
    });
  });

  it('ITEM_HIGHEST on the section 14 example alone is b3’s 0.1500', () => {
    expect(standardUnitPrices({ basis: 'ITEM_HIGHEST', groups: ['A', 'B'], winners: winners.slice(0, 3) })).toEqual({
      byGroup: { A: '0.1500', B: '0.1500' },
      itemHighest: '0.1500',
    });
  });

  it('GROUP_HIGHEST gives each group its own highest; a group without winners takes the item’s highest', () => {
    // A: max(0.2500, 0.3000) = 0.3000; B: max(0.1189, 0.1176, 0.1500) = 0.1500; C: none → item's 0.3000
    expect(standardUnitPrices({ basis: 'GROUP_HIGHEST', groups: ['A', 'B', 'C'], winners })).toEqual({
      byGroup: { A: '0.3000', B: '0.1500', C: '0.3000' },
      itemHighest: '0.3000',
    });
  });

  it('no winners at all means no standard', () => {
    for (const basis of ['ITEM_HIGHEST', 'GROUP_HIGHEST'] as const) {
      expect(standardUnitPrices({ basis, groups: ['A', 'B'], winners: [] })).toEqual({
        byGroup: { A: null, B: null },
        itemHighest: null,
      });
    }
  });

  it('pads UCPs to 4 decimals and refuses bad input', () => {
    expect(standardUnitPrices({ basis: 'ITEM_HIGHEST', groups: ['A'], winners: [{ group: 'A', awardUcp: '0.15' }] }).itemHighest).toBe('0.1500');
    expect(codeOf(() => standardUnitPrices({ basis: 'ITEM_HIGHEST', groups: ['A'], winners: [{ group: 'Z', awardUcp: '0.1' }] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => standardUnitPrices({ basis: 'ITEM_HIGHEST', groups: ['A'], winners: [{ group: 'A', awardUcp: '0.12345' }] }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => standardUnitPrices({ basis: 'NATIONAL' as 'ITEM_HIGHEST', groups: ['A'], winners: [] }))).toBe('VALIDATION_FAILED');
  });
});

describe('standardPackPrice (domain.md section 9)', () => {
  // standardUnit 0.1500 per measure unit (2.5 mg tablet), K = 1.7.
  it('at the representative strength is standardUnit × packSize', () => {
    // 2.5 mg / 2.5 mg = 1, log2 1 = 0, 1.7^0 = 1: 0.15 × 28 = 4.20
    expect(standardPackPrice('0.1500', '1.7', '1', 28)).toBe('4.20');
    // 0.15 × 7 = 1.05 (b3's pack, section 14)
    expect(standardPackPrice('0.1500', '1.7', '1', 7)).toBe('1.05');
  });

  it('doubles the strength: one factor K', () => {
    // 5 mg / 2.5 mg = 2, log2 2 = 1: 0.15 × 1.7 × 28 = 0.255 × 28 = 7.14
    expect(standardPackPrice('0.1500', '1.7', '2', 28)).toBe('7.14');
    // 10 mg / 2.5 mg = 4, log2 4 = 2: 0.15 × 1.7² × 28 = 0.15 × 2.89 × 28 = 12.138 → 12.14
    expect(standardPackPrice('0.1500', '1.7', new Dec(10).div('2.5'), 28)).toBe('12.14');
  });

  it('halves the strength: divides by K', () => {
    // 1.25 mg / 2.5 mg = 0.5, log2 0.5 = −1: 0.15 / 1.7 × 14 = 2.1 / 1.7 = 1.23529411… → 1.24
    expect(standardPackPrice('0.1500', '1.7', '0.5', 14)).toBe('1.24');
  });

  it('rounds an exact half up (the power-of-two factor is exact)', () => {
    // 0.15 × 1.7 × 5 = 1.275 exactly → half-up → 1.28 (an inexact 1.2749… would give 1.27)
    expect(standardPackPrice('0.1500', '1.7', '2', 5)).toBe('1.28');
  });

  it('handles a ratio that is not a power of two', () => {
    // 7.5 mg / 2.5 mg = 3. K^log2(3) = 3^log2(1.7) (a^log b = b^log a).
    // log2(1.7) = ln 1.7 / ln 2 = 0.530628251 / 0.693147181 = 0.765534746
    // 3^0.765534746 = e^(0.765534746 × ln 3) = e^(0.765534746 × 1.098612289) = e^0.841026… = 2.318744…
    // 0.15 × 2.318744 × 28 = 4.2 × 2.318744 = 9.738727… → 9.74
    expect(standardPackPrice('0.1500', '1.7', '3', 28)).toBe('9.74');
    expect(strengthFactor('1.7', '3').toFixed(6)).toBe('2.318745'); // 2.3187445… rounded half-up at 6 dp
  });

  it('uses another K from the rules', () => {
    // K = 2, ratio 2: 0.2000 × 2 × 10 = 4.00; ratio 0.25: 0.2 × 2^−2 × 10 = 0.5
    expect(standardPackPrice('0.2000', '2', '2', 10)).toBe('4.00');
    expect(standardPackPrice('0.2000', '2', '0.25', 10)).toBe('0.50');
  });

  it('refuses bad input', () => {
    expect(codeOf(() => standardPackPrice('0.15001', '1.7', '1', 28))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => standardPackPrice('0.1500', '0', '1', 28))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => standardPackPrice('0.1500', '1.7', '0', 28))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => standardPackPrice('0.1500', '1.7', '1', 0))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => standardPackPrice('0.1500', '1.7', '1', 2.5))).toBe('VALIDATION_FAILED');
  });
});

describe('claimQuote (domain.md section 9)', () => {
  it('below the standard: the fund pays r of the actual price', () => {
    // a 5.60, q 3, s 7.14, r 0.70
    // total = 5.60 × 3 = 16.80; eligible = min(5.60, 7.14) × 3 = 16.80; excess = 0
    // fundPays = 16.80 × 0.70 = 11.76; patientPays = 16.80 − 11.76 = 5.04
    expect(claimQuote({ packPrice: '5.60', packs: 3, standardPackPrice: '7.14', reimbursementRatio: '0.70' })).toEqual({
      total: '16.80',
      eligible: '16.80',
      selfPaidExcess: '0.00',
      fundPays: '11.76',
      patientPays: '5.04',
    });
  });

  it('above the standard: the excess is self-paid, with fundPays rounded', () => {
    // a 9.00, q 2, s 7.14, r 0.80
    // total = 18.00; eligible = 7.14 × 2 = 14.28; excess = (9.00 − 7.14) × 2 = 1.86 × 2 = 3.72
    // fundPays = 14.28 × 0.80 = 11.424 → 11.42; patientPays = 18.00 − 11.42 = 6.58
    expect(claimQuote({ packPrice: '9.00', packs: 2, standardPackPrice: '7.14', reimbursementRatio: '0.80' })).toEqual({
      total: '18.00',
      eligible: '14.28',
      selfPaidExcess: '3.72',
      fundPays: '11.42',
      patientPays: '6.58',
    });
  });

  it('rounds fundPays half-up, and patientPays uses the rounded value', () => {
    // a 3.33, q 1, s 4.20, r 0.5: eligible 3.33; fundPays = 1.665 → 1.67 (half-up, not 1.66)
    // patientPays = 3.33 − 1.67 = 1.66
    expect(claimQuote({ packPrice: '3.33', packs: 1, standardPackPrice: '4.20', reimbursementRatio: '0.5' })).toEqual({
      total: '3.33',
      eligible: '3.33',
      selfPaidExcess: '0.00',
      fundPays: '1.67',
      patientPays: '1.66',
    });
    // a 1.05, q 7, s 1.00, r 0.85: total 7.35; eligible 1.00 × 7 = 7.00; excess 0.05 × 7 = 0.35
    // fundPays = 7.00 × 0.85 = 5.95; patientPays = 7.35 − 5.95 = 1.40
    expect(claimQuote({ packPrice: '1.05', packs: 7, standardPackPrice: '1.00', reimbursementRatio: '0.85' })).toEqual({
      total: '7.35',
      eligible: '7.00',
      selfPaidExcess: '0.35',
      fundPays: '5.95',
      patientPays: '1.40',
    });
  });

  it('at the standard, and with r = 0 and r = 1', () => {
    // a = s = 7.14, q 1, r 1: everything eligible and paid by the fund
    expect(claimQuote({ packPrice: '7.14', packs: 1, standardPackPrice: '7.14', reimbursementRatio: '1' })).toEqual({
      total: '7.14',
      eligible: '7.14',
      selfPaidExcess: '0.00',
      fundPays: '7.14',
      patientPays: '0.00',
    });
    // r 0: the patient pays all of 2 × 4.20 = 8.40
    expect(claimQuote({ packPrice: '4.20', packs: 2, standardPackPrice: '7.14', reimbursementRatio: '0' }).patientPays).toBe('8.40');
  });

  it('answers NO_PAYMENT_STANDARD without a standard', () => {
    expect(codeOf(() => claimQuote({ packPrice: '4.20', packs: 1, standardPackPrice: null, reimbursementRatio: '0.7' }))).toBe('NO_PAYMENT_STANDARD');
  });

  it('validates r ∈ [0, 1], integer packs > 0 and a 2-decimal positive price', () => {
    const ok = { packPrice: '4.20', packs: 1, standardPackPrice: '7.14', reimbursementRatio: '0.7' };
    const bad = [
      { reimbursementRatio: '1.01' },
      { reimbursementRatio: '-0.1' },
      { reimbursementRatio: 'x' },
      { packs: 0 },
      { packs: -1 },
      { packs: 1.5 },
      { packPrice: '0' },
      { packPrice: '0.00' },
      { packPrice: '-1.00' },
      { packPrice: '4.201' },
      { standardPackPrice: '7.145' },
      { standardPackPrice: '-1.00' },
    ];
    for (const b of bad) expect(codeOf(() => claimQuote({ ...ok, ...b }))).toBe('VALIDATION_FAILED');
  });
});

describe('zeroMarkupViolation (domain.md section 9)', () => {
  it('flags a selected product sold above its award price only', () => {
    expect(zeroMarkupViolation(true, '3.34', '3.33')).toBe(true);
    expect(zeroMarkupViolation(true, '3.33', '3.33')).toBe(false);
    expect(zeroMarkupViolation(true, '3.00', '3.33')).toBe(false);
    expect(zeroMarkupViolation(false, '10.00', null)).toBe(false);
    expect(zeroMarkupViolation(false, '10.00', '3.33')).toBe(false);
  });

  it('needs the award price of a selected product', () => {
    expect(codeOf(() => zeroMarkupViolation(true, '3.34', null))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => zeroMarkupViolation(true, '3.345', '3.33'))).toBe('VALIDATION_FAILED');
  });
});
