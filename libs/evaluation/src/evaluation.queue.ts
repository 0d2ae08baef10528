import { JobRequester, QueueName } from '@jicai/common';

export const EVALUATE_JOB = 'evaluate-batch';

export interface EvaluateJobPayload {
  batchId: number;
  requestedBy: JobRequester;
}

export const evaluateJobId = (batchId: number) => `evaluate-batch-${batchId}`;

declare module '@jicai/common' {
  interface JobMap {
    [QueueName.EVALUATION]: { [EVALUATE_JOB]: EvaluateJobPayload };
  }
}
