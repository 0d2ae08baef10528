import { decimal, id, integer, oneOf, text } from './parsers';

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
});
