import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { JobOf, QueueName, waitingOutOutages } from '@jicai/common';
import { NIGHTLY_JOB, PROGRESS_HOSPITAL_JOB, PROGRESS_JOB, RETENTION_YEAR_END_JOB } from './execution.queue';
import { ExecutionBatches } from './execution-batches';
import { ProgressService } from './progress.service';
import { NightlyTasks } from './nightly.tasks';

/** The execution jobs: progress recompute, the nightly round, the retention year-end. */
@Processor(QueueName.EXECUTION)
export class ExecutionProcessor extends WorkerHost {
  private readonly logger = new Logger('Execution');

  constructor(
    private readonly progress: ProgressService,
    private readonly batches: ExecutionBatches,
    private readonly nightly: NightlyTasks,
  ) {
    super();
  }

  /** The database unreachable: the job waits for it without spending an attempt. */
  process(job: JobOf<QueueName.EXECUTION>, token?: string) {
    return waitingOutOutages(job, token, () => this.run(job));
  }

  private async run(job: JobOf<QueueName.EXECUTION>) {
    switch (job.name) {
      case PROGRESS_JOB:
        return this.progress.recompute(job.data.batchId);
      case PROGRESS_HOSPITAL_JOB:
        return this.progress.recomputeHospitals(job.data.batchId, [job.data.hospitalId]);
      case NIGHTLY_JOB:
        return this.nightly.run();
      case RETENTION_YEAR_END_JOB:
        return this.nightly.retentionYearEnd(job.data.batchId, job.data.year, job.data.requestedBy ?? null);
      default:
        throw new Error(`unknown execution job ${(job as { name: string }).name}`);
    }
  }
}
