import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * domain.md 15.7: each agreement carries its term (months) and end date. Agreements written
 * before take their batch's agreementMonths, which is what the term always was. Allocation
 * always writes both; NULL (a row written by other means) reads as the batch's agreementMonths.
 */
export class AgreementTerms1764000001120 implements MigrationInterface {
  name = 'AgreementTerms1764000001120';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agreements ADD COLUMN term_months TINYINT UNSIGNED NULL, ADD COLUMN ends_at DATETIME(3) NULL');
    await q.query(
      'UPDATE agreements a JOIN batches b ON b.id = a.batch_id SET a.term_months = b.agreement_months, a.ends_at = DATE_ADD(b.agreement_start, INTERVAL b.agreement_months MONTH)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agreements DROP COLUMN term_months, DROP COLUMN ends_at');
  }
}
