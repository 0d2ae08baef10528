import type { WorkerOptions } from 'bullmq';

/**
 * Worker options of queues whose jobs are long and idempotent (allocation, imports; settlement
 * has the same in SETTLEMENT_WORKER_OPTIONS). A killed worker's job comes back once its lock
 * expires (lockDuration, renewed every half of it while the job runs) and the next stalled
 * check sees it (stalledInterval): within ~12 s instead of BullMQ's default ~60 s. A job may
 * stall several times (a worker killed twice, a Redis restart losing the lock) before BullMQ
 * fails it: re-running it is safe.
 */
export const RECOVERING_WORKER_OPTIONS: Partial<WorkerOptions> = {
  lockDuration: 8_000,
  stalledInterval: 4_000,
  maxStalledCount: 5,
};
