import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a notification is about (issue 13): one kind per job or action that writes it. */
export enum NotificationKind {
  BATCH_PUBLISHED = 'BATCH_PUBLISHED',
  BIDDING_CLOSING = 'BIDDING_CLOSING',
  RESULTS_PUBLISHED = 'RESULTS_PUBLISHED',
  OBJECTION_ANSWERED = 'OBJECTION_ANSWERED',
  AGREEMENTS_AWAITING_CONFIRMATION = 'AGREEMENTS_AWAITING_CONFIRMATION',
  ORDER_PLACED = 'ORDER_PLACED',
  ORDER_CONFIRMED = 'ORDER_CONFIRMED',
  ORDER_REFUSED = 'ORDER_REFUSED',
  ORDER_CANCELLED = 'ORDER_CANCELLED',
  DELIVERY_AWAITING_ACCEPTANCE = 'DELIVERY_AWAITING_ACCEPTANCE',
  PROGRESS_FLAG = 'PROGRESS_FLAG',
  PAYMENT_OVERDUE = 'PAYMENT_OVERDUE',
}

/**
 * A notification addressed to an organisation: every user of it sees it in their inbox and
 * reads it for themselves (notification_reads). `dedupeKey` makes a job's rerun write nothing
 * twice (unique per organisation).
 */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true }) id!: string;
  @Column({ name: 'organization_id', type: 'int', unsigned: true }) organizationId!: number;
  @Column({ type: 'varchar', length: 48 }) kind!: NotificationKind;
  @Column({ type: 'varchar', length: 500 }) message!: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) entity!: string | null;
  @Column({ name: 'entity_id', type: 'bigint', unsigned: true, nullable: true }) entityId!: string | null;
  @Column({ name: 'batch_id', type: 'int', unsigned: true, nullable: true }) batchId!: number | null;
  @Column({ name: 'dedupe_key', type: 'varchar', length: 150 }) dedupeKey!: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
