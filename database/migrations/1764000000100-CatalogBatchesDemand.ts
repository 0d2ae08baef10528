import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogBatchesDemand1764000000100 implements MigrationInterface {
  name = 'CatalogBatchesDemand1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE products (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      supplier_id INT UNSIGNED NOT NULL,
      generic_name VARCHAR(200) NOT NULL,
      generic_name_norm VARCHAR(200) NOT NULL,
      dosage_form VARCHAR(100) NOT NULL,
      dosage_form_norm VARCHAR(100) NOT NULL,
      strength_value DECIMAL(20,6) NOT NULL,
      strength_unit VARCHAR(16) NOT NULL,
      pack_size INT UNSIGNED NOT NULL,
      smallest_unit VARCHAR(32) NOT NULL,
      quality_tier ENUM('ORIGINATOR','REFERENCE','CONSISTENCY_PASSED','GENERIC') NOT NULL,
      approval_number VARCHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_products_approval_number (approval_number),
      KEY idx_products_supplier (supplier_id),
      KEY idx_products_generic (generic_name_norm, dosage_form_norm),
      CONSTRAINT fk_products_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE batches (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      code VARCHAR(64) NOT NULL,
      name VARCHAR(200) NOT NULL,
      status ENUM('DRAFT','PUBLISHED','CLOSED','OPENED','EVALUATED','AWARDED','ALLOCATED','IN_FORCE','COMPLETED','CANCELLED') NOT NULL,
      bidding_opens_at DATETIME(3) NOT NULL,
      bidding_closes_at DATETIME(3) NOT NULL,
      opening_at DATETIME(3) NOT NULL,
      agreement_start DATETIME(3) NOT NULL,
      agreement_months TINYINT UNSIGNED NOT NULL,
      rules LONGTEXT NOT NULL,
      integrity_alarm TINYINT(1) NOT NULL DEFAULT 0,
      integrity_alarm_reason VARCHAR(500) NULL,
      created_by INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      published_at DATETIME(3) NULL,
      opened_at DATETIME(3) NULL,
      evaluated_at DATETIME(3) NULL,
      awarded_at DATETIME(3) NULL,
      allocated_at DATETIME(3) NULL,
      confirmation_deadline DATETIME(3) NULL,
      activated_at DATETIME(3) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_batches_code (code),
      KEY idx_batches_status (status)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE batch_items (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      generic_name VARCHAR(200) NOT NULL,
      generic_name_norm VARCHAR(200) NOT NULL,
      dosage_form VARCHAR(100) NOT NULL,
      dosage_form_norm VARCHAR(100) NOT NULL,
      rep_strength_value DECIMAL(20,6) NOT NULL,
      rep_strength_unit VARCHAR(16) NOT NULL,
      ceiling_unit_price DECIMAL(20,4) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_batch_items_generic (batch_id, generic_name_norm, dosage_form_norm),
      KEY idx_batch_items_generic (generic_name_norm, dosage_form_norm),
      CONSTRAINT fk_batch_items_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE demands (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      quantity INT UNSIGNED NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_demands (item_id, hospital_id, group_name),
      KEY idx_demands_batch_hospital (batch_id, hospital_id),
      KEY idx_demands_hospital (hospital_id),
      CONSTRAINT fk_demands_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_demands_item FOREIGN KEY (item_id) REFERENCES batch_items (id),
      CONSTRAINT fk_demands_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['demands', 'batch_items', 'batches', 'products']) await q.query(`DROP TABLE ${t}`);
  }
}
