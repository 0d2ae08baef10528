import { JobRequester, QueueName } from '@jicai/common';

/**
 * Jobs on QueueName.EXECUTION (issue 13):
 * - `progress` (id `progress-<batchId>-<yyyy-mm-dd>` when nightly, `progress-<batchId>` on demand):
 *   recompute one batch's progress, set-based, a chunk of hospitals per transaction;
 * - `progress-hospital` (id `progress-<batchId>-h-<hospitalId>`, or `…-again` while that one runs):
 *   one hospital's rows of one batch, enqueued after each acceptance commits, deduplicated;
 * - `nightly`: fired by the job scheduler; recomputes every IN_FORCE batch, marks overdue
 *   payments and raises their notifications;
 * - `retention-year-end`: fixes the savings retention of one batch × agreement year.
 * Payloads carry ids only; every job is idempotent (recomputes write the same rows again).
 */
export const PROGRESS_JOB = 'progress';
/** One hospital's rows of one batch, after an acceptance (ids progressHospitalJobIds). */
export const PROGRESS_HOSPITAL_JOB = 'progress-hospital';
export const NIGHTLY_JOB = 'nightly';
export const RETENTION_YEAR_END_JOB = 'retention-year-end';
export const NIGHTLY_SCHEDULER_ID = 'execution-nightly';
/** 01:30 UTC every day. */
export const NIGHTLY_CRON = '30 1 * * *';

export interface ProgressJobPayload {
  batchId: number;
  requestedBy?: JobRequester;
}

export interface ProgressHospitalPayload {
  batchId: number;
  hospitalId: number;
}

export interface NightlyJobPayload {
  requestedBy?: JobRequester;
}

export interface RetentionYearEndPayload {
  batchId: number;
  year: number;
  requestedBy?: JobRequester;
}

export const progressJobId = (batchId: number) => `progress-${batchId}`;
/**
 * The two ids of a hospital's progress job: a job still waiting (or delayed) under either
 * takes every later acceptance with it; one already running may have read before the latest
 * acceptance committed, so the next acceptance uses the other id.
 */
export const progressHospitalJobIds = (batchId: number, hospitalId: number) =>
  [`progress-${batchId}-h-${hospitalId}`, `progress-${batchId}-h-${hospitalId}-again`] as const;
export const retentionYearEndJobId = (batchId: number, year: number) => `retention-${batchId}-${year}`;

declare module '@jicai/common' {
  interface JobMap {
    [QueueName.EXECUTION]: {
      [PROGRESS_JOB]: ProgressJobPayload;
      [PROGRESS_HOSPITAL_JOB]: ProgressHospitalPayload;
      [NIGHTLY_JOB]: NightlyJobPayload;
      [RETENTION_YEAR_END_JOB]: RetentionYearEndPayload;
    };
  }
}
