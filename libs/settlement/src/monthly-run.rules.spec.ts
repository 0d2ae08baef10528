import { previousMonth } from './monthly-run.rules';

describe('previousMonth (the monthly run settles the month before)', () => {
  it('fires on the 1st at 02:00 UTC and settles up to the last millisecond of the month before', () => {
    expect(previousMonth(new Date('2027-04-01T02:00:00.000Z'))).toEqual({ periodKey: '2027-03', cutoff: new Date('2027-03-31T23:59:59.999Z') });
  });

  it('is the same month whenever in the month it runs (a late or retried job)', () => {
    const late = previousMonth(new Date('2027-04-30T23:59:59.999Z'));
    expect(late).toEqual({ periodKey: '2027-03', cutoff: new Date('2027-03-31T23:59:59.999Z') });
    expect(previousMonth(new Date('2027-04-01T00:00:00.000Z'))).toEqual(late);
  });

  it('crosses the year and knows February', () => {
    expect(previousMonth(new Date('2027-01-01T02:00:00.000Z'))).toEqual({ periodKey: '2026-12', cutoff: new Date('2026-12-31T23:59:59.999Z') });
    expect(previousMonth(new Date('2028-03-01T02:00:00.000Z'))).toEqual({ periodKey: '2028-02', cutoff: new Date('2028-02-29T23:59:59.999Z') }); // leap year
    expect(previousMonth(new Date('2027-03-15T12:00:00.000Z'))).toEqual({ periodKey: '2027-02', cutoff: new Date('2027-02-28T23:59:59.999Z') });
  });

  it('counts in UTC, not local time: 1 April 07:00 in Beijing is still 31 March in UTC', () => {
    expect(previousMonth(new Date('2027-03-31T23:00:00.000Z')).periodKey).toBe('2027-02');
  });

  it('refuses an invalid date', () => {
    expect(() => previousMonth(new Date('nope'))).toThrow();
  });
});
