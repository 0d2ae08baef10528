/**
 * Agreed volume and allocation rules (domain.md sections 0, 6, 7, 13, 14).
 *
 * Pure functions: no NestJS, no TypeORM, no I/O. Quantities are integers
 * (section 0); the ratio is an exact decimal; the proportional sharing of
 * section 7 uses integer arithmetic only (BigInt where a product could leave
 * the exactly-representable range of a JS number), never floats.
 */
import { Dec, parseDecimal, roundHalfUp } from '@jicai/common';

/** Thrown for malformed allocation input (a programming or data error, not a user one). */
export class AllocationInputError extends Error {
  readonly code = 'INVALID_ALLOCATION_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'AllocationInputError';
  }
}

// ---------------------------------------------------------------------------
// Section 6 (with the table lookup of section 13): agreed volume.
// ---------------------------------------------------------------------------

export interface AgreedVolumeRatioRow {
  winners: number;
  /** Decimal string, e.g. "0.70". */
  ratio: string;
}

/**
 * domain.md section 13: a table answers k with the row of the largest
 * `winners` not above k. No such row (k = 0) → ratio 0 (section 6: demand of a
 * group without winners is not agreed). Returns the ratio as a decimal string.
 */
export function agreedVolumeRatioFor(k: number, table: readonly AgreedVolumeRatioRow[]): string {
  let best: AgreedVolumeRatioRow | null = null;
  for (const row of table) {
    if (row.winners <= k && (best === null || row.winners > best.winners)) best = row;
  }
  return best === null ? '0' : best.ratio;
}

/**
 * domain.md section 6: agreed volume = round(demand × ratio(k)), half-up to an
 * integer (section 0: quantities are integers; the only rounding is half-up),
 * k = number of winners in the item × group. k = 0 → 0.
 * Section 14: 15001 × 0.70 = 10500.7 → 10501.
 */
export function agreedVolume(demand: number, k: number, ratioTable: readonly AgreedVolumeRatioRow[]): number {
  if (!Number.isSafeInteger(demand) || demand < 0) {
    throw new AllocationInputError(`demand must be an integer ≥ 0, got ${demand}`);
  }
  if (!Number.isSafeInteger(k) || k < 0) throw new AllocationInputError(`k must be an integer ≥ 0, got ${k}`);
  if (k === 0) return 0;
  const ratioText = agreedVolumeRatioFor(k, ratioTable);
  const ratio = parseDecimal(ratioText);
  if (ratio === null || ratio.lessThan(0) || ratio.greaterThan(1)) {
    throw new AllocationInputError(`agreed volume ratio must be a decimal in [0, 1], got ${ratioText}`);
  }
  return roundHalfUp(new Dec(demand).times(ratio), 0).toNumber();
}

// ---------------------------------------------------------------------------
// Section 7: allocation of one item × group.
// ---------------------------------------------------------------------------

export interface AllocationHospital {
  hospitalId: number;
  /** Agreed volume (pending at the start), integer ≥ 0. */
  agreedVolume: number;
  /**
   * Winner ids in order of preference. Only winners of this item × group, no
   * repeats. The caller passes the rank order for a hospital that gave none.
   */
  preferences: readonly number[];
}

export interface AllocationWinner {
  winnerId: number;
  /** Supply capacity in measure units, integer ≥ 0. */
  capacity: number;
}

export interface AllocationInput {
  hospitals: readonly AllocationHospital[];
  winners: readonly AllocationWinner[];
}

export interface AllocationGrant {
  hospitalId: number;
  winnerId: number;
  units: number;
}

export interface AllocationResult {
  /** Non-zero grants, one per hospital × winner, sorted by hospitalId then winnerId. */
  grants: AllocationGrant[];
  /** Non-zero unallocated rests, sorted by hospitalId. */
  unallocated: { hospitalId: number; units: number }[];
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * domain.md section 7. With pending_h = agreed volume and cap_w = capacity,
 * rounds of:
 * 1. every hospital with pending_h > 0 and a preference left asks its current
 *    preferred winner;
 * 2. a winner asked in total for no more than its remaining capacity grants
 *    all; otherwise it grants exactly its remaining capacity `cap`, shared in
 *    proportion to pending_h: each gets floor(pending_h × cap / total), and the
 *    units left go one each by largest fractional part (compared exactly as the
 *    remainder pending_h × cap mod total, same denominator), ties: larger
 *    pending, then lower hospital id. A winner with 0 remaining grants 0;
 * 3. grants are added; hospitals still pending move to their next preference;
 *    a hospital with no preference left keeps the rest as unallocated;
 * 4. repeat until nobody pending asks.
 *
 * Each hospital asks a given winner at most once (preferences have no
 * repeats), so there is one grant per hospital × winner. The result does not
 * depend on the order of `hospitals` or `winners` in the input.
 *
 * Cost: O(Σ |preferences|) asks over at most max |preferences| rounds, and an
 * O(m) selection (not a sort) of the hospitals that get a leftover unit when a
 * winner rations m askers. State lives in typed arrays (Float64Array holds
 * every integer up to 2^53 exactly) so that 50,000 hospitals × 4 winners make
 * little garbage; see test/bench/allocation.bench.ts.
 */
export function allocate(input: AllocationInput): AllocationResult {
  // Winners: id → index.
  const winnerCount = input.winners.length;
  const winnerIndex = new Map<number, number>();
  const winnerIds = new Float64Array(winnerCount);
  const remaining = new Float64Array(winnerCount);
  input.winners.forEach((w, i) => {
    if (!Number.isSafeInteger(w.winnerId)) throw new AllocationInputError('winner id must be an integer');
    if (winnerIndex.has(w.winnerId)) throw new AllocationInputError(`duplicate winner id ${w.winnerId}`);
    if (!Number.isSafeInteger(w.capacity) || w.capacity < 0) {
      throw new AllocationInputError(`capacity of winner ${w.winnerId} must be an integer ≥ 0`);
    }
    winnerIndex.set(w.winnerId, i);
    winnerIds[i] = w.winnerId;
    remaining[i] = w.capacity;
  });

  // Hospitals: flat preference lists (winner indices) with offsets.
  const hospitalCount = input.hospitals.length;
  const hospitalIds = new Float64Array(hospitalCount);
  const pending = new Float64Array(hospitalCount);
  const prefStart = new Int32Array(hospitalCount + 1);
  let prefTotal = 0;
  for (const h of input.hospitals) prefTotal += h.preferences.length;
  const prefs = new Int32Array(prefTotal);
  /** Units granted to hospital h by its j-th preferred winner, at prefStart[h] + j. */
  const granted = new Float64Array(prefTotal);
  /** Absolute index into prefs of the winner hospital h asks next. */
  const next = new Int32Array(hospitalCount);
  const seenHospitals = new Set<number>();
  let totalAgreed = 0;
  let p = 0;
  input.hospitals.forEach((h, i) => {
    if (!Number.isSafeInteger(h.hospitalId)) throw new AllocationInputError('hospital id must be an integer');
    if (seenHospitals.has(h.hospitalId)) throw new AllocationInputError(`duplicate hospital id ${h.hospitalId}`);
    seenHospitals.add(h.hospitalId);
    if (!Number.isSafeInteger(h.agreedVolume) || h.agreedVolume < 0) {
      throw new AllocationInputError(`agreed volume of hospital ${h.hospitalId} must be an integer ≥ 0`);
    }
    totalAgreed += h.agreedVolume;
    if (totalAgreed > MAX_SAFE) throw new AllocationInputError('total agreed volume exceeds 2^53 − 1');
    hospitalIds[i] = h.hospitalId;
    pending[i] = h.agreedVolume;
    prefStart[i] = p;
    next[i] = p;
    for (const w of h.preferences) {
      const wi = winnerIndex.get(w);
      if (wi === undefined) throw new AllocationInputError(`hospital ${h.hospitalId} prefers ${w}, which is not a winner`);
      for (let q = prefStart[i]; q < p; q++) {
        if (prefs[q] === wi) throw new AllocationInputError(`hospital ${h.hospitalId} lists winner ${w} twice`);
      }
      prefs[p++] = wi;
    }
  });
  prefStart[hospitalCount] = p;

  // Rounds (section 7, steps 1–4). Every asking hospital either ends pending-free
  // or moves one preference on, so there are at most max |preferences| rounds.
  const asking = new Int32Array(hospitalCount);
  let askingCount = 0;
  for (let h = 0; h < hospitalCount; h++) if (pending[h] > 0 && next[h] < prefStart[h + 1]) asking[askingCount++] = h;
  const askCount = new Int32Array(winnerCount + 1);
  const askTotal = new Float64Array(winnerCount);
  const byWinner = new Int32Array(hospitalCount);
  const scratch = new Scratch(hospitalCount);
  while (askingCount > 0) {
    // Step 1: bucket the asking hospitals by the winner they ask (counting sort).
    askCount.fill(0);
    askTotal.fill(0);
    for (let a = 0; a < askingCount; a++) {
      const h = asking[a];
      const w = prefs[next[h]];
      askCount[w + 1]++;
      askTotal[w] += pending[h]; // ≤ total agreed ≤ 2^53 − 1: exact
    }
    for (let w = 0; w < winnerCount; w++) askCount[w + 1] += askCount[w];
    const fill = askCount.slice(0, winnerCount);
    for (let a = 0; a < askingCount; a++) {
      const h = asking[a];
      byWinner[fill[prefs[next[h]]]++] = h;
    }
    // Step 2: each winner answers its askers (a hospital asks one winner per round).
    for (let w = 0; w < winnerCount; w++) {
      const from = askCount[w];
      const to = askCount[w + 1];
      if (from === to) continue;
      const cap = remaining[w];
      const total = askTotal[w];
      if (total <= cap) {
        for (let a = from; a < to; a++) {
          const h = byWinner[a];
          granted[next[h]] += pending[h];
          pending[h] = 0;
        }
        remaining[w] = cap - total;
      } else {
        if (cap > 0) shareProportionally(byWinner, from, to, cap, total, pending, hospitalIds, next, granted, scratch);
        remaining[w] = 0;
      }
    }
    // Step 3: still pending → next preference. Step 4: repeat with those that can still ask.
    let kept = 0;
    for (let a = 0; a < askingCount; a++) {
      const h = asking[a];
      if (pending[h] > 0) {
        next[h] += 1;
        if (next[h] < prefStart[h + 1]) asking[kept++] = h;
      }
    }
    askingCount = kept;
  }

  // Output, ordered by hospital id then winner id (independent of input order).
  const order = Array.from({ length: hospitalCount }, (_, i) => i);
  let ascending = true;
  for (let h = 1; h < hospitalCount && ascending; h++) ascending = hospitalIds[h - 1] < hospitalIds[h];
  if (!ascending) order.sort((a, b) => hospitalIds[a] - hospitalIds[b]);
  const grants: AllocationGrant[] = [];
  const unallocated: { hospitalId: number; units: number }[] = [];
  const row: AllocationGrant[] = [];
  for (const h of order) {
    const hospitalId = hospitalIds[h];
    row.length = 0;
    for (let q = prefStart[h]; q < prefStart[h + 1]; q++) {
      if (granted[q] > 0) row.push({ hospitalId, winnerId: winnerIds[prefs[q]], units: granted[q] });
    }
    if (row.length > 1) row.sort((a, b) => a.winnerId - b.winnerId);
    for (const g of row) grants.push(g);
    if (pending[h] > 0) unallocated.push({ hospitalId, units: pending[h] });
  }
  return { grants, unallocated };
}

/** Work buffers of shareProportionally, allocated once per allocate call. */
class Scratch {
  readonly floors: Float64Array;
  readonly remainders: Float64Array;
  readonly candidates: Int32Array;
  constructor(size: number) {
    this.floors = new Float64Array(size);
    this.remainders = new Float64Array(size);
    this.candidates = new Int32Array(size);
  }
}

/**
 * Section 7 step 2, rationing: 0 < `cap` < `total` = Σ pending of the hospitals
 * byWinner[from..to). Grants exactly `cap` units, adding each hospital's share
 * to granted[next[h]] and taking it off pending[h].
 *
 * floor and fractional part of pending × cap / total are computed exactly as
 * quotient and remainder of integer division; the remainders share the
 * denominator `total`, so comparing them compares the fractional parts.
 * pending × cap is done in JS numbers when the product is ≤ 2^53 − 1 (then it
 * is exact: a float product of integers rounds monotonically, so a true product
 * above 2^53 − 1 can never come out ≤ it), in BigInt otherwise. quotient ≤ cap
 * and remainder < total are both safe integers.
 *
 * Leftover units L = cap − Σ floors = Σ remainders / total < m, and more than
 * L hospitals have a non-zero remainder, so the L extra units go to hospitals
 * with a fractional part > 0 and no grant ever exceeds its pending. Only WHICH
 * L hospitals come first matters (each gets exactly one unit), so they are
 * found by selection in O(m), not by sorting.
 */
function shareProportionally(
  byWinner: Int32Array,
  from: number,
  to: number,
  cap: number,
  total: number,
  pending: Float64Array,
  hospitalIds: Float64Array,
  next: Int32Array,
  granted: Float64Array,
  scratch: Scratch,
): void {
  const { floors, remainders, candidates } = scratch;
  let floorSum = 0;
  let bigCap: bigint | null = null;
  let bigTotal: bigint | null = null;
  let candidateCount = 0;
  for (let a = from; a < to; a++) {
    const h = byWinner[a];
    const product = pending[h] * cap;
    let floor: number;
    let rem: number;
    if (product <= MAX_SAFE) {
      rem = product % total;
      floor = (product - rem) / total; // exact: divisible, quotient ≤ cap
    } else {
      bigCap ??= BigInt(cap);
      bigTotal ??= BigInt(total);
      const big = BigInt(pending[h]) * bigCap;
      rem = Number(big % bigTotal);
      floor = Number(big / bigTotal);
    }
    floors[h] = floor;
    remainders[h] = rem;
    floorSum += floor;
    if (rem > 0) candidates[candidateCount++] = h;
  }
  const leftover = cap - floorSum;
  // "Comes first" for a leftover unit: larger remainder, then larger pending, then lower hospital id.
  const before = (x: number, y: number): boolean =>
    remainders[x] !== remainders[y] ? remainders[x] > remainders[y] : pending[x] !== pending[y] ? pending[x] > pending[y] : hospitalIds[x] < hospitalIds[y];
  if (leftover > 0 && leftover < candidateCount) selectFirst(candidates, candidateCount, leftover, before);
  for (let c = 0; c < leftover; c++) floors[candidates[c]] += 1;
  for (let a = from; a < to; a++) {
    const h = byWinner[a];
    granted[next[h]] += floors[h];
    pending[h] -= floors[h];
  }
}

/**
 * Rearranges xs[0..n) so that its first k elements are the k that come first
 * under the strict total order `before` (in some order). Quickselect with a
 * median-of-three pivot: O(n) on average. The chosen set is unique because the
 * order is total (hospital ids are unique), so the pivot choice cannot change
 * the result.
 */
function selectFirst(xs: Int32Array, n: number, k: number, before: (x: number, y: number) => boolean): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    // median of three as pivot value
    let a = xs[lo];
    let b = xs[mid];
    const c = xs[hi];
    if (before(b, a)) [a, b] = [b, a];
    const pivot = before(c, a) ? a : before(b, c) ? b : c;
    // Hoare-style partition around pivot
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(xs[i], pivot)) i++;
      while (before(pivot, xs[j])) j--;
      if (i <= j) {
        const t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i++;
        j--;
      }
    }
    // now xs[lo..j] come no later than pivot, xs[i..hi] no earlier, and j < i
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}
