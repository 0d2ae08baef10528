import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DosageFormClass } from './batch-rules.rules';

/** An item (品种): generic name + dosage form, representative strength, ceiling UCP (section 3). */
@Entity('batch_items')
export class BatchItem {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'generic_name', type: 'varchar', length: 200 }) genericName!: string;
  @Column({ name: 'generic_name_norm', type: 'varchar', length: 200 }) genericNameNorm!: string;
  @Column({ name: 'dosage_form', type: 'varchar', length: 100 }) dosageForm!: string;
  @Column({ name: 'dosage_form_norm', type: 'varchar', length: 100 }) dosageFormNorm!: string;
  /** 代表品规格 */
  @Column({ name: 'rep_strength_value', type: 'decimal', precision: 20, scale: 6 }) repStrengthValue!: string;
  @Column({ name: 'rep_strength_unit', type: 'varchar', length: 16 }) repStrengthUnit!: string;
  /** 最高有效申报价, per measure unit, 4 decimals. */
  @Column({ name: 'ceiling_unit_price', type: 'decimal', precision: 20, scale: 4 }) ceilingUnitPrice!: string;
  /** 剂型类别 (section 15.2): chooses the gateFloor when it is given per class. */
  @Column({ name: 'dosage_form_class', type: 'varchar', length: 32, default: 'OTHER' }) dosageFormClass!: DosageFormClass;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
