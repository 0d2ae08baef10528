import { EntityManager } from 'typeorm';

export interface PrepaidOfMonth {
  /** YYYY-MM (UTC). */
  month: string;
  /** Σ amount disbursed (by disbursedAt) and recovered (by recoveredAt) that month, 2 decimals. */
  disbursed: string;
  recovered: string;
}

/** Prepayments disbursed and recovered per month in [from, to): two range scans (idx_prepayments_disbursed, idx_prepayments_recovered), one GROUP BY. */
export async function prepaidByMonth(m: EntityManager, f: { from: Date; to: Date }): Promise<PrepaidOfMonth[]> {
  const rows: any[] = await m.query(
    `SELECT month, SUM(disbursed) AS disbursed, SUM(recovered) AS recovered FROM (
       SELECT DATE_FORMAT(disbursed_at, '%Y-%m') AS month, amount AS disbursed, 0 AS recovered
         FROM prepayments WHERE disbursed_at >= ? AND disbursed_at < ?
       UNION ALL
       SELECT DATE_FORMAT(recovered_at, '%Y-%m'), 0, COALESCE(recovered_amount, 0)
         FROM prepayments WHERE recovered_at >= ? AND recovered_at < ?
     ) x GROUP BY month ORDER BY month`,
    [f.from, f.to, f.from, f.to],
  );
  return rows.map((r) => ({ month: r.month, disbursed: String(r.disbursed), recovered: String(r.recovered) }));
}
