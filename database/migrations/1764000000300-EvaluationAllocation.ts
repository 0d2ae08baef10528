import { MigrationInterface, QueryRunner } from 'typeorm';

/** Technical scores, evaluation results, winners, payment standards, preferences, agreements. */
export class EvaluationAllocation1764000000300 implements MigrationInterface {
  name = 'EvaluationAllocation1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE technical_scores (
      bid_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      technical_score DECIMAL(10,4) NOT NULL,
      criteria LONGTEXT NOT NULL,
      scored_by INT UNSIGNED NULL,
      scored_at DATETIME(3) NOT NULL,
      PRIMARY KEY (bid_id),
      KEY idx_technical_scores_batch (batch_id),
      CONSTRAINT fk_technical_scores_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE evaluation_groups (
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      bid_count INT UNSIGNED NOT NULL,
      winner_count INT UNSIGNED NOT NULL,
      no_bid TINYINT(1) NOT NULL,
      min_ucp DECIMAL(20,4) NULL,
      PRIMARY KEY (item_id, group_name),
      KEY idx_evaluation_groups_batch (batch_id),
      CONSTRAINT fk_evaluation_groups_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_evaluation_groups_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE evaluation_results (
      bid_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      product_id INT UNSIGNED NOT NULL,
      pack_price DECIMAL(20,2) NOT NULL,
      unit_comparable_price DECIMAL(20,4) NOT NULL,
      technical_score DECIMAL(10,4) NOT NULL,
      price_score DECIMAL(10,4) NOT NULL,
      composite_score DECIMAL(10,4) NOT NULL,
      \`rank\` INT UNSIGNED NOT NULL,
      gated TINYINT(1) NOT NULL,
      winner TINYINT(1) NOT NULL,
      PRIMARY KEY (bid_id),
      KEY idx_evaluation_results_group (batch_id, item_id, group_name, \`rank\`),
      KEY idx_evaluation_results_supplier (supplier_id),
      CONSTRAINT fk_evaluation_results_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
    ) ENGINE=InnoDB`);
    // 中选: one row per winning bid, fixed at award (award price and UCP never change after).
    await q.query(`CREATE TABLE winners (
      bid_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      product_id INT UNSIGNED NOT NULL,
      \`rank\` INT UNSIGNED NOT NULL,
      award_price DECIMAL(20,2) NOT NULL,
      award_unit_price DECIMAL(20,4) NOT NULL,
      supply_capacity INT UNSIGNED NOT NULL,
      measure_units_per_pack INT UNSIGNED NOT NULL,
      awarded_at DATETIME(3) NOT NULL,
      PRIMARY KEY (bid_id),
      KEY idx_winners_group (batch_id, item_id, group_name, \`rank\`),
      KEY idx_winners_item (item_id),
      KEY idx_winners_supplier (supplier_id),
      KEY idx_winners_product (product_id),
      CONSTRAINT fk_winners_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_winners_item FOREIGN KEY (item_id) REFERENCES batch_items (id),
      CONSTRAINT fk_winners_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id),
      CONSTRAINT fk_winners_product FOREIGN KEY (product_id) REFERENCES products (id)
    ) ENGINE=InnoDB`);
    // Section 9: the payment standard per measure unit of an item × group, set at award.
    await q.query(`CREATE TABLE payment_standards (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      tiers VARCHAR(200) NOT NULL,
      generic_name_norm VARCHAR(200) NOT NULL,
      dosage_form_norm VARCHAR(100) NOT NULL,
      rep_strength_value DECIMAL(20,6) NOT NULL,
      rep_strength_unit VARCHAR(16) NOT NULL,
      strength_ratio_coefficient VARCHAR(20) NOT NULL,
      standard_unit_price DECIMAL(20,4) NOT NULL,
      basis ENUM('ITEM_HIGHEST','GROUP_HIGHEST') NOT NULL,
      awarded_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_payment_standards_item_group (item_id, group_name),
      KEY idx_payment_standards_generic (generic_name_norm, dosage_form_norm, awarded_at),
      KEY idx_payment_standards_batch (batch_id),
      CONSTRAINT fk_payment_standards_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_payment_standards_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE preferences (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      winner_bid_ids LONGTEXT NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_preferences (item_id, hospital_id, group_name),
      KEY idx_preferences_batch (batch_id),
      KEY idx_preferences_hospital (hospital_id),
      CONSTRAINT fk_preferences_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_preferences_item FOREIGN KEY (item_id) REFERENCES batch_items (id),
      CONSTRAINT fk_preferences_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    // Section 7: hospital × winning bid × measure units per year.
    await q.query(`CREATE TABLE agreements (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      bid_id INT UNSIGNED NOT NULL,
      product_id INT UNSIGNED NOT NULL,
      units INT UNSIGNED NOT NULL,
      award_price DECIMAL(20,2) NOT NULL,
      unit_comparable_price DECIMAL(20,4) NOT NULL,
      amount DECIMAL(20,2) NOT NULL,
      status ENUM('PENDING_CONFIRMATION','CONFIRMED') NOT NULL,
      confirmed_at DATETIME(3) NULL,
      confirmed_by INT UNSIGNED NULL,
      forced TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_agreements_bid_hospital (bid_id, hospital_id),
      KEY idx_agreements_batch_status (batch_id, status),
      KEY idx_agreements_hospital (hospital_id, batch_id),
      KEY idx_agreements_supplier (supplier_id, batch_id),
      KEY idx_agreements_item (item_id),
      CONSTRAINT fk_agreements_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_agreements_item FOREIGN KEY (item_id) REFERENCES batch_items (id),
      CONSTRAINT fk_agreements_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT fk_agreements_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id),
      CONSTRAINT fk_agreements_winner FOREIGN KEY (bid_id) REFERENCES winners (bid_id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE agreed_volumes (
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      demand INT UNSIGNED NOT NULL,
      agreed_volume INT UNSIGNED NOT NULL,
      unallocated INT UNSIGNED NOT NULL,
      PRIMARY KEY (item_id, group_name, hospital_id),
      KEY idx_agreed_volumes_batch (batch_id),
      KEY idx_agreed_volumes_hospital (hospital_id),
      CONSTRAINT fk_agreed_volumes_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_agreed_volumes_item FOREIGN KEY (item_id) REFERENCES batch_items (id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'agreed_volumes',
      'agreements',
      'preferences',
      'payment_standards',
      'winners',
      'evaluation_results',
      'evaluation_groups',
      'technical_scores',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
