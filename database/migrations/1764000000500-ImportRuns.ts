import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_runs: one row per spreadsheet import job that wrote its rows, inserted in the
 * same transaction as the rows, so a retried or stalled-and-rerun job finds it and writes
 * nothing twice (api.md: imports answer 202 {jobId}). No foreign keys on purpose: the row
 * is claimed first in the transaction, and a key to batches would take a shared lock on
 * the batch row that the technical-score import then upgrades (FOR UPDATE), so two
 * imports of one batch would deadlock instead of queueing.
 */
export class ImportRuns1764000000500 implements MigrationInterface {
  name = 'ImportRuns1764000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE import_runs (
      job_id VARCHAR(128) NOT NULL,
      kind VARCHAR(32) NOT NULL,
      batch_id INT UNSIGNED NULL,
      requested_by INT UNSIGNED NULL,
      imported INT UNSIGNED NOT NULL DEFAULT 0,
      result TEXT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (job_id),
      KEY idx_import_runs_batch (batch_id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE import_runs');
  }
}
