/**
 * The monthly settlement run (domain.md section 10: "a monthly repeatable job"), pure.
 * It settles the month before the one it fires in: the cut-off is that month's last
 * millisecond (DATETIME(3) keeps milliseconds, and acceptance counts when accepted_at ≤
 * cut-off), and the period key 'YYYY-MM' names the month, once (settlement_runs.period_key
 * is unique). All in UTC.
 */
export function previousMonth(now: Date): { periodKey: string; cutoff: Date } {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new Error('now must be a valid Date');
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const cutoff = new Date(monthStart - 1);
  const periodKey = `${cutoff.getUTCFullYear()}-${String(cutoff.getUTCMonth() + 1).padStart(2, '0')}`;
  return { periodKey, cutoff };
}
