import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * domain.md 15.3 (owned by evaluation): revival offers to bids that did not win, answered by
 * their suppliers before a deadline; an accepted one joins the winners at award, marked
 * revived (allocation asks revived winners after the original ones).
 */
export class Revival1764000001130 implements MigrationInterface {
  name = 'Revival1764000001130';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE revival_offers (
      bid_id INT UNSIGNED NOT NULL,
      batch_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      \`rank\` INT UNSIGNED NOT NULL,
      offer_ucp DECIMAL(20,4) NOT NULL,
      offer_pack_price DECIMAL(20,2) NOT NULL,
      deadline DATETIME(3) NOT NULL,
      status ENUM('PENDING','ACCEPTED','DECLINED','LAPSED') NOT NULL,
      answered_by INT UNSIGNED NULL,
      answered_at DATETIME(3) NULL,
      offered_at DATETIME(3) NOT NULL,
      PRIMARY KEY (bid_id),
      KEY idx_revival_offers_batch (batch_id, status),
      KEY idx_revival_offers_group (item_id, group_name),
      KEY idx_revival_offers_supplier (supplier_id),
      CONSTRAINT fk_revival_offers_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
    ) ENGINE=InnoDB`);
    await q.query('ALTER TABLE winners ADD COLUMN revived TINYINT(1) NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE winners DROP COLUMN revived');
    await q.query('DROP TABLE revival_offers');
  }
}
