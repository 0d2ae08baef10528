import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A hospital's annual demand per item × group, in measure units (section 6). */
@Entity('demands')
export class Demand {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  @Column({ type: 'int', unsigned: true }) quantity!: number;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}
