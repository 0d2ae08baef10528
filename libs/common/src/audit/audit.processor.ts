import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { QueueName } from '../jobs/queues';
import { AuditVerifyPayload } from './audit.queue';
import { AuditService } from './audit.service';
import { AuditSequencer } from './audit-sequencer';
import { waitingOutOutages } from '../jobs/outages';

/**
 * Verifies the audit chain and records the outcome under the job's id. The write is an
 * upsert keyed by job id, so a retried or stalled-and-rerun job leaves one row, not two:
 * the pattern every job of the platform follows.
 */
@Processor(QueueName.AUDIT)
export class AuditProcessor extends WorkerHost {
  constructor(
    private readonly audit: AuditService,
    private readonly sequencer: AuditSequencer,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** The database unreachable: the job waits for it without spending an attempt. */
  process(job: Job<AuditVerifyPayload>, token?: string) {
    return waitingOutOutages(job, token, () => this.verify(job));
  }

  private async verify(job: Job<AuditVerifyPayload>) {
    await this.sequencer.chainPending();
    const result = await this.audit.verify((checked) => job.updateProgress({ checked }));
    await this.dataSource.query(
      `INSERT INTO audit_verifications (job_id, ok, entries, broken_at, reason, verified_at) VALUES (?,?,?,?,?,?)
       ON DUPLICATE KEY UPDATE ok = VALUES(ok), entries = VALUES(entries), broken_at = VALUES(broken_at), reason = VALUES(reason), verified_at = VALUES(verified_at)`,
      [job.id, result.ok ? 1 : 0, result.entries, result.brokenAt ?? null, result.reason ?? null, this.clock.now()],
    );
    await job.updateProgress({ checked: result.entries, done: true });
    return result;
  }
}
