import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { FlowProducer, Job } from 'bullmq';
import { AppConfig, JobName, JobPayload, QueueName, RedisConnections } from '@jicai/common';
import { SETTLE_HOSPITAL_ATTEMPTS, SETTLE_HOSPITAL_JOB, settleHospitalJobId } from './settlement.queue';

const DAY_S = 24 * 3600;

/**
 * The FlowProducer of settlement runs, on the same Redis connection options and key prefix
 * as every queue (QueuesModule), so the children land in the queues the workers consume.
 */
@Injectable()
export class SettlementFlow implements OnModuleDestroy {
  private producer?: FlowProducer;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnections,
  ) {}

  private get flow(): FlowProducer {
    this.producer ??= new FlowProducer({ connection: this.redis.bull(), prefix: this.config.queuePrefix });
    return this.producer;
  }

  /**
   * Adds one SETTLEMENT_HOSPITAL child per hospital under the running parent run job, all in
   * one atomic Redis transaction (all are added or none). Ids are deterministic per
   * (run, hospital). A child that finally fails fails the parent, so the run cannot complete
   * with a hospital left out.
   */
  async addHospitalChildren(parent: Job, runId: number, hospitalIds: number[]): Promise<void> {
    if (!hospitalIds.length) return;
    await this.flow.addBulk(
      hospitalIds.map((hospitalId) => ({
        name: SETTLE_HOSPITAL_JOB satisfies JobName<QueueName.SETTLEMENT_HOSPITAL>,
        queueName: QueueName.SETTLEMENT_HOSPITAL,
        data: { runId, hospitalId } satisfies JobPayload<QueueName.SETTLEMENT_HOSPITAL, typeof SETTLE_HOSPITAL_JOB>,
        opts: {
          jobId: settleHospitalJobId(runId, hospitalId),
          parent: { id: parent.id!, queue: parent.queueQualifiedName },
          failParentOnFailure: true,
          attempts: SETTLE_HOSPITAL_ATTEMPTS,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: { age: 7 * DAY_S },
          removeOnFail: { age: 30 * DAY_S },
        },
      })),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer?.close();
  }
}
