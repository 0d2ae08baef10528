import { AgreementYearWindow, agreementYearSql } from '@jicai/allocation';

/**
 * Set-based reads of deliveries for modules above (execution's progress and savings): SQL over
 * settlement's own table, composed by the caller into its INSERT ... SELECT.
 */

/**
 * Packs delivered (by deliveredAt) and accepted (by acceptedAt) per agreement and agreement
 * year (whole 12-month periods since `agreementStart` + 1) of a batch's hospitals in
 * [hospitalFrom, hospitalTo]. Columns agreement_id, year, delivered_packs, accepted_packs.
 */
export function deliveredPacksByAgreementYearQuery(w: AgreementYearWindow): { sql: string; params: unknown[] } {
  const { batchId, agreementStart, years, hospitalFrom, hospitalTo } = w;
  return {
    sql: `SELECT agreement_id, year, SUM(delivered) AS delivered_packs, SUM(accepted) AS accepted_packs FROM (
            SELECT agreement_id, ${agreementYearSql('delivered_at')} AS year, packs AS delivered, 0 AS accepted
              FROM deliveries WHERE batch_id = ? AND hospital_id BETWEEN ? AND ? AND delivered_at >= ?
            UNION ALL
            SELECT agreement_id, ${agreementYearSql('accepted_at')}, 0, accepted_packs
              FROM deliveries WHERE batch_id = ? AND hospital_id BETWEEN ? AND ? AND accepted_at >= ?
          ) x WHERE year <= ? GROUP BY agreement_id, year`,
    params: [agreementStart, batchId, hospitalFrom, hospitalTo, agreementStart, agreementStart, batchId, hospitalFrom, hospitalTo, agreementStart, years],
  };
}
