/**
 * Every BullMQ queue of the platform, in one place (architecture.md: queue names in one
 * enum). Each module's *.queue.ts defines its job names and payload types.
 */
export enum QueueName {
  AUDIT = 'audit',
  OPENING = 'opening',
  EVALUATION = 'evaluation',
  ALLOCATION = 'allocation',
  PREPAYMENT = 'prepayment',
  SETTLEMENT = 'settlement',
  SETTLEMENT_HOSPITAL = 'settlement-hospital',
  IMPORTS = 'imports',
}

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);

/** Who asked for a job: decides who may read its state. */
export interface JobRequester {
  userId: number | null;
  organizationId: number | null;
  role: string | null;
}

/** The id the API hands out: queue and BullMQ id, so GET /jobs/:jobId finds the queue. */
export function publicJobId(queue: QueueName, id: string): string {
  return `${queue}.${id}`;
}

export function parsePublicJobId(jobId: string): { queue: QueueName; id: string } | null {
  const i = jobId.indexOf('.');
  if (i <= 0) return null;
  const queue = jobId.slice(0, i) as QueueName;
  if (!ALL_QUEUES.includes(queue)) return null;
  return { queue, id: jobId.slice(i + 1) };
}
