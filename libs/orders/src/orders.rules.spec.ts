import { OrderStatus, answeredInTime, applyDelivery, averageDays, canApply, confirmDeadline, fillRate, openPacks } from './orders.rules';

describe('purchase order rules (issue 13 item 1)', () => {
  it('the state machine: answers and cancellation only while PLACED; deliveries only once confirmed', () => {
    const all = Object.values(OrderStatus);
    const allowed = (action: 'confirm' | 'refuse' | 'cancel' | 'deliver') => all.filter((s) => canApply(s, action));
    expect(allowed('confirm')).toEqual(['PLACED']);
    expect(allowed('refuse')).toEqual(['PLACED']);
    expect(allowed('cancel')).toEqual(['PLACED']);
    expect(allowed('deliver')).toEqual(['CONFIRMED', 'PARTIALLY_DELIVERED']);
  });

  it('the supplier answers within orderConfirmHours: placed 2027-03-01 09:30, 48 h → 2027-03-03 09:30', () => {
    const deadline = confirmDeadline(new Date('2027-03-01T09:30:00.000Z'), 48);
    expect(deadline.toISOString()).toBe('2027-03-03T09:30:00.000Z');
    expect(answeredInTime(new Date('2027-03-03T09:30:00.000Z'), deadline)).toBe(true);
    expect(answeredInTime(new Date('2027-03-03T09:30:00.001Z'), deadline)).toBe(false);
  });

  it('a delivery cannot exceed what is ordered and not yet delivered', () => {
    expect(openPacks(100, 30)).toBe(70);
    // 100 ordered, 30 delivered: 70 open.
    expect(applyDelivery(100, 30, 71)).toEqual({ ok: false, open: 70 });
    expect(applyDelivery(100, 30, 40)).toEqual({ ok: true, deliveredPacks: 70, status: 'PARTIALLY_DELIVERED' });
    expect(applyDelivery(100, 70, 30)).toEqual({ ok: true, deliveredPacks: 100, status: 'DELIVERED' });
    expect(applyDelivery(100, 100, 1)).toEqual({ ok: false, open: 0 });
  });
});

describe('supplier punctuality (issue 13 item 2)', () => {
  it('fill rate: 170 of 240 confirmed packs delivered = 0.70833… → 0.7083; none confirmed → null', () => {
    expect(fillRate(170, 240)).toBe('0.7083');
    expect(fillRate(1, 8)).toBe('0.1250');
    expect(fillRate(0, 0)).toBeNull();
  });

  it('days to first delivery: 1.5 days and 3 days → 2.25; 1 day 1 hour alone → 1.0417 → 1.04', () => {
    expect(averageDays(1.5 * 86_400 + 3 * 86_400, 2)).toBe('2.25');
    expect(averageDays(86_400 + 3_600, 1)).toBe('1.04');
    // 1 day 12 h 36 min = 1.525 days exactly → 1.53 (half-up).
    expect(averageDays(86_400 + 12 * 3_600 + 36 * 60, 1)).toBe('1.53');
    expect(averageDays(0, 0)).toBeNull();
  });
});
