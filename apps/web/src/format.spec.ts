import { countdown, formatMoney, formatQty } from './format';
import { priceCut } from './rules';
import { previewUcp } from './ucp';

describe('console money formatting (strings, never floats)', () => {
  it('groups thousands and keeps every decimal exactly', () => {
    expect(formatMoney('15001.50')).toBe('15,001.50');
    expect(formatMoney('1234567890123456.78')).toBe('1,234,567,890,123,456.78'); // beyond a double's 15–17 digits
    expect(formatMoney('0.1189')).toBe('0.1189');
    expect(formatMoney('-1000')).toBe('-1,000');
    expect(formatMoney('999')).toBe('999');
    expect(formatMoney('3.30', { currency: true })).toBe('¥3.30');
  });
  it('shows a dash for nothing and the text itself for what is not a number', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney('')).toBe('—');
    expect(formatMoney('n/a')).toBe('n/a');
    expect(formatQty(10501)).toBe('10,501');
  });
  it('counts down in days and hours, in Chinese or English, and stops once passed', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(countdown('2026-12-03T03:30:00Z', now, true)).toBe('2天 3小时');
    expect(countdown('2026-12-01T02:05:00Z', now, false)).toBe('2h 5m');
    expect(countdown('2026-11-30T00:00:00Z', now, true)).toBeNull();
  });
});

describe('price cut against the ceiling', () => {
  it('is 1 − UCP ÷ ceiling in percent, 2 decimals half-up', () => {
    // section 14: b1 0.1189 against 0.5446: 1 − 0.218325… = 0.781674… → 78.17%
    expect(priceCut('0.1189', '0.5446')).toBe('78.17%');
    // 1 − 0.1176 / 0.5446 = 0.784061… → 78.41%
    expect(priceCut('0.1176', '0.5446')).toBe('78.41%');
    // exactly half a hundredth rounds up: 1 − 0.99995 = 0.00005 → 0.005% → 0.01%
    expect(priceCut('0.99995', '1')).toBe('0.01%');
  });
});

describe('the live UCP preview runs the server rule (domain.md 4)', () => {
  const item = { repStrength: { value: '2.5', unit: 'mg' }, K: '1.7', ceiling: '0.5446' };
  it('computes section 14’s UCPs as the bid form shows them', () => {
    expect(previewUcp({ ...item, packPrice: '3.33', packSize: 28, strength: { value: '2.5', unit: 'mg' } })).toEqual({
      ok: true,
      ucp: '0.1189',
      aboveCeiling: false,
    });
    // 5.60 / 28 = 0.2; × 1.7^log2(2.5/5) = 0.2 / 1.7 = 0.117647… → 0.1176
    expect(previewUcp({ ...item, packPrice: '5.60', packSize: 28, strength: { value: '5', unit: 'mg' } })).toEqual({
      ok: true,
      ucp: '0.1176',
      aboveCeiling: false,
    });
  });
  it('says when the price is above the ceiling or not a price', () => {
    // 15.26 / 28 = 0.545 → 0.5450 > 0.5446
    expect(previewUcp({ ...item, packPrice: '15.26', packSize: 28, strength: { value: '2.5', unit: 'mg' } })).toEqual({
      ok: true,
      ucp: '0.5450',
      aboveCeiling: true,
    });
    expect(previewUcp({ ...item, packPrice: '3.333', packSize: 28, strength: { value: '2.5', unit: 'mg' } }).ok).toBe(false);
    expect(previewUcp({ ...item, packPrice: '3', packSize: 28, strength: { value: '5', unit: 'ml' } })).toEqual({
      ok: false,
      message: 'STRENGTH_NOT_COMPARABLE',
    });
  });
});
