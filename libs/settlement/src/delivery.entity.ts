import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Section 10: DELIVERED by the supplier → ACCEPTED (all or part) by the hospital → SETTLED by a run. */
export enum DeliveryStatus {
  DELIVERED = 'DELIVERED',
  ACCEPTED = 'ACCEPTED',
  SETTLED = 'SETTLED',
}

/** A delivery (配送) against an agreement; batch, hospital and supplier are copied from it. */
@Entity('deliveries')
export class Delivery {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'agreement_id', type: 'int', unsigned: true }) agreementId!: number;
  /** The purchase order line it delivers (null only where the batch's rule ordersRequired is false). */
  @Column({ name: 'order_id', type: 'int', unsigned: true, nullable: true }) orderId!: number | null;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  @Column({ type: 'int', unsigned: true }) packs!: number;
  @Column({ name: 'lot_number', type: 'varchar', length: 64 }) lotNumber!: string;
  @Column({ name: 'delivered_at', type: 'datetime', precision: 3 }) deliveredAt!: Date;
  @Column({ type: 'enum', enum: DeliveryStatus }) status!: DeliveryStatus;
  @Column({ name: 'accepted_packs', type: 'int', unsigned: true, nullable: true }) acceptedPacks!: number | null;
  @Column({ name: 'accepted_at', type: 'datetime', precision: 3, nullable: true }) acceptedAt!: Date | null;
  /** acceptedPacks × award price, 2 decimals (section 10). */
  @Column({ name: 'accepted_amount', type: 'decimal', precision: 20, scale: 2, nullable: true }) acceptedAmount!: string | null;
  /** acceptedAt + rule paymentTermDays. */
  @Column({ name: 'due_date', type: 'datetime', precision: 3, nullable: true }) dueDate!: Date | null;
  /** The run that settled it (set together with status SETTLED). */
  @Column({ name: 'settlement_run_id', type: 'int', unsigned: true, nullable: true }) settlementRunId!: number | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
