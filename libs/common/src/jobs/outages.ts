import { DelayedError, Job } from 'bullmq';
import { isServiceUnavailable } from '../database/sql';

/** How long a job waits before it tries again while the database is unreachable. */
export const OUTAGE_RETRY_MS = 2_000;

/**
 * Runs a job's work; if it fails because MySQL (or Redis) is unreachable — a restart, a
 * failover, a dropped connection — the job goes back to delayed for OUTAGE_RETRY_MS without
 * spending one of its attempts (BullMQ's DelayedError), so an outage of any length ends with
 * the job done rather than failed after its few backoff retries. Every job this wraps must be
 * idempotent (its transaction rolled back with the lost connection, or committed and found on
 * the rerun). Any other error is thrown as it was, and counts as an attempt.
 */
export async function waitingOutOutages<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!token || !isServiceUnavailable(e)) throw e;
    await job.moveToDelayed(Date.now() + OUTAGE_RETRY_MS, token);
    throw new DelayedError(`waiting for the database: ${(e as Error).message}`);
  }
}
