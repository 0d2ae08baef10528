import type { Job } from 'bullmq';
import type { AuditVerifyPayload } from '../audit/audit.queue';
import { AUDIT_VERIFY_JOB } from '../audit/audit.queue';

/**
 * Every BullMQ queue of the platform, in one place (architecture.md: queue names in one
 * enum). Each module's *.queue.ts defines its job names and payload types.
 */
export enum QueueName {
  AUDIT = 'audit',
  OPENING = 'opening',
  EVALUATION = 'evaluation',
  ALLOCATION = 'allocation',
  PREPAYMENT = 'prepayment',
  SETTLEMENT = 'settlement',
  SETTLEMENT_HOSPITAL = 'settlement-hospital',
  IMPORTS = 'imports',
  EXECUTION = 'execution',
}

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);

/**
 * The typed job map: queue → job name → payload type (Immich's JobItem union, keyed by queue
 * too). `JobsService.enqueue` and every processor read it, so a payload that does not match its
 * job name does not compile. Each module adds its queues from its `*.queue.ts` by declaration
 * merging, so common knows no domain job:
 *
 *     declare module '@jicai/common' {
 *       interface JobMap {
 *         [QueueName.PREPAYMENT]: { [DISBURSE_JOB]: PrepaymentJobPayload; ... };
 *       }
 *     }
 *
 * The worker app checks that every QueueName has its entry (AllQueuesMapped).
 */
export interface JobMap {
  [QueueName.AUDIT]: { [AUDIT_VERIFY_JOB]: AuditVerifyPayload };
}

/** The queues the job map knows. */
export type MappedQueue = keyof JobMap & QueueName;

/** The job names of a queue. */
export type JobName<Q extends MappedQueue> = keyof JobMap[Q] & string;

/** The payload of job `N` on queue `Q`. */
export type JobPayload<Q extends MappedQueue, N extends JobName<Q>> = JobMap[Q][N];

/**
 * A job of queue `Q` as its processor receives it: a union over the queue's job names, so
 * `switch (job.name)` narrows `job.data` to that job's payload.
 */
export type JobOf<Q extends MappedQueue> = { [N in JobName<Q>]: Job<JobMap[Q][N], unknown, N> }[JobName<Q>];

/** `true` only when every queue has its entry in the job map (a compile-time check). */
export type AllQueuesMapped = [Exclude<QueueName, keyof JobMap>] extends [never] ? true : false;

/** Who asked for a job: decides who may read its state. */
export interface JobRequester {
  userId: number | null;
  organizationId: number | null;
  role: string | null;
}

/** The id the API hands out: queue and BullMQ id, so GET /jobs/:jobId finds the queue. */
export function publicJobId(queue: QueueName, id: string): string {
  return `${queue}.${id}`;
}

export function parsePublicJobId(jobId: string): { queue: QueueName; id: string } | null {
  const i = jobId.indexOf('.');
  if (i <= 0) return null;
  const queue = jobId.slice(0, i) as QueueName;
  if (!ALL_QUEUES.includes(queue)) return null;
  return { queue, id: jobId.slice(i + 1) };
}
