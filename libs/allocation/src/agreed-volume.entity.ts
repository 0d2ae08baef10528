import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * 约定采购量: a hospital's agreed volume in one item × group (domain.md section 6), written
 * by the allocation job together with what allocation (section 7) could not place.
 */
@Entity('agreed_volumes')
export class AgreedVolume {
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @PrimaryColumn({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @PrimaryColumn({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  @PrimaryColumn({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  /** Reported annual demand, measure units. */
  @Column({ type: 'int', unsigned: true }) demand!: number;
  /** round(demand × ratio(k)); 0 where the group has no winner. */
  @Column({ name: 'agreed_volume', type: 'int', unsigned: true }) agreedVolume!: number;
  /** Agreed units no preferred winner could supply. */
  @Column({ type: 'int', unsigned: true }) unallocated!: number;
}
