import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export enum SettlementRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export enum SettlementTrigger {
  MANUAL = 'MANUAL',
  MONTHLY = 'MONTHLY',
}

/** A settlement run (结算批次) for a cut-off time (section 10). */
@Entity('settlement_runs')
export class SettlementRun {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ type: 'datetime', precision: 3 }) cutoff!: Date;
  @Column({ type: 'enum', enum: SettlementRunStatus }) status!: SettlementRunStatus;
  @Column({ name: 'trigger_kind', type: 'enum', enum: SettlementTrigger }) trigger!: SettlementTrigger;
  /** 'YYYY-MM' of the month a MONTHLY run settles; unique, so a month is run once. */
  @Column({ name: 'period_key', type: 'varchar', length: 32, nullable: true }) periodKey!: string | null;
  /** The hospital set fixed when the run started. */
  @Column({ name: 'hospitals_total', type: 'int', unsigned: true }) hospitalsTotal!: number;
  @Column({ name: 'hospitals_done', type: 'int', unsigned: true }) hospitalsDone!: number;
  @Column({ name: 'total_amount', type: 'decimal', precision: 20, scale: 2 }) totalAmount!: string;
  @Column({ name: 'from_prepayment', type: 'decimal', precision: 20, scale: 2 }) fromPrepayment!: string;
  @Column({ name: 'from_hospital', type: 'decimal', precision: 20, scale: 2 }) fromHospital!: string;
  @Column({ name: 'failed_reason', type: 'varchar', length: 500, nullable: true }) failedReason!: string | null;
  @Column({ name: 'created_by', type: 'int', unsigned: true, nullable: true }) createdBy!: number | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true }) startedAt!: Date | null;
  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true }) finishedAt!: Date | null;
}

/** The idempotency key of a hospital's settlement in a run: present = settled, in one transaction. */
@Entity('settlement_run_hospitals')
export class SettlementRunHospital {
  @PrimaryColumn({ name: 'run_id', type: 'int', unsigned: true }) runId!: number;
  @PrimaryColumn({ name: 'hospital_id', type: 'int', unsigned: true }) hospitalId!: number;
  @Column({ name: 'settled_at', type: 'datetime', precision: 3 }) settledAt!: Date;
  @Column({ type: 'int', unsigned: true }) deliveries!: number;
  @Column({ type: 'decimal', precision: 20, scale: 2 }) amount!: string;
}
