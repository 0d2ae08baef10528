import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * domain.md 15.6 (transition standards, NHSA 2019).
 * - catalog: a product's optional listed pack price (挂网价), 2 decimals.
 * - reimbursement: at award, with rule transition NHSA_2019, each non-selected product of the
 *   item's generic name and dosage form gets a payment-standard schedule (one row per product,
 *   the listed price and UCP it was computed from, and one row per year of the schedule).
 */
export class TransitionStandards1764000001700 implements MigrationInterface {
  name = 'TransitionStandards1764000001700';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE products ADD COLUMN listed_pack_price DECIMAL(20,2) NULL');
    await q.query(`CREATE TABLE payment_standard_transitions (
      batch_id INT UNSIGNED NOT NULL,
      product_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      reason ENUM('ABOVE_TWICE','WITHIN_TWICE','GENERIC_TIER','NO_LISTED_PRICE') NOT NULL,
      listed_pack_price DECIMAL(20,2) NULL,
      current_unit_price DECIMAL(20,4) NULL,
      selected_unit_price DECIMAL(20,4) NOT NULL,
      PRIMARY KEY (batch_id, product_id),
      KEY idx_pst_product (product_id),
      KEY idx_pst_item_group (item_id, group_name),
      CONSTRAINT fk_pst_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_pst_item FOREIGN KEY (item_id) REFERENCES batch_items (id),
      CONSTRAINT fk_pst_product FOREIGN KEY (product_id) REFERENCES products (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE payment_standard_transition_years (
      batch_id INT UNSIGNED NOT NULL,
      product_id INT UNSIGNED NOT NULL,
      year TINYINT UNSIGNED NOT NULL,
      from_date DATE NOT NULL,
      to_date DATE NULL,
      standard_unit_price DECIMAL(20,4) NOT NULL,
      standard_pack_price DECIMAL(20,2) NOT NULL,
      PRIMARY KEY (batch_id, product_id, year),
      KEY idx_psty_product (product_id, from_date),
      CONSTRAINT fk_psty_transition FOREIGN KEY (batch_id, product_id) REFERENCES payment_standard_transitions (batch_id, product_id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment_standard_transition_years');
    await q.query('DROP TABLE payment_standard_transitions');
    await q.query('ALTER TABLE products DROP COLUMN listed_pack_price');
  }
}
