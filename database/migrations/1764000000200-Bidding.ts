import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sealed bids (domain.md section 4). Every version of a bid is a row: a new submission
 * replaces the live row (status REPLACED, kept), a withdrawal marks it WITHDRAWN.
 *
 * Before opening the row holds no plaintext price, capacity or UCP: those are only in
 * `ciphertext` (AES-256-GCM under BID_SEALING_KEY, which is never in the database). The
 * published nonce is derived from `nonce_salt` with a key derived from the same secret, so
 * a database reader cannot brute-force the receipt either; `nonce` is written at opening.
 * The revealed columns (pack_price, supply_capacity, unit_comparable_price, nonce,
 * opened_at) stay NULL until the opening job has verified every live bid.
 *
 * `live` is 1 for the one live version of a supplier × item × group and NULL otherwise;
 * the unique key over it enforces "one live bid" in the database (NULLs never collide).
 */
export class Bidding1764000000200 implements MigrationInterface {
  name = 'Bidding1764000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE bids (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      product_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      status ENUM('SEALED','REPLACED','WITHDRAWN','OPENED') NOT NULL,
      live TINYINT UNSIGNED NULL,
      pack_size INT UNSIGNED NOT NULL,
      strength_value DECIMAL(20,6) NOT NULL,
      strength_unit VARCHAR(16) NOT NULL,
      measure_units_per_pack INT UNSIGNED NOT NULL,
      ciphertext VARCHAR(1024) NOT NULL,
      nonce_salt CHAR(32) NOT NULL,
      receipt CHAR(64) NOT NULL,
      submitted_at DATETIME(3) NOT NULL,
      submitted_by INT UNSIGNED NULL,
      replaced_by INT UNSIGNED NULL,
      replaced_at DATETIME(3) NULL,
      withdrawn_at DATETIME(3) NULL,
      nonce CHAR(32) NULL,
      pack_price DECIMAL(20,2) NULL,
      supply_capacity INT UNSIGNED NULL,
      unit_comparable_price DECIMAL(20,4) NULL,
      opened_at DATETIME(3) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_bids_live (item_id, supplier_id, group_name, live),
      KEY idx_bids_batch_live (batch_id, live, item_id, group_name),
      KEY idx_bids_batch_supplier (batch_id, supplier_id),
      KEY idx_bids_batch_status (batch_id, status),
      KEY idx_bids_supplier (supplier_id),
      KEY idx_bids_product (product_id),
      KEY idx_bids_replaced_by (replaced_by),
      CONSTRAINT fk_bids_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_bids_item FOREIGN KEY (item_id) REFERENCES batch_items (id),
      CONSTRAINT fk_bids_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id),
      CONSTRAINT fk_bids_product FOREIGN KEY (product_id) REFERENCES products (id),
      CONSTRAINT fk_bids_replaced_by FOREIGN KEY (replaced_by) REFERENCES bids (id),
      CONSTRAINT ck_bids_live CHECK (live IS NULL OR live = 1)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE bids');
  }
}
