import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, Clock, AppError, publicJobId, QueueName, isDuplicateKey, principalOf } from '@jicai/common';
import { ImportHandler, ImportHandlerFor, ImportJobPayload, ImportJobResult } from './import-jobs.queue';

/** The handlers of the process, by kind: every provider marked @ImportHandlerFor(kind). */
@Injectable()
export class ImportHandlers implements OnModuleInit {
  private readonly byKind = new Map<string, { handler: ImportHandler; type: unknown }>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const w of this.discovery.getProviders({ metadataKey: ImportHandlerFor.KEY })) {
      const kind = this.discovery.getMetadataByDecorator(ImportHandlerFor, w);
      if (!kind || !w.instance) continue;
      const known = this.byKind.get(kind);
      // The same class provided by two modules is one handler; two classes for one kind is a bug.
      if (known && known.type !== w.metatype) throw new Error(`Two import handlers for kind "${kind}"`);
      if (!known) this.byKind.set(kind, { handler: w.instance as ImportHandler, type: w.metatype });
    }
  }

  get(kind: string): ImportHandler {
    const h = this.byKind.get(kind)?.handler;
    if (!h) throw new AppError(500, 'UNKNOWN_IMPORT', `No import handler for kind "${kind}" in this worker`);
    return h;
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }
}

/**
 * Runs one import job: in ONE transaction, claims the job id in import_runs, lets the
 * kind's handler re-check and write every row, stores the result and records the audit
 * entry last. Idempotent: a rerun of a job that committed (a retry after a lost
 * acknowledgement, a stalled job picked up again) finds its import_runs row and answers
 * the stored result without writing; a rerun while the first run is still in its
 * transaction waits on the claimed key and then does the same.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger('ImportRunner');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly handlers: ImportHandlers,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async run(jobId: string, data: ImportJobPayload): Promise<ImportJobResult> {
    const handler = this.handlers.get(data.kind);
    let afterCommit: (() => Promise<unknown>) | undefined;
    const result = await this.dataSource.transaction(async (m) => {
      const done = await this.claim(m, jobId, data);
      if (done) {
        this.logger.log(`import job ${jobId} (${data.kind}) already ran: nothing written again`);
        return done;
      }
      const actor = principalOf(data.requestedBy);
      const written = await handler.write(m, { jobId, kind: data.kind, batchId: data.batchId, actor, rows: data.rows });
      await m.query('UPDATE import_runs SET imported = ?, result = ? WHERE job_id = ?', [written.result.imported, JSON.stringify(written.result), jobId]);
      await this.audit.record(m, { actor, ...written.audit, data: { ...written.audit.data, jobId: publicJobId(QueueName.IMPORTS, jobId) } });
      afterCommit = written.afterCommit;
      return written.result;
    });
    await afterCommit?.();
    return result;
  }

  /** Inserts the job's import_runs row; if it is there already, the result stored with it. */
  private async claim(m: EntityManager, jobId: string, data: ImportJobPayload): Promise<ImportJobResult | null> {
    try {
      await m.query('INSERT INTO import_runs (job_id, kind, batch_id, requested_by, created_at) VALUES (?,?,?,?,?)', [
        jobId,
        data.kind,
        data.batchId,
        data.requestedBy?.userId ?? null,
        this.clock.now(),
      ]);
      return null;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const [row] = await m.query('SELECT imported, result FROM import_runs WHERE job_id = ?', [jobId]);
      return row.result ? JSON.parse(row.result) : { imported: Number(row.imported) };
    }
  }
}
