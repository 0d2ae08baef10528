/**
 * `npm run bench -- --scale small|medium|national`: plays the synthetic national round
 * (national.bench.ts) at that scale, with the allocation rule bench as one of its stages,
 * prints one `BENCH <name> <value> <unit>` line per figure, writes the same as JSON under
 * bench/results/, and exits non-zero if a correctness check failed. Benchmarks measure;
 * tests never assert on time. `--scale` defaults to small.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchFigure, runNationalBench, ScaleName, SCALES } from './national.bench';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--scale');
  const name = (at >= 0 ? args[at + 1] : (args.find((a) => a.startsWith('--scale='))?.slice(8) ?? 'small')) as ScaleName;
  const scale = SCALES[name];
  if (!scale) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  const startedAt = new Date();
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${scale.name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  // Stopped before the end (SIGINT, SIGTERM: a run that cannot finish in its time): the
  // figures of the stages that finished, and the peak RSS so far, are printed and saved.
  const seen: BenchFigure[] = [];
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  rssTimer.unref();
  const stop = (signal: string) => {
    const f = { name: 'peak_rss_mb', value: Number((peakRss / 1024 / 1024).toFixed(2)), unit: 'MB' };
    console.log(`BENCH ${f.name} ${f.value} ${f.unit}`);
    console.log(`STOPPED by ${signal} after ${seen.length} figures; the stages after the last figure did not finish`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          scale: scale.name,
          figures: [...seen, f],
          checks: [],
          stoppedBy: signal,
          startedAt: startedAt.toISOString(),
          stoppedAt: new Date().toISOString(),
          params: scale,
        },
        null,
        2,
      ),
    );
    console.log(`results: ${file}`);
    process.exit(130);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const outcome = await runNationalBench(scale, (f) => {
    seen.push(f);
    console.log(`BENCH ${f.name} ${f.value} ${f.unit}`);
  });
  for (const c of outcome.checks) console.log(`CHECK ${c.ok ? 'ok' : 'FAILED'} ${c.name}: ${c.detail}`);
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
