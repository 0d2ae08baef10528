import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonText } from '@jicai/common';
import { BatchRules, BatchStatus, withDefaultRules } from './batch-rules.rules';

/** JSON text whose missing keys read as the defaults (a batch stored before a rule existed). */
const rulesText = { to: (v: BatchRules) => jsonText.to(v) as unknown, from: (v: unknown) => withDefaultRules(jsonText.from(v) as Partial<BatchRules>) };

/** A procurement batch (集采批次), domain.md section 3. */
@Entity('batches')
export class Batch {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ type: 'varchar', length: 64, unique: true }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'enum', enum: BatchStatus }) status!: BatchStatus;
  @Column({ name: 'bidding_opens_at', type: 'datetime', precision: 3 }) biddingOpensAt!: Date;
  @Column({ name: 'bidding_closes_at', type: 'datetime', precision: 3 }) biddingClosesAt!: Date;
  @Column({ name: 'opening_at', type: 'datetime', precision: 3 }) openingAt!: Date;
  @Column({ name: 'agreement_start', type: 'datetime', precision: 3 }) agreementStart!: Date;
  @Column({ name: 'agreement_months', type: 'tinyint', unsigned: true }) agreementMonths!: number;
  @Column({ type: 'longtext', transformer: rulesText }) rules!: BatchRules;
  @Column({ name: 'integrity_alarm', type: 'boolean', default: false }) integrityAlarm!: boolean;
  @Column({ name: 'integrity_alarm_reason', type: 'varchar', length: 500, nullable: true }) integrityAlarmReason!: string | null;
  @Column({ name: 'created_by', type: 'int', unsigned: true, nullable: true }) createdBy!: number | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt!: Date;
  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'opened_at', type: 'datetime', precision: 3, nullable: true }) openedAt!: Date | null;
  @Column({ name: 'evaluated_at', type: 'datetime', precision: 3, nullable: true }) evaluatedAt!: Date | null;
  @Column({ name: 'awarded_at', type: 'datetime', precision: 3, nullable: true }) awardedAt!: Date | null;
  @Column({ name: 'allocated_at', type: 'datetime', precision: 3, nullable: true }) allocatedAt!: Date | null;
  @Column({ name: 'confirmation_deadline', type: 'datetime', precision: 3, nullable: true }) confirmationDeadline!: Date | null;
  @Column({ name: 'activated_at', type: 'datetime', precision: 3, nullable: true }) activatedAt!: Date | null;
}
