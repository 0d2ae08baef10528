import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StandardBasis } from './reimbursement.rules';

/**
 * The payment standard (医保支付标准) per measure unit of an item × group, set at award
 * (domain.md section 9). It carries what is needed to price any product of the same generic
 * name and dosage form without going back to the batch: the group's tiers, the item's
 * representative strength and the batch's K.
 */
@Entity('payment_standards')
export class PaymentStandard {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  /** The quality tiers of the group, comma-separated (e.g. "ORIGINATOR,REFERENCE"). */
  @Column({ type: 'varchar', length: 200 }) tiers!: string;
  @Column({ name: 'generic_name_norm', type: 'varchar', length: 200 }) genericNameNorm!: string;
  @Column({ name: 'dosage_form_norm', type: 'varchar', length: 100 }) dosageFormNorm!: string;
  @Column({ name: 'rep_strength_value', type: 'decimal', precision: 20, scale: 6 }) repStrengthValue!: string;
  @Column({ name: 'rep_strength_unit', type: 'varchar', length: 16 }) repStrengthUnit!: string;
  /** Rule K of the batch, a decimal string. */
  @Column({ name: 'strength_ratio_coefficient', type: 'varchar', length: 20 }) strengthRatioCoefficient!: string;
  /** Per measure unit, 4 decimals. */
  @Column({ name: 'standard_unit_price', type: 'decimal', precision: 20, scale: 4 }) standardUnitPrice!: string;
  @Column({ type: 'enum', enum: ['ITEM_HIGHEST', 'GROUP_HIGHEST'] }) basis!: StandardBasis;
  @Column({ name: 'awarded_at', type: 'datetime', precision: 3 }) awardedAt!: Date;
}
