import { JobRequester, QueueName } from '@jicai/common';

/**
 * Jobs on QueueName.PREPAYMENT (domain.md section 8). Ids are deterministic per prepayment,
 * so enqueueing twice never makes two jobs, and the handlers are idempotent anyway.
 */
export const DISBURSE_JOB = 'disburse';
export const RECOVER_JOB = 'recover';
/** Activation's fan-out: enqueues the disburse and recover jobs of every prepayment of a batch. */
export const SCHEDULE_JOBS_JOB = 'schedule-jobs';
export type PrepaymentJobName = typeof DISBURSE_JOB | typeof RECOVER_JOB | typeof SCHEDULE_JOBS_JOB;

/** One per batch: activating twice (it cannot) or a retry never fans out twice. */
export const scheduleJobsJobId = (batchId: number) => `schedule-jobs-${batchId}`;

export interface ScheduleJobsPayload {
  batchId: number;
  requestedBy: JobRequester;
}

export interface PrepaymentJobPayload {
  prepaymentId: number;
  requestedBy: JobRequester;
}

/** Delayed until the due date (the first day of the agreement year). */
export const disburseJobId = (prepaymentId: number) => `disburse-${prepaymentId}`;
/** Delayed until the end of the agreement year. */
export const recoverJobId = (prepaymentId: number) => `recover-${prepaymentId}`;

/** What a job did: a handler that finds the work already done answers `noop`. */
export type PrepaymentJobOutcome =
  | { outcome: 'disbursed'; prepaymentId: number; amount: string }
  | { outcome: 'recovered'; prepaymentId: number; recoveredAmount: string; lapsed: boolean }
  | { outcome: 'noop'; prepaymentId: number; status: string; reason: string };

declare module '@jicai/common' {
  interface JobMap {
    [QueueName.PREPAYMENT]: { [DISBURSE_JOB]: PrepaymentJobPayload; [RECOVER_JOB]: PrepaymentJobPayload; [SCHEDULE_JOBS_JOB]: ScheduleJobsPayload };
  }
}
