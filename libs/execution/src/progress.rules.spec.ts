import {
  agreementYear,
  agreementYears,
  completion,
  consecutiveRuns,
  exceedsNonSelectedLimit,
  expectedCompletion,
  isBehind,
  measureUnits,
  nonSelectedShare,
} from './progress.rules';

describe('progress rules (issue 13 item 2)', () => {
  const start = new Date('2027-01-01T00:00:00.000Z');

  it('agreement years follow agreementStart month by month', () => {
    expect(agreementYears(24)).toEqual([1, 2]);
    expect(agreementYears(36)).toEqual([1, 2, 3]);
    const y2 = agreementYear(start, 2);
    expect([y2.start.toISOString(), y2.end.toISOString()]).toEqual(['2028-01-01T00:00:00.000Z', '2029-01-01T00:00:00.000Z']);
  });

  it('expected completion is the elapsed share of the year: 2027 has 365 days, 2027-04-01 is 90 days in → 90/365 = 0.2466', () => {
    const y1 = agreementYear(start, 1);
    expect(expectedCompletion(y1, new Date('2027-04-01T00:00:00.000Z')).toString()).toBe('0.2466');
    // 2027-07-02T12:00 is 182.5 days in: 182.5/365 = 0.5 exactly.
    expect(expectedCompletion(y1, new Date('2027-07-02T12:00:00.000Z')).toString()).toBe('0.5');
    expect(expectedCompletion(y1, new Date('2026-12-01T00:00:00.000Z')).toString()).toBe('0');
    expect(expectedCompletion(y1, new Date('2029-01-01T00:00:00.000Z')).toString()).toBe('1');
  });

  it('completion = accepted ÷ agreed, half-up to 4 decimals: 2 of 3 → 0.6667, 1 of 3 → 0.3333', () => {
    expect(completion(2, 3)!.toString()).toBe('0.6667');
    expect(completion(1, 3)!.toString()).toBe('0.3333');
    expect(completion(0, 0)).toBeNull();
    // 100 packs × 28 measure units per pack = 2,800 units of an agreed 10,000: 0.28.
    expect(completion(measureUnits(100, 28), 10000)!.toString()).toBe('0.28');
  });

  it('BEHIND when completion < 0.8 × expected: at half the year, 0.3999 is behind and 0.4 is not', () => {
    const expected = expectedCompletion(agreementYear(start, 1), new Date('2027-07-02T12:00:00.000Z'));
    expect(isBehind(completion(3999, 10000), expected, '0.8')).toBe(true);
    expect(isBehind(completion(4000, 10000), expected, '0.8')).toBe(false);
    expect(isBehind(null, expected, '0.8')).toBe(false);
  });

  it('NON_SELECTED_SHARE when non-selected ÷ all purchases exceeds the limit: 300 of 1,000 is 0.3, not above 0.3; 301 of 1,001 is', () => {
    expect(nonSelectedShare(300, 700)!.toString()).toBe('0.3');
    expect(exceedsNonSelectedLimit(nonSelectedShare(300, 700), '0.3')).toBe(false);
    // 301 / 1001 = 0.30069... → 0.3007
    expect(nonSelectedShare(301, 700)!.toString()).toBe('0.3007');
    expect(exceedsNonSelectedLimit(nonSelectedShare(301, 700), '0.3')).toBe(true);
    expect(nonSelectedShare(0, 0)).toBeNull();
  });

  it('the hospitals an acceptance touched become ranges of consecutive ids: [9, 3, 5, 4, 4] → [3..5], [9..9]', () => {
    expect(consecutiveRuns([9, 3, 5, 4, 4])).toEqual([
      [3, 5],
      [9, 9],
    ]);
    expect(consecutiveRuns([])).toEqual([]);
  });
});
