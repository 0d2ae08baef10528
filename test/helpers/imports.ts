import { Queue } from 'bullmq';
import { JobsService, parsePublicJobId, QueueName } from '@jicai/common';
import { TestApp, waitForJob } from './test-app';
import { upload } from './fixtures';

/** The IMPORTS queue of the test app (spreadsheet import jobs). */
export const importsQueue = (t: TestApp): Queue => t.app.get(JobsService).queue(QueueName.IMPORTS);

/** Every job the IMPORTS queue holds, whatever its state: a refused file must add none. */
export async function importJobCount(t: TestApp): Promise<number> {
  const counts = await importsQueue(t).getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Uploads a spreadsheet, expects 202 {jobId, rows} (api.md: imports are jobs), waits for
 * the job and returns both the answer and the finished job ({state, result, failedReason}).
 */
export async function importAndWait(t: TestApp, token: string, path: string, file: Buffer) {
  const res = await upload(t, token, path, file);
  if (res.status !== 202) throw new Error(`import ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  const job = await waitForJob(t, token, res.body.jobId);
  return { res, job };
}

/**
 * Runs fn with the IMPORTS queue paused, so a job enqueued inside waits; resumes after.
 * For the re-checks an import job makes of what changed since its request.
 */
export async function withImportsPaused<T>(t: TestApp, fn: () => Promise<T>): Promise<T> {
  const q = importsQueue(t);
  await q.pause();
  try {
    return await fn();
  } finally {
    await q.resume();
  }
}

/** The BullMQ job behind a public job id, to retry it as a lost acknowledgement would. */
export async function importJob(t: TestApp, publicJobId: string) {
  const parsed = parsePublicJobId(publicJobId);
  if (!parsed || parsed.queue !== QueueName.IMPORTS) throw new Error(`not an import job: ${publicJobId}`);
  const job = await importsQueue(t).getJob(parsed.id);
  if (!job) throw new Error(`no job ${publicJobId}`);
  return job;
}

/** An import's error details as {row, column, message} (dropping sheet, header, cell and value), for tests about which rows fail. */
export const rowErrors = (details: { row?: number; column?: string; message: string }[]) =>
  details.map(({ row, column, message }) => ({ row, column, message }));
