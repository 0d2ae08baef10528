import { runNationalBench, SCALES } from './bench/national.bench';

jest.setTimeout(300_000);

/**
 * The national round benchmark at `--scale small` as a CI smoke (issue 11): every stage runs
 * through the HTTP API and the worker, and the results are checked to the fen (demand
 * stored, allocated + unallocated = agreed volume, every agreement confirmed, a prepayment
 * per hospital, accepted amounts = packs × award price, settlement pays each fen once, no
 * bid of the burst lost, the audit chain intact). How fast is `npm run bench`'s business.
 */
describe('npm run bench -- --scale small (smoke)', () => {
  it('plays the whole round and every check holds', async () => {
    const outcome = await runNationalBench(SCALES.small);
    expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
    expect(outcome.checks.map((c) => c.name)).toEqual([
      'organisations imported',
      'demand rows and units stored',
      'no bid of the burst lost',
      'one live bid per supplier × item × group',
      'every claim quote answered',
      'allocated + unallocated = agreed volume',
      'every agreement confirmed',
      'a prepayment per hospital with agreements',
      'deliveries accepted, amounts to the fen',
      'settlement pays every accepted fen once',
      'audit chain intact',
    ]);
    const names = outcome.figures.map((f) => f.name);
    for (const required of [
      'demand_import_rows_per_s',
      'demand_import_vs_floor',
      'bid_burst_per_s',
      'bid_burst_p99_ms',
      'bid_burst_lost',
      'evaluation_s',
      'allocation_s',
      'confirm_s',
      'delivery_import_rows_per_s',
      'settlement_s',
      'settlement_vs_floor',
      'claim_quotes_per_s',
      'claim_quote_p99_ms',
      'peak_rss_mb',
    ]) {
      expect(names).toContain(required);
    }
    expect(outcome.figures.find((f) => f.name === 'bid_burst_lost')!.value).toBe(0);
  });
});
