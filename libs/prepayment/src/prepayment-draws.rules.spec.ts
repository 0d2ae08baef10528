import { allocateDraws, PrepaidBalance, prepaidBalancesByBatch } from './prepayment.rules';

const p = (id: number, batchId: number, year: number, balance: string): PrepaidBalance => ({ id, batchId, year, balance });

describe('drawing on prepaid balances (冲抵 across prepayments, first in first out)', () => {
  it('sums the balance per batch', () => {
    expect(prepaidBalancesByBatch([p(1, 7, 1, '50.00'), p(2, 7, 2, '20.00'), p(3, 9, 1, '0.05')])).toEqual({ '7': '70.00', '9': '0.05' });
    expect(prepaidBalancesByBatch([])).toEqual({});
  });

  it('draws each line from the oldest agreement year first, splitting a line across years', () => {
    // Batch 7: year 1 holds 50.00 (id 4), year 2 holds 20.00 (id 2: a lower id, but a later year).
    // Lines in settlement order: d5 33.60, d1 33.30, d2 3.10 (the rest of d2 comes from the hospital).
    //   d5: 33.60 from year 1 (16.40 left)
    //   d1: 16.40 from year 1 (now 0), 16.90 from year 2 (3.10 left)
    //   d2:  3.10 from year 2 (now 0)
    const locked = [p(2, 7, 2, '20.00'), p(4, 7, 1, '50.00')];
    const lines = [
      { deliveryId: 5, batchId: 7, fromPrepayment: '33.60' },
      { deliveryId: 1, batchId: 7, fromPrepayment: '33.30' },
      { deliveryId: 2, batchId: 7, fromPrepayment: '3.10' },
      { deliveryId: 3, batchId: 8, fromPrepayment: '0.00' },
    ];
    expect(allocateDraws(locked, lines)).toEqual([
      { prepaymentId: 4, deliveryId: 5, amount: '33.60' },
      { prepaymentId: 4, deliveryId: 1, amount: '16.40' },
      { prepaymentId: 2, deliveryId: 1, amount: '16.90' },
      { prepaymentId: 2, deliveryId: 2, amount: '3.10' },
    ]);
  });

  it('keeps batches apart, skips spent prepayments and orders equal years by id', () => {
    const locked = [p(11, 1, 1, '0.00'), p(13, 1, 2, '1.00'), p(12, 1, 2, '1.00'), p(20, 2, 1, '5.00')];
    expect(
      allocateDraws(locked, [
        { deliveryId: 100, batchId: 2, fromPrepayment: '4.99' },
        { deliveryId: 101, batchId: 1, fromPrepayment: '1.50' },
        { deliveryId: 102, batchId: 2, fromPrepayment: '0.01' },
      ]),
    ).toEqual([
      { prepaymentId: 20, deliveryId: 100, amount: '4.99' },
      { prepaymentId: 12, deliveryId: 101, amount: '1.00' },
      { prepaymentId: 13, deliveryId: 101, amount: '0.50' },
      { prepaymentId: 20, deliveryId: 102, amount: '0.01' },
    ]);
  });

  it('refuses to draw more than a batch holds (the caller rolls back)', () => {
    expect(() => allocateDraws([p(1, 1, 1, '1.00')], [{ deliveryId: 9, batchId: 1, fromPrepayment: '1.01' }])).toThrow(/more than the prepaid balance/);
    expect(() => allocateDraws([p(1, 1, 1, '1.00')], [{ deliveryId: 9, batchId: 2, fromPrepayment: '0.01' }])).toThrow();
  });
});
