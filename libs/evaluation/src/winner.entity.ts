import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A winning bid (中选), fixed at award: award price (中选价) and award UCP (section 5). */
@Entity('winners')
export class Winner {
  @PrimaryColumn({ name: 'bid_id', type: 'int', unsigned: true }) bidId!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  @Column({ name: 'product_id', type: 'int', unsigned: true }) productId!: number;
  @Column({ type: 'int', unsigned: true }) rank!: number;
  @Column({ name: 'award_price', type: 'decimal', precision: 20, scale: 2 }) awardPrice!: string;
  @Column({ name: 'award_unit_price', type: 'decimal', precision: 20, scale: 4 }) awardUnitPrice!: string;
  /** Measure units per year the winner committed to supply. */
  @Column({ name: 'supply_capacity', type: 'int', unsigned: true }) supplyCapacity!: number;
  @Column({ name: 'measure_units_per_pack', type: 'int', unsigned: true }) measureUnitsPerPack!: number;
  @Column({ name: 'awarded_at', type: 'datetime', precision: 3 }) awardedAt!: Date;
  /** Section 15.3: joined by an accepted revival offer, at the offer's price. */
  @Column({ type: 'boolean', default: false }) revived!: boolean;
}
