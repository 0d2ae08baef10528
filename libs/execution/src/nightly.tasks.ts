import { Injectable, Logger } from '@nestjs/common';
import { Clock, JobRequester, OrganizationType } from '@jicai/common';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { organizationIdsOfTypesQuery } from '@jicai/organizations';
import { PaymentsService } from '@jicai/settlement';
import { ExecutionBatches } from './execution-batches';
import { agreementYear, agreementYears } from './progress.rules';
import { ProgressService } from './progress.service';
import { RetentionService } from './retention.service';

/**
 * The nightly round (issue 13): progress (and provisional retention) of every batch in force,
 * the year-end retention fix of every ended agreement year, overdue payments marked, and
 * "bidding closes within 24 h" for batches whose bidding is still open. Every step is
 * idempotent, so a retried or doubled job changes nothing twice.
 */
@Injectable()
export class NightlyTasks {
  private readonly logger = new Logger('Execution');

  constructor(
    private readonly clock: Clock,
    private readonly batches: ExecutionBatches,
    private readonly progress: ProgressService,
    private readonly retention: RetentionService,
    private readonly payments: PaymentsService,
    private readonly notifications: NotificationsService,
  ) {}

  async run() {
    const now = this.clock.now();
    const batchIds = await this.batches.inForce();
    const fixed: { batchId: number; year: number; fixed: number }[] = [];
    for (const batchId of batchIds) {
      await this.progress.recompute(batchId);
      const b = await this.batches.get(batchId);
      for (const year of agreementYears(b.agreementMonths)) {
        if (agreementYear(b.agreementStart, year).end.getTime() <= now.getTime()) {
          const r = await this.retention.fixYear(batchId, year, null);
          if (r.fixed > 0) fixed.push({ batchId, year, fixed: r.fixed });
        }
      }
    }
    const overdue = await this.payments.markOverdue();
    const closing = await this.notifyBiddingClosing();
    this.logger.log(`nightly: ${batchIds.length} batch(es) recomputed, ${overdue.marked} payment(s) newly overdue`);
    return { batches: batchIds, retentionFixed: fixed, overdueMarked: overdue.marked, biddingClosing: closing };
  }

  /** The year-end job of one batch × year (also asked for by an admin). */
  async retentionYearEnd(batchId: number, year: number, requestedBy: JobRequester | null) {
    await this.progress.recompute(batchId);
    return this.retention.fixYear(batchId, year, requestedBy);
  }

  /** Suppliers are told once per batch when bidding closes within 24 h. */
  async notifyBiddingClosing(): Promise<number[]> {
    const ids = await this.batches.closingWithin(24 * 3600_000);
    for (const b of ids) {
      await this.notifications.notifyFrom(null, organizationIdsOfTypesQuery([OrganizationType.SUPPLIER]), {
        kind: NotificationKind.BIDDING_CLOSING,
        message: `Bidding of batch ${b.code} closes at ${b.biddingClosesAt.toISOString()}`,
        entity: 'batch',
        entityId: b.id,
        batchId: b.id,
        dedupeKey: `bidding-closing:${b.id}`,
      });
    }
    return ids.map((b) => b.id);
  }
}
