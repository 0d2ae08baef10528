import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Principal, Clock, AppError, conflict, AMOUNT_DP, fmt, sum, JobsService, QueueName, requesterOf } from '@jicai/common';
import { type Batch, BatchesService, BatchStatus } from '@jicai/batches';
import { confirmedAmountsByHospitalAndTerm, pendingAgreementsOf } from '@jicai/allocation';
import { Prepayment, PrepaymentStatus } from './prepayment.entity';
import { AgreementMonths, agreementYears, PrepaymentRuleError, schedulePrepaymentsByTerm } from './prepayment.rules';
import { PrepaymentService } from './prepayment.service';
import { SCHEDULE_JOBS_JOB, ScheduleJobsPayload, scheduleJobsJobId } from './prepayment.queue';

/** Rows per multi-row INSERT. */
const INSERT_CHUNK = 500;

/** How many pending agreements an AGREEMENTS_UNCONFIRMED answer lists. */
const MAX_DETAILS = 50;

/**
 * POST /batches/:id/activate (domain.md section 8): the batch enters IN_FORCE and each
 * hospital's prepayments are scheduled, in one transaction; the jobs follow the commit.
 */
@Injectable()
export class ActivationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly prepayments: PrepaymentService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
  ) {}

  /**
   * ALLOCATED → IN_FORCE. Refused with 409 INVALID_STATE from any other state, and with
   * 409 AGREEMENTS_UNCONFIRMED while any agreement of the batch is still pending: the
   * prepayment is 30 % of the *confirmed* amounts and is never topped up, so activating
   * early would underpay the hospitals whose confirmation is late. Admins may confirm
   * pending agreements themselves once the confirmation deadline has passed (section 7).
   */
  async activate(actor: Principal, batchId: number): Promise<{ batch: Batch; prepayments: number; jobId: string }> {
    const { batch, created } = await this.dataSource.transaction(async (m) => {
      const b = await this.batches.lock(m, batchId);
      // Refuses (409 INVALID_STATE, audited) unless ALLOCATED, before anything else is read.
      if (b.status !== BatchStatus.ALLOCATED) await this.batches.transition(m, actor, b, BatchStatus.IN_FORCE);

      // The batch row is locked and ALLOCATED, so no agreement is added; a confirmation racing
      // this read is either seen (then nothing is pending) or not (then we refuse): both safe.
      const pending = await pendingAgreementsOf(m, batchId);
      if (pending.length > 0) {
        throw conflict(
          'AGREEMENTS_UNCONFIRMED',
          `${pending.length} agreement(s) of batch ${b.code} are still pending confirmation; every agreement must be confirmed before the batch comes into force`,
          pending.slice(0, MAX_DETAILS).map((a) => ({ field: `agreements.${a.id}`, message: `hospital ${a.hospitalId}: PENDING_CONFIRMATION` })),
        );
      }
      // Σ of DECIMAL(20,2) in SQL is exact; the rounding point stays in schedulePrepayments.
      // Section 15.7: per hospital and term, since the years follow each agreement's term
      // (a row without a term has the batch's agreementMonths).
      const totals = await confirmedAmountsByHospitalAndTerm(m, batchId, b.agreementMonths);
      const byHospital = new Map<number, { months: AgreementMonths; amount: string }[]>();
      for (const t of totals) {
        const h = Number(t.hospitalId);
        if (!byHospital.has(h)) byHospital.set(h, []);
        byHospital.get(h)!.push({ months: Number(t.months) as AgreementMonths, amount: String(t.confirmed) });
      }

      const months = (totals.length ? Math.max(...totals.map((t) => Number(t.months))) : b.agreementMonths) as AgreementMonths;
      let schedule;
      let years;
      try {
        // Section 8: per hospital and agreement year, prepaymentRatio × Σ confirmed amounts
        // (2 decimals, half-up), due on the first day of that year; the ratio is never below 0.30.
        // Section 15.7: a year counts only the agreements whose term reaches it.
        schedule = schedulePrepaymentsByTerm({
          agreementStart: b.agreementStart,
          ratio: b.rules.prepaymentRatio,
          hospitals: [...byHospital].map(([hospitalId, agreements]) => ({ hospitalId, agreements })),
        });
        years = agreementYears(b.agreementStart, months);
      } catch (e) {
        if (e instanceof PrepaymentRuleError) throw new AppError(422, e.code, e.message);
        throw e;
      }
      const yearEnd = new Map(years.map((y) => [y.year, y.end]));

      const now = this.clock.now();
      const rows = schedule.map((s) => ({
        batchId,
        hospitalId: s.hospitalId,
        year: s.year,
        amount: s.amount,
        dueDate: s.dueDate,
        yearEnd: yearEnd.get(s.year)!,
        status: PrepaymentStatus.SCHEDULED,
        balance: '0.00',
        disbursedAt: null,
        recoveredAt: null,
        recoveredAmount: null,
        createdAt: now,
      }));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await m
          .createQueryBuilder()
          .insert()
          .into(Prepayment)
          .values(rows.slice(i, i + INSERT_CHUNK))
          .updateEntity(false)
          .execute();
      }
      const created = rows.length;

      await this.batches.transition(m, actor, b, BatchStatus.IN_FORCE, { activatedAt: now }, { prepayments: created });
      const perYear = years.map((y) => ({
        year: y.year,
        dueDate: y.start.toISOString(),
        hospitals: rows.filter((p) => p.year === y.year).length,
        total: fmt(sum(rows.filter((p) => p.year === y.year).map((p) => p.amount)), AMOUNT_DP),
      }));
      await this.audit.record(m, {
        actor,
        action: 'prepayment.schedule',
        entity: 'batch',
        entityId: batchId,
        data: { ratio: b.rules.prepaymentRatio, prepayments: created, perYear },
      });
      return { batch: b, created };
    });
    // After the commit, one job fans out the per-prepayment jobs in the worker (two per
    // hospital and year: 100,000+ at national scale, far too many for a request). A crash
    // right here is repaired by PrepaymentService.ensureJobs when a worker starts.
    const payload: ScheduleJobsPayload = { batchId, requestedBy: requesterOf(actor) };
    const jobId = await this.jobs.enqueue(QueueName.PREPAYMENT, SCHEDULE_JOBS_JOB, payload, { jobId: scheduleJobsJobId(batchId) });
    return { batch, prepayments: created, jobId };
  }
}
