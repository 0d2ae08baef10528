import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError } from 'bullmq';
import { AppError, JobOf, RECOVERING_WORKER_OPTIONS, QueueName, waitingOutOutages } from '@jicai/common';
import { ImportRunner } from './import-jobs.runner';

/** The IMPORTS queue: every kind of spreadsheet import, dispatched by ImportRunner to its module's handler. */
@Processor(QueueName.IMPORTS, RECOVERING_WORKER_OPTIONS)
export class ImportProcessor extends WorkerHost {
  private readonly logger = new Logger('ImportProcessor');

  constructor(private readonly runner: ImportRunner) {
    super();
  }

  async process(job: JobOf<QueueName.IMPORTS>, token?: string) {
    let result;
    try {
      // The database unreachable: wait for it without spending an attempt.
      result = await waitingOutOutages(job, token, () => this.runner.run(job.id!, job.data));
    } catch (e) {
      // A refusal (batch closed meanwhile, approval number taken meanwhile) will not fix
      // itself by retrying; a lost connection or a deadlock may, so those are retried.
      if (e instanceof AppError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      throw e;
    }
    // Written and committed: the rows need not stay in Redis for the days the finished job
    // is kept. A rerun of this job finds import_runs and never reads them.
    if (job.data.rows.length) {
      await job.updateData({ ...job.data, rows: [] }).catch((e: Error) => this.logger.warn(`import job ${job.id}: rows not cleared: ${e.message}`));
    }
    return result;
  }
}
