import { monthWindow, mondayOf, priceCut, sumMoney, weekWindow } from './dashboards.rules';

describe('dashboards rules', () => {
  it('price cut = 1 − lowest award UCP ÷ ceiling, 4 decimals half-up', () => {
    // 1 − 0.1000 / 0.4000 = 0.75
    expect(priceCut('0.4000', '0.1000')).toBe('0.7500');
    // 1 − 0.1 / 0.3 = 0.666666… → 0.6667 (half-up)
    expect(priceCut('0.3000', '0.1000')).toBe('0.6667');
    // 1 − 0.12345 / 1 = 0.87655 → 0.8766 (the 5 rounds up, half-up)
    expect(priceCut('1.0000', '0.12345')).toBe('0.8766');
    expect(priceCut('0.3000', null)).toBeNull();
  });

  it('month windows: 12 months ending with the current one by default, both bounds included, at most 36', () => {
    const w = monthWindow(undefined, undefined, new Date('2027-03-10T12:00:00Z'));
    expect(w.months[0]).toBe('2026-04');
    expect(w.months[11]).toBe('2027-03');
    expect(w.months).toHaveLength(12);
    expect(w.from.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(w.to.toISOString()).toBe('2027-04-01T00:00:00.000Z');
    expect(monthWindow('2027-01', '2027-03', new Date()).months).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(() => monthWindow('2027-04', '2027-03', new Date())).toThrow(/after/);
    expect(() => monthWindow('2020-01', '2027-03', new Date())).toThrow(/36 months/);
  });

  it('week windows: Monday to Monday, both weeks included', () => {
    // 2027-03-10 is a Wednesday; its Monday is 2027-03-08.
    expect(mondayOf(new Date('2027-03-10T23:59:00Z')).toISOString()).toBe('2027-03-08T00:00:00.000Z');
    // A Sunday belongs to the week of the Monday before it.
    expect(mondayOf(new Date('2027-03-14T01:00:00Z')).toISOString()).toBe('2027-03-08T00:00:00.000Z');
    const w = weekWindow('2027-03-10', '2027-03-22', new Date());
    expect(w.weeks).toEqual(['2027-03-08', '2027-03-15', '2027-03-22']);
    expect(w.to.toISOString()).toBe('2027-03-29T00:00:00.000Z');
    // By default 8 weeks back and 8 ahead of the current week: 17 weeks.
    expect(weekWindow(undefined, undefined, new Date('2027-03-10T00:00:00Z')).weeks).toHaveLength(17);
    expect(() => weekWindow('2027-03-22', '2027-03-10', new Date())).toThrow(/after/);
  });

  it('sums money exactly', () => {
    // 0.10 + 0.20 = 0.30 exactly (a float gives 0.30000000000000004)
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(sumMoney([])).toBe('0.00');
  });
});
