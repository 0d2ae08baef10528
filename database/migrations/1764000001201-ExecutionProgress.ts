import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 item 2, execution progress (执行进度), owned by libs/execution: per agreement and
 * agreement year (progress_agreements, what a supplier sees of its own), per hospital × item ×
 * group × year (progress, with the flags), and the non-selected purchases hospitals report.
 * Also item 3 (savings retention: baselines, assessment scores, retention) and item 4 (the
 * overdue mark on payment instructions, owned by settlement). Units are measure units (BIGINT: packs × units per pack over a year can pass 2^31).
 */
export class ExecutionProgress1764000001201 implements MigrationInterface {
  name = 'ExecutionProgress1764000001201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE progress_agreements (
      batch_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      agreement_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      award_ucp DECIMAL(20,4) NOT NULL,
      agreed_units BIGINT UNSIGNED NOT NULL,
      ordered_units BIGINT UNSIGNED NOT NULL,
      delivered_units BIGINT UNSIGNED NOT NULL,
      accepted_units BIGINT UNSIGNED NOT NULL,
      completion DECIMAL(12,4) NULL,
      expected DECIMAL(6,4) NOT NULL,
      behind TINYINT(1) NOT NULL,
      computed_at DATETIME(3) NOT NULL,
      PRIMARY KEY (batch_id, year, agreement_id),
      KEY idx_progress_agreements_supplier (batch_id, supplier_id, year),
      KEY idx_progress_agreements_hospital (batch_id, hospital_id, item_id, group_name, year),
      KEY idx_progress_agreements_agreement (agreement_id),
      CONSTRAINT fk_progress_agreements_agreement FOREIGN KEY (agreement_id) REFERENCES agreements (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE progress (
      batch_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      agreed_units BIGINT UNSIGNED NOT NULL,
      ordered_units BIGINT UNSIGNED NOT NULL,
      delivered_units BIGINT UNSIGNED NOT NULL,
      accepted_units BIGINT UNSIGNED NOT NULL,
      non_selected_units BIGINT UNSIGNED NOT NULL DEFAULT 0,
      completion DECIMAL(12,4) NULL,
      expected DECIMAL(6,4) NOT NULL,
      non_selected_share DECIMAL(6,4) NULL,
      behind TINYINT(1) NOT NULL,
      non_selected_flag TINYINT(1) NOT NULL DEFAULT 0,
      computed_at DATETIME(3) NOT NULL,
      PRIMARY KEY (batch_id, year, hospital_id, item_id, group_name),
      KEY idx_progress_behind (batch_id, year, behind),
      KEY idx_progress_non_selected (batch_id, year, non_selected_flag),
      KEY idx_progress_item (batch_id, item_id),
      KEY idx_progress_hospital (hospital_id, batch_id),
      CONSTRAINT fk_progress_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_progress_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT fk_progress_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE non_selected_purchases (
      batch_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      units BIGINT UNSIGNED NOT NULL,
      reported_by INT UNSIGNED NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (batch_id, year, hospital_id, item_id),
      KEY idx_non_selected_hospital (hospital_id),
      KEY idx_non_selected_item (item_id),
      CONSTRAINT fk_non_selected_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_non_selected_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT fk_non_selected_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
    // Item 3, savings retention (结余留用).
    await q.query(`CREATE TABLE baseline_prices (
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      baseline_ucp DECIMAL(20,4) NOT NULL,
      entered_by INT UNSIGNED NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (batch_id, item_id),
      KEY idx_baseline_item (item_id),
      CONSTRAINT fk_baseline_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_baseline_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE assessment_scores (
      batch_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      score DECIMAL(7,4) NOT NULL,
      entered_by INT UNSIGNED NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (batch_id, year, hospital_id),
      KEY idx_assessment_hospital (hospital_id),
      CONSTRAINT fk_assessment_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_assessment_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE retention (
      batch_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      savings DECIMAL(20,2) NOT NULL,
      score DECIMAL(7,4) NULL,
      share DECIMAL(6,4) NULL,
      retained DECIMAL(20,2) NULL,
      status ENUM('PROVISIONAL','FIXED') NOT NULL,
      computed_at DATETIME(3) NOT NULL,
      fixed_at DATETIME(3) NULL,
      PRIMARY KEY (batch_id, year, hospital_id),
      KEY idx_retention_status (batch_id, year, status),
      KEY idx_retention_hospital (hospital_id),
      CONSTRAINT fk_retention_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_retention_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    // Item 4: the daily job marks an instruction overdue once (and tells hospital and fund).
    await q.query(`ALTER TABLE payment_instructions ADD COLUMN overdue_marked_at DATETIME(3) NULL,
      ADD KEY idx_payment_instructions_overdue (status, due_date, overdue_marked_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payment_instructions DROP KEY idx_payment_instructions_overdue, DROP COLUMN overdue_marked_at');
    await q.query('DROP TABLE retention');
    await q.query('DROP TABLE assessment_scores');
    await q.query('DROP TABLE baseline_prices');
    await q.query('DROP TABLE non_selected_purchases');
    await q.query('DROP TABLE progress');
    await q.query('DROP TABLE progress_agreements');
  }
}
