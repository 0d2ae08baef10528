import { AgreementYearWindow, agreementYearSql } from '@jicai/allocation';

/**
 * Set-based reads of purchase orders for modules above (execution's progress): SQL over the
 * orders module's own table, composed by the caller into its INSERT ... SELECT.
 */

/**
 * Packs ordered per agreement and agreement year (year = whole 12-month periods since
 * `agreementStart` + 1, by placedAt) of a batch's hospitals in [hospitalFrom, hospitalTo];
 * refused and cancelled orders do not count. Columns agreement_id, year, packs.
 */
export function orderedPacksByAgreementYearQuery(w: AgreementYearWindow): { sql: string; params: unknown[] } {
  const { batchId, agreementStart, years, hospitalFrom, hospitalTo } = w;
  return {
    sql: `SELECT agreement_id, ${agreementYearSql('placed_at')} AS year, SUM(packs) AS packs
            FROM purchase_orders
           WHERE batch_id = ? AND hospital_id BETWEEN ? AND ? AND status NOT IN ('REFUSED', 'CANCELLED') AND placed_at >= ?
           GROUP BY agreement_id, year HAVING year <= ?`,
    params: [agreementStart, batchId, hospitalFrom, hospitalTo, agreementStart, years],
  };
}
