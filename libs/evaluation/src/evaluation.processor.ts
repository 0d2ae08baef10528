import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError } from 'bullmq';
import { AppError, JobOf, principalOf, QueueName } from '@jicai/common';
import { EvaluationService } from './evaluation.service';

/** Runs the evaluation of a batch; idempotent (a rerun finds the batch EVALUATED). */
@Processor(QueueName.EVALUATION)
export class EvaluationProcessor extends WorkerHost {
  constructor(private readonly evaluation: EvaluationService) {
    super();
  }

  async process(job: JobOf<QueueName.EVALUATION>) {
    const actor = principalOf(job.data.requestedBy);
    try {
      return await this.evaluation.evaluate(job.data.batchId, actor);
    } catch (e) {
      // A refused state or missing scores will not fix itself by retrying.
      if (e instanceof AppError) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      throw e;
    }
  }
}
