import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Execution progress at national size (exec2): the recompute reads a batch's deliveries of a
 * range of 500 hospitals (settlement's deliveredPacksByAgreementYearQuery). Without an index
 * on (batch_id, hospital_id) MariaDB read every delivery of the batch (EXPLAIN: type ALL) in
 * each of the 100 chunks of a 50,000-hospital batch; with it, a range of the index.
 */
export class ProgressIndexes1764000001800 implements MigrationInterface {
  name = 'ProgressIndexes1764000001800';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deliveries ADD KEY idx_deliveries_batch_hospital (batch_id, hospital_id, agreement_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deliveries DROP KEY idx_deliveries_batch_hospital');
  }
}
