import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobsService, QueueName } from '@jicai/common';
import { NIGHTLY_CRON, NIGHTLY_JOB, NIGHTLY_SCHEDULER_ID } from './execution.queue';

/** At worker start: registers the nightly execution round (BullMQ job scheduler, upsert, so every worker may do it). */
@Injectable()
export class ExecutionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Execution');

  constructor(private readonly jobs: JobsService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.queue(QueueName.EXECUTION).upsertJobScheduler(
      NIGHTLY_SCHEDULER_ID,
      { pattern: NIGHTLY_CRON, tz: 'UTC' },
      {
        name: NIGHTLY_JOB,
        data: {},
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 10_000 },
          removeOnComplete: { age: 30 * 24 * 3600 },
          removeOnFail: { age: 90 * 24 * 3600 },
        },
      },
    );
    this.logger.log(`nightly execution round scheduled (${NIGHTLY_CRON}, UTC)`);
  }
}
