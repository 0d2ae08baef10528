import { acceptedAmount, compareIds, daysOverdue, dueDate, isOverdue, settleHospital, SettlementDelivery, SettlementRuleError } from './settlement.rules';

const t = (iso: string) => new Date(iso);

describe('acceptedAmount and dueDate (domain.md section 10)', () => {
  it('accepted amount = acceptedPacks × award price', () => {
    // 28 × 3.33 = 93.24
    expect(acceptedAmount(28, '3.33')).toBe('93.24');
    // 7 × 1.05 = 7.35
    expect(acceptedAmount(7, '1.05')).toBe('7.35');
    // 1200 × 5.6 = 6720.00
    expect(acceptedAmount(1200, '5.6')).toBe('6720.00');
    expect(acceptedAmount(0, '3.33')).toBe('0.00');
  });

  it('refuses fractional or negative packs and malformed prices', () => {
    expect(() => acceptedAmount(1.5, '3.33')).toThrow(SettlementRuleError);
    expect(() => acceptedAmount(-1, '3.33')).toThrow(SettlementRuleError);
    expect(() => acceptedAmount(1, '3.333')).toThrow(SettlementRuleError);
    expect(() => acceptedAmount(1, '0.00')).toThrow(SettlementRuleError);
  });

  it('due date = acceptance + paymentTermDays UTC days, time kept', () => {
    // Jan 31 + 30 days: Feb 1 is +1, Feb 28 is +28 (2025), Mar 1 +29, Mar 2 +30
    expect(dueDate(t('2025-01-31T10:15:00.000Z'), 30).toISOString()).toBe('2025-03-02T10:15:00.000Z');
    // leap year: Feb 1 2024 + 30 = Mar 2 (Feb has 29 days: Feb 29 is +28, Mar 1 +29, Mar 2 +30)
    expect(dueDate(t('2024-02-01T00:00:00.000Z'), 30).toISOString()).toBe('2024-03-02T00:00:00.000Z');
    expect(dueDate(t('2025-06-15T23:59:59.999Z'), 0).toISOString()).toBe('2025-06-15T23:59:59.999Z');
    expect(() => dueDate(t('2025-01-01T00:00:00Z'), -1)).toThrow(SettlementRuleError);
    expect(() => dueDate(t('2025-01-01T00:00:00Z'), 1.5)).toThrow(SettlementRuleError);
  });
});

describe('compareIds', () => {
  it('orders integer ids numerically, others as plain strings', () => {
    expect(compareIds(9, 10)).toBeLessThan(0);
    expect(compareIds('9', '10')).toBeLessThan(0);
    expect(compareIds('10', 9)).toBeGreaterThan(0);
    expect(compareIds('007', 7)).toBe(0);
    expect(compareIds('a', 'b')).toBeLessThan(0);
    expect(compareIds('D10', 'D9')).toBeLessThan(0); // not integers: string order
  });
});

describe('settleHospital (domain.md section 10)', () => {
  const delivery = (deliveryId: string | number, batchId: string, supplierId: string, acceptedAt: string, amount: string, due: string): SettlementDelivery => ({
    deliveryId,
    batchId,
    supplierId,
    acceptedAt: t(acceptedAt),
    amount,
    dueDate: t(due),
  });

  it('draws FIFO on each batch balance, across two suppliers and two batches (input unsorted)', () => {
    const result = settleHospital({
      prepaidBalances: { B1: '1000.00', B2: '50.00' },
      deliveries: [
        delivery('D3', 'B1', 'S2', '2025-03-03T08:00:00Z', '300.00', '2025-04-02T08:00:00Z'),
        delivery('D1', 'B1', 'S1', '2025-03-01T08:00:00Z', '600.00', '2025-03-31T08:00:00Z'),
        delivery('D5', 'B2', 'S2', '2025-03-05T08:00:00Z', '20.00', '2025-04-04T08:00:00Z'),
        delivery('D2', 'B2', 'S1', '2025-03-02T08:00:00Z', '80.00', '2025-04-01T08:00:00Z'),
        delivery('D4', 'B1', 'S1', '2025-03-04T08:00:00Z', '250.55', '2025-04-03T08:00:00Z'),
      ],
    });
    // Order D1, D2, D3, D4, D5:
    // D1 (B1 1000.00): 600.00 from prepayment, B1 → 400.00
    // D2 (B2   50.00): 50.00 from prepayment + 30.00 from hospital, B2 → 0.00 (runs out mid-delivery)
    // D3 (B1  400.00): 300.00 from prepayment, B1 → 100.00
    // D4 (B1  100.00): 100.00 from prepayment + 150.55 from hospital, B1 → 0.00
    // D5 (B2    0.00): 20.00 from hospital
    expect(result.lines).toEqual([
      { deliveryId: 'D1', supplierId: 'S1', batchId: 'B1', amount: '600.00', fromPrepayment: '600.00', fromHospital: '0.00' },
      { deliveryId: 'D2', supplierId: 'S1', batchId: 'B2', amount: '80.00', fromPrepayment: '50.00', fromHospital: '30.00' },
      { deliveryId: 'D3', supplierId: 'S2', batchId: 'B1', amount: '300.00', fromPrepayment: '300.00', fromHospital: '0.00' },
      { deliveryId: 'D4', supplierId: 'S1', batchId: 'B1', amount: '250.55', fromPrepayment: '100.00', fromHospital: '150.55' },
      { deliveryId: 'D5', supplierId: 'S2', batchId: 'B2', amount: '20.00', fromPrepayment: '0.00', fromHospital: '20.00' },
    ]);
    // S1: 600.00 + 80.00 + 250.55 = 930.55 = 750.00 (600+50+100) + 180.55 (0+30+150.55); due min(03-31, 04-01, 04-03)
    // S2: 300.00 + 20.00 = 320.00 = 300.00 + 20.00; due min(04-02, 04-04)
    expect(result.instructions).toEqual([
      { supplierId: 'S1', amount: '930.55', fromPrepayment: '750.00', fromHospital: '180.55', dueDate: t('2025-03-31T08:00:00Z'), lines: ['D1', 'D2', 'D4'] },
      { supplierId: 'S2', amount: '320.00', fromPrepayment: '300.00', fromHospital: '20.00', dueDate: t('2025-04-02T08:00:00Z'), lines: ['D3', 'D5'] },
    ]);
    expect(result.balancesAfter).toEqual({ B1: '0.00', B2: '0.00' });
    expect(result.drawn).toEqual({ B1: '1000.00', B2: '50.00' });
  });

  it('leaves the unspent balance, and splits to the fen', () => {
    const result = settleHospital({
      prepaidBalances: { B1: '0.01', B2: '5000.00' },
      deliveries: [
        delivery(1, 'B1', 'S1', '2025-03-01T00:00:00Z', '0.03', '2025-03-31T00:00:00Z'),
        delivery(2, 'B2', 'S1', '2025-03-01T00:00:01Z', '1234.56', '2025-03-31T00:00:01Z'),
      ],
    });
    // 1: 0.01 from B1, 0.02 from hospital; 2: 1234.56 from B2, which keeps 5000.00 − 1234.56 = 3765.44
    expect(result.lines.map((l) => [l.deliveryId, l.fromPrepayment, l.fromHospital])).toEqual([
      [1, '0.01', '0.02'],
      [2, '1234.56', '0.00'],
    ]);
    expect(result.instructions).toEqual([
      { supplierId: 'S1', amount: '1234.59', fromPrepayment: '1234.57', fromHospital: '0.02', dueDate: t('2025-03-31T00:00:00Z'), lines: [1, 2] },
    ]);
    expect(result.balancesAfter).toEqual({ B1: '0.00', B2: '3765.44' });
    expect(result.drawn).toEqual({ B1: '0.01', B2: '1234.56' });
  });

  it('with a zero or missing balance the hospital pays everything', () => {
    const result = settleHospital({
      prepaidBalances: { B1: '0.00' },
      deliveries: [
        delivery('D1', 'B1', 'S1', '2025-03-01T00:00:00Z', '10.00', '2025-03-31T00:00:00Z'),
        delivery('D2', 'B9', 'S1', '2025-03-02T00:00:00Z', '5.50', '2025-04-01T00:00:00Z'),
      ],
    });
    expect(result.lines.map((l) => [l.deliveryId, l.fromPrepayment, l.fromHospital])).toEqual([
      ['D1', '0.00', '10.00'],
      ['D2', '0.00', '5.50'],
    ]);
    // 10.00 + 5.50 = 15.50, all from the hospital
    expect(result.instructions[0]).toMatchObject({ amount: '15.50', fromPrepayment: '0.00', fromHospital: '15.50' });
    expect(result.balancesAfter).toEqual({ B1: '0.00', B9: '0.00' });
    expect(result.drawn).toEqual({ B1: '0.00', B9: '0.00' });
  });

  it('orders equal acceptance times by delivery id (numerically for integer ids)', () => {
    const at = '2025-03-01T09:00:00Z';
    const result = settleHospital({
      prepaidBalances: { B1: '100.00' },
      deliveries: [delivery('10', 'B1', 'S1', at, '80.00', '2025-03-31T09:00:00Z'), delivery('9', 'B1', 'S1', at, '80.00', '2025-03-31T09:00:00Z')],
    });
    // 9 before 10: 9 takes 80.00 of 100.00; 10 takes the last 20.00 and 60.00 from the hospital
    expect(result.lines.map((l) => [l.deliveryId, l.fromPrepayment, l.fromHospital])).toEqual([
      ['9', '80.00', '0.00'],
      ['10', '20.00', '60.00'],
    ]);
    expect(result.instructions[0].lines).toEqual(['9', '10']);

    const byUuid = settleHospital({
      prepaidBalances: { B1: '1.00' },
      deliveries: [delivery('b-uuid', 'B1', 'S1', at, '1.00', at), delivery('a-uuid', 'B1', 'S1', at, '1.00', at)],
    });
    expect(byUuid.lines.map((l) => [l.deliveryId, l.fromPrepayment])).toEqual([
      ['a-uuid', '1.00'],
      ['b-uuid', '0.00'],
    ]);
  });

  it('uses the earliest due date even when it is not the earliest-accepted line', () => {
    // Two batches with different payment terms: accepted later but due sooner.
    const result = settleHospital({
      prepaidBalances: {},
      deliveries: [
        delivery('D1', 'B1', 'S1', '2025-03-01T00:00:00Z', '1.00', '2025-04-30T00:00:00Z'),
        delivery('D2', 'B2', 'S1', '2025-03-02T00:00:00Z', '2.00', '2025-03-17T00:00:00Z'),
      ],
    });
    expect(result.instructions[0].dueDate).toEqual(t('2025-03-17T00:00:00Z'));
  });

  it('handles no deliveries', () => {
    expect(settleHospital({ prepaidBalances: { B1: '12.00' }, deliveries: [] })).toEqual({
      lines: [],
      instructions: [],
      balancesAfter: { B1: '12.00' },
      drawn: { B1: '0.00' },
    });
  });

  it('refuses duplicates, negative balances and malformed amounts', () => {
    const at = '2025-03-01T00:00:00Z';
    const d1 = delivery('D1', 'B1', 'S1', at, '1.00', at);
    expect(() => settleHospital({ prepaidBalances: {}, deliveries: [d1, { ...d1 }] })).toThrow(SettlementRuleError);
    expect(() => settleHospital({ prepaidBalances: { B1: '-1.00' }, deliveries: [d1] })).toThrow(SettlementRuleError);
    expect(() => settleHospital({ prepaidBalances: {}, deliveries: [{ ...d1, amount: '1.001' }] })).toThrow(SettlementRuleError);
    expect(() => settleHospital({ prepaidBalances: {}, deliveries: [{ ...d1, amount: '-1.00' }] })).toThrow(SettlementRuleError);
    expect(() => settleHospital({ prepaidBalances: {}, deliveries: [{ ...d1, acceptedAt: new Date('x') }] })).toThrow(SettlementRuleError);
  });
});

describe('isOverdue (domain.md section 10)', () => {
  const due = t('2025-03-31T08:00:00.000Z');
  it('is PENDING and strictly after the due date', () => {
    expect(isOverdue('PENDING', due, t('2025-03-31T08:00:00.000Z'))).toBe(false);
    expect(isOverdue('PENDING', due, t('2025-03-31T08:00:00.001Z'))).toBe(true);
    expect(isOverdue('PENDING', due, t('2025-03-01T00:00:00.000Z'))).toBe(false);
    expect(isOverdue('PAID', due, t('2026-01-01T00:00:00.000Z'))).toBe(false);
  });
});

describe('days overdue (issue 13 item 4)', () => {
  const due = new Date('2027-04-09T10:00:00.000Z');
  it('counts a started day whole, from the due date to payment or now', () => {
    expect(daysOverdue('PENDING', due, null, new Date('2027-04-09T10:00:00.000Z'))).toBe(0);
    expect(daysOverdue('PENDING', due, null, new Date('2027-04-09T10:00:00.001Z'))).toBe(1);
    expect(daysOverdue('PENDING', due, null, new Date('2027-04-12T10:00:00.000Z'))).toBe(3);
    expect(daysOverdue('PENDING', due, null, new Date('2027-04-12T10:00:01.000Z'))).toBe(4);
    // Paid 2 days 1 hour late: 3; paid in time: 0, whatever the clock says now.
    expect(daysOverdue('PAID', due, new Date('2027-04-11T11:00:00.000Z'), new Date('2027-06-01T00:00:00.000Z'))).toBe(3);
    expect(daysOverdue('PAID', due, new Date('2027-04-01T00:00:00.000Z'), new Date('2027-06-01T00:00:00.000Z'))).toBe(0);
  });
});
