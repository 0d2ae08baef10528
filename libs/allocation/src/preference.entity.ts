import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '@jicai/common';

/**
 * A hospital's preference among the winners of one item × group (domain.md section 7):
 * winning bid ids, most preferred first. Without a row the hospital follows rank order.
 */
@Entity('preferences')
export class Preference {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'item_id', type: 'int', unsigned: true }) itemId!: number;
  @Column({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'group_name', type: 'varchar', length: 32 }) group!: string;
  /** JSON array of winners.bid_id, in order of preference. */
  @Column({ name: 'winner_bid_ids', type: 'longtext', transformer: jsonText }) winnerBidIds!: number[];
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
}
