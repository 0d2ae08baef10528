import { createHash } from 'node:crypto';
import { Dec } from '@jicai/common';
import { canonicalReceiptJson, receiptOf, strengthFactor, ucpFromFactor, unitComparablePrice, validateCapacity, validatePackPrice } from './bidding.rules';

const mg = (value: string) => ({ value, unit: 'mg' });
const K = '1.7';

describe('unit comparable price (domain.md sections 4 and 14)', () => {
  const rep = mg('2.5');
  const ucp = (price: string, packSize: number, strength: { value: string; unit: string }, k = K) =>
    unitComparablePrice(price, packSize, strength, rep, k)?.toFixed(4);

  it('reproduces the worked example of section 14', () => {
    // b1: 3.33 / 28 = 0.118928… → 0.1189 (the representative strength: factor 1)
    expect(ucp('3.33', 28, mg('2.5'))).toBe('0.1189');
    // b2: 5.60 / 28 = 0.2; log2(2.5/5) = −1; 0.2 × 1.7^−1 = 0.2 / 1.7 = 0.117647… → 0.1176
    expect(ucp('5.60', 28, mg('5'))).toBe('0.1176');
    // b3: 1.05 / 7 = 0.15 → 0.1500
    expect(ucp('1.05', 7, mg('2.5'))).toBe('0.1500');
    // b4: 3.90 / 14 = 0.278571… → 0.2786
    expect(ucp('3.90', 14, mg('2.5'))).toBe('0.2786');
  });

  it('raises the price of a weaker strength: 1.25 mg × 28 at 2.00', () => {
    // log2(2.5/1.25) = 1; 2.00 / 28 × 1.7 = 3.4 / 28 = 0.121428… → 0.1214
    expect(ucp('2.00', 28, mg('1.25'))).toBe('0.1214');
  });

  it('handles a ratio that is not a power of two: 7.5 mg × 28 at 9.00', () => {
    // log2(2.5/7.5) = log2(1/3) = −log2 3, so K^log2(1/3) = 3^(−log2 1.7).
    // log2 1.7 = ln 1.7 / ln 2 = 0.530628251 / 0.693147181 = 0.765534746
    // 3^−0.765534746 = e^(−0.765534746 × 1.098612289) = e^(−0.841025881) = 0.431267867
    // 9.00 / 28 = 0.321428571; × 0.431267867 = 0.138621815 → 0.1386
    expect(ucp('9.00', 28, mg('7.5'))).toBe('0.1386');
    // the factor alone (price 1 per pack of 1): hand value 0.43126787 → 0.4313
    const factor = unitComparablePrice('1', 1, mg('7.5'), rep, K);
    expect(factor?.toFixed(4)).toBe('0.4313');
  });

  it('converts units before comparing strengths', () => {
    // 0.005 g = 5 mg: same as b2
    expect(ucp('5.60', 28, { value: '0.005', unit: 'g' })).toBe('0.1176');
    // 2500 µg = 2.5 mg: same as b1
    expect(ucp('3.33', 28, { value: '2500', unit: '\u00b5g' })).toBe('0.1189');
  });

  it('rounds half-up at 4 decimals, not half-even', () => {
    // 0.01 / 8 = 0.00125 exactly → 0.0013 (half-even would give 0.0012)
    expect(ucp('0.01', 8, mg('2.5'))).toBe('0.0013');
  });

  it('uses the batch K', () => {
    // K = 2: 5.60 / 28 × 2^−1 = 0.1
    expect(ucp('5.60', 28, mg('5'), '2')).toBe('0.1000');
    // K = 1: strength makes no difference, 5.60 / 28 = 0.2
    expect(ucp('5.60', 28, mg('5'), '1')).toBe('0.2000');
  });

  it('returns a Decimal and null for incomparable units; throws on invalid arguments', () => {
    expect(unitComparablePrice('3.33', 28, mg('2.5'), rep, K)).toBeInstanceOf(Dec);
    expect(unitComparablePrice('3.33', 28, { value: '5', unit: 'ml' }, rep, K)).toBeNull();
    expect(() => unitComparablePrice('0', 28, mg('2.5'), rep, K)).toThrow(RangeError);
    expect(() => unitComparablePrice('3.33', 0, mg('2.5'), rep, K)).toThrow(RangeError);
    expect(() => unitComparablePrice('3.33', 28, mg('2.5'), rep, '0')).toThrow(RangeError);
  });
});

describe('strength factor (domain.md section 4)', () => {
  const rep = mg('2.5');

  it('is K^log2(rep / strength), unrounded', () => {
    // 5 mg: 1.7^-1 = 0.58823529411764705882… (1/1.7 = 10/17)
    expect(strengthFactor(mg('5'), rep, K)?.toFixed(20)).toBe('0.58823529411764705882');
    // 1.25 mg: 1.7^1 = 1.7; 2.5 mg: exactly 1
    expect(strengthFactor(mg('1.25'), rep, K)?.toFixed(10)).toBe('1.7000000000');
    expect(strengthFactor(mg('2.5'), rep, K)?.toString()).toBe('1');
    expect(strengthFactor({ value: '5', unit: 'ml' }, rep, K)).toBeNull();
    expect(() => strengthFactor(mg('5'), rep, '0')).toThrow(RangeError);
  });

  it('gives exactly the UCP of unitComparablePrice, computed once per strength', () => {
    const f = strengthFactor(mg('5'), rep, K)!;
    // b2 of section 14: 5.60 / 28 × 0.588235… = 0.117647… → 0.1176
    expect(ucpFromFactor('5.60', 28, f).toFixed(4)).toBe('0.1176');
    const g = strengthFactor(mg('7.5'), rep, K)!;
    for (const [price, size] of [
      ['9.00', 28],
      ['0.01', 1],
      ['123.45', 7],
      ['15.25', 28],
      ['1.05', 14],
    ] as const) {
      expect(ucpFromFactor(price, size, g).toFixed(4)).toBe(unitComparablePrice(price, size, mg('7.5'), rep, K)!.toFixed(4));
      expect(ucpFromFactor(price, size, f).toFixed(4)).toBe(unitComparablePrice(price, size, mg('5'), rep, K)!.toFixed(4));
    }
  });
});

describe('receipt (domain.md section 4)', () => {
  const bid = {
    batchId: 7,
    itemId: 12,
    supplierId: 3,
    productId: 41,
    packPrice: '5.6',
    supplyCapacity: 15000,
    nonce: '9f86d081884c7d659a2feaa0c55ad015',
  };
  // written by hand, keys in the order of section 4, price with two decimals
  const canonical =
    '{"batchId":7,"itemId":12,"supplierId":3,"productId":41,"packPrice":"5.60","supplyCapacity":15000,"nonce":"9f86d081884c7d659a2feaa0c55ad015"}';

  it('hashes the canonical JSON', () => {
    expect(canonicalReceiptJson(bid)).toBe(canonical);
    expect(receiptOf(bid)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    // the same digest from `printf '%s' '<canonical>' | sha256sum`
    expect(receiptOf(bid)).toBe('e42183ac7403f96d0efe5bfa4df77e68219d568993906ba34c04f71f652c2060');
  });

  it('does not depend on how the price was written or on key order of the input', () => {
    const reordered = {
      nonce: bid.nonce,
      packPrice: new Dec('5.60'),
      supplyCapacity: 15000,
      productId: 41,
      supplierId: 3,
      itemId: 12,
      batchId: 7,
    };
    expect(receiptOf(reordered)).toBe(receiptOf(bid));
    expect(receiptOf({ ...bid, packPrice: '5.60' })).toBe(receiptOf(bid));
  });

  it('changes with every field', () => {
    const base = receiptOf(bid);
    expect(receiptOf({ ...bid, packPrice: '5.61' })).not.toBe(base);
    expect(receiptOf({ ...bid, supplyCapacity: 15001 })).not.toBe(base);
    expect(receiptOf({ ...bid, nonce: bid.nonce + '0' })).not.toBe(base);
    expect(receiptOf({ ...bid, supplierId: 4 })).not.toBe(base);
  });

  it('matches a second hand-written example', () => {
    const r = { batchId: 1, itemId: 2, supplierId: 3, productId: 4, packPrice: '3.33', supplyCapacity: 1, nonce: 'n' };
    expect(receiptOf(r)).toBe('1659b4f276cc4786ebc2ab42e546b8e181f4e51b5e593a78fcfa34bd2a880f0f');
  });

  it('refuses what it cannot represent canonically', () => {
    expect(() => receiptOf({ ...bid, packPrice: '5.601' })).toThrow(RangeError);
    expect(() => receiptOf({ ...bid, batchId: 1.5 })).toThrow(RangeError);
    expect(() => receiptOf({ ...bid, supplyCapacity: Number.NaN })).toThrow(RangeError);
  });
});

describe('bid input (domain.md sections 0 and 4)', () => {
  it('accepts a pack price with at most 2 decimals, above 0', () => {
    const ok = validatePackPrice('3.3');
    expect(ok.ok && ok.value.toFixed(2)).toBe('3.30');
    expect(validatePackPrice('12').ok).toBe(true);
    expect(validatePackPrice('0.01').ok).toBe(true);
    expect(validatePackPrice('3.330').ok).toBe(false);
    expect(validatePackPrice('3.335').ok).toBe(false);
    expect(validatePackPrice('0').ok).toBe(false);
    expect(validatePackPrice('0.00').ok).toBe(false);
    expect(validatePackPrice('-1.00').ok).toBe(false);
    expect(validatePackPrice('1e2').ok).toBe(false);
    expect(validatePackPrice(3.33).ok).toBe(false);
    expect(validatePackPrice(null).ok).toBe(false);
  });

  it('accepts a whole supply capacity above 0', () => {
    expect(validateCapacity(15000)).toEqual({ ok: true, value: 15000 });
    expect(validateCapacity(1).ok).toBe(true);
    expect(validateCapacity(0).ok).toBe(false);
    expect(validateCapacity(-5).ok).toBe(false);
    expect(validateCapacity(2.5).ok).toBe(false);
    expect(validateCapacity('15000').ok).toBe(false);
    expect(validateCapacity(Number.POSITIVE_INFINITY).ok).toBe(false);
  });
});
