import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Section 4: SEALED = the live version before opening; OPENED = a live version after opening. */
export enum BidStatus {
  SEALED = 'SEALED',
  REPLACED = 'REPLACED',
  WITHDRAWN = 'WITHDRAWN',
  OPENED = 'OPENED',
}

/**
 * One version of a supplier's bid in an item × group (domain.md section 4). Price, capacity
 * and UCP exist in plaintext only after opening (the revealed columns); before that only in
 * `ciphertext`. See database/migrations/1764000000200-Bidding.ts.
 */
@Entity('bids')
export class Bid {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  @Column({ name: 'product_id', type: 'int', unsigned: true }) productId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) groupName!: string;
  @Column({ type: 'enum', enum: BidStatus }) status!: BidStatus;
  /** 1 for the live version of supplier × item × group, NULL for the others (unique key). */
  @Column({ type: 'tinyint', unsigned: true, nullable: true }) live!: number | null;
  /** Snapshot of the product at submission, so opening does not depend on later catalog edits. */
  @Column({ name: 'pack_size', type: 'int', unsigned: true }) packSize!: number;
  @Column({ name: 'strength_value', type: 'decimal', precision: 20, scale: 6 }) strengthValue!: string;
  @Column({ name: 'strength_unit', type: 'varchar', length: 16 }) strengthUnit!: string;
  /** Section 3: measure units one pack counts in the item (not secret). */
  @Column({ name: 'measure_units_per_pack', type: 'int', unsigned: true }) measureUnitsPerPack!: number;
  @Column({ type: 'varchar', length: 1024 }) ciphertext!: string;
  @Column({ name: 'nonce_salt', type: 'char', length: 32 }) nonceSalt!: string;
  @Column({ type: 'char', length: 64 }) receipt!: string;
  @Column({ name: 'submitted_at', type: 'datetime', precision: 3 }) submittedAt!: Date;
  @Column({ name: 'submitted_by', type: 'int', unsigned: true, nullable: true }) submittedBy!: number | null;
  @Column({ name: 'replaced_by', type: 'int', unsigned: true, nullable: true }) replacedBy!: number | null;
  @Column({ name: 'replaced_at', type: 'datetime', precision: 3, nullable: true }) replacedAt!: Date | null;
  @Column({ name: 'withdrawn_at', type: 'datetime', precision: 3, nullable: true }) withdrawnAt!: Date | null;
  // Revealed at opening only:
  @Column({ type: 'char', length: 32, nullable: true }) nonce!: string | null;
  @Column({ name: 'pack_price', type: 'decimal', precision: 20, scale: 2, nullable: true }) packPrice!: string | null;
  @Column({ name: 'supply_capacity', type: 'int', unsigned: true, nullable: true }) supplyCapacity!: number | null;
  @Column({ name: 'unit_comparable_price', type: 'decimal', precision: 20, scale: 4, nullable: true }) unitComparablePrice!: string | null;
  @Column({ name: 'opened_at', type: 'datetime', precision: 3, nullable: true }) openedAt!: Date | null;
}
