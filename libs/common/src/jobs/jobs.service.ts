import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { JobsOptions, Queue } from 'bullmq';
import { notFound } from '../errors/app-error';
import { Principal, Role } from '../auth/roles';
import { ALL_QUEUES, JobName, JobPayload, JobRequester, MappedQueue, parsePublicJobId, publicJobId, QueueName } from './queues';
import { LISTED_JOB_STATES, ListedJobState } from './jobs.responses';

/** Who asks for a job, as its payload carries it (requestedBy). */
export function requesterOf(p: Principal | null): JobRequester {
  return { userId: p?.userId ?? null, organizationId: p?.organizationId ?? null, role: p?.role ?? null };
}

/** The principal a job acts for: its requester, or null (the system) for a job without a user. */
export function principalOf(r: JobRequester | null | undefined): Principal | null {
  return r?.userId ? { userId: r.userId, organizationId: r.organizationId!, role: (r.role ?? Role.ADMIN) as Role, username: '' } : null;
}

@Injectable()
export class JobsService {
  constructor(private readonly moduleRef: ModuleRef) {}

  queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /**
   * Adds a job; the job map types the payload by queue and job name. With a deterministic
   * jobId this is the platform's one dedupe: a job already waiting, delayed or running is not
   * added twice (its id is answered; with `promoteDelayed` a delayed one is run now instead);
   * a finished one with the same id is replaced so the work can be asked for again once the
   * state allows it.
   */
  async enqueue<Q extends MappedQueue, N extends JobName<Q>>(
    queueName: Q,
    name: N,
    data: JobPayload<Q, N>,
    opts: JobsOptions = {},
    dedupe: { promoteDelayed?: boolean } = {},
  ): Promise<string> {
    const queue = this.queue(queueName);
    if (opts.jobId) {
      const existing = await queue.getJob(opts.jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' || state === 'failed') await existing.remove();
        else if (state !== 'unknown') {
          // It may have started on its own meanwhile: then it no longer needs promoting.
          if (state === 'delayed' && dedupe.promoteDelayed) await existing.promote().catch(() => undefined);
          return publicJobId(queueName, opts.jobId);
        }
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

  /**
   * Puts a job in place of the one with the same id unless that one is running (a changed
   * schedule): the old job is removed and the new one added with its new delay.
   */
  async replace<Q extends MappedQueue, N extends JobName<Q>>(
    queueName: Q,
    name: N,
    data: JobPayload<Q, N>,
    opts: JobsOptions & { jobId: string },
  ): Promise<string> {
    const existing = await this.queue(queueName).getJob(opts.jobId);
    if (existing && (await existing.getState()) !== 'active') await existing.remove();
    return this.enqueue(queueName, name, data, opts);
  }

  /** Removes the job with this id if it is still delayed (work called off before it is due). */
  async removeDelayed(queueName: QueueName, jobId: string): Promise<void> {
    const job = await this.queue(queueName).getJob(jobId);
    if (job && (await job.getState()) === 'delayed') await job.remove();
  }

  /** Whether a job with this id exists in any state. */
  async exists(queueName: QueueName, jobId: string): Promise<boolean> {
    return !!(await this.queue(queueName).getJob(jobId));
  }

  /**
   * Adds many jobs in one round trip per call (BullMQ addBulk), with the defaults of
   * enqueue(). For fan-outs of thousands of jobs with deterministic ids: a job whose id
   * exists already (waiting, delayed, running or kept after finishing) is not added again.
   */
  async enqueueMany<T extends object>(queueName: QueueName, jobs: { name: string; data: T; opts?: JobsOptions }[]): Promise<number> {
    if (!jobs.length) return 0;
    const added = await this.queue(queueName).addBulk(
      jobs.map((j) => ({
        name: j.name,
        data: j.data as any,
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
          ...j.opts,
        },
      })),
    );
    return added.length;
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

  /** GET /jobs/queues (admin): each queue's counts by state and whether it is paused. */
  async queueCounts() {
    return {
      items: await Promise.all(
        ALL_QUEUES.map(async (name) => {
          const q = this.queue(name);
          const [c, paused] = await Promise.all([
            q.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed', 'completed'),
            q.isPaused(),
          ]);
          return {
            queue: name,
            waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            failed: c.failed ?? 0,
            completed: c.completed ?? 0,
            paused,
          };
        }),
      ),
      total: ALL_QUEUES.length,
    };
  }

  /**
   * GET /jobs (admin): the newest jobs of one queue (or all) in one state (or all), newest first,
   * without their payloads (which carry who asked and the work's ids, nothing a clerk needs).
   * Each (queue, state) list is read only up to offset + limit, then merged by creation time.
   */
  async recent(q: { queue?: QueueName; state?: ListedJobState; limit: number; offset: number }) {
    const queues = q.queue ? [q.queue] : ALL_QUEUES;
    const states = q.state ? [q.state] : [...LISTED_JOB_STATES];
    const lists = await Promise.all(
      queues.flatMap((name) =>
        states.map(async (state) => {
          const queue = this.queue(name);
          const [jobs, counts] = await Promise.all([queue.getJobs([state], 0, q.offset + q.limit - 1, false), queue.getJobCounts(state)]);
          return { name, state, jobs: jobs.filter((j): j is NonNullable<typeof j> => !!j), count: counts[state] ?? 0 };
        }),
      ),
    );
    const items = lists
      .flatMap((l) =>
        l.jobs.map((job) => ({
          jobId: publicJobId(l.name, job.id!),
          queue: l.name,
          name: job.name,
          state: l.state,
          progress: job.progress,
          failedReason: job.failedReason || null,
          attemptsMade: job.attemptsMade,
          createdAt: new Date(job.timestamp).toISOString(),
          processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
          finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        })),
      )
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.jobId.localeCompare(b.jobId)))
      .slice(q.offset, q.offset + q.limit);
    return { items, total: lists.reduce((n, l) => n + l.count, 0) };
  }
}
