import type { WorkerOptions } from 'bullmq';
import { JobRequester, QueueName } from '@jicai/common';

/**
 * Jobs of a settlement run (domain.md section 10), on two queues:
 * - QueueName.SETTLEMENT: the parent run job `settle-run` (id `run-<runId>`) plans the run
 *   (fixes the hospital set), adds one child per hospital through a FlowProducer, waits for
 *   them and completes the run; and `monthly-run`, fired by the job scheduler, which starts
 *   the run of the previous month.
 * - QueueName.SETTLEMENT_HOSPITAL: `settle-hospital` (id `run-<runId>-h-<hospitalId>`), one
 *   database transaction keyed by (run, hospital).
 * Payloads carry ids only; the state lives in the database.
 */
export const SETTLE_RUN_JOB = 'settle-run';
export const MONTHLY_RUN_JOB = 'monthly-run';
export const SETTLE_HOSPITAL_JOB = 'settle-hospital';
export const MONTHLY_SCHEDULER_ID = 'settlement-monthly';

/** Where a run job is: planning (adding children), or waiting for them and completing. */
export type SettleRunStep = 'plan' | 'complete';

export interface SettleRunPayload {
  runId: number;
  step?: SettleRunStep;
  requestedBy: JobRequester;
}

export interface SettleHospitalPayload {
  runId: number;
  hospitalId: number;
}

export interface MonthlyRunPayload {
  requestedBy?: JobRequester;
}

export const settleRunJobId = (runId: number) => `run-${runId}`;
export const settleHospitalJobId = (runId: number, hospitalId: number) => `run-${runId}-h-${hospitalId}`;

/**
 * Worker options of both settlement queues. A crashed worker's jobs come back after their
 * lock expires (lockDuration) and the next stalled check (stalledInterval): short values so a
 * run resumes within seconds. Re-running is safe (every step is idempotent), so a job may
 * stall several times before BullMQ gives up on it.
 */
export const SETTLEMENT_WORKER_OPTIONS: Partial<WorkerOptions> = {
  lockDuration: 8_000,
  stalledInterval: 4_000,
  maxStalledCount: 5,
};

/** Child jobs: retried with backoff (deadlocks, lost connections); a final failure fails the run. */
export const SETTLE_HOSPITAL_ATTEMPTS = 5;

declare module '@jicai/common' {
  interface JobMap {
    [QueueName.SETTLEMENT]: { [SETTLE_RUN_JOB]: SettleRunPayload; [MONTHLY_RUN_JOB]: MonthlyRunPayload };
    [QueueName.SETTLEMENT_HOSPITAL]: { [SETTLE_HOSPITAL_JOB]: SettleHospitalPayload };
  }
}
