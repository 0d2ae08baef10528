import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the dashboards' time series (issue 15): each monthly or weekly GROUP BY reads a
 * range of one index instead of a supplier's (or the whole table's) rows. The owners' read
 * functions name them in their comments.
 */
export class DashboardIndexes1764000002000 implements MigrationInterface {
  name = 'DashboardIndexes1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE purchase_orders ADD KEY idx_po_supplier_placed (supplier_id, placed_at)');
    await q.query(
      'ALTER TABLE deliveries ADD KEY idx_deliveries_supplier_delivered (supplier_id, delivered_at), ADD KEY idx_deliveries_supplier_accepted (supplier_id, accepted_at)',
    );
    await q.query(
      'ALTER TABLE payment_instructions ADD KEY idx_payment_instructions_created (created_at), ADD KEY idx_payment_instructions_supplier_paid (supplier_id, paid_at)',
    );
    await q.query('ALTER TABLE prepayments ADD KEY idx_prepayments_disbursed (disbursed_at), ADD KEY idx_prepayments_recovered (recovered_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE prepayments DROP KEY idx_prepayments_disbursed, DROP KEY idx_prepayments_recovered');
    await q.query('ALTER TABLE payment_instructions DROP KEY idx_payment_instructions_created, DROP KEY idx_payment_instructions_supplier_paid');
    await q.query('ALTER TABLE deliveries DROP KEY idx_deliveries_supplier_delivered, DROP KEY idx_deliveries_supplier_accepted');
    await q.query('ALTER TABLE purchase_orders DROP KEY idx_po_supplier_placed');
  }
}
