import { date, dateTime, decimal, id, integer, numberText, oneOf, text } from './parsers';

describe('column parsers', () => {
  it('integer: whole numbers within bounds only', () => {
    const p = integer({ min: 0, max: 1000 });
    expect(p('12')).toEqual({ value: 12 });
    expect(p('0')).toEqual({ value: 0 });
    expect(p('12.5').error).toBe('must be a whole number');
    expect(p('1e3').error).toBe('must be a whole number');
    expect(p('abc').error).toBe('must be a whole number');
    expect(p('-1').error).toBe('must be between 0 and 1000');
    expect(p('1001').error).toBe('must be between 0 and 1000');
    expect(id('0').error).toBeDefined();
    expect(id('99999999999999999999').error).toBeDefined();
  });

  it('decimal: plain decimals, refusing more places than allowed (domain.md 0)', () => {
    const p = decimal({ maxDp: 6, positive: true, maxIntegerDigits: 14 });
    expect(p('2.5')).toEqual({ value: '2.5' });
    expect(p('0.000001')).toEqual({ value: '0.000001' });
    expect(p('0.0000001').error).toBe('must have at most 6 decimal places');
    expect(p('0').error).toBe('must be greater than 0');
    expect(p('2,5').error).toBe('must be a decimal number such as 2.5');
    expect(p('1e3').error).toBeDefined();
    expect(p('100000000000000').error).toBe('is too large'); // 15 integer digits
    expect(p('99999999999999')).toEqual({ value: '99999999999999' });
  });

  it('oneOf and text', () => {
    const tier = oneOf(['ORIGINATOR', 'GENERIC'] as const);
    expect(tier('GENERIC')).toEqual({ value: 'GENERIC' });
    expect(tier('generic').error).toBe('must be one of ORIGINATOR, GENERIC');
    expect(text({ maxLength: 3 })('abcd').error).toBe('must be at most 3 characters');
    expect(text({ maxLength: 3, nfkc: true })('ＡＢＣ')).toEqual({ value: 'ABC' });
  });

  it('numbers: full-width digits (NFKC), thousands separators accepted only in groups of three, never a decimal comma', () => {
    expect(['１５００１', '15,001', '１５，００１', '+12', ' 1,234.5 ', '-3'].map(numberText)).toEqual(['15001', '15001', '15001', '12', '1234.5', '-3']);
    expect(['1,5', '15,00', '1,2345', ',123', '1 000', '1e3', '12.', ''].map(numberText)).toEqual([null, null, null, null, null, null, null, null]);
    expect(integer({ min: 0, max: 100000 })('１５，００１')).toEqual({ value: 15001 });
    expect(decimal({ maxDp: 2 })('１，２３４．５')).toEqual({ value: '1234.5' });
    expect(oneOf(['A', 'B'] as const)('Ｂ')).toEqual({ value: 'B' });
  });

  it('dates: a date cell or text in the usual forms; dateTime in UTC', () => {
    const d = date();
    expect(d('', new Date('2027-01-05T00:00:00Z'))).toEqual({ value: '2027-01-05' });
    for (const s of ['2027-01-05', '2027/1/5', '2027.1.5', '2027年1月5日', '２０２７－０１－０５']) expect([s, d(s, s)]).toEqual([s, { value: '2027-01-05' }]);
    expect(d('2027-02-30', '2027-02-30').error).toBe('is not a real date');
    expect(d('5/1/2027', '5/1/2027').error).toBe('must be a date such as 2027-01-05');
    expect(d('', new Date('2027-01-05T08:00:00Z')).error).toBe('must be a date without a time of day');
    const dt = dateTime();
    expect(dt('2027-01-05 08:30', '2027-01-05 08:30')).toEqual({ value: new Date('2027-01-05T08:30:00Z') });
    expect(dt('2027-01-05T08:30:00+08:00', 'x')).toEqual({ value: new Date('2027-01-05T00:30:00Z') });
    expect(dt('2027/1/5', 'x')).toEqual({ value: new Date('2027-01-05T00:00:00Z') });
    expect(dt('soon', 'soon').error).toBeDefined();
  });
});
