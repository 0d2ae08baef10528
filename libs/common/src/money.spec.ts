import { Dec, decimalsOf, fmt, isDecimalString, parseDecimal, roundHalfUp, sum } from './money';

describe('money helpers (domain.md section 0)', () => {
  it('rounds half-up, never banker-style', () => {
    expect(roundHalfUp('0.125', 2).toFixed(2)).toBe('0.13');
    expect(roundHalfUp('0.135', 2).toFixed(2)).toBe('0.14');
    expect(roundHalfUp('2.5', 0).toFixed(0)).toBe('3');
    expect(roundHalfUp('3.5', 0).toFixed(0)).toBe('4');
    expect(roundHalfUp('-0.125', 2).toFixed(2)).toBe('-0.13');
    expect(roundHalfUp('0.11885', 4).toFixed(4)).toBe('0.1189');
  });

  it('is exact where binary floats are not', () => {
    // 0.1 + 0.2 is 0.30000000000000004 as a JS number
    expect(new Dec('0.1').plus('0.2').toString()).toBe('0.3');
    // 1.005 * 100 = 100.49999999999999 as a float; exact here, so half-up gives 1.01
    expect(fmt(new Dec('1.005'), 2)).toBe('1.01');
    expect(sum(['0.10', '0.20', '0.30']).toFixed(2)).toBe('0.60');
  });

  it('formats with exactly the precision asked', () => {
    expect(fmt('3.3', 2)).toBe('3.30');
    expect(fmt('60', 4)).toBe('60.0000');
    expect(fmt('0.11885', 4)).toBe('0.1189');
  });

  it('rejects input with more decimals than allowed, and non-strings', () => {
    expect(parseDecimal('3.33', 2)?.toFixed(2)).toBe('3.33');
    expect(parseDecimal('3.330', 2)).toBeNull();
    expect(parseDecimal('3.335', 2)).toBeNull();
    expect(parseDecimal('1e3', 2)).toBeNull();
    expect(parseDecimal(' 3.3', 2)).toBeNull();
    expect(parseDecimal(3.33 as unknown, 2)).toBeNull();
    expect(parseDecimal('12', 2)?.toFixed(2)).toBe('12.00');
    expect(isDecimalString('-0.5')).toBe(true);
    expect(decimalsOf('0.1000')).toBe(4);
  });
});
