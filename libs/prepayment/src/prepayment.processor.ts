import { OnApplicationBootstrap } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError } from 'bullmq';
import { QueueName, Clock, JobOf, waitingOutOutages } from '@jicai/common';
import { DISBURSE_JOB, RECOVER_JOB, SCHEDULE_JOBS_JOB } from './prepayment.queue';
import { PrepaymentService } from './prepayment.service';

/**
 * Disbursement on the due date and recovery at the year's end (domain.md section 8). Both
 * handlers are idempotent (the state lives in the row, changed under its lock), so a retried,
 * stalled or duplicated job changes nothing the second time.
 */
@Processor(QueueName.PREPAYMENT)
export class PrepaymentProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly prepayments: PrepaymentService,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** Repairs jobs lost between an activation's commit and its enqueueing. */
  async onApplicationBootstrap(): Promise<void> {
    await this.prepayments.ensureJobsQuietly();
  }

  /** The database unreachable: the job waits for it without spending an attempt. */
  process(job: JobOf<QueueName.PREPAYMENT>, token?: string) {
    return waitingOutOutages(job, token, () => this.run(job, token));
  }

  private async run(job: JobOf<QueueName.PREPAYMENT>, token?: string) {
    switch (job.name) {
      case SCHEDULE_JOBS_JOB: {
        // Activation's fan-out: the disburse and recover jobs of every prepayment of the batch.
        const prepayments = await this.prepayments.enqueueJobsOfBatch(job.data.batchId, job.data.requestedBy, (done) => job.updateProgress(done));
        return { batchId: job.data.batchId, prepayments };
      }
      case DISBURSE_JOB:
        return this.prepayments.runDisbursement(job.data.prepaymentId);
      case RECOVER_JOB: {
        const r = await this.prepayments.runRecovery(job.data.prepaymentId);
        if (r.outcome === 'not-yet') {
          // Run early (promoted, or a clock behind Redis's): wait for the year's end again.
          const wait = Math.max(1000, r.notBefore.getTime() - this.clock.now().getTime());
          await job.moveToDelayed(Date.now() + wait, token);
          throw new DelayedError();
        }
        return r;
      }
      default:
        throw new Error(`unknown prepayment job ${(job as { name: string }).name}`);
    }
  }
}
