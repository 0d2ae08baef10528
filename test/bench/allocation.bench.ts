/**
 * Benchmark of the allocation rule (domain.md section 7) at national scale:
 * one item × group with 50,000 hospitals and 4 winners.
 *
 * The input is built deterministically from a seeded PRNG (mulberry32), so
 * every run allocates the same thing. Capacities cover about 70% of the total
 * agreed volume, so winners ration, hospitals cascade through their
 * preferences, and some volume stays unallocated.
 *
 * Run after `npm run build`:  node dist/test/bench/allocation.bench.js
 * or from a bench runner:     (await import('./allocation.bench')).run()
 */
import { performance } from 'node:perf_hooks';
import { AllocationInput, allocate } from '@jicai/allocation';

export interface BenchResult {
  name: string;
  ms: number;
}

/** mulberry32: small seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the benchmark input: `hospitalCount` hospitals, `winnerCount` winners, seeded. */
export function buildAllocationInput(hospitalCount = 50_000, winnerCount = 4, seed = 20250301): AllocationInput {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const winnerIds = Array.from({ length: winnerCount }, (_, i) => 1001 + i);
  let totalAgreed = 0;
  const hospitals = Array.from({ length: hospitalCount }, (_, i) => {
    // primary hospitals small, tertiary ones large
    const agreedVolume = random() < 0.7 ? int(100, 5_000) : int(5_000, 400_000);
    totalAgreed += agreedVolume;
    // 60% keep the default (rank order), the rest give a shuffled, sometimes shortened list
    let preferences = [...winnerIds];
    if (random() >= 0.6) {
      for (let j = preferences.length - 1; j > 0; j--) {
        const k = int(0, j);
        [preferences[j], preferences[k]] = [preferences[k], preferences[j]];
      }
      preferences = preferences.slice(0, int(1, preferences.length));
    }
    return { hospitalId: i + 1, agreedVolume, preferences };
  });
  // capacities: 30%, 20%, 12%, 8% of the total agreed volume (70% in all), in rank order
  const shares = [30, 20, 12, 8];
  const winners = winnerIds.map((winnerId, i) => ({
    winnerId,
    capacity: Math.floor((totalAgreed * (shares[i] ?? 5)) / 100),
  }));
  return { hospitals, winners };
}

export async function run(): Promise<BenchResult[]> {
  const input = buildAllocationInput();
  const results: BenchResult[] = [];
  const runs = 5;
  for (let i = 1; i <= runs; i++) {
    const start = performance.now();
    const result = allocate(input);
    const ms = performance.now() - start;
    if (result.grants.length === 0) throw new Error('allocation bench produced no grants');
    results.push({
      name: `allocate: 50,000 hospitals × 4 winners, run ${i}/${runs}${i === 1 ? ' (cold)' : ''}`,
      ms: Math.round(ms * 100) / 100,
    });
  }
  return results;
}

if (require.main === module) {
  run()
    .then((results) => {
      for (const r of results) console.log(`${r.name}: ${r.ms.toFixed(2)} ms`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
