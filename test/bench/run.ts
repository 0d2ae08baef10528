/**
 * `npm run bench -- --scale small|medium|national`: plays the synthetic national round
 * (national.bench.ts) at that scale, with the allocation rule bench as one of its stages,
 * prints one `BENCH <name> <value> <unit>` line per figure, writes the same as JSON under
 * bench/results/, and exits non-zero if a correctness check failed. Benchmarks measure;
 * tests never assert on time. `--scale` defaults to small.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNationalBench, ScaleName, SCALES } from './national.bench';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--scale');
  const name = (at >= 0 ? args[at + 1] : (args.find((a) => a.startsWith('--scale='))?.slice(8) ?? 'small')) as ScaleName;
  const scale = SCALES[name];
  if (!scale) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const startedAt = new Date();
  const outcome = await runNationalBench(scale, (f) => console.log(`BENCH ${f.name} ${f.value} ${f.unit}`));
  for (const c of outcome.checks) console.log(`CHECK ${c.ok ? 'ok' : 'FAILED'} ${c.name}: ${c.detail}`);
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scale.name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ ...outcome, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), params: scale }, null, 2));
  console.log(`results: ${file}`);
  if (outcome.checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
