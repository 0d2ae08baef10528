import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, JobPayload, JobsService, QueueName } from '@jicai/common';
import { SettlementRunsService } from './settlement-runs.service';
import { MONTHLY_RUN_JOB, MONTHLY_SCHEDULER_ID } from './settlement.queue';

/**
 * At worker start: registers the monthly settlement run (a BullMQ job scheduler on the
 * SETTLEMENT queue, cron AppConfig.settlementCron in UTC; upsert, so every worker may do it),
 * and gives QUEUED runs whose job was lost their job back.
 */
@Injectable()
export class SettlementScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Settlement');

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly runs: SettlementRunsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const payload: JobPayload<QueueName.SETTLEMENT, typeof MONTHLY_RUN_JOB> = {};
    await this.jobs.queue(QueueName.SETTLEMENT).upsertJobScheduler(
      MONTHLY_SCHEDULER_ID,
      { pattern: this.config.settlementCron, tz: 'UTC' },
      {
        name: MONTHLY_RUN_JOB,
        data: payload,
        opts: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 5000 },
          removeOnComplete: { age: 90 * 24 * 3600 },
          removeOnFail: { age: 90 * 24 * 3600 },
        },
      },
    );
    this.logger.log(`monthly settlement run scheduled (${this.config.settlementCron}, UTC)`);
    await this.runs.resumeQueued();
  }
}
