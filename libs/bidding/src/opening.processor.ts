import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError } from 'bullmq';
import { Clock, JobOf, QueueName, waitingOutOutages } from '@jicai/common';
import { CLOSE_BIDDING_JOB, OPEN_BIDS_JOB } from '@jicai/batches';
import { CloseResult, OpeningService, OpenResult } from './opening.service';

/**
 * The OPENING queue (domain.md sections 3-4): the close-bidding and open-bids jobs the
 * batch schedule adds at biddingClosesAt and openingAt (libs/batches/src/batch.queue.ts),
 * and the admin's early trigger of the latter. The work and its idempotency live in
 * OpeningService; this class only routes jobs.
 */
@Processor(QueueName.OPENING)
export class OpeningProcessor extends WorkerHost {
  constructor(
    private readonly opening: OpeningService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: JobOf<QueueName.OPENING>, token?: string) {
    // The database unreachable: wait for it without spending an attempt.
    const result = await waitingOutOutages(job, token, () => this.run(job));
    if (result.notDueUntil) {
      // BullMQ's timer ran ahead of the server clock: wait for the rest of the time. Redis
      // timestamps are real time, so the remaining delay is added to Date.now().
      const remaining = result.notDueUntil.getTime() - this.clock.now().getTime();
      await job.moveToDelayed(Date.now() + Math.max(remaining, 1000), token);
      throw new DelayedError();
    }
    await job.updateProgress(100);
    return result;
  }

  private run(job: JobOf<QueueName.OPENING>): Promise<CloseResult | OpenResult> {
    switch (job.name) {
      case CLOSE_BIDDING_JOB:
        return this.opening.closeBidding(job.data.batchId, job.id);
      case OPEN_BIDS_JOB:
        return this.opening.openBids(job.data.batchId, job.id);
      default:
        throw new Error(`unknown job ${(job as { name: string }).name} on queue ${QueueName.OPENING}`);
    }
  }
}
