import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { JobsOptions, Queue } from 'bullmq';
import { notFound } from '../errors/app-error';
import { Principal, Role } from '../auth/roles';
import { JobName, JobPayload, JobRequester, MappedQueue, parsePublicJobId, publicJobId, QueueName } from './queues';

export function requesterOf(p: Principal | null): JobRequester {
  return { userId: p?.userId ?? null, organizationId: p?.organizationId ?? null, role: p?.role ?? null };
}

@Injectable()
export class JobsService {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /**
   * Adds a job. With a deterministic jobId, a job already waiting, delayed or running is
   * not added twice (BullMQ ignores a duplicate id); a finished one with the same id is
   * replaced so the work can be asked for again once the state allows it. The job map types
   * the payload by queue and job name.
   */
  async enqueue<Q extends MappedQueue, N extends JobName<Q>>(queueName: Q, name: N, data: JobPayload<Q, N>, opts: JobsOptions = {}): Promise<string> {
    const queue = this.queue(queueName);
    if (opts.jobId) {
      const existing = await queue.getJob(opts.jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' || state === 'failed') await existing.remove();
        else return publicJobId(queueName, opts.jobId);
      }
    }
    const job = await queue.add(name, data, {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
      ...opts,
    });
    return publicJobId(queueName, job.id!);
  }

  /** GET /jobs/:jobId: state as BullMQ names it, progress, result, failure reason. */
  async view(jobId: string, viewer: Principal) {
    const parsed = parsePublicJobId(jobId);
    if (!parsed) throw notFound('Job');
    const queue = this.queue(parsed.queue);
    // State first, then the job: a job seen 'completed' is then read with its result.
    const state = await queue.getJobState(parsed.id);
    const job = await queue.getJob(parsed.id);
    if (!job || state === 'unknown') throw notFound('Job');
    const requester = (job.data as { requestedBy?: JobRequester })?.requestedBy;
    const privileged = viewer.role === Role.ADMIN || viewer.role === Role.FUND;
    if (!privileged && requester?.organizationId !== viewer.organizationId) throw notFound('Job');
    return {
      jobId,
      name: job.name,
      state,
      progress: job.progress,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason ?? null,
      attemptsMade: job.attemptsMade,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }
}
