import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * domain.md 15.4 and 15.5 (owned by evaluation): objections filed during publicity and
 * their answers; abnormally low bids flagged at evaluation with their cost statements and
 * decisions; bids ruled invalid after evaluation (by an upheld objection or a refused cost
 * statement), which every later evaluation of their item × group leaves out.
 */
export class PublicityObjections1764000001110 implements MigrationInterface {
  name = 'PublicityObjections1764000001110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE objections (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      filed_by INT UNSIGNED NULL,
      reason VARCHAR(2000) NOT NULL,
      attachment VARCHAR(500) NULL,
      status ENUM('OPEN','UPHELD','DISMISSED') NOT NULL,
      answer_reason VARCHAR(2000) NULL,
      ruling LONGTEXT NULL,
      answered_by INT UNSIGNED NULL,
      answered_at DATETIME(3) NULL,
      filed_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      KEY idx_objections_batch (batch_id, status),
      KEY idx_objections_group (item_id, group_name),
      KEY idx_objections_supplier (supplier_id),
      CONSTRAINT fk_objections_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_objections_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE abnormal_low_flags (
      bid_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      median_ucp DECIMAL(20,4) NOT NULL,
      threshold_ucp DECIMAL(30,8) NOT NULL,
      status ENUM('FLAGGED','STATEMENT_SUBMITTED','ACCEPTED','RULED_INVALID') NOT NULL,
      statement VARCHAR(4000) NULL,
      statement_at DATETIME(3) NULL,
      decided_by INT UNSIGNED NULL,
      decided_at DATETIME(3) NULL,
      decision_reason VARCHAR(2000) NULL,
      flagged_at DATETIME(3) NOT NULL,
      PRIMARY KEY (bid_id),
      KEY idx_abnormal_low_flags_batch (batch_id, status),
      KEY idx_abnormal_low_flags_supplier (supplier_id),
      CONSTRAINT fk_abnormal_low_flags_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE ruled_invalid_bids (
      bid_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      source ENUM('OBJECTION','ABNORMAL_LOW') NOT NULL,
      source_id INT UNSIGNED NOT NULL,
      reason VARCHAR(2000) NOT NULL,
      ruled_by INT UNSIGNED NULL,
      ruled_at DATETIME(3) NOT NULL,
      PRIMARY KEY (bid_id),
      KEY idx_ruled_invalid_bids_batch (batch_id),
      CONSTRAINT fk_ruled_invalid_bids_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['ruled_invalid_bids', 'abnormal_low_flags', 'objections']) await q.query(`DROP TABLE ${t}`);
  }
}
