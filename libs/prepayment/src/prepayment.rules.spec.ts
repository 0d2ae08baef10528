import { Dec } from '@jicai/common';
import {
  addMonthsUtc,
  agreementYears,
  prepaymentAmount,
  PrepaymentRuleError,
  recoverable,
  schedulePrepayments,
  schedulePrepaymentsByTerm,
} from './prepayment.rules';

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const iso = (x: Date) => x.toISOString().slice(0, 10);

describe('agreementYears (domain.md sections 3, 8)', () => {
  it('splits a 36-month agreement into three contiguous 12-month years', () => {
    const years = agreementYears(d('2025-01-01'), 36);
    expect(years.map((y) => [y.year, iso(y.start), iso(y.end)])).toEqual([
      [1, '2025-01-01', '2026-01-01'],
      [2, '2026-01-01', '2027-01-01'],
      [3, '2027-01-01', '2028-01-01'],
    ]);
  });

  it('gives one year for 12 months and two for 24', () => {
    expect(agreementYears(d('2025-07-01'), 12).map((y) => [iso(y.start), iso(y.end)])).toEqual([['2025-07-01', '2026-07-01']]);
    expect(agreementYears(d('2025-07-01'), 24)).toHaveLength(2);
  });

  it('clamps Feb 29 to Feb 28 in common years, each boundary from the start (no drift)', () => {
    // 2024-02-29 + 12 months: 2025 has no Feb 29 → 2025-02-28; +24 → 2026-02-28; +36 → 2027-02-28.
    const years = agreementYears(d('2024-02-29'), 36);
    expect(years.map((y) => [iso(y.start), iso(y.end)])).toEqual([
      ['2024-02-29', '2025-02-28'],
      ['2025-02-28', '2026-02-28'],
      ['2026-02-28', '2027-02-28'],
    ]);
    // +48 months lands on a leap year again and gets Feb 29 back.
    expect(iso(addMonthsUtc(d('2024-02-29'), 48))).toBe('2028-02-29');
  });

  it('keeps other month ends (whole years keep the month)', () => {
    const years = agreementYears(d('2025-01-31'), 24);
    expect(years.map((y) => [iso(y.start), iso(y.end)])).toEqual([
      ['2025-01-31', '2026-01-31'],
      ['2026-01-31', '2027-01-31'],
    ]);
    // addMonthsUtc itself clamps within a month: Jan 31 + 1 month = Feb 28 (2025), Feb 29 (2024).
    expect(iso(addMonthsUtc(d('2025-01-31'), 1))).toBe('2025-02-28');
    expect(iso(addMonthsUtc(d('2024-01-31'), 1))).toBe('2024-02-29');
  });

  it('refuses a start that is not a UTC date, and other agreement lengths', () => {
    expect(() => agreementYears(new Date('2025-01-01T08:00:00.000Z'), 12)).toThrow(PrepaymentRuleError);
    expect(() => agreementYears(new Date('invalid'), 12)).toThrow(PrepaymentRuleError);
    expect(() => agreementYears(d('2025-01-01'), 18 as 12)).toThrow(PrepaymentRuleError);
  });
});

describe('prepaymentAmount (domain.md section 8)', () => {
  it('is ratio × Σ amounts, rounded half-up to 2 decimals', () => {
    // 0.30 × 1234.57 = 370.371 → 370.37
    expect(prepaymentAmount('0.30', ['1234.57'])).toBe('370.37');
    // 0.35 × 100.10 = 35.035 → half-up → 35.04
    expect(prepaymentAmount('0.35', ['100.10'])).toBe('35.04');
    // 0.30 × (10000.00 + 2345.67) = 0.30 × 12345.67 = 3703.701 → 3703.70
    expect(prepaymentAmount('0.30', ['10000.00', '2345.67'])).toBe('3703.70');
    // no agreements: 0.00
    expect(prepaymentAmount('0.30', [])).toBe('0.00');
  });

  it('sums first and rounds once (not per agreement)', () => {
    // Σ = 0.15; 0.30 × 0.15 = 0.045 → 0.05.
    // (Rounding each 0.30 × 0.05 = 0.015 → 0.02 first would give 0.06.)
    expect(prepaymentAmount('0.30', ['0.05', '0.05', '0.05'])).toBe('0.05');
  });

  it('accepts a ratio above the minimum', () => {
    // 0.5 × 999.99 = 499.995 → 500.00
    expect(prepaymentAmount('0.5', ['999.99'])).toBe('500.00');
    // 1 × 12.34 = 12.34
    expect(prepaymentAmount('1', ['12.34'])).toBe('12.34');
  });

  it('refuses a ratio below 0.30 with PREPAYMENT_RATIO_TOO_LOW', () => {
    for (const r of ['0.29', '0.2999', '0', '-0.5']) {
      try {
        prepaymentAmount(r, ['100.00']);
        throw new Error(`ratio ${r} was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(PrepaymentRuleError);
        expect((e as PrepaymentRuleError).code).toBe('PREPAYMENT_RATIO_TOO_LOW');
      }
    }
  });

  it('refuses a ratio above 1, a non-decimal ratio and malformed amounts', () => {
    expect(() => prepaymentAmount('1.01', ['100.00'])).toThrow(PrepaymentRuleError);
    expect(() => prepaymentAmount('abc', ['100.00'])).toThrow(PrepaymentRuleError);
    expect(() => prepaymentAmount(0.3 as unknown as string, ['100.00'])).toThrow(PrepaymentRuleError);
    expect(() => prepaymentAmount('0.30', ['1.234'])).toThrow(PrepaymentRuleError);
    expect(() => prepaymentAmount('0.30', ['-1.00'])).toThrow(PrepaymentRuleError);
    expect(() => prepaymentAmount('0.30', [100 as unknown as string])).toThrow(PrepaymentRuleError);
  });
});

describe('schedulePrepayments (domain.md section 8)', () => {
  it('schedules every agreement year with the annual amount, due on the first day of the year', () => {
    const rows = schedulePrepayments({
      agreementStart: d('2025-07-01'),
      agreementMonths: 24,
      ratio: '0.30',
      hospitals: [
        // 0.30 × (10000.00 + 2345.67) = 3703.701 → 3703.70
        { hospitalId: 'H1', confirmedAnnualAmounts: ['10000.00', '2345.67'] },
        // no confirmed agreement → 0.00 → no row
        { hospitalId: 'H2', confirmedAnnualAmounts: [] },
        // 0.30 × 0.01 = 0.003 → 0.00 → no row
        { hospitalId: 'H3', confirmedAnnualAmounts: ['0.01'] },
        // 0.30 × 500.05 = 150.015 → 150.02
        { hospitalId: 'H4', confirmedAnnualAmounts: ['500.05'] },
      ],
    });
    expect(rows.map((r) => [r.hospitalId, r.year, r.amount, iso(r.dueDate)])).toEqual([
      ['H1', 1, '3703.70', '2025-07-01'],
      ['H4', 1, '150.02', '2025-07-01'],
      ['H1', 2, '3703.70', '2026-07-01'],
      ['H4', 2, '150.02', '2026-07-01'],
    ]);
  });

  it('works with numeric hospital ids and a 36-month agreement', () => {
    const rows = schedulePrepayments({
      agreementStart: d('2026-01-01'),
      agreementMonths: 36,
      ratio: '0.40',
      // 0.40 × 2500.00 = 1000.00
      hospitals: [{ hospitalId: 7, confirmedAnnualAmounts: ['2500.00'] }],
    });
    expect(rows.map((r) => [r.hospitalId, r.year, r.amount, iso(r.dueDate)])).toEqual([
      [7, 1, '1000.00', '2026-01-01'],
      [7, 2, '1000.00', '2027-01-01'],
      [7, 3, '1000.00', '2028-01-01'],
    ]);
  });

  it('refuses a low ratio even with no hospitals, and a hospital listed twice', () => {
    expect(() => schedulePrepayments({ agreementStart: d('2025-01-01'), agreementMonths: 12, ratio: '0.25', hospitals: [] })).toThrow(PrepaymentRuleError);
    expect(() =>
      schedulePrepayments({
        agreementStart: d('2025-01-01'),
        agreementMonths: 12,
        ratio: '0.30',
        hospitals: [
          { hospitalId: 'H1', confirmedAnnualAmounts: ['1.00'] },
          { hospitalId: 'H1', confirmedAnnualAmounts: ['2.00'] },
        ],
      }),
    ).toThrow(PrepaymentRuleError);
  });
});

describe('recoverable (domain.md section 8)', () => {
  it('recovers the remaining balance, never a negative amount', () => {
    expect(recoverable('123.45')).toBe('123.45');
    expect(recoverable('7')).toBe('7.00');
    expect(recoverable('0.00')).toBe('0.00');
    expect(recoverable('-5.00')).toBe('0.00');
    // 3703.70 − 3000.00 − 703.69 = 0.01 left
    expect(recoverable(new Dec('3703.70').minus('3000.00').minus('703.69'))).toBe('0.01');
  });

  it('refuses malformed balances', () => {
    expect(() => recoverable('1.005')).toThrow(PrepaymentRuleError);
    expect(() => recoverable('x')).toThrow(PrepaymentRuleError);
    expect(() => recoverable(new Dec('1.005'))).toThrow(PrepaymentRuleError);
  });
});

describe('schedulePrepaymentsByTerm (domain.md 8 and 15.7: prepayment years follow the terms)', () => {
  it('a year counts only the agreements whose term reaches it', () => {
    // H1: 1000.00 for 12 months and 2000.00 for 24; H2: 333.33 for 36. Ratio 0.30.
    // Year 1: H1 0.30 × 3000.00 = 900.00; H2 0.30 × 333.33 = 99.999 → 100.00.
    // Year 2: H1 0.30 × 2000.00 = 600.00; H2 100.00. Year 3: H1 nothing in force; H2 100.00.
    const rows = schedulePrepaymentsByTerm({
      agreementStart: d('2027-01-01'),
      ratio: '0.30',
      hospitals: [
        {
          hospitalId: 'H1',
          agreements: [
            { months: 12, amount: '1000.00' },
            { months: 24, amount: '2000.00' },
          ],
        },
        { hospitalId: 'H2', agreements: [{ months: 36, amount: '333.33' }] },
      ],
    });
    expect(rows.map((r) => [r.hospitalId, r.year, r.amount, iso(r.dueDate)])).toEqual([
      ['H1', 1, '900.00', '2027-01-01'],
      ['H2', 1, '100.00', '2027-01-01'],
      ['H1', 2, '600.00', '2028-01-01'],
      ['H2', 2, '100.00', '2028-01-01'],
      ['H2', 3, '100.00', '2029-01-01'],
    ]);
  });

  it('with one term for all it is schedulePrepayments exactly (termByWinners null keeps section 8)', () => {
    const hospitals = [
      { hospitalId: 1, amounts: ['1000.00', '2000.00'] },
      { hospitalId: 2, amounts: ['333.33'] },
    ];
    const byTerm = schedulePrepaymentsByTerm({
      agreementStart: d('2027-01-01'),
      ratio: '0.30',
      hospitals: hospitals.map((h) => ({ hospitalId: h.hospitalId, agreements: h.amounts.map((amount) => ({ months: 24 as const, amount })) })),
    });
    const plain = schedulePrepayments({
      agreementStart: d('2027-01-01'),
      agreementMonths: 24,
      ratio: '0.30',
      hospitals: hospitals.map((h) => ({ hospitalId: h.hospitalId, confirmedAnnualAmounts: h.amounts })),
    });
    expect(byTerm).toEqual(plain);
  });
});
