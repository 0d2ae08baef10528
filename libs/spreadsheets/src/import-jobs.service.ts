import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal, JobsService, requesterOf, QueueName } from '@jicai/common';
import { ImportJobPayload, importJobName } from './import-jobs.queue';

/** What an import request answers (202): the job, and how many valid rows it will write. */
export interface ImportAccepted {
  jobId: string;
  rows: number;
}

/** The api side of imports: hands a validated file's rows to the worker. */
@Injectable()
export class ImportJobsService {
  constructor(private readonly jobs: JobsService) {}

  /**
   * Enqueues the write of `rows` (already validated, all of them good) by the handler of
   * `kind`. The job id is random, never BullMQ's counter: import_runs keys on it for
   * idempotency, and a counter restarts when Redis is emptied.
   */
  async enqueueImport<R>(kind: string, actor: Principal, rows: R[], opts: { batchId?: number } = {}): Promise<ImportAccepted> {
    const payload: ImportJobPayload<R> = { kind, batchId: opts.batchId ?? null, requestedBy: requesterOf(actor), rows, rowCount: rows.length };
    const jobId = await this.jobs.enqueue(QueueName.IMPORTS, importJobName(kind), payload, { jobId: `${kind}-${randomUUID()}` });
    return { jobId, rows: rows.length };
  }
}
