import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, JobOf, QueueName, waitingOutOutages } from '@jicai/common';
import { SettlementEngine } from './settlement.engine';
import { SETTLEMENT_WORKER_OPTIONS } from './settlement.queue';

/** One hospital of a run: one transaction keyed by (run, hospital), see SettlementEngine. */
@Processor(QueueName.SETTLEMENT_HOSPITAL, SETTLEMENT_WORKER_OPTIONS)
export class SettlementHospitalProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('Settlement');

  constructor(
    private readonly engine: SettlementEngine,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Hospitals settle in parallel (WORKER_CONCURRENCY); each locks only its own rows. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
  }

  /** The database unreachable: the child waits for it without spending an attempt (so the run does not fail). */
  process(job: JobOf<QueueName.SETTLEMENT_HOSPITAL>, token?: string) {
    return waitingOutOutages(job, token, () => this.engine.settleHospital(job.data.runId, job.data.hospitalId));
  }

  /** The last attempt failed: the parent fails with it (failParentOnFailure), and so does the run. */
  @OnWorkerEvent('failed')
  async onFailed(job: JobOf<QueueName.SETTLEMENT_HOSPITAL> | undefined, error: Error) {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const reason = `hospital ${job.data.hospitalId}: ${error.message}`;
    this.logger.error(`settlement run ${job.data.runId} failed at ${reason}`);
    await this.engine.failRun(job.data.runId, reason).catch((e) => this.logger.error(`marking run ${job.data.runId} FAILED: ${e.message}`));
  }
}
