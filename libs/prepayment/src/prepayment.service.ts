import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import {
  AuditService,
  Principal,
  Role,
  Clock,
  conflict,
  forbidden,
  invalidState,
  notFound,
  validationFailed,
  JobsService,
  requesterOf,
  QueueName,
  AMOUNT_DP,
  Dec,
  Decimal,
  fmt,
  parseDecimal,
  affectedRows,
  JobRequester,
} from '@jicai/common';
import { namesOf } from '@jicai/catalog';
import { Prepayment, PrepaymentStatus } from './prepayment.entity';
import { PrepaymentDraw } from './prepayment-draw.entity';
import { DISBURSE_JOB, disburseJobId, PrepaymentJobOutcome, PrepaymentJobPayload, RECOVER_JOB, recoverJobId } from './prepayment.queue';
import { PrepaymentDrawPlan, recoverable } from './prepayment.rules';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The answer of the prepayment endpoints (api.md "Prepayments"), plus the year's end and the money trail. */
export function prepaymentView(p: Prepayment) {
  return {
    id: p.id,
    hospitalId: p.hospitalId,
    batchId: p.batchId,
    year: p.year,
    amount: p.amount,
    dueDate: iso(p.dueDate),
    yearEnd: iso(p.yearEnd),
    status: p.status,
    balance: p.balance,
    disbursedAt: iso(p.disbursedAt),
    recoveredAt: iso(p.recoveredAt),
    recoveredAmount: p.recoveredAmount,
  };
}

export type DisbursedVia = 'job' | 'fund';

/** How many jobs are added to Redis at once when scheduling. */
const ENQUEUE_CHUNK = 50;
/** Prepayments per page of a batch's fan-out (two jobs each, one addBulk per page). */
const FANOUT_PAGE = 1000;

/** Rows per multi-row INSERT, ids per IN list. */
const DRAW_CHUNK = 1000;

/**
 * Prepaid balances (domain.md section 8): disbursement, year-end recovery, and the two
 * calls settlement makes inside its own transaction (lockBalances, draw).
 *
 * Money safety rests on three things: every change happens with the prepayment row locked
 * FOR UPDATE; every change is a conditional UPDATE on the status it expects; and the clock
 * separates the two directions — a prepayment is disbursed only before its year ends and
 * recovered only at or after it. So whatever order the jobs and the fund run in, a year is
 * disbursed at most once, and money disbursed is either drawn or recovered, never both.
 */
@Injectable()
export class PrepaymentService {
  private readonly logger = new Logger(PrepaymentService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
  ) {}

  // ---------------------------------------------------------------- reading

  /** GET /prepayments: the fund and admins see all; a hospital only its own (403 for another's). */
  async list(viewer: Principal, q: { batchId?: number; hospitalId?: number; limit: number; offset: number }) {
    let hospitalId = q.hospitalId;
    if (viewer.role === Role.HOSPITAL) {
      if (hospitalId !== undefined && hospitalId !== viewer.organizationId) throw forbidden('A hospital sees only its own prepayments');
      hospitalId = viewer.organizationId;
    }
    const where: FindOptionsWhere<Prepayment> = {};
    if (q.batchId !== undefined) where.batchId = q.batchId;
    if (hospitalId !== undefined) where.hospitalId = hospitalId;
    const [rows, total] = await this.dataSource.getRepository(Prepayment).findAndCount({
      where,
      order: { batchId: 'ASC', year: 'ASC', hospitalId: 'ASC', id: 'ASC' },
      take: q.limit,
      skip: q.offset,
    });
    const names = await namesOf(this.dataSource.manager, { organizations: rows.map((p) => p.hospitalId) });
    return { items: rows.map((p) => ({ ...prepaymentView(p), hospitalName: names.organization(p.hospitalId) })), total };
  }

  async get(id: number): Promise<Prepayment> {
    const p = await this.dataSource.getRepository(Prepayment).findOneBy({ id });
    if (!p) throw notFound('Prepayment');
    return p;
  }

  // ---------------------------------------------------------------- disbursement

  /**
   * POST /prepayments/:id/disburse: the fund disburses before the due date, through the same
   * code as the job. Refused (409 INVALID_STATE) unless SCHEDULED and its year still running.
   */
  async disburseEarly(actor: Principal, id: number): Promise<Prepayment> {
    return this.dataSource.transaction(async (m) => {
      const p = await this.lockRow(m, id);
      if (!p) throw notFound('Prepayment');
      const refusal = this.disbursementRefusal(p, this.clock.now());
      if (refusal) throw invalidState(refusal, [{ field: 'status', message: `is ${p.status}` }]);
      await this.applyDisbursement(m, p, actor, 'fund');
      return p;
    });
  }

  /** The disbursement job: idempotent, so a second run (or a run after the fund) changes nothing. */
  async runDisbursement(id: number): Promise<PrepaymentJobOutcome> {
    return this.dataSource.transaction(async (m) => {
      const p = await this.lockRow(m, id);
      if (!p) return { outcome: 'noop', prepaymentId: id, status: 'UNKNOWN', reason: 'no such prepayment' };
      const refusal = this.disbursementRefusal(p, this.clock.now());
      if (refusal) return { outcome: 'noop', prepaymentId: id, status: p.status, reason: refusal };
      await this.applyDisbursement(m, p, null, 'job');
      return { outcome: 'disbursed', prepaymentId: id, amount: p.amount };
    });
  }

  /** Why `p` cannot be disbursed now, or null when it can. */
  private disbursementRefusal(p: Prepayment, now: Date): string | null {
    if (p.status !== PrepaymentStatus.SCHEDULED) return `Prepayment ${p.id} is ${p.status}; only a SCHEDULED prepayment can be disbursed`;
    // Money disbursed after the year's end could never be recovered by that year's recovery.
    if (now.getTime() >= p.yearEnd.getTime()) return `The agreement year of prepayment ${p.id} ended on ${p.yearEnd.toISOString()}; it lapses instead`;
    return null;
  }

  private async applyDisbursement(m: EntityManager, p: Prepayment, actor: Principal | null, via: DisbursedVia): Promise<void> {
    const now = this.clock.now();
    // Section 8: SCHEDULED → DISBURSED credits the hospital's prepaid balance with the amount.
    const res = await m
      .getRepository(Prepayment)
      .update({ id: p.id, status: PrepaymentStatus.SCHEDULED }, { status: PrepaymentStatus.DISBURSED, balance: p.amount, disbursedAt: now });
    if (res.affected !== 1) throw new Error(`prepayment ${p.id} changed under its row lock`);
    Object.assign(p, { status: PrepaymentStatus.DISBURSED, balance: p.amount, disbursedAt: now });
    await this.audit.record(m, {
      actor,
      action: 'prepayment.disburse',
      entity: 'prepayment',
      entityId: p.id,
      data: { batchId: p.batchId, hospitalId: p.hospitalId, year: p.year, amount: p.amount, via },
    });
  }

  // ---------------------------------------------------------------- recovery

  /**
   * The year-end job (section 8): at or after the year's end, the unused balance is recovered
   * (DISBURSED → RECOVERED, recoveredAmount = balance, balance 0). Idempotent.
   *
   * A prepayment still SCHEDULED at its year's end was never paid out (its job failed or was
   * lost and the fund did not disburse it): it lapses — RECOVERED with recoveredAmount 0.00 and
   * no disbursedAt — so a disbursement arriving later finds it closed and cannot put money
   * into a year that is over. Before the year's end nothing changes and `notBefore` says when
   * to come back.
   */
  async runRecovery(id: number): Promise<PrepaymentJobOutcome | { outcome: 'not-yet'; prepaymentId: number; notBefore: Date }> {
    return this.dataSource.transaction(async (m) => {
      const p = await this.lockRow(m, id);
      if (!p) return { outcome: 'noop', prepaymentId: id, status: 'UNKNOWN', reason: 'no such prepayment' };
      if (p.status === PrepaymentStatus.RECOVERED) return { outcome: 'noop', prepaymentId: id, status: p.status, reason: 'already recovered' };
      const now = this.clock.now();
      if (now.getTime() < p.yearEnd.getTime()) return { outcome: 'not-yet', prepaymentId: id, notBefore: p.yearEnd };

      const lapsed = p.status === PrepaymentStatus.SCHEDULED;
      const recoveredAmount = lapsed ? fmt(0, AMOUNT_DP) : recoverable(p.balance);
      const res = await m
        .getRepository(Prepayment)
        .update({ id: p.id, status: p.status }, { status: PrepaymentStatus.RECOVERED, balance: fmt(0, AMOUNT_DP), recoveredAmount, recoveredAt: now });
      if (res.affected !== 1) throw new Error(`prepayment ${p.id} changed under its row lock`);
      await this.audit.record(m, {
        actor: null,
        action: 'prepayment.recover',
        entity: 'prepayment',
        entityId: p.id,
        data: { batchId: p.batchId, hospitalId: p.hospitalId, year: p.year, from: p.status, recoveredAmount, lapsed },
      });
      return { outcome: 'recovered', prepaymentId: id, recoveredAmount, lapsed };
    });
  }

  // ---------------------------------------------------------------- jobs

  /**
   * Adds the disbursement job (delayed until the due date by the server clock; 0 when past)
   * and the recovery job (until the year's end) of each prepayment. Job ids are deterministic,
   * so calling this again for the same prepayments adds nothing that is still pending.
   */
  async enqueueJobs(prepayments: readonly Prepayment[], actor: Principal | null): Promise<void> {
    const now = this.clock.now().getTime();
    const requestedBy = requesterOf(actor);
    const tasks: (() => Promise<unknown>)[] = [];
    for (const p of prepayments) {
      const payload: PrepaymentJobPayload = { prepaymentId: p.id, requestedBy };
      if (p.status === PrepaymentStatus.SCHEDULED) {
        tasks.push(() =>
          this.jobs.enqueue(QueueName.PREPAYMENT, DISBURSE_JOB, payload, { jobId: disburseJobId(p.id), delay: Math.max(0, p.dueDate.getTime() - now) }),
        );
      }
      if (p.status !== PrepaymentStatus.RECOVERED) {
        tasks.push(() =>
          this.jobs.enqueue(QueueName.PREPAYMENT, RECOVER_JOB, payload, { jobId: recoverJobId(p.id), delay: Math.max(0, p.yearEnd.getTime() - now) }),
        );
      }
    }
    for (let i = 0; i < tasks.length; i += ENQUEUE_CHUNK) {
      await Promise.all(tasks.slice(i, i + ENQUEUE_CHUNK).map((t) => t()));
    }
  }

  /**
   * The worker side of activation's fan-out (SCHEDULE_JOBS_JOB): the disburse and recover
   * jobs of every open prepayment of the batch, added a page at a time with addBulk (ids
   * are per prepayment, so a retried fan-out adds nothing twice). Returns how many
   * prepayments it covered.
   */
  async enqueueJobsOfBatch(batchId: number, requestedBy: JobRequester, progress?: (done: number) => Promise<void>): Promise<number> {
    const now = this.clock.now().getTime();
    let after = 0;
    let done = 0;
    for (;;) {
      const page = await this.dataSource
        .getRepository(Prepayment)
        .createQueryBuilder('p')
        .where('p.batch_id = :batchId AND p.id > :after', { batchId, after })
        .andWhere('p.status IN (:...open)', { open: [PrepaymentStatus.SCHEDULED, PrepaymentStatus.DISBURSED] })
        .orderBy('p.id', 'ASC')
        .limit(FANOUT_PAGE)
        .getMany();
      if (!page.length) return done;
      const jobs: { name: string; data: PrepaymentJobPayload; opts: { jobId: string; delay: number } }[] = [];
      for (const p of page) {
        const data: PrepaymentJobPayload = { prepaymentId: p.id, requestedBy };
        if (p.status === PrepaymentStatus.SCHEDULED)
          jobs.push({ name: DISBURSE_JOB, data, opts: { jobId: disburseJobId(p.id), delay: Math.max(0, p.dueDate.getTime() - now) } });
        jobs.push({ name: RECOVER_JOB, data, opts: { jobId: recoverJobId(p.id), delay: Math.max(0, p.yearEnd.getTime() - now) } });
      }
      await this.jobs.enqueueMany(QueueName.PREPAYMENT, jobs);
      done += page.length;
      after = page[page.length - 1].id;
      if (progress) await progress(done);
    }
  }

  /**
   * Makes sure every open prepayment has its jobs: repairs the window between an activation's
   * commit and its enqueueing (a crash there would otherwise leave a year never disbursed or
   * never recovered). Run by the worker at start; harmless to run any time.
   */
  async ensureJobs(): Promise<number> {
    const open = await this.dataSource
      .getRepository(Prepayment)
      .find({ where: { status: In([PrepaymentStatus.SCHEDULED, PrepaymentStatus.DISBURSED]) }, order: { id: 'ASC' } });
    await this.enqueueJobs(open, null);
    return open.length;
  }

  // ---------------------------------------------------------------- settlement API

  /**
   * For settlement, inside its transaction: the hospital's disbursed prepayments of these
   * batches that still have a balance, locked FOR UPDATE, first in first out (year, id).
   */
  async lockBalances(manager: EntityManager, hospitalId: number, batchIds: readonly number[]): Promise<Prepayment[]> {
    if (batchIds.length === 0) return [];
    return manager
      .getRepository(Prepayment)
      .createQueryBuilder('p')
      .where('p.hospital_id = :hospitalId', { hospitalId })
      .andWhere('p.batch_id IN (:...batchIds)', { batchIds: [...batchIds] })
      .andWhere('p.status = :status', { status: PrepaymentStatus.DISBURSED })
      .andWhere('p.balance > 0')
      .orderBy('p.year', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /**
   * For settlement, inside its transaction: draws `amount` (2 decimals, > 0) from a disbursed
   * prepayment for a delivery settled by a run. One draw of drawMany; returns the draw's id and
   * the balance left.
   */
  async draw(manager: EntityManager, prepaymentId: number, amount: string, deliveryId: number, runId: number): Promise<{ drawId: number; balance: string }> {
    const left = await this.drawMany(manager, runId, [{ prepaymentId, deliveryId, amount }]);
    const draw = await manager.getRepository(PrepaymentDraw).findOneByOrFail({ prepaymentId, deliveryId });
    return { drawId: draw.id, balance: left.get(prepaymentId)! };
  }

  /**
   * For settlement, inside its transaction: writes a run's draws (prepayment_draws) and lowers
   * the balances, set-based (one lock, one check, multi-row inserts, one UPDATE). Throws — and
   * so rolls the caller back — rather than let a balance go below zero
   * (INSUFFICIENT_PREPAID_BALANCE), draw from a prepayment not DISBURSED (INVALID_STATE), or
   * draw twice on one prepayment for one delivery (ALREADY_DRAWN).
   * Returns the balance left per prepayment drawn on.
   */
  async drawMany(manager: EntityManager, runId: number, draws: readonly PrepaymentDrawPlan[]): Promise<Map<number, string>> {
    if (draws.length === 0) return new Map();
    const perPrepayment = new Map<number, Decimal>();
    const pairs = new Set<string>();
    for (const d of draws) {
      const a = parseDecimal(d.amount, AMOUNT_DP);
      if (a === null || !a.gt(0)) {
        throw validationFailed(`A draw must be a positive amount with at most ${AMOUNT_DP} decimals, got ${JSON.stringify(d.amount)}`);
      }
      const pair = `${d.prepaymentId}:${d.deliveryId}`;
      if (pairs.has(pair)) throw conflict('ALREADY_DRAWN', `Delivery ${d.deliveryId} draws twice on prepayment ${d.prepaymentId}`);
      pairs.add(pair);
      perPrepayment.set(d.prepaymentId, (perPrepayment.get(d.prepaymentId) ?? new Dec(0)).plus(a));
    }
    const ids = [...perPrepayment.keys()].sort((a, b) => a - b);
    const locked = await manager.getRepository(Prepayment).find({ where: { id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    if (locked.length !== ids.length) throw notFound('Prepayment');
    const left = new Map<number, string>();
    for (const p of locked) {
      if (p.status !== PrepaymentStatus.DISBURSED) throw invalidState(`Prepayment ${p.id} is ${p.status}; only a DISBURSED prepayment can be drawn on`);
      const wanted = perPrepayment.get(p.id)!;
      const balance = new Dec(p.balance).minus(wanted);
      if (balance.isNeg()) {
        throw conflict('INSUFFICIENT_PREPAID_BALANCE', `Prepayment ${p.id} has ${p.balance} left; cannot draw ${fmt(wanted, AMOUNT_DP)}`);
      }
      left.set(p.id, fmt(balance, AMOUNT_DP));
    }
    const deliveryIds = [...new Set(draws.map((d) => d.deliveryId))];
    for (let i = 0; i < deliveryIds.length; i += DRAW_CHUNK) {
      const drawn: { prepaymentId: number; deliveryId: number }[] = await manager.query(
        'SELECT prepayment_id AS prepaymentId, delivery_id AS deliveryId FROM prepayment_draws WHERE prepayment_id IN (?) AND delivery_id IN (?)',
        [ids, deliveryIds.slice(i, i + DRAW_CHUNK)],
      );
      const again = drawn.find((r) => pairs.has(`${r.prepaymentId}:${r.deliveryId}`));
      if (again) throw conflict('ALREADY_DRAWN', `Delivery ${again.deliveryId} has already drawn on prepayment ${again.prepaymentId}`);
    }
    const now = this.clock.now();
    for (let i = 0; i < draws.length; i += DRAW_CHUNK) {
      await manager.query('INSERT INTO prepayment_draws (prepayment_id, delivery_id, run_id, amount, created_at) VALUES ?', [
        draws.slice(i, i + DRAW_CHUNK).map((d) => [d.prepaymentId, d.deliveryId, runId, fmt(d.amount, AMOUNT_DP), now]),
      ]);
    }
    // One UPDATE for all, each row guarded by the balance read under the lock.
    const cases = locked.map(() => 'WHEN ? THEN ?').join(' ');
    const guards = locked.map(() => '(id = ? AND balance = ?)').join(' OR ');
    const res = await manager.query(`UPDATE prepayments SET balance = CASE id ${cases} END WHERE status = 'DISBURSED' AND (${guards})`, [
      ...locked.flatMap((p) => [p.id, left.get(p.id)]),
      ...locked.flatMap((p) => [p.id, p.balance]),
    ]);
    if (affectedRows(res) !== locked.length) throw new Error(`prepayments ${ids.join(', ')} changed under their row locks`);
    return left;
  }

  // ---------------------------------------------------------------- helpers

  private lockRow(m: EntityManager, id: number): Promise<Prepayment | null> {
    return m.getRepository(Prepayment).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Logs rather than throws: used where a failure must not stop the process. */
  async ensureJobsQuietly(): Promise<void> {
    try {
      const n = await this.ensureJobs();
      if (n > 0) this.logger.log(`ensured the jobs of ${n} open prepayment(s)`);
    } catch (e) {
      this.logger.warn(`could not ensure prepayment jobs: ${(e as Error).message}`);
    }
  }
}
