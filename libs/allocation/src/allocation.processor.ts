import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError } from 'bullmq';
import { AppError, JobOf, principalOf, QueueName, RECOVERING_WORKER_OPTIONS, waitingOutOutages } from '@jicai/common';
import { AllocationInputError } from './allocation.rules';
import { AllocationRunService } from './allocation-run.service';

/**
 * Allocates a batch (domain.md sections 6-7). Idempotent: the work is one transaction
 * that ends with the batch ALLOCATED, so a retried or duplicated job either redoes all of
 * it (the first attempt rolled back) or finds the batch ALLOCATED and does nothing.
 */
@Processor(QueueName.ALLOCATION, RECOVERING_WORKER_OPTIONS)
export class AllocationProcessor extends WorkerHost {
  constructor(private readonly allocation: AllocationRunService) {
    super();
  }

  async process(job: JobOf<QueueName.ALLOCATION>, token?: string) {
    const actor = principalOf(job.data.requestedBy);
    try {
      // The database unreachable: wait for it without spending an attempt.
      return await waitingOutOutages(job, token, () => this.allocation.run(job.data.batchId, actor, (p) => job.updateProgress(p)));
    } catch (e) {
      // A refused state or malformed data will not fix itself by retrying; a lost
      // connection or a deadlock may, so those are retried.
      if (e instanceof AppError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      if (e instanceof AllocationInputError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      throw e;
    }
  }
}
