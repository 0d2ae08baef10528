import { JobRequester, QueueName } from '@jicai/common';

/**
 * The allocation job on QueueName.ALLOCATION (domain.md sections 6-7). One id per batch,
 * so asking twice while it waits or runs adds nothing, and a rerun after success finds
 * the batch ALLOCATED and does nothing.
 */
export const ALLOCATE_JOB = 'allocate-batch';

export interface AllocateJobPayload {
  batchId: number;
  requestedBy: JobRequester;
}

export const allocateJobId = (batchId: number) => `allocate-batch-${batchId}`;

declare module '@jicai/common' {
  interface JobMap {
    [QueueName.ALLOCATION]: { [ALLOCATE_JOB]: AllocateJobPayload };
  }
}
