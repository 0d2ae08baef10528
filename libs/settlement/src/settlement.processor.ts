import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, WaitingChildrenError } from 'bullmq';
import { Clock, JobOf, QueueName, waitingOutOutages } from '@jicai/common';
import { SettlementEngine } from './settlement.engine';
import { SettlementFlow } from './settlement.flow';
import { SettlementRunsService } from './settlement-runs.service';
import { MONTHLY_RUN_JOB, SETTLE_RUN_JOB, SETTLEMENT_WORKER_OPTIONS, SettleRunPayload } from './settlement.queue';

/**
 * The parent run job (section 10), in steps kept in its data so a crashed or retried job
 * resumes where it was:
 * 1. plan: fix the hospital set (QUEUED → RUNNING) and add one child per hospital (atomic);
 * 2. complete: once every child has finished, sum the instructions (RUNNING → COMPLETED).
 * Also the monthly job, which starts the previous month's run.
 */
@Processor(QueueName.SETTLEMENT, SETTLEMENT_WORKER_OPTIONS)
export class SettlementRunProcessor extends WorkerHost {
  private readonly logger = new Logger('Settlement');

  constructor(
    private readonly engine: SettlementEngine,
    private readonly flow: SettlementFlow,
    private readonly runs: SettlementRunsService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: JobOf<QueueName.SETTLEMENT>, token?: string) {
    switch (job.name) {
      case SETTLE_RUN_JOB:
        // The database unreachable: wait for it without spending an attempt.
        return waitingOutOutages(job, token, () => this.settleRun(job, token));
      case MONTHLY_RUN_JOB:
        return this.runs.startMonthly(this.clock.now());
      default:
        throw new Error(`unknown settlement job ${(job as { name: string }).name}`);
    }
  }

  private async settleRun(job: Job<SettleRunPayload, unknown, typeof SETTLE_RUN_JOB>, token?: string) {
    const { runId } = job.data;
    if ((job.data.step ?? 'plan') === 'plan') {
      // Children exist already when a previous attempt died after adding them: keep that set.
      const deps = await job.getDependenciesCount();
      const childrenAdded = Object.values(deps).some((n) => (n ?? 0) > 0);
      const plan = await this.engine.planRun(runId, childrenAdded);
      if (plan.finished) return this.engine.completeRun(runId);
      await this.flow.addHospitalChildren(job, runId, plan.hospitalIds);
      await job.updateData({ ...job.data, step: 'complete' });
      await job.updateProgress({ hospitalsTotal: plan.hospitalIds.length });
    }
    if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
    return this.engine.completeRun(runId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: JobOf<QueueName.SETTLEMENT> | undefined, error: Error) {
    if (!job || job.name !== SETTLE_RUN_JOB || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error(`settlement run ${job.data.runId} failed: ${error.message}`);
    await this.engine.failRun(job.data.runId, error.message).catch((e) => this.logger.error(`marking run ${job.data.runId} FAILED: ${e.message}`));
  }
}
