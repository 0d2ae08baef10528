import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInt } from '../http/openapi';
import { QueueName } from './queues';

/** The states of a job the admin's job list filters on (BullMQ's names). */
export const LISTED_JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;
export type ListedJobState = (typeof LISTED_JOB_STATES)[number];

/** GET /jobs/queues: one queue's job counts (admin). */
export class JobQueueDto {
  @ApiProperty({ enum: Object.values(QueueName), example: 'opening' }) queue!: string;
  @ApiInt({ description: 'waiting to run (prioritised included)' }) waiting!: number;
  @ApiInt() active!: number;
  @ApiInt() delayed!: number;
  @ApiInt() failed!: number;
  @ApiInt({ description: 'completed jobs still kept (7 days)' }) completed!: number;
  @ApiProperty({ description: 'the queue is paused: its workers take no new job' }) paused!: boolean;
}

/** GET /jobs: one recent job, without its payload (admin). */
export class JobSummaryDto {
  @ApiProperty({ description: 'GET /jobs/:jobId takes it', example: 'opening.batch-12' }) jobId!: string;
  @ApiProperty({ enum: Object.values(QueueName), example: 'opening' }) queue!: string;
  @ApiProperty({ example: 'open-batch' }) name!: string;
  @ApiProperty({ enum: [...LISTED_JOB_STATES], example: 'completed' }) state!: string;
  @ApiProperty({ description: 'a number (percent) or an object, as the job reports it', oneOf: [{ type: 'number', format: 'double' }, { type: 'object' }] })
  progress!: unknown;
  @ApiProperty({ type: 'string', nullable: true }) failedReason!: string | null;
  @ApiInt() attemptsMade!: number;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime({ nullable: true }) processedAt!: string | null;
  @ApiDateTime({ nullable: true }) finishedAt!: string | null;
}
