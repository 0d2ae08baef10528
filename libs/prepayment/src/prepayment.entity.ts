import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Section 8: a prepayment moves SCHEDULED → DISBURSED → RECOVERED, never back. */
export enum PrepaymentStatus {
  SCHEDULED = 'SCHEDULED',
  DISBURSED = 'DISBURSED',
  RECOVERED = 'RECOVERED',
}

/**
 * A prepayment (预付款) of one hospital for one agreement year of a batch (domain.md section 8).
 * `balance` is the hospital's prepaid balance for that year: disbursed − drawn − recovered.
 */
@Entity('prepayments')
export class Prepayment {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  /** 1-based agreement year. */
  @Column({ type: 'tinyint', unsigned: true }) year!: number;
  /** 2 decimals. */
  @Column({ type: 'decimal', precision: 20, scale: 2 }) amount!: string;
  /** First day of the agreement year (UTC midnight). */
  @Column({ name: 'due_date', type: 'datetime', precision: 3 }) dueDate!: Date;
  /** First day of the next agreement year: the year's end, exclusive. */
  @Column({ name: 'year_end', type: 'datetime', precision: 3 }) yearEnd!: Date;
  @Column({ type: 'enum', enum: PrepaymentStatus }) status!: PrepaymentStatus;
  @Column({ type: 'decimal', precision: 20, scale: 2, default: '0.00' }) balance!: string;
  @Column({ name: 'disbursed_at', type: 'datetime', precision: 3, nullable: true }) disbursedAt!: Date | null;
  @Column({ name: 'recovered_at', type: 'datetime', precision: 3, nullable: true }) recoveredAt!: Date | null;
  @Column({ name: 'recovered_amount', type: 'decimal', precision: 20, scale: 2, nullable: true }) recoveredAmount!: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
