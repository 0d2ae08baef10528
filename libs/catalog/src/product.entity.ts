import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { QualityTier } from './catalog.rules';

/** A product (品规) a supplier holds (domain.md section 2). */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'supplier_id', type: 'int', unsigned: true }) supplierId!: number;
  @Column({ name: 'generic_name', type: 'varchar', length: 200 }) genericName!: string;
  /** NFKC-normalised, trimmed: what comparisons use. */
  @Column({ name: 'generic_name_norm', type: 'varchar', length: 200 }) genericNameNorm!: string;
  @Column({ name: 'dosage_form', type: 'varchar', length: 100 }) dosageForm!: string;
  @Column({ name: 'dosage_form_norm', type: 'varchar', length: 100 }) dosageFormNorm!: string;
  @Column({ name: 'strength_value', type: 'decimal', precision: 20, scale: 6 }) strengthValue!: string;
  @Column({ name: 'strength_unit', type: 'varchar', length: 16 }) strengthUnit!: string;
  /** Smallest units per pack (e.g. 28 tablets). */
  @Column({ name: 'pack_size', type: 'int', unsigned: true }) packSize!: number;
  @Column({ name: 'smallest_unit', type: 'varchar', length: 32 }) smallestUnit!: string;
  @Column({ name: 'quality_tier', type: 'enum', enum: ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'] }) qualityTier!: QualityTier;
  /** 批准文号, unique. */
  @Column({ name: 'approval_number', type: 'varchar', length: 64, unique: true }) approvalNumber!: string;
  /** 挂网价 (domain.md 15.6): the listed price per pack, 2 decimals; null when not listed. */
  @Column({ name: 'listed_pack_price', type: 'decimal', precision: 20, scale: 2, nullable: true }) listedPackPrice!: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
