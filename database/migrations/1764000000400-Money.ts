import { MigrationInterface, QueryRunner } from 'typeorm';

/** Prepayments, deliveries, settlement runs and payment instructions (domain.md sections 8 and 10). */
export class Money1764000000400 implements MigrationInterface {
  name = 'Money1764000000400';

  async up(q: QueryRunner): Promise<void> {
    // Section 8: one per hospital × batch × agreement year. balance = disbursed − drawn − recovered.
    await q.query(`CREATE TABLE prepayments (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      amount DECIMAL(20,2) NOT NULL,
      due_date DATETIME(3) NOT NULL,
      year_end DATETIME(3) NOT NULL,
      status ENUM('SCHEDULED','DISBURSED','RECOVERED') NOT NULL,
      balance DECIMAL(20,2) NOT NULL DEFAULT 0,
      disbursed_at DATETIME(3) NULL,
      recovered_at DATETIME(3) NULL,
      recovered_amount DECIMAL(20,2) NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_prepayments (batch_id, hospital_id, year),
      KEY idx_prepayments_hospital (hospital_id, batch_id, status),
      KEY idx_prepayments_status_due (status, due_date),
      CONSTRAINT fk_prepayments_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_prepayments_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT ck_prepayments_balance CHECK (balance >= 0)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE deliveries (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      agreement_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      packs INT UNSIGNED NOT NULL,
      lot_number VARCHAR(64) NOT NULL,
      delivered_at DATETIME(3) NOT NULL,
      status ENUM('DELIVERED','ACCEPTED','SETTLED') NOT NULL,
      accepted_packs INT UNSIGNED NULL,
      accepted_at DATETIME(3) NULL,
      accepted_amount DECIMAL(20,2) NULL,
      due_date DATETIME(3) NULL,
      settlement_run_id INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      KEY idx_deliveries_agreement (agreement_id),
      KEY idx_deliveries_hospital_status (hospital_id, status, accepted_at),
      KEY idx_deliveries_status_accepted (status, accepted_at),
      KEY idx_deliveries_supplier (supplier_id, status),
      KEY idx_deliveries_batch (batch_id),
      KEY idx_deliveries_run (settlement_run_id),
      CONSTRAINT fk_deliveries_agreement FOREIGN KEY (agreement_id) REFERENCES agreements (id),
      CONSTRAINT fk_deliveries_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_deliveries_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT fk_deliveries_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE settlement_runs (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      cutoff DATETIME(3) NOT NULL,
      status ENUM('QUEUED','RUNNING','COMPLETED','FAILED') NOT NULL,
      trigger_kind ENUM('MANUAL','MONTHLY') NOT NULL,
      period_key VARCHAR(32) NULL,
      hospitals_total INT UNSIGNED NOT NULL DEFAULT 0,
      hospitals_done INT UNSIGNED NOT NULL DEFAULT 0,
      total_amount DECIMAL(20,2) NOT NULL DEFAULT 0,
      from_prepayment DECIMAL(20,2) NOT NULL DEFAULT 0,
      from_hospital DECIMAL(20,2) NOT NULL DEFAULT 0,
      failed_reason VARCHAR(500) NULL,
      created_by INT UNSIGNED NULL,
      created_at DATETIME(3) NOT NULL,
      started_at DATETIME(3) NULL,
      finished_at DATETIME(3) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_settlement_runs_period (period_key),
      KEY idx_settlement_runs_status (status)
    ) ENGINE=InnoDB`);
    // The idempotency key of a child job: (run, hospital) is settled once, in one transaction.
    await q.query(`CREATE TABLE settlement_run_hospitals (
      run_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      settled_at DATETIME(3) NOT NULL,
      deliveries INT UNSIGNED NOT NULL,
      amount DECIMAL(20,2) NOT NULL,
      PRIMARY KEY (run_id, hospital_id),
      KEY idx_settlement_run_hospitals_hospital (hospital_id),
      CONSTRAINT fk_srh_run FOREIGN KEY (run_id) REFERENCES settlement_runs (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE payment_instructions (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      run_id INT UNSIGNED NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      amount DECIMAL(20,2) NOT NULL,
      from_prepayment DECIMAL(20,2) NOT NULL,
      from_hospital DECIMAL(20,2) NOT NULL,
      due_date DATETIME(3) NOT NULL,
      status ENUM('PENDING','PAID') NOT NULL,
      paid_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_payment_instructions (run_id, hospital_id, supplier_id),
      KEY idx_payment_instructions_supplier (supplier_id, status),
      KEY idx_payment_instructions_hospital (hospital_id, status),
      KEY idx_payment_instructions_status_due (status, due_date),
      CONSTRAINT fk_payment_instructions_run FOREIGN KEY (run_id) REFERENCES settlement_runs (id),
      CONSTRAINT fk_payment_instructions_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT fk_payment_instructions_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    // A delivery is settled exactly once: the unique delivery_id makes a second settlement impossible.
    await q.query(`CREATE TABLE payment_instruction_lines (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      instruction_id INT UNSIGNED NOT NULL,
      delivery_id INT UNSIGNED NOT NULL,
      amount DECIMAL(20,2) NOT NULL,
      from_prepayment DECIMAL(20,2) NOT NULL,
      from_hospital DECIMAL(20,2) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_payment_instruction_lines_delivery (delivery_id),
      KEY idx_payment_instruction_lines_instruction (instruction_id),
      CONSTRAINT fk_pil_instruction FOREIGN KEY (instruction_id) REFERENCES payment_instructions (id),
      CONSTRAINT fk_pil_delivery FOREIGN KEY (delivery_id) REFERENCES deliveries (id)
    ) ENGINE=InnoDB`);
    // The ledger of prepaid balance drawn (冲抵): Σ drawn per prepayment never exceeds what was disbursed.
    await q.query(`CREATE TABLE prepayment_draws (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      prepayment_id INT UNSIGNED NOT NULL,
      delivery_id INT UNSIGNED NOT NULL,
      run_id INT UNSIGNED NOT NULL,
      amount DECIMAL(20,2) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_prepayment_draws (prepayment_id, delivery_id),
      KEY idx_prepayment_draws_delivery (delivery_id),
      KEY idx_prepayment_draws_run (run_id),
      CONSTRAINT fk_prepayment_draws_prepayment FOREIGN KEY (prepayment_id) REFERENCES prepayments (id),
      CONSTRAINT fk_prepayment_draws_delivery FOREIGN KEY (delivery_id) REFERENCES deliveries (id),
      CONSTRAINT fk_prepayment_draws_run FOREIGN KEY (run_id) REFERENCES settlement_runs (id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'prepayment_draws',
      'payment_instruction_lines',
      'payment_instructions',
      'settlement_run_hospitals',
      'settlement_runs',
      'deliveries',
      'prepayments',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
