import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { OrderStatus, RefusalReason } from './orders.rules';

/**
 * A purchase order (采购订单) of a hospital against one of its agreements. An order has one line
 * (one agreement, a number of packs), so the order's id is its line's: deliveries reference it.
 * Batch, item, group, hospital and supplier are copied from the agreement.
 */
@Entity('purchase_orders')
export class PurchaseOrder {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'agreement_id', type: 'int', unsigned: true }) agreementId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  @Column({ type: 'int', unsigned: true }) packs!: number;
  @Column({ name: 'delivered_packs', type: 'int', unsigned: true }) deliveredPacks!: number;
  /** Who at the hospital asked for it (a name or department, as the hospital writes it). */
  @Column({ name: 'requested_by', type: 'varchar', length: 100 }) requestedBy!: string;
  @Column({ type: 'enum', enum: OrderStatus }) status!: OrderStatus;
  @Column({ name: 'placed_at', type: 'datetime', precision: 3 }) placedAt!: Date;
  @Column({ name: 'placed_by', type: 'int', unsigned: true }) placedBy!: number;
  /** placedAt + rule orderConfirmHours. */
  @Column({ name: 'confirm_deadline', type: 'datetime', precision: 3 }) confirmDeadline!: Date;
  @Column({ name: 'answered_at', type: 'datetime', precision: 3, nullable: true }) answeredAt!: Date | null;
  @Column({ name: 'refusal_reason', type: 'enum', enum: RefusalReason, nullable: true }) refusalReason!: RefusalReason | null;
  @Column({ name: 'refusal_note', type: 'varchar', length: 500, nullable: true }) refusalNote!: string | null;
  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true }) cancelledAt!: Date | null;
  @Column({ name: 'first_delivered_at', type: 'datetime', precision: 3, nullable: true }) firstDeliveredAt!: Date | null;
  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true }) completedAt!: Date | null;
  /** The spreadsheet import job that placed it, if any (a rerun writes nothing twice). */
  @Column({ name: 'import_job_id', type: 'varchar', length: 128, nullable: true }) importJobId!: string | null;
}
