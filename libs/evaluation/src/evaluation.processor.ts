import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError } from 'bullmq';
import { AppError, JobOf, principalOf, QueueName, waitingOutOutages } from '@jicai/common';
import { EvaluationService } from './evaluation.service';

/** Runs the evaluation of a batch; idempotent (a rerun finds the batch EVALUATED). */
@Processor(QueueName.EVALUATION)
export class EvaluationProcessor extends WorkerHost {
  constructor(private readonly evaluation: EvaluationService) {
    super();
  }

  async process(job: JobOf<QueueName.EVALUATION>, token?: string) {
    const actor = principalOf(job.data.requestedBy);
    try {
      // The database unreachable: wait for it without spending an attempt.
      return await waitingOutOutages(job, token, () => this.evaluation.evaluate(job.data.batchId, actor));
    } catch (e) {
      // A refused state or missing scores will not fix itself by retrying.
      if (e instanceof AppError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      throw e;
    }
  }
}
