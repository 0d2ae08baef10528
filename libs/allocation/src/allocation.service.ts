import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal, invalidState, notFound, JobsService, requesterOf, QueueName } from '@jicai/common';
import { BatchStatus, findBatch } from '@jicai/batches';
import { ALLOCATE_JOB, AllocateJobPayload, allocateJobId } from './allocation.queue';

/** The api side of allocation: checks the state and hands the work to the worker. */
@Injectable()
export class AllocationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
  ) {}

  /**
   * POST /batches/:id/allocate: 409 INVALID_STATE unless the batch is AWARDED. The job id
   * is the batch's, so a second request while the job waits or runs gets the same job.
   */
  async requestAllocation(user: Principal, batchId: number): Promise<string> {
    const batch = await findBatch(this.dataSource.manager, batchId);
    if (!batch) throw notFound('Batch');
    if (batch.status !== BatchStatus.AWARDED) {
      throw invalidState(`Batch ${batch.code} is ${batch.status}; only an AWARDED batch can be allocated`, [
        { field: 'status', message: `is ${batch.status}` },
      ]);
    }
    const payload: AllocateJobPayload = { batchId, requestedBy: requesterOf(user) };
    return this.jobs.enqueue(QueueName.ALLOCATION, ALLOCATE_JOB, payload, { jobId: allocateJobId(batchId) });
  }
}
