import { AllocationInputError, agreedVolume, agreedVolumeRatioFor, allocate } from './allocation.rules';

// All expected numbers below are worked out by hand in the comments.

const DEFAULT_RATIOS = [
  { winners: 1, ratio: '0.50' },
  { winners: 2, ratio: '0.60' },
  { winners: 3, ratio: '0.70' },
  { winners: 4, ratio: '0.80' },
];

describe('agreedVolume (domain.md sections 6, 13, 14)', () => {
  it('section 14: 15001 × 0.70 = 10500.7 → 10501', () => {
    expect(agreedVolume(15001, 3, DEFAULT_RATIOS)).toBe(10501);
  });

  it('rounds an exact .5 half-up', () => {
    // 5 × 0.50 = 2.5 → 3 (half-even would give 2); 1 × 0.50 = 0.5 → 1; 45 × 0.70 = 31.5 → 32
    expect(agreedVolume(5, 1, DEFAULT_RATIOS)).toBe(3);
    expect(agreedVolume(1, 1, DEFAULT_RATIOS)).toBe(1);
    expect(agreedVolume(45, 3, DEFAULT_RATIOS)).toBe(32);
  });

  it('is exact decimal, not float: 50 × 0.57 = 28.5 → 29', () => {
    // as JS floats 0.57 * 50 = 28.499999999999996, which Math.round would turn into 28
    expect(agreedVolume(50, 1, [{ winners: 1, ratio: '0.57' }])).toBe(29);
  });

  it('rounds down below .5', () => {
    // 7 × 0.60 = 4.2 → 4 ; 1004 × 0.80 = 803.2 → 803
    expect(agreedVolume(7, 2, DEFAULT_RATIOS)).toBe(4);
    expect(agreedVolume(1004, 4, DEFAULT_RATIOS)).toBe(803);
  });

  it('k = 0 gives 0; k above the last row takes the last row (4+ → 0.80)', () => {
    expect(agreedVolume(15001, 0, DEFAULT_RATIOS)).toBe(0);
    // 15 × 0.80 = 12
    expect(agreedVolume(15, 7, DEFAULT_RATIOS)).toBe(12);
    expect(agreedVolumeRatioFor(0, DEFAULT_RATIOS)).toBe('0');
    expect(agreedVolumeRatioFor(5, DEFAULT_RATIOS)).toBe('0.80');
  });

  it('demand 0 gives 0', () => {
    expect(agreedVolume(0, 2, DEFAULT_RATIOS)).toBe(0);
  });

  it('rejects a non-integer or negative demand', () => {
    expect(() => agreedVolume(10.5, 1, DEFAULT_RATIOS)).toThrow(AllocationInputError);
    expect(() => agreedVolume(-1, 1, DEFAULT_RATIOS)).toThrow(AllocationInputError);
  });
});

describe('allocate (domain.md section 7)', () => {
  it('everyone fits: each winner grants all it is asked', () => {
    // w10 cap 1000 asked by h1 300 + h2 400 = 700 ≤ 1000 → all.
    // w20 cap 500 asked by h3 200 ≤ 500 → all.
    const r = allocate({
      winners: [
        { winnerId: 10, capacity: 1000 },
        { winnerId: 20, capacity: 500 },
      ],
      hospitals: [
        { hospitalId: 1, agreedVolume: 300, preferences: [10, 20] },
        { hospitalId: 2, agreedVolume: 400, preferences: [10, 20] },
        { hospitalId: 3, agreedVolume: 200, preferences: [20, 10] },
      ],
    });
    expect(r).toEqual({
      grants: [
        { hospitalId: 1, winnerId: 10, units: 300 },
        { hospitalId: 2, winnerId: 10, units: 400 },
        { hospitalId: 3, winnerId: 20, units: 200 },
      ],
      unallocated: [],
    });
  });

  it('rations capacity in proportion to pending, remainders by largest fractional part', () => {
    // w10 cap 100, asked by h1 50, h2 30, h3 20, h4 7: total 107 > 100.
    // h1: 50 × 100 = 5000 = 107 × 46 + 78  → floor 46, remainder 78
    // h2: 30 × 100 = 3000 = 107 × 28 + 4   → floor 28, remainder 4
    // h3: 20 × 100 = 2000 = 107 × 18 + 74  → floor 18, remainder 74
    // h4:  7 × 100 =  700 = 107 ×  6 + 58  → floor  6, remainder 58
    // floors 46 + 28 + 18 + 6 = 98 → 2 units left (remainders 78 + 4 + 74 + 58 = 214 = 2 × 107)
    // largest remainders: h1 (78), h3 (74) → h1 47, h2 28, h3 19, h4 6 = 100.
    // no preference left → unallocated h1 3, h2 2, h3 1, h4 1 (= 107 − 100).
    const r = allocate({
      winners: [{ winnerId: 10, capacity: 100 }],
      hospitals: [
        { hospitalId: 1, agreedVolume: 50, preferences: [10] },
        { hospitalId: 2, agreedVolume: 30, preferences: [10] },
        { hospitalId: 3, agreedVolume: 20, preferences: [10] },
        { hospitalId: 4, agreedVolume: 7, preferences: [10] },
      ],
    });
    expect(r.grants).toEqual([
      { hospitalId: 1, winnerId: 10, units: 47 },
      { hospitalId: 2, winnerId: 10, units: 28 },
      { hospitalId: 3, winnerId: 10, units: 19 },
      { hospitalId: 4, winnerId: 10, units: 6 },
    ]);
    expect(r.unallocated).toEqual([
      { hospitalId: 1, units: 3 },
      { hospitalId: 2, units: 2 },
      { hospitalId: 3, units: 1 },
      { hospitalId: 4, units: 1 },
    ]);
  });

  it('remainder tie: the larger pending gets the unit, even with the higher hospital id', () => {
    // w10 cap 2, asked by h1 1 and h2 3: total 4.
    // h1: 1 × 2 = 2 = 4 × 0 + 2 → floor 0, remainder 2 ; h2: 3 × 2 = 6 = 4 × 1 + 2 → floor 1, remainder 2
    // 1 unit left, remainders tie (both 2/4) → larger pending h2 → h1 0, h2 2.
    const r = allocate({
      winners: [{ winnerId: 10, capacity: 2 }],
      hospitals: [
        { hospitalId: 1, agreedVolume: 1, preferences: [10] },
        { hospitalId: 2, agreedVolume: 3, preferences: [10] },
      ],
    });
    expect(r.grants).toEqual([{ hospitalId: 2, winnerId: 10, units: 2 }]);
    expect(r.unallocated).toEqual([
      { hospitalId: 1, units: 1 },
      { hospitalId: 2, units: 1 },
    ]);
  });

  it('remainder tie with equal pending: the lower hospital id gets the unit', () => {
    // w10 cap 1, asked by h9, h4, h7 with 1 each: total 3; each 1 × 1 = 1 = 3 × 0 + 1 → floor 0, remainder 1.
    // 1 unit left, all tie on remainder and pending → lowest id h4.
    const r = allocate({
      winners: [{ winnerId: 10, capacity: 1 }],
      hospitals: [
        { hospitalId: 9, agreedVolume: 1, preferences: [10] },
        { hospitalId: 4, agreedVolume: 1, preferences: [10] },
        { hospitalId: 7, agreedVolume: 1, preferences: [10] },
      ],
    });
    expect(r.grants).toEqual([{ hospitalId: 4, winnerId: 10, units: 1 }]);
    expect(r.unallocated).toEqual([
      { hospitalId: 7, units: 1 },
      { hospitalId: 9, units: 1 },
    ]);
  });

  it('exhausted preferences leave the rest unallocated, even if another winner has capacity', () => {
    // w10 cap 50, w20 cap 1000.
    // round 1: w10 asked by h1 80 > 50 → h1 gets 80 × 50 / 80 = 50 (remainder 0); w20 asked by h3 30 → 30.
    // h1 has no preference left (w20 is not in its list) → 30 unallocated.
    // h2 gave an empty list → all 40 unallocated.
    const r = allocate({
      winners: [
        { winnerId: 10, capacity: 50 },
        { winnerId: 20, capacity: 1000 },
      ],
      hospitals: [
        { hospitalId: 1, agreedVolume: 80, preferences: [10] },
        { hospitalId: 2, agreedVolume: 40, preferences: [] },
        { hospitalId: 3, agreedVolume: 30, preferences: [20] },
      ],
    });
    expect(r).toEqual({
      grants: [
        { hospitalId: 1, winnerId: 10, units: 50 },
        { hospitalId: 3, winnerId: 20, units: 30 },
      ],
      unallocated: [
        { hospitalId: 1, units: 30 },
        { hospitalId: 2, units: 40 },
      ],
    });
  });

  it('multi-round cascade: hospitals rationed at their first choice move on', () => {
    // w10 cap 60, w20 cap 50, w30 cap 100.
    // h1 40 [10,20,30], h2 40 [10,20,30], h3 35 [20,30], h4 25 [30].
    // round 1: w10 asked 40 + 40 = 80 > 60 → each 40 × 60 = 2400 = 80 × 30 + 0 → 30 each, w10 left 0.
    //          w20 asked by h3 35 ≤ 50 → 35, w20 left 15. w30 asked by h4 25 ≤ 100 → 25, w30 left 75.
    // round 2: h1 10, h2 10 move to w20 (left 15): 20 > 15 → each 10 × 15 = 150 = 20 × 7 + 10
    //          → floor 7, remainder 10 each; 1 unit left; tie on remainder and pending → lower id h1.
    //          h1 8, h2 7; w20 left 0.
    // round 3: h1 2, h2 3 move to w30 (left 75): 5 ≤ 75 → all.
    // h1: 30 + 8 + 2 = 40 ; h2: 30 + 7 + 3 = 40 ; h3: 35 ; h4: 25 ; nothing unallocated.
    const r = allocate({
      winners: [
        { winnerId: 10, capacity: 60 },
        { winnerId: 20, capacity: 50 },
        { winnerId: 30, capacity: 100 },
      ],
      hospitals: [
        { hospitalId: 1, agreedVolume: 40, preferences: [10, 20, 30] },
        { hospitalId: 2, agreedVolume: 40, preferences: [10, 20, 30] },
        { hospitalId: 3, agreedVolume: 35, preferences: [20, 30] },
        { hospitalId: 4, agreedVolume: 25, preferences: [30] },
      ],
    });
    expect(r).toEqual({
      grants: [
        { hospitalId: 1, winnerId: 10, units: 30 },
        { hospitalId: 1, winnerId: 20, units: 8 },
        { hospitalId: 1, winnerId: 30, units: 2 },
        { hospitalId: 2, winnerId: 10, units: 30 },
        { hospitalId: 2, winnerId: 20, units: 7 },
        { hospitalId: 2, winnerId: 30, units: 3 },
        { hospitalId: 3, winnerId: 20, units: 35 },
        { hospitalId: 4, winnerId: 30, units: 25 },
      ],
      unallocated: [],
    });
  });

  it('a winner with zero capacity grants nothing and its askers move on', () => {
    // w10 cap 0: round 1 h1 30 and h2 20 ask w10 → 0 each (no zero grant is listed).
    // round 2: h1 asks w20 (cap 100) → 30; h2 has no preference left → 20 unallocated.
    const r = allocate({
      winners: [
        { winnerId: 10, capacity: 0 },
        { winnerId: 20, capacity: 100 },
      ],
      hospitals: [
        { hospitalId: 1, agreedVolume: 30, preferences: [10, 20] },
        { hospitalId: 2, agreedVolume: 20, preferences: [10] },
      ],
    });
    expect(r).toEqual({
      grants: [{ hospitalId: 1, winnerId: 20, units: 30 }],
      unallocated: [{ hospitalId: 2, units: 20 }],
    });
  });

  it('a hospital with agreed volume 0 asks nobody and appears nowhere', () => {
    const r = allocate({
      winners: [{ winnerId: 10, capacity: 5 }],
      hospitals: [{ hospitalId: 1, agreedVolume: 0, preferences: [10] }],
    });
    expect(r).toEqual({ grants: [], unallocated: [] });
  });

  it('stays exact when pending × capacity exceeds 2^53', () => {
    // a = 3,000,000,001 ; h1 pending a, h2 pending 2a, total 3a ; w10 cap C = 1,000,000,001.
    // h1: a × C / 3a = C / 3 ; C = 3 × 333,333,333 + 2 → floor 333,333,333, remainder 2a (fraction 2/3)
    // h2: 2a × C / 3a = 2C / 3 ; 2C = 2,000,000,002 = 3 × 666,666,667 + 1 → floor 666,666,667, remainder a (1/3)
    // floors sum 1,000,000,000 → 1 unit left → h1 (2/3 > 1/3): h1 333,333,334, h2 666,666,667.
    // a × C = 3,000,000,004,000,000,001 is not a float (3000000001 * 1000000001 % 9000000003 gives
    // 6000000001 in JS numbers instead of 2a = 6000000002).
    // unallocated: h1 3,000,000,001 − 333,333,334 = 2,666,666,667 ; h2 6,000,000,002 − 666,666,667 = 5,333,333,335.
    const r = allocate({
      winners: [{ winnerId: 10, capacity: 1_000_000_001 }],
      hospitals: [
        { hospitalId: 1, agreedVolume: 3_000_000_001, preferences: [10] },
        { hospitalId: 2, agreedVolume: 6_000_000_002, preferences: [10] },
      ],
    });
    expect(r).toEqual({
      grants: [
        { hospitalId: 1, winnerId: 10, units: 333_333_334 },
        { hospitalId: 2, winnerId: 10, units: 666_666_667 },
      ],
      unallocated: [
        { hospitalId: 1, units: 2_666_666_667 },
        { hospitalId: 2, units: 5_333_333_335 },
      ],
    });
  });

  it('rejects preferences naming a non-winner or repeating a winner, and duplicate ids', () => {
    const winners = [{ winnerId: 10, capacity: 5 }];
    expect(() => allocate({ winners, hospitals: [{ hospitalId: 1, agreedVolume: 1, preferences: [11] }] })).toThrow(AllocationInputError);
    expect(() => allocate({ winners, hospitals: [{ hospitalId: 1, agreedVolume: 1, preferences: [10, 10] }] })).toThrow(AllocationInputError);
    expect(() =>
      allocate({
        winners,
        hospitals: [
          { hospitalId: 1, agreedVolume: 1, preferences: [10] },
          { hospitalId: 1, agreedVolume: 2, preferences: [10] },
        ],
      }),
    ).toThrow(AllocationInputError);
    expect(() => allocate({ winners: [...winners, { winnerId: 10, capacity: 1 }], hospitals: [] })).toThrow(AllocationInputError);
    expect(() => allocate({ winners, hospitals: [{ hospitalId: 1, agreedVolume: 1.5, preferences: [10] }] })).toThrow(AllocationInputError);
  });
});
