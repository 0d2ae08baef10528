import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: purchase orders (采购订单) with one line each, deliveries referencing an order line,
 * and the in-app inbox (notifications addressed to an organisation, read per user).
 *
 * Batches stored before this migration get rule `ordersRequired` = false written into their
 * rules, so their deliveries keep working without orders; batches created afterwards take the
 * default (true) unless their rules say otherwise.
 */
export class PurchaseOrdersNotifications1764000001200 implements MigrationInterface {
  name = 'PurchaseOrdersNotifications1764000001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE batches SET rules = JSON_SET(rules, '$.ordersRequired', false) WHERE JSON_EXISTS(rules, '$.ordersRequired') = 0`);
    await q.query(`CREATE TABLE purchase_orders (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      batch_id INT UNSIGNED NOT NULL,
      agreement_id INT UNSIGNED NOT NULL,
      item_id INT UNSIGNED NOT NULL,
      group_name VARCHAR(32) NOT NULL,
      hospital_id INT UNSIGNED NOT NULL,
      supplier_id INT UNSIGNED NOT NULL,
      packs INT UNSIGNED NOT NULL,
      delivered_packs INT UNSIGNED NOT NULL DEFAULT 0,
      requested_by VARCHAR(100) NOT NULL,
      status ENUM('PLACED','CONFIRMED','REFUSED','PARTIALLY_DELIVERED','DELIVERED','CANCELLED') NOT NULL,
      placed_at DATETIME(3) NOT NULL,
      placed_by INT UNSIGNED NOT NULL,
      confirm_deadline DATETIME(3) NOT NULL,
      answered_at DATETIME(3) NULL,
      refusal_reason ENUM('STOCK_OUT','OTHER') NULL,
      refusal_note VARCHAR(500) NULL,
      cancelled_at DATETIME(3) NULL,
      first_delivered_at DATETIME(3) NULL,
      completed_at DATETIME(3) NULL,
      import_job_id VARCHAR(128) NULL,
      PRIMARY KEY (id),
      KEY idx_po_agreement (agreement_id),
      KEY idx_po_batch_hospital (batch_id, hospital_id, item_id),
      KEY idx_po_batch_supplier (batch_id, supplier_id, status),
      KEY idx_po_hospital_status (hospital_id, status),
      KEY idx_po_supplier_status (supplier_id, status),
      KEY idx_po_import_job (import_job_id),
      CONSTRAINT fk_po_agreement FOREIGN KEY (agreement_id) REFERENCES agreements (id),
      CONSTRAINT fk_po_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
      CONSTRAINT fk_po_hospital FOREIGN KEY (hospital_id) REFERENCES organizations (id),
      CONSTRAINT fk_po_supplier FOREIGN KEY (supplier_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN order_id INT UNSIGNED NULL AFTER agreement_id,
      ADD KEY idx_deliveries_order (order_id),
      ADD CONSTRAINT fk_deliveries_order FOREIGN KEY (order_id) REFERENCES purchase_orders (id)`);
    await q.query(`CREATE TABLE notifications (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      organization_id INT UNSIGNED NOT NULL,
      kind VARCHAR(48) NOT NULL,
      message VARCHAR(500) NOT NULL,
      entity VARCHAR(32) NULL,
      entity_id BIGINT UNSIGNED NULL,
      batch_id INT UNSIGNED NULL,
      dedupe_key VARCHAR(150) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_notifications_event (organization_id, dedupe_key),
      KEY idx_notifications_org (organization_id, id),
      KEY idx_notifications_batch (batch_id),
      CONSTRAINT fk_notifications_org FOREIGN KEY (organization_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE notification_reads (
      user_id INT UNSIGNED NOT NULL,
      notification_id BIGINT UNSIGNED NOT NULL,
      read_at DATETIME(3) NOT NULL,
      PRIMARY KEY (user_id, notification_id),
      KEY idx_notification_reads_notification (notification_id),
      CONSTRAINT fk_notification_reads_user FOREIGN KEY (user_id) REFERENCES users (id),
      CONSTRAINT fk_notification_reads_notification FOREIGN KEY (notification_id) REFERENCES notifications (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notification_reads');
    await q.query('DROP TABLE notifications');
    await q.query('ALTER TABLE deliveries DROP FOREIGN KEY fk_deliveries_order, DROP KEY idx_deliveries_order, DROP COLUMN order_id');
    await q.query('DROP TABLE purchase_orders');
  }
}
