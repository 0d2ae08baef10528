import { JobRequester, QueueName } from '@jicai/common';

/**
 * Jobs on the OPENING queue that the batch schedule creates: closing bidding at
 * biddingClosesAt and opening the bids at openingAt (domain.md sections 3-4). The bidding
 * module consumes them. Ids are deterministic per batch, so rescheduling replaces the job
 * and a duplicate never runs twice.
 */
export const CLOSE_BIDDING_JOB = 'close-bidding';
export const OPEN_BIDS_JOB = 'open-bids';

export interface BatchJobPayload {
  batchId: number;
  requestedBy: JobRequester;
}

export const closeBiddingJobId = (batchId: number) => `close-batch-${batchId}`;
export const openBidsJobId = (batchId: number) => `open-batch-${batchId}`;

declare module '@jicai/common' {
  interface JobMap {
    [QueueName.OPENING]: { [CLOSE_BIDDING_JOB]: BatchJobPayload; [OPEN_BIDS_JOB]: BatchJobPayload };
  }
}
