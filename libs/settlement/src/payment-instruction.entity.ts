import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Section 10: PENDING → PAID; overdue is derived (PENDING and now past the due date). */
export enum PaymentStatus {
  PENDING = 'PENDING',
  PAID = 'PAID',
}

/** One per run × hospital × supplier (支付指令). */
@Entity('payment_instructions')
export class PaymentInstruction {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'run_id', type: 'int', unsigned: true }) runId!: number;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  @Column({ type: 'decimal', precision: 20, scale: 2 }) amount!: string;
  @Column({ name: 'from_prepayment', type: 'decimal', precision: 20, scale: 2 }) fromPrepayment!: string;
  @Column({ name: 'from_hospital', type: 'decimal', precision: 20, scale: 2 }) fromHospital!: string;
  /** The earliest due date among its lines. */
  @Column({ name: 'due_date', type: 'datetime', precision: 3 }) dueDate!: Date;
  @Column({ type: 'enum', enum: PaymentStatus }) status!: PaymentStatus;
  @Column({ name: 'paid_at', type: 'datetime', precision: 3, nullable: true }) paidAt!: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}

/** One per settled delivery; delivery_id is unique, so a delivery is settled once. */
@Entity('payment_instruction_lines')
export class PaymentInstructionLine {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'instruction_id', type: 'int', unsigned: true }) instructionId!: number;
  @Column({ name: 'delivery_id', type: 'int', unsigned: true }) deliveryId!: number;
  @Column({ type: 'decimal', precision: 20, scale: 2 }) amount!: string;
  @Column({ name: 'from_prepayment', type: 'decimal', precision: 20, scale: 2 }) fromPrepayment!: string;
  @Column({ name: 'from_hospital', type: 'decimal', precision: 20, scale: 2 }) fromHospital!: string;
}
