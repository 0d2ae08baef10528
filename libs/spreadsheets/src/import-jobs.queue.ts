import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AuditRecord, Principal, JobRequester, QueueName } from '@jicai/common';

/**
 * Spreadsheet imports as jobs (api.md: "Long work (... imports) answers 202 {jobId}").
 * The request parses and validates the whole file (400 with every bad row, no job); a
 * valid file's rows travel in the job (each import caps its rows: 5,000 products or
 * demands, 50,000 short technical-score rows) and the worker writes them in one
 * transaction through the handler of the import's kind, which its module owns.
 */

/** BullMQ job name of an import of a kind, as GET /jobs/:jobId shows it. */
export const importJobName = (kind: string): `import-${string}` => `import-${kind}`;

export interface ImportJobPayload<R = unknown> {
  /** Which handler writes the rows, e.g. 'products'. */
  kind: string;
  batchId: number | null;
  requestedBy: JobRequester;
  /** The validated rows. Emptied once the rows are written (see ImportProcessor). */
  rows: R[];
  /** How many rows the file had after validation (kept when rows are emptied). */
  rowCount: number;
}

/** A job's result: at least how many rows were imported. */
export type ImportJobResult = { imported: number } & Record<string, unknown>;

/** One import as a handler sees it, inside the runner's transaction. */
export interface ImportRun<R> {
  jobId: string;
  kind: string;
  batchId: number | null;
  /** Who asked (from requestedBy); null for a job without a user. */
  actor: Principal | null;
  rows: R[];
}

/** What a handler wrote: the job's result and the import's one audit entry. */
export interface ImportWritten {
  result: ImportJobResult;
  /** Recorded by the runner last in the transaction (it locks the audit chain head), with the public job id added to data. */
  audit: Omit<AuditRecord, 'actor' | 'data'> & { data: Record<string, unknown> };
  /** Work once the transaction has committed (e.g. enqueue follow-up jobs); not called by a rerun that finds the import done. */
  afterCommit?: () => Promise<unknown>;
}

/**
 * Writes one kind of import. write() runs inside the runner's transaction: it re-checks
 * what can have changed since the request validated the rows (batch state, clock,
 * uniqueness), refusing with an AppError (the job then fails with `${code}: ${message}`
 * and nothing is written), and writes every row with multi-row INSERTs. It must not
 * commit, open a transaction of its own, or audit: the runner does those once.
 */
export interface ImportHandler<R = any> {
  write(m: EntityManager, run: ImportRun<R>): Promise<ImportWritten>;
}

/**
 * Marks a provider as the handler of an import kind: `@ImportHandlerFor('products')`.
 * The worker's ImportHandlers finds every marked provider of the process.
 */
export const ImportHandlerFor = DiscoveryService.createDecorator<string>();

declare module '@jicai/common' {
  interface JobMap {
    /** One job name per import kind (importJobName); the rows' type is the kind's own. */
    [QueueName.IMPORTS]: { [name: `import-${string}`]: ImportJobPayload };
  }
}
