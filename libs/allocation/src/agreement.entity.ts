import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum AgreementStatus {
  PENDING_CONFIRMATION = 'PENDING_CONFIRMATION',
  CONFIRMED = 'CONFIRMED',
}

/** An agreement (约定采购): hospital × winning bid × measure units per year (section 7). */
@Entity('agreements')
export class Agreement {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  /** The winning bid (winners.bid_id). */
  @Column({ name: 'bid_id', type: 'int', unsigned: true }) bidId!: number;
  @Column({ name: 'product_id', type: 'int', unsigned: true }) productId!: number;
  /** Measure units per year. */
  @Column({ type: 'int', unsigned: true }) units!: number;
  /** Award price per pack, copied from the winner for deliveries. */
  @Column({ name: 'award_price', type: 'decimal', precision: 20, scale: 2 }) awardPrice!: string;
  /** Award UCP. */
  @Column({ name: 'unit_comparable_price', type: 'decimal', precision: 20, scale: 4 }) unitComparablePrice!: string;
  /** units × award UCP, 2 decimals (section 7). */
  @Column({ type: 'decimal', precision: 20, scale: 2 }) amount!: string;
  @Column({ type: 'enum', enum: AgreementStatus }) status!: AgreementStatus;
  @Column({ name: 'confirmed_at', type: 'datetime', precision: 3, nullable: true }) confirmedAt!: Date | null;
  @Column({ name: 'confirmed_by', type: 'int', unsigned: true, nullable: true }) confirmedBy!: number | null;
  /** Confirmed by an admin after the confirmation deadline. */
  @Column({ type: 'boolean', default: false }) forced!: boolean;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
