import {
  EvaluationInput,
  EvaluationInputError,
  EvaluationRules,
  TechnicalScoresMissingError,
  evaluateGroup,
  gateAnchorUcp,
  revivalOffers,
  abnormallyLowBids,
  medianUcp,
  maxWinnersFor,
  technicalScoreFromCriteria,
} from './evaluation.rules';
import { Dec } from '@jicai/common';

// All expected numbers below are worked out by hand in the comments.

const DEFAULT_MAX_WINNERS = [
  { minBids: 1, winners: 1 },
  { minBids: 2, winners: 2 },
  { minBids: 4, winners: 3 },
  { minBids: 6, winners: 4 },
];

const DEFAULT_RULES: EvaluationRules = {
  priceWeight: '60',
  technicalWeight: '40',
  gateRatio: '1.8',
  gateReduction: '0.5',
  gateFloor: '0.1000',
  maxWinners: DEFAULT_MAX_WINNERS,
};

const NO_GATES: EvaluationRules = { ...DEFAULT_RULES, gateRatio: null, gateReduction: null, gateFloor: null };

const T0 = new Date('2025-03-01T09:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function bid(bidId: number, ucp: string, technicalScore: string | null, submittedAfterSeconds = 0) {
  return { bidId, ucp, technicalScore, finalSubmittedAt: at(submittedAfterSeconds) };
}

describe('technicalScoreFromCriteria (domain.md section 5, section 0)', () => {
  it('sums the criteria points to a 4-decimal technical score', () => {
    // 10 + 15.5 + 10 = 35.5
    const r = technicalScoreFromCriteria(
      [
        { name: 'quality system', points: '10', maxPoints: '15' },
        { name: 'supply record', points: '15.5', maxPoints: '20' },
        { name: 'clinical use', points: '10', maxPoints: '10' },
      ],
      '40',
    );
    expect(r).toEqual({ ok: true, technicalScore: '35.5000' });
  });

  it('keeps 4 decimals exactly (no float drift)', () => {
    // 12.3456 + 7.0001 = 19.3457 ; 0.1 + 0.2 = 0.3 (a float would give 0.30000000000000004)
    expect(
      technicalScoreFromCriteria(
        [
          { name: 'a', points: '12.3456', maxPoints: '20' },
          { name: 'b', points: '7.0001', maxPoints: '20' },
        ],
        '40',
      ),
    ).toEqual({ ok: true, technicalScore: '19.3457' });
    expect(
      technicalScoreFromCriteria(
        [
          { name: 'a', points: '0.1', maxPoints: '1' },
          { name: 'b', points: '0.2', maxPoints: '1' },
        ],
        '40',
      ),
    ).toEqual({ ok: true, technicalScore: '0.3000' });
  });

  it('accepts points equal to their maximum and a total equal to the technical weight', () => {
    // 20 + 20 = 40 = technicalWeight
    expect(
      technicalScoreFromCriteria(
        [
          { name: 'a', points: '20', maxPoints: '20' },
          { name: 'b', points: '20.0000', maxPoints: '20' },
        ],
        '40',
      ),
    ).toEqual({ ok: true, technicalScore: '40.0000' });
  });

  it('no criteria gives 0.0000', () => {
    expect(technicalScoreFromCriteria([], '40')).toEqual({ ok: true, technicalScore: '0.0000' });
  });

  it('rejects points above the maximum, negative points, and more than 4 decimals, reporting each', () => {
    const r = technicalScoreFromCriteria(
      [
        { name: 'a', points: '16', maxPoints: '15' },
        { name: 'b', points: '-1', maxPoints: '10' },
        { name: 'c', points: '1.23456', maxPoints: '10' },
        { name: 'd', points: '1.00000', maxPoints: '10' }, // trailing zeros are still 5 decimals
        { name: 'e', points: '2', maxPoints: '10' },
      ],
      '40',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['criteria[0].points', 'criteria[1].points', 'criteria[2].points', 'criteria[3].points']);
  });

  it('rejects non-decimal input, including JS numbers', () => {
    const r = technicalScoreFromCriteria(
      [
        { name: 'a', points: 'abc', maxPoints: '10' },
        { name: 'b', points: 5 as unknown as string, maxPoints: '10' },
        { name: 'c', points: '1', maxPoints: '1.23456' },
      ],
      '40',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['criteria[0].points', 'criteria[1].points', 'criteria[2].maxPoints']);
  });

  it('rejects a total above the technical weight', () => {
    // 20 + 20 + 0.0001 = 40.0001 > 40
    const r = technicalScoreFromCriteria(
      [
        { name: 'a', points: '20', maxPoints: '20' },
        { name: 'b', points: '20', maxPoints: '20' },
        { name: 'c', points: '0.0001', maxPoints: '10' },
      ],
      '40',
    );
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'criteria' })] });
  });

  it('with technical weight 0 only a zero total is accepted', () => {
    expect(technicalScoreFromCriteria([{ name: 'a', points: '0', maxPoints: '0' }], '0')).toEqual({
      ok: true,
      technicalScore: '0.0000',
    });
    expect(technicalScoreFromCriteria([{ name: 'a', points: '1', maxPoints: '5' }], '0').ok).toBe(false);
  });
});

describe('maxWinnersFor (domain.md sections 5 and 13)', () => {
  it('answers n with the row of the largest minBids not above n', () => {
    // default table: 1→1, 2–3→2, 4–5→3, 6+→4 ; n = 0 has no row → 0
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => maxWinnersFor(n, DEFAULT_MAX_WINNERS))).toEqual([0, 1, 2, 2, 3, 3, 4, 4, 4]);
  });

  it('does not depend on the order of the rows, and gives 0 below the first row', () => {
    const table = [
      { minBids: 5, winners: 3 },
      { minBids: 3, winners: 1 },
    ];
    expect([1, 2, 3, 4, 5, 9].map((n) => maxWinnersFor(n, table))).toEqual([0, 0, 1, 1, 3, 3]);
  });
});

describe('evaluateGroup: the worked example of domain.md section 14', () => {
  // Ceiling 0.5446. UCPs: b1 0.1189, b2 0.1176, b3 0.1500, b4 0.2786. minUCP = 0.1176.
  // 60 × 0.1176 = 7.056.
  // b1: 7.056 / 0.1189 = 59.34398654… → 59.3440 ; CS = 35.5 + 59.3440 = 94.8440
  // b2: 7.056 / 0.1176 = 60                      ; CS = 30 + 60 = 90.0000
  // b3: 7.056 / 0.1500 = 47.04                   ; CS = 38 + 47.04 = 85.0400
  // b4: 7.056 / 0.2786 = 25.32663316… → 25.3266  ; CS = 39 + 25.3266 = 64.3266
  // Gates: 1.8 × 0.1176 = 0.21168 ; (1 − 0.5) × 0.5446 = 0.2723 ; floor 0.1000.
  // b1, b2, b3 ≤ 0.21168 pass (gated: true); b4 = 0.2786 exceeds all three bounds → gated: false.
  // n = 4 → maxWinners 3 → winners b1, b2, b3.
  const input: EvaluationInput = {
    ceilingUcp: '0.5446',
    rules: DEFAULT_RULES,
    bids: [bid(1, '0.1189', '35.5', 10), bid(2, '0.1176', '30', 20), bid(3, '0.1500', '38', 30), bid(4, '0.2786', '39', 40)],
  };

  it('gives the scores, ranks, gates and winners of the table', () => {
    const r = evaluateGroup(input);
    expect(r.bids).toEqual([
      {
        bidId: 1,
        ucp: '0.1189',
        technicalScore: '35.5000',
        priceScore: '59.3440',
        compositeScore: '94.8440',
        rank: 1,
        gated: true,
        gatePassedBy: 'RATIO',
        winner: true,
      },
      {
        bidId: 2,
        ucp: '0.1176',
        technicalScore: '30.0000',
        priceScore: '60.0000',
        compositeScore: '90.0000',
        rank: 2,
        gated: true,
        gatePassedBy: 'RATIO',
        winner: true,
      },
      {
        bidId: 3,
        ucp: '0.1500',
        technicalScore: '38.0000',
        priceScore: '47.0400',
        compositeScore: '85.0400',
        rank: 3,
        gated: true,
        gatePassedBy: 'RATIO',
        winner: true,
      },
      {
        bidId: 4,
        ucp: '0.2786',
        technicalScore: '39.0000',
        priceScore: '25.3266',
        compositeScore: '64.3266',
        rank: 4,
        gated: false,
        gatePassedBy: null,
        winner: false,
      },
    ]);
    expect(r.winners).toEqual([1, 2, 3]);
    // LOWEST (default): the ratio gate is measured from minUCP 0.1176.
    expect(r.anchorUcp).toBe('0.1176');
    expect(r.noBid).toBe(false);
  });

  it('does not depend on the order the bids are given in', () => {
    const reversed = { ...input, bids: [...input.bids].reverse() };
    expect(evaluateGroup(reversed)).toEqual(evaluateGroup(input));
  });
});

describe('evaluateGroup: price score rounding (section 0)', () => {
  it('rounds PS half-up at the 4th decimal', () => {
    // minUCP 0.0001 ; PS of the 0.9600 bid = 60 × 0.0001 / 0.96 = 0.006 / 0.96 = 0.00625
    // half-up → 0.0063 (half-even would give 0.0062). CS = 10 + 0.0063 = 10.0063.
    const r = evaluateGroup({
      ceilingUcp: '1.0000',
      rules: NO_GATES,
      bids: [bid(1, '0.0001', '0'), bid(2, '0.9600', '10')],
    });
    expect(r.bids.find((b) => b.bidId === 2)).toMatchObject({ priceScore: '0.0063', compositeScore: '10.0063' });
    // bid 1: PS 60.0000, CS 60.0000 → rank 1
    expect(r.bids.map((b) => b.bidId)).toEqual([1, 2]);
  });
});

describe('evaluateGroup: tie-breaks (section 5)', () => {
  it('equal CS: lower UCP first (before submission time and bid id)', () => {
    // bid 1: UCP 1.2000, PS = 60 × 1 / 1.2 = 50.0000, TS 30 → CS 80.0000, submitted first, lower id
    // bid 2: UCP 1.0000, PS = 60.0000,               TS 20 → CS 80.0000, submitted later
    // tie on CS → lower UCP → bid 2 ranks first.
    const r = evaluateGroup({
      ceilingUcp: '2.0000',
      rules: NO_GATES,
      bids: [bid(1, '1.2000', '30', 0), bid(2, '1.0000', '20', 60)],
    });
    expect(r.bids.map((b) => [b.bidId, b.compositeScore, b.rank])).toEqual([
      [2, '80.0000', 1],
      [1, '80.0000', 2],
    ]);
    expect(r.winners).toEqual([2, 1]);
  });

  it('equal CS and UCP: earlier final submission first (before bid id)', () => {
    // both UCP 1.0000 → PS 60.0000, TS 25 → CS 85.0000. bid 1 submitted at +5 s, bid 2 at +1 s.
    const r = evaluateGroup({
      ceilingUcp: '2.0000',
      rules: NO_GATES,
      bids: [bid(1, '1.0000', '25', 5), bid(2, '1.0000', '25', 1)],
    });
    expect(r.bids.map((b) => b.bidId)).toEqual([2, 1]);
  });

  it('equal CS, UCP and submission time: lower bid id first', () => {
    const r = evaluateGroup({
      ceilingUcp: '2.0000',
      rules: NO_GATES,
      bids: [bid(7, '1.0000', '25', 3), bid(3, '1.0000', '25', 3)],
    });
    expect(r.bids.map((b) => [b.bidId, b.rank])).toEqual([
      [3, 1],
      [7, 2],
    ]);
  });

  it('a higher CS outranks a lower UCP', () => {
    // bid 1: UCP 1.0000 → PS 60, TS 10 → CS 70 ; bid 2: UCP 1.5000 → PS 40, TS 40 → CS 80
    const r = evaluateGroup({
      ceilingUcp: '2.0000',
      rules: NO_GATES,
      bids: [bid(1, '1.0000', '10'), bid(2, '1.5000', '40')],
    });
    expect(r.bids.map((b) => [b.bidId, b.priceScore, b.compositeScore])).toEqual([
      [2, '40.0000', '80.0000'],
      [1, '60.0000', '70.0000'],
    ]);
  });
});

describe('evaluateGroup: price gates (section 5), each alone', () => {
  // Equal TS (30) everywhere, so rank order is UCP order.
  // The bids that fail every enabled gate (gated: false): they cannot win.
  const failingIds = (r: ReturnType<typeof evaluateGroup>) => r.bids.filter((b) => !b.gated).map((b) => b.bidId);

  it('gateRatio alone: UCP ≤ 1.8 × minUCP', () => {
    // minUCP 1.0000 → bound 1.8. 1.0000 and 1.8000 pass; 1.8001 and 2.0000 fail.
    // n = 4 → 3 slots, but only 2 bids pass → winners 1, 2.
    const r = evaluateGroup({
      ceilingUcp: '10.0000',
      rules: { ...NO_GATES, gateRatio: '1.8' },
      bids: [bid(1, '1.0000', '30'), bid(2, '1.8000', '30'), bid(3, '1.8001', '30'), bid(4, '2.0000', '30')],
    });
    expect(failingIds(r)).toEqual([3, 4]);
    expect(r.winners).toEqual([1, 2]);
    expect(r.noBid).toBe(false);
  });

  it('gateRatio bound is compared exactly, not rounded to 4 decimals', () => {
    // minUCP 0.1176 → bound 1.8 × 0.1176 = 0.21168. 0.2116 ≤ 0.21168 passes; 0.2117 > 0.21168 fails
    // (it would pass if the bound were first rounded to 0.2117).
    const r = evaluateGroup({
      ceilingUcp: '0.5446',
      rules: { ...NO_GATES, gateRatio: '1.8' },
      bids: [bid(1, '0.1176', '30'), bid(2, '0.2116', '30'), bid(3, '0.2117', '30')],
    });
    expect(failingIds(r)).toEqual([3]);
  });

  it('gateReduction alone: UCP ≤ (1 − 0.5) × ceiling', () => {
    // ceiling 2.0000 → bound 1.0000. 0.8000, 1.0000 pass; 1.0001, 1.5000 fail. n = 4 → 3 slots.
    const r = evaluateGroup({
      ceilingUcp: '2.0000',
      rules: { ...NO_GATES, gateReduction: '0.5' },
      bids: [bid(1, '0.8000', '30'), bid(2, '1.0000', '30'), bid(3, '1.0001', '30'), bid(4, '1.5000', '30')],
    });
    expect(failingIds(r)).toEqual([3, 4]);
    expect(r.winners).toEqual([1, 2]);
  });

  it('gateReduction alone can gate out every bid, even the cheapest: no winner (流标)', () => {
    // ceiling 1.0000 → bound 0.5000; bids 0.6000 and 0.7000 both above.
    const r = evaluateGroup({
      ceilingUcp: '1.0000',
      rules: { ...NO_GATES, gateReduction: '0.5' },
      bids: [bid(1, '0.6000', '30'), bid(2, '0.7000', '30')],
    });
    expect(failingIds(r)).toEqual([1, 2]);
    expect(r.winners).toEqual([]);
    expect(r.noBid).toBe(true);
    expect(r.bids).toHaveLength(2);
  });

  it('gateFloor alone: UCP ≤ 0.1000', () => {
    // 0.0800, 0.1000 pass; 0.1001, 0.2000 fail. n = 4 → 3 slots.
    const r = evaluateGroup({
      ceilingUcp: '1.0000',
      rules: { ...NO_GATES, gateFloor: '0.1000' },
      bids: [bid(1, '0.0800', '30'), bid(2, '0.1000', '30'), bid(3, '0.1001', '30'), bid(4, '0.2000', '30')],
    });
    expect(failingIds(r)).toEqual([3, 4]);
    expect(r.winners).toEqual([1, 2]);
  });

  it('gates combine with OR: passing any one enabled gate is enough', () => {
    // minUCP 0.0500: ratio bound 1.8 × 0.05 = 0.09 ; ceiling 1.0000 with reduction 0.8: bound 0.2 ; floor 0.1.
    // 0.0500 passes all; 0.1500 fails ratio (> 0.09) and floor (> 0.1) but passes reduction (≤ 0.2);
    // 0.0950 fails ratio, passes floor; 0.2001 fails all three. n = 4 → 3 slots.
    const r = evaluateGroup({
      ceilingUcp: '1.0000',
      rules: { ...NO_GATES, gateRatio: '1.8', gateReduction: '0.8', gateFloor: '0.1000' },
      bids: [bid(1, '0.0500', '30'), bid(2, '0.1500', '30'), bid(3, '0.0950', '30'), bid(4, '0.2001', '30')],
    });
    expect(failingIds(r)).toEqual([4]);
    expect(r.winners).toEqual([1, 3, 2]);
  });

  it('with all three gates null there is no gate: every bid may win', () => {
    // 2 bids → 2 slots. UCP 5.0000 would fail the default gates (5 > 1.8, 5 > 0.5 × 6 = 3, 5 > 0.1).
    const bids = [bid(1, '1.0000', '30'), bid(2, '5.0000', '30')];
    const open = evaluateGroup({ ceilingUcp: '6.0000', rules: NO_GATES, bids });
    expect(failingIds(open)).toEqual([]);
    expect(open.winners).toEqual([1, 2]);
    const defaultGates = evaluateGroup({ ceilingUcp: '6.0000', rules: DEFAULT_RULES, bids });
    expect(failingIds(defaultGates)).toEqual([2]);
    expect(defaultGates.winners).toEqual([1]);
  });

  it('a bid failing the gates is skipped and the next passing bids take the slots; n counts failing bids', () => {
    // bid 1: UCP 2.0000 → PS 60 × 1 / 2 = 30, TS 40 → CS 70 (rank 1) but 2.0 > 1.8 × 1.0 → fails the gate.
    // bids 2, 3, 4: UCP 1.0000 → PS 60, TS 5, 4, 3 → CS 65, 64, 63.
    // n = 4 → 3 slots → winners 2, 3, 4.
    const r = evaluateGroup({
      ceilingUcp: '10.0000',
      rules: { ...NO_GATES, gateRatio: '1.8' },
      bids: [bid(1, '2.0000', '40'), bid(2, '1.0000', '5'), bid(3, '1.0000', '4'), bid(4, '1.0000', '3')],
    });
    expect(r.bids.map((b) => [b.bidId, b.compositeScore, b.rank, b.gated, b.winner])).toEqual([
      [1, '70.0000', 1, false, false],
      [2, '65.0000', 2, true, true],
      [3, '64.0000', 3, true, true],
      [4, '63.0000', 4, true, true],
    ]);
    expect(r.winners).toEqual([2, 3, 4]);
  });
});

describe('evaluateGroup: number of winners by n (default maxWinners table)', () => {
  // n bids, all UCP 1.0000 (all pass the default gates: 1.0 ≤ 1.8 × 1.0), TS 40, 39, 38, …
  // so bid i ranks i. Expected winners: n=1→1, 2→2, 3→2, 4→3, 5→3, 6→4, 7→4.
  const expected: Record<number, number[]> = {
    1: [1],
    2: [1, 2],
    3: [1, 2],
    4: [1, 2, 3],
    5: [1, 2, 3],
    6: [1, 2, 3, 4],
    7: [1, 2, 3, 4],
  };
  for (const n of [1, 2, 3, 4, 5, 6, 7]) {
    it(`n = ${n} → winners ${expected[n].join(', ')}`, () => {
      const bids = Array.from({ length: n }, (_, i) => bid(i + 1, '1.0000', String(40 - i)));
      const r = evaluateGroup({ ceilingUcp: '1.0000', rules: DEFAULT_RULES, bids });
      expect(r.winners).toEqual(expected[n]);
      expect(r.bids.map((b) => b.rank)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(r.bids.filter((b) => b.winner).map((b) => b.bidId)).toEqual(expected[n]);
    });
  }

  it('no bids: no winner, flagged noBid (流标)', () => {
    expect(evaluateGroup({ ceilingUcp: '1.0000', rules: DEFAULT_RULES, bids: [] })).toEqual({
      bids: [],
      winners: [],
      noBid: true,
      anchorUcp: null,
    });
  });
});

describe('evaluateGroup: technical scores', () => {
  it('refuses while a valid bid lacks a technical score, listing the bid ids', () => {
    const run = () =>
      evaluateGroup({
        ceilingUcp: '1.0000',
        rules: DEFAULT_RULES,
        bids: [bid(5, '0.5000', null), bid(2, '0.5000', '30'), bid(3, '0.6000', null)],
      });
    expect(run).toThrow(TechnicalScoresMissingError);
    try {
      run();
    } catch (e) {
      expect((e as TechnicalScoresMissingError).bidIds).toEqual([3, 5]);
      expect((e as TechnicalScoresMissingError).code).toBe('TECHNICAL_SCORES_MISSING');
    }
  });

  it('technicalWeight 0 is price only: TS is 0 and need not be entered', () => {
    // priceWeight 100: bid 1 UCP 1.0000 → PS 100.0000 ; bid 2 UCP 1.2500 → 100 × 1 / 1.25 = 80.0000.
    // bid 2 carries a stale TS "12", which is ignored (TS ∈ [0, 0]).
    const r = evaluateGroup({
      ceilingUcp: '2.0000',
      rules: { ...NO_GATES, priceWeight: '100', technicalWeight: '0' },
      bids: [bid(1, '1.0000', null), bid(2, '1.2500', '12')],
    });
    expect(r.bids.map((b) => [b.bidId, b.technicalScore, b.priceScore, b.compositeScore])).toEqual([
      [1, '0.0000', '100.0000', '100.0000'],
      [2, '0.0000', '80.0000', '80.0000'],
    ]);
  });

  it('rejects a technical score above the technical weight or with more than 4 decimals', () => {
    expect(() => evaluateGroup({ ceilingUcp: '1.0000', rules: DEFAULT_RULES, bids: [bid(1, '0.5000', '40.0001')] })).toThrow(EvaluationInputError);
    expect(() => evaluateGroup({ ceilingUcp: '1.0000', rules: DEFAULT_RULES, bids: [bid(1, '0.5000', '30.00001')] })).toThrow(EvaluationInputError);
  });
});

describe('evaluateGroup: malformed input', () => {
  it('rejects a UCP with more than 4 decimals, a zero UCP, and duplicate bid ids', () => {
    const ev = (bids: ReturnType<typeof bid>[]) => () => evaluateGroup({ ceilingUcp: '1.0000', rules: DEFAULT_RULES, bids });
    expect(ev([bid(1, '0.12345', '30')])).toThrow(EvaluationInputError);
    expect(ev([bid(1, '0.0000', '30')])).toThrow(EvaluationInputError);
    expect(ev([bid(1, '0.5000', '30'), bid(1, '0.6000', '30')])).toThrow(EvaluationInputError);
  });
});

describe('gateAnchorUcp (domain.md 15.1)', () => {
  const d = (xs: string[]) => xs.map((x) => new Dec(x));
  it('LOWEST is minUCP', () => {
    expect(gateAnchorUcp(d(['0.1189', '0.1176', '0.1500', '0.2786'])).toFixed(4)).toBe('0.1176');
  });
  it('MAX_LOWEST_HALF_AVERAGE: the half average when it is above minUCP, rounded half-up', () => {
    // 0.1000 + 0.2004 + 0.2600 + 0.4000 = 0.9604 ; / 4 = 0.2401 ; × 0.5 = 0.12005 → 0.1201 (half-even: 0.1200)
    expect(gateAnchorUcp(d(['0.1000', '0.2004', '0.2600', '0.4000']), 'MAX_LOWEST_HALF_AVERAGE').toFixed(4)).toBe('0.1201');
  });
  it('MAX_LOWEST_HALF_AVERAGE: minUCP when it is above the half average (the worked example)', () => {
    // 0.1189 + 0.1176 + 0.1500 + 0.2786 = 0.6651 ; / 4 = 0.166275 ; × 0.5 = 0.0831375 → 0.0831 < 0.1176
    expect(gateAnchorUcp(d(['0.1189', '0.1176', '0.1500', '0.2786']), 'MAX_LOWEST_HALF_AVERAGE').toFixed(4)).toBe('0.1176');
  });
});

describe('evaluateGroup: anchor price and gate variants (domain.md 15.1, 15.2)', () => {
  // Price only (priceWeight 100, technicalWeight 0). UCPs 0.1000, 0.2004, 0.2600, 0.4000; minUCP 0.1000.
  // PS = 100 × 0.1000 / UCP: 100.0000 ; 10 / 0.2004 = 49.90019… → 49.9002 ; 10 / 0.26 = 38.46153… → 38.4615 ; 25.0000.
  // n = 4 → at most 3 winners. Batch 10: no 50 % gate (gateReduction null).
  const bids = [bid(1, '0.1000', null), bid(2, '0.2004', null), bid(3, '0.2600', null), bid(4, '0.4000', null)];
  const base: EvaluationRules = { ...DEFAULT_RULES, priceWeight: '100', technicalWeight: '0', gateReduction: null };

  it('LOWEST: bound 1.8 × 0.1000 = 0.18; only bid 1 passes (0.2004 > 0.18 and > floor 0.1000)', () => {
    const r = evaluateGroup({ ceilingUcp: '0.5446', rules: base, bids });
    expect(r.anchorUcp).toBe('0.1000');
    expect(r.bids.map((b) => [b.bidId, b.priceScore, b.gatePassedBy, b.winner])).toEqual([
      [1, '100.0000', 'RATIO', true],
      [2, '49.9002', null, false],
      [3, '38.4615', null, false],
      [4, '25.0000', null, false],
    ]);
    expect(r.winners).toEqual([1]);
  });

  it('MAX_LOWEST_HALF_AVERAGE: anchor 0.1201, bound 1.8 × 0.1201 = 0.21618; bid 2 passes too; PS still from minUCP', () => {
    const r = evaluateGroup({ ceilingUcp: '0.5446', rules: { ...base, gateAnchor: 'MAX_LOWEST_HALF_AVERAGE' }, bids });
    expect(r.anchorUcp).toBe('0.1201');
    expect(r.bids.map((b) => [b.bidId, b.priceScore, b.gatePassedBy, b.winner])).toEqual([
      [1, '100.0000', 'RATIO', true],
      [2, '49.9002', 'RATIO', true],
      [3, '38.4615', null, false],
      [4, '25.0000', null, false],
    ]);
    expect(r.winners).toEqual([1, 2]);
  });

  it('a floor of 0.2600 (as a per-class floor resolves to) lets bid 3 pass by FLOOR; 0.4000 fails all', () => {
    const r = evaluateGroup({ ceilingUcp: '0.5446', rules: { ...base, gateAnchor: 'MAX_LOWEST_HALF_AVERAGE', gateFloor: '0.2600' }, bids });
    expect(r.bids.map((b) => [b.bidId, b.gatePassedBy])).toEqual([
      [1, 'RATIO'],
      [2, 'RATIO'],
      [3, 'FLOOR'],
      [4, null],
    ]);
    expect(r.winners).toEqual([1, 2, 3]);
  });

  it('with the 50 % gate back (0.5 × 0.5446 = 0.2723) bid 3 passes by REDUCTION, reported before FLOOR', () => {
    const r = evaluateGroup({ ceilingUcp: '0.5446', rules: { ...base, gateReduction: '0.5', gateFloor: '0.2600' }, bids });
    expect(r.bids.map((b) => [b.bidId, b.gatePassedBy])).toEqual([
      [1, 'RATIO'],
      [2, 'REDUCTION'],
      [3, 'REDUCTION'],
      [4, null],
    ]);
  });

  it('every gate off: NO_GATE, and no anchor', () => {
    const r = evaluateGroup({ ceilingUcp: '0.5446', rules: { ...base, gateRatio: null, gateFloor: null }, bids });
    expect(r.anchorUcp).toBeNull();
    expect(r.bids.every((b) => b.gatePassedBy === 'NO_GATE' && b.gated)).toBe(true);
    expect(r.winners).toEqual([1, 2, 3]);
  });
});

describe('abnormally low bids (domain.md 15.5)', () => {
  const d = (xs: string[]) => xs.map((x) => new Dec(x));
  it('median: the middle UCP, or the mean of the two middle ones rounded half-up', () => {
    expect(medianUcp(d(['0.3000', '0.1000', '0.2000'])).toFixed(4)).toBe('0.2000');
    // (0.2004 + 0.2600) / 2 = 0.2302
    expect(medianUcp(d(['0.4000', '0.1000', '0.2600', '0.2004'])).toFixed(4)).toBe('0.2302');
    // (0.1002 + 0.1003) / 2 = 0.10025 → 0.1003 half-up (half-even would give 0.1002)
    expect(medianUcp(d(['0.1002', '0.1003'])).toFixed(4)).toBe('0.1003');
  });

  it('flags a UCP strictly below ratio × median; off when the ratio is null', () => {
    // median 0.2302; 0.5 × 0.2302 = 0.1151; 0.1000 < 0.1151 is flagged, the others are not.
    const bids = [
      { bidId: 1, ucp: '0.1000' },
      { bidId: 2, ucp: '0.2004' },
      { bidId: 3, ucp: '0.2600' },
      { bidId: 4, ucp: '0.4000' },
    ];
    expect(abnormallyLowBids(bids, '0.5')).toEqual({ medianUcp: '0.2302', threshold: '0.1151', flagged: [1] });
    expect(abnormallyLowBids(bids, null)).toBeNull();
    // At the threshold exactly: median 0.2302, 0.5 × 0.2302 = 0.1151 — not below, not flagged.
    const atBound = [
      { bidId: 7, ucp: '0.1151' },
      { bidId: 8, ucp: '0.2302' },
      { bidId: 9, ucp: '0.2302' },
    ];
    expect(abnormallyLowBids(atBound, '0.5')?.flagged).toEqual([]);
  });
});

describe('revivalOffers (domain.md 15.3)', () => {
  // The worked example: winners b1 0.1189, b2 0.1176, b3 0.1500; b4 (0.2786) failed the gates.
  const example = [
    { bidId: 1, rank: 1, gated: true, winner: true, ucp: '0.1189' },
    { bidId: 2, rank: 2, gated: true, winner: true, ucp: '0.1176' },
    { bidId: 3, rank: 3, gated: true, winner: true, ucp: '0.1500' },
    { bidId: 4, rank: 4, gated: false, winner: false, ucp: '0.2786' },
  ];
  it('offers the highest winning UCP (0.1500) to the bids that failed the gates', () => {
    expect(revivalOffers(example, '1.8', false)).toEqual({ offerUcp: '0.1500', bidIds: [4] });
  });
  it('with revivalIncludesRanked, also to bids that passed but ranked below the winners, in rank order', () => {
    const five = [...example, { bidId: 5, rank: 5, gated: true, winner: false, ucp: '0.1300' }];
    expect(revivalOffers(five, '1.8', false)).toEqual({ offerUcp: '0.1500', bidIds: [4] });
    expect(revivalOffers(five, '1.8', true)).toEqual({ offerUcp: '0.1500', bidIds: [4, 5] });
  });
  it('a single winner: gateRatio × its UCP, 4 decimals half-up; no winner: no offer', () => {
    // 1.8 × 0.1189 = 0.21402 → 0.2140
    const single = [
      { bidId: 1, rank: 1, gated: true, winner: true, ucp: '0.1189' },
      { bidId: 2, rank: 2, gated: false, winner: false, ucp: '0.3000' },
    ];
    expect(revivalOffers(single, '1.8', false)).toEqual({ offerUcp: '0.2140', bidIds: [2] });
    // 1.5 × 0.1233 = 0.18495 → 0.1850 (half-up; truncation would give 0.1849)
    expect(revivalOffers([{ ...single[0], ucp: '0.1233' }, single[1]], '1.5', false)?.offerUcp).toBe('0.1850');
    expect(revivalOffers([{ ...single[0], ucp: '0.1233' }, single[1]], null, false)?.offerUcp).toBe('0.1233');
    expect(revivalOffers([{ ...single[1] }], '1.8', false)).toBeNull();
  });
});
