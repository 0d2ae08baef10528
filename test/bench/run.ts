/**
 * `npm run bench`: runs every benchmark and prints its measured figures.
 * Benchmarks measure; tests never assert on time.
 */
import { run as allocation } from './allocation.bench';

interface BenchResult {
  name: string;
  ms: number;
  note?: string;
}

const BENCHES: [string, () => Promise<BenchResult[]>][] = [['allocation', allocation]];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, bench] of BENCHES) {
    if (only.length && !only.includes(name)) continue;
    console.log(`\n# ${name}`);
    for (const r of await bench()) console.log(`${r.name}: ${r.ms.toFixed(2)} ms${r.note ? ` (${r.note})` : ''}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
