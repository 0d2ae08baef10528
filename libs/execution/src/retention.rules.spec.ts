import { DEFAULT_RULES } from '@jicai/batches';
import { retained, savings } from './retention.rules';

describe('savings retention (结余留用, issue 13 item 3), worked by hand', () => {
  // Hospital H, agreement year 1, item with baseline UCP 0.2345 (the pre-round average price):
  // A1 at award UCP 0.1000, agreed 10,000 units, accepted 299 packs × 28 = 8,372 units:
  //    (0.2345 − 0.1000) × 8,372 = 0.1345 × 8,372 = 1,126.0340
  // A2 at award UCP 0.1000, agreed 10,000 units, accepted 400 packs × 28 = 11,200 units, of
  //    which only the agreed 10,000 count: 0.1345 × 10,000 = 1,345.0000
  // savings = 2,471.0340 → 2,471.03
  const lines = [
    { baselineUcp: '0.2345', awardUcp: '0.1000', agreedUnits: 10_000, acceptedUnits: 8_372 },
    { baselineUcp: '0.2345', awardUcp: '0.1000', agreedUnits: 10_000, acceptedUnits: 11_200 },
  ];

  it('savings count at most the agreed units and round once, on the total', () => {
    expect(savings(lines).toFixed(2)).toBe('2471.03');
    const five = Array.from({ length: 10 }, () => ({ baselineUcp: '0.1005', awardUcp: '0.1000', agreedUnits: 10, acceptedUnits: 1 }));
    // 10 × 0.0005 = 0.0050 → 0.01 half-up (rounding each line first would give 0.00).
    expect(savings(five).toFixed(2)).toBe('0.01');
  });

  it('the retained share follows the assessment score: 85 → 50 %, 75.5 → 40 %, 65 → 30 %, 59.9999 → 0', () => {
    const t = DEFAULT_RULES.retentionShares;
    // 2,471.03 × 0.50 = 1,235.515 → 1,235.52 (half-up)
    expect(retained('2471.03', '85', t)!.retained.toFixed(2)).toBe('1235.52');
    // 2,471.03 × 0.40 = 988.412 → 988.41
    expect(retained('2471.03', '75.5', t)!.retained.toFixed(2)).toBe('988.41');
    // 2,471.03 × 0.30 = 741.309 → 741.31
    expect(retained('2471.03', '65', t)!.retained.toFixed(2)).toBe('741.31');
    expect(retained('2471.03', '59.9999', t)!.retained.toFixed(2)).toBe('0.00');
    expect(retained('2471.03', null, t)).toBeNull();
  });

  it('negative savings (award above the baseline) retain nothing', () => {
    const s = savings([{ baselineUcp: '0.1000', awardUcp: '0.1200', agreedUnits: 100, acceptedUnits: 100 }]);
    expect(s.toFixed(2)).toBe('-2.00');
    expect(retained(s, '90', DEFAULT_RULES.retentionShares)!.retained.toFixed(2)).toBe('0.00');
  });
});
