import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '@jicai/common';
import type { TechnicalCriterion } from './evaluation.rules';

/** The technical score (技术评分) of an opened bid: a sum of criteria points (section 5). */
@Entity('technical_scores')
export class TechnicalScore {
  @PrimaryColumn({ name: 'bid_id', type: 'int', unsigned: true }) bidId!: number;
  @Column({ name: 'batch_id', type: 'int', unsigned: true }) batchId!: number;
  @Column({ name: 'technical_score', type: 'decimal', precision: 10, scale: 4 }) technicalScore!: string;
  @Column({ type: 'longtext', transformer: jsonText }) criteria!: TechnicalCriterion[];
  @Column({ name: 'scored_by', type: 'int', unsigned: true, nullable: true }) scoredBy!: number | null;
  @Column({ name: 'scored_at', type: 'datetime', precision: 3 }) scoredAt!: Date;
}
