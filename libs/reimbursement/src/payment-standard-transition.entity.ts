import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TransitionReason } from './transition.rules';

/**
 * Section 15.6 (NHSA 2019): the transition schedule a non-selected product got at the award of
 * a batch with rule transition NHSA_2019, and what it was computed from. Its years are in
 * PaymentStandardTransitionYear.
 */
@Entity('payment_standard_transitions')
export class PaymentStandardTransition {
  @PrimaryColumn({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @PrimaryColumn({ name: 'product_id', type: 'int', unsigned: true }) productId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  @Column({ type: 'enum', enum: ['ABOVE_TWICE', 'WITHIN_TWICE', 'GENERIC_TIER', 'NO_LISTED_PRICE'] }) reason!: TransitionReason;
  /** The product's listed pack price (挂网价) at award, 2 decimals; null when it had none. */
  @Column({ name: 'listed_pack_price', type: 'decimal', precision: 20, scale: 2, nullable: true }) listedPackPrice!: string | null;
  /** Its UCP from that price (section 4's formula), 4 decimals; null without a listed price. */
  @Column({ name: 'current_unit_price', type: 'decimal', precision: 20, scale: 4, nullable: true }) currentUnitPrice!: string | null;
  /** The selected standard per measure unit of its group (section 9), 4 decimals. */
  @Column({ name: 'selected_unit_price', type: 'decimal', precision: 20, scale: 4 }) selectedUnitPrice!: string;
}

/** One year of a transition schedule (15.6): from/to are UTC calendar dates, `to` inclusive and null for the last year. */
@Entity('payment_standard_transition_years')
export class PaymentStandardTransitionYear {
  @PrimaryColumn({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @PrimaryColumn({ name: 'product_id', type: 'int', unsigned: true }) productId!: number;
  @PrimaryColumn({ type: 'tinyint', unsigned: true }) year!: number;
  @Column({ name: 'from_date', type: 'date' }) from!: string;
  @Column({ name: 'to_date', type: 'date', nullable: true }) to!: string | null;
  /** Per measure unit, 4 decimals. */
  @Column({ name: 'standard_unit_price', type: 'decimal', precision: 20, scale: 4 }) standardUnitPrice!: string;
  /** Per pack of the product (section 9's formula on the year's unit standard), 2 decimals. */
  @Column({ name: 'standard_pack_price', type: 'decimal', precision: 20, scale: 2 }) standardPackPrice!: string;
}
