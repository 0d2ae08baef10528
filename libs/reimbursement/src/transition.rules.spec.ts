import { parseIsoDate, scheduleYears, transitionSchedule, yearInForce } from './transition.rules';
import { ReimbursementRuleError } from './reimbursement.rules';

/**
 * domain.md 15.6 (NHSA 2019 transition standards). Every number is worked by hand in the
 * comment beside it. S = the selected standard per measure unit, C = the product's current
 * UCP (from its listed pack price), N = transitionYears.
 */
describe('transitionSchedule (15.6)', () => {
  const base = { selectedUcp: '0.1500', currentUcp: null as string | null, qualityTier: 'CONSISTENCY_PASSED', transitionYears: 2 };

  it('C > 2S: year 1 = C × 0.7, then equal steps to S from year N + 1 (N = 2)', () => {
    // C = 9.80 / 14 = 0.7000 > 2 × 0.1500 = 0.3000.
    // Y1 = max(0.7000 × 0.7 = 0.49000 → 0.4900, 0.1500) = 0.4900.
    // d = (0.4900 − 0.1500) / 2 = 0.17; year 2 = 0.4900 − 0.17 = 0.3200; year 3 = S = 0.1500.
    expect(transitionSchedule({ ...base, currentUcp: '0.7000' })).toEqual({ reason: 'ABOVE_TWICE', yearUcps: ['0.4900', '0.3200', '0.1500'] });
  });

  it('N = 3: the steps are unrounded, each year rounded half-up to 4 decimals', () => {
    // Y1 = 0.4900, d = 0.3400 / 3 = 0.113333…
    // year 2 = 0.49 − 0.113333… = 0.376666… → 0.3767 (half-up at the 5th decimal 6)
    // year 3 = 0.49 − 0.226666… = 0.263333… → 0.2633
    // year 4 = 0.1500 (= 0.49 − 3 × 0.113333…, exactly S)
    expect(transitionSchedule({ ...base, currentUcp: '0.7000', transitionYears: 3 }).yearUcps).toEqual(['0.4900', '0.3767', '0.2633', '0.1500']);
  });

  it('N = 1: year 1 = C × 0.7, S from year 2', () => {
    // C = 1.0000: Y1 = 0.7000; d = (0.7000 − 0.1500) / 1; year 2 = S.
    expect(transitionSchedule({ ...base, currentUcp: '1.0000', transitionYears: 1 }).yearUcps).toEqual(['0.7000', '0.1500']);
  });

  it('rounds half-up where half-even would round down (C × 0.7 and the step)', () => {
    // C = 0.3001 > 0.3000: C × 0.7 = 0.21007 → 0.2101 (half-up; 5th decimal 7).
    // year 2 = 0.2101 − (0.2101 − 0.1500) / 2 = 0.2101 − 0.03005 = 0.18005 → 0.1801
    //   (half-up; half-even would give 0.1800).
    expect(transitionSchedule({ ...base, currentUcp: '0.3001' }).yearUcps).toEqual(['0.2101', '0.1801', '0.1500']);
    // C = 0.3215: C × 0.7 = 0.22505 → 0.2251 (half-even would give 0.2250).
    // year 2 = 0.2251 − 0.0751 / 2 = 0.2251 − 0.03755 = 0.18755 → 0.1876.
    expect(transitionSchedule({ ...base, currentUcp: '0.3215' }).yearUcps).toEqual(['0.2251', '0.1876', '0.1500']);
  });

  it('C = 2S exactly is not above twice: S at once; C ≤ 2S likewise', () => {
    // 2 × 0.1500 = 0.3000: "more than 2×" is strict.
    expect(transitionSchedule({ ...base, currentUcp: '0.3000' })).toEqual({ reason: 'WITHIN_TWICE', yearUcps: ['0.1500'] });
    expect(transitionSchedule({ ...base, currentUcp: '0.1000' })).toEqual({ reason: 'WITHIN_TWICE', yearUcps: ['0.1500'] });
  });

  it('tier GENERIC (not consistency-passed): S at once, whatever its price', () => {
    // C = 2.0000 is 13.3 × S, yet no transition.
    expect(transitionSchedule({ ...base, qualityTier: 'GENERIC', currentUcp: '2.0000' })).toEqual({ reason: 'GENERIC_TIER', yearUcps: ['0.1500'] });
    expect(transitionSchedule({ ...base, qualityTier: 'GENERIC', currentUcp: null }).reason).toBe('GENERIC_TIER');
  });

  it('no listed pack price: S at once', () => {
    expect(transitionSchedule({ ...base, qualityTier: 'ORIGINATOR', currentUcp: null })).toEqual({ reason: 'NO_LISTED_PRICE', yearUcps: ['0.1500'] });
  });

  it('the originator in group A of 15.6’s worked example: 1.0000 → 0.7000, 0.4250, 0.1500', () => {
    // C = 7.00 / 7 = 1.0000; Y1 = 0.7000; year 2 = (0.7000 + 0.1500) / 2 = 0.4250; year 3 = 0.1500.
    expect(transitionSchedule({ ...base, qualityTier: 'ORIGINATOR', currentUcp: '1.0000' }).yearUcps).toEqual(['0.7000', '0.4250', '0.1500']);
  });

  it('refuses a bad standard, UCP or year count', () => {
    for (const bad of [
      { ...base, selectedUcp: '0', currentUcp: '0.7000' },
      { ...base, selectedUcp: '0.15001', currentUcp: '0.7000' },
      { ...base, currentUcp: '-1.0000' },
      { ...base, currentUcp: '0.70001' },
      { ...base, currentUcp: '0.7000', transitionYears: 0 },
      { ...base, currentUcp: '0.7000', transitionYears: 1.5 },
    ]) {
      expect(() => transitionSchedule(bad)).toThrow(ReimbursementRuleError);
    }
  });
});

describe('scheduleYears and yearInForce (15.6)', () => {
  it('year y runs from the award date + (y − 1) years to the day before + y years; the last has no end', () => {
    // Award 2027-03-10T02:00Z → D = 2027-03-10.
    expect(scheduleYears(new Date('2027-03-10T02:00:00.000Z'), 3)).toEqual([
      { year: 1, from: '2027-03-10', to: '2028-03-09' },
      { year: 2, from: '2028-03-10', to: '2029-03-09' },
      { year: 3, from: '2029-03-10', to: null },
    ]);
    expect(scheduleYears(new Date('2027-03-10T23:59:59.999Z'), 1)).toEqual([{ year: 1, from: '2027-03-10', to: null }]);
  });

  it('29 February: the anniversaries fall on 28 February', () => {
    // D = 2028-02-29: year 2 starts 2029-02-28 (no 29th), so year 1 ends 2029-02-27.
    expect(scheduleYears(new Date('2028-02-29T08:00:00.000Z'), 2)).toEqual([
      { year: 1, from: '2028-02-29', to: '2029-02-27' },
      { year: 2, from: '2029-02-28', to: null },
    ]);
  });

  it('picks the year in force on a date, inclusive at both ends; before year 1 reads year 1', () => {
    const years = scheduleYears(new Date('2027-03-10T02:00:00.000Z'), 3);
    const on = (d: string) => yearInForce(years, d).year;
    expect([on('2027-03-10'), on('2028-03-09'), on('2028-03-10'), on('2029-03-09'), on('2029-03-10'), on('2040-01-01')]).toEqual([1, 1, 2, 2, 3, 3]);
    expect(on('2026-01-01')).toBe(1);
  });

  it('parseIsoDate takes only real YYYY-MM-DD dates', () => {
    expect(parseIsoDate('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    for (const bad of ['2027-02-29', '2027-13-01', '2027-3-10', '2027-03-10T00:00:00Z', '', 20270310, null]) expect(parseIsoDate(bad)).toBeNull();
  });
});
