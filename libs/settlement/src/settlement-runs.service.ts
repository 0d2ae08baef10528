import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Writable } from 'node:stream';
import {
  AuditService,
  Principal,
  Clock,
  notFound,
  validationFailed,
  JobsService,
  requesterOf,
  publicJobId,
  QueueName,
  AMOUNT_DP,
  fmt,
  isDuplicateKey,
} from '@jicai/common';
import { ExportColumn, ExportSheet, writeXlsx } from '@jicai/spreadsheets';
import { organizationsByIds } from '@jicai/organizations';
import { previousMonth } from './monthly-run.rules';
import { PaymentsService } from './payments.service';
import { SettlementRun, SettlementRunStatus } from './settlement-run.entity';
import { SETTLE_RUN_JOB, SettleRunPayload, settleRunJobId } from './settlement.queue';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface StatementLine {
  hospital: string;
  hospitalId: number | null;
  instructionId: number | null;
  deliveryId: number | null;
  agreementId: number | null;
  lotNumber: string | null;
  acceptedAt: Date | null;
  acceptedPacks: number | null;
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
  dueDate: Date | null;
  status: string | null;
}

const STATEMENT_COLUMNS: ExportColumn<StatementLine>[] = [
  { header: 'hospitalName', label: '医院', value: 'hospital', width: 30 },
  { header: 'hospitalId', label: '医院ID', value: 'hospitalId', kind: 'id' },
  { header: 'instructionId', label: '支付指令ID', value: 'instructionId', kind: 'id' },
  { header: 'deliveryId', label: '配送ID', value: 'deliveryId', kind: 'id' },
  { header: 'agreementId', label: '协议ID', value: 'agreementId', kind: 'id' },
  { header: 'lotNumber', label: '批号', value: 'lotNumber', width: 16 },
  { header: 'acceptedAt', label: '验收时间', value: 'acceptedAt', kind: 'datetime', width: 22 },
  { header: 'acceptedPacks', label: '验收数量（包装）', value: 'acceptedPacks', kind: 'integer' },
  { header: 'amount', label: '金额（元）', value: 'amount', decimals: 2, width: 14 },
  { header: 'fromPrepayment', label: '预付款抵扣（元）', value: 'fromPrepayment', decimals: 2, width: 16 },
  { header: 'fromHospital', label: '医院支付（元）', value: 'fromHospital', decimals: 2, width: 14 },
  { header: 'dueDate', label: '支付指令到期时间', value: 'dueDate', kind: 'datetime', width: 22 },
  { header: 'status', label: '状态', value: 'status' },
];

const PAGE = 200;

/** Settlement runs: starting one (by the fund or the monthly job), its view and its statement. */
@Injectable()
export class SettlementRunsService {
  private readonly logger = new Logger('Settlement');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly payments: PaymentsService,
  ) {}

  /** POST /settlements/runs: a QUEUED run for `cutoff` (not in the future) and its run job. */
  async start(actor: Principal, cutoffIso: string): Promise<{ runId: number; jobId: string }> {
    const cutoff = new Date(cutoffIso);
    if (cutoff.getTime() > this.clock.now().getTime())
      throw validationFailed('cutoff is in the future', [{ field: 'cutoff', message: 'must not be in the future' }]);
    const runId = await this.dataSource.transaction(async (m) => {
      const res = await m.query(
        `INSERT INTO settlement_runs (cutoff, status, trigger_kind, period_key, created_by, created_at) VALUES (?, 'QUEUED', 'MANUAL', NULL, ?, ?)`,
        [cutoff, actor.userId, this.clock.now()],
      );
      const id = Number(res.insertId);
      await this.audit.record(m, {
        actor,
        action: 'settlement.run.create',
        entity: 'settlement_run',
        entityId: id,
        data: { cutoff: cutoff.toISOString(), trigger: 'MANUAL' },
      });
      return id;
    });
    const jobId = await this.enqueue(runId, actor);
    return { runId, jobId };
  }

  /**
   * The monthly job: a run for the previous month, once per month (period_key is unique, so
   * a repeated or retried job finds the run it made and only makes sure its job exists).
   */
  async startMonthly(now: Date): Promise<{ runId: number; periodKey: string; created: boolean; jobId: string | null }> {
    const { periodKey, cutoff } = previousMonth(now);
    let created = false;
    let runId: number;
    try {
      runId = await this.dataSource.transaction(async (m) => {
        const res = await m.query(
          `INSERT INTO settlement_runs (cutoff, status, trigger_kind, period_key, created_by, created_at) VALUES (?, 'QUEUED', 'MONTHLY', ?, NULL, ?)`,
          [cutoff, periodKey, now],
        );
        const id = Number(res.insertId);
        await this.audit.record(m, {
          actor: null,
          action: 'settlement.run.create',
          entity: 'settlement_run',
          entityId: id,
          data: { cutoff: cutoff.toISOString(), trigger: 'MONTHLY', periodKey },
        });
        return id;
      });
      created = true;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const [row] = await this.dataSource.query('SELECT id FROM settlement_runs WHERE period_key = ?', [periodKey]);
      runId = Number(row.id);
    }
    const jobId = await this.ensureJob(runId);
    return { runId, periodKey, created, jobId };
  }

  /** Adds the run job of a QUEUED run if it is missing (a crash between insert and enqueue). */
  async ensureJob(runId: number): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT status FROM settlement_runs WHERE id = ?', [runId]);
    if (!row || row.status !== SettlementRunStatus.QUEUED) return null;
    return this.enqueue(runId, null);
  }

  /** Worker start: every QUEUED run gets its job back if it was lost. */
  async resumeQueued(): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(`SELECT id FROM settlement_runs WHERE status = 'QUEUED' ORDER BY id`);
    const resumed: number[] = [];
    for (const { id } of rows) {
      if (!(await this.jobs.exists(QueueName.SETTLEMENT, settleRunJobId(Number(id))))) {
        await this.enqueue(Number(id), null);
        resumed.push(Number(id));
      }
    }
    if (resumed.length) this.logger.warn(`re-enqueued lost jobs of QUEUED settlement runs ${resumed.join(', ')}`);
    return resumed;
  }

  private enqueue(runId: number, actor: Principal | null): Promise<string> {
    const payload: SettleRunPayload = { runId, step: 'plan', requestedBy: requesterOf(actor) };
    return this.jobs.enqueue(QueueName.SETTLEMENT, SETTLE_RUN_JOB, payload, { jobId: settleRunJobId(runId), attempts: 5 });
  }

  private async find(id: number): Promise<SettlementRun> {
    const run = await this.dataSource.getRepository(SettlementRun).findOneBy({ id });
    if (!run) throw notFound('Settlement run');
    return run;
  }

  /** GET /settlements/runs/:id: status, progress, totals (live while running), instructions. */
  async view(id: number, page: { limit: number; offset: number }) {
    const run = await this.find(id);
    const [progress] = await this.dataSource.query('SELECT COUNT(*) AS done FROM settlement_run_hospitals WHERE run_id = ?', [id]);
    const [sums] = await this.dataSource.query(
      `SELECT COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(from_prepayment), 0) AS fromPrepayment, COALESCE(SUM(from_hospital), 0) AS fromHospital
       FROM payment_instructions WHERE run_id = ?`,
      [id],
    );
    const instructions = await this.payments.ofRun(id, page.limit, page.offset);
    return {
      ...this.summary(run),
      progress: { hospitalsTotal: run.hospitalsTotal, hospitalsDone: Number(progress.done) },
      totals: { amount: fmt(sums.amount, AMOUNT_DP), fromPrepayment: fmt(sums.fromPrepayment, AMOUNT_DP), fromHospital: fmt(sums.fromHospital, AMOUNT_DP) },
      instructions: instructions.items,
      instructionsTotal: instructions.total,
    };
  }

  summary(run: SettlementRun) {
    return {
      id: run.id,
      cutoff: run.cutoff.toISOString(),
      status: run.status,
      trigger: run.trigger,
      periodKey: run.periodKey,
      jobId: publicJobId(QueueName.SETTLEMENT, settleRunJobId(run.id)),
      failedReason: run.failedReason,
      createdAt: iso(run.createdAt),
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
    };
  }

  /** GET /settlements/runs: newest first; progress and totals live, as in the run view. */
  async list(q: { status?: SettlementRunStatus; limit: number; offset: number }) {
    const [runs, total] = await this.dataSource.getRepository(SettlementRun).findAndCount({
      where: q.status ? { status: q.status } : {},
      order: { id: 'DESC' },
      take: q.limit,
      skip: q.offset,
    });
    const ids = runs.map((r) => r.id);
    const done = new Map<number, number>();
    const sums = new Map<number, { amount: string; fromPrepayment: string; fromHospital: string }>();
    if (ids.length) {
      for (const r of await this.dataSource.query('SELECT run_id AS runId, COUNT(*) AS n FROM settlement_run_hospitals WHERE run_id IN (?) GROUP BY run_id', [
        ids,
      ])) {
        done.set(Number(r.runId), Number(r.n));
      }
      const rows = await this.dataSource.query(
        `SELECT run_id AS runId, SUM(amount) AS amount, SUM(from_prepayment) AS fromPrepayment, SUM(from_hospital) AS fromHospital
         FROM payment_instructions WHERE run_id IN (?) GROUP BY run_id`,
        [ids],
      );
      for (const r of rows)
        sums.set(Number(r.runId), {
          amount: fmt(r.amount, AMOUNT_DP),
          fromPrepayment: fmt(r.fromPrepayment, AMOUNT_DP),
          fromHospital: fmt(r.fromHospital, AMOUNT_DP),
        });
    }
    return {
      items: runs.map((r) => ({
        ...this.summary(r),
        progress: { hospitalsTotal: r.hospitalsTotal, hospitalsDone: done.get(r.id) ?? 0 },
        totals: sums.get(r.id) ?? { amount: '0.00', fromPrepayment: '0.00', fromHospital: '0.00' },
      })),
      total,
    };
  }

  /** Checks the run exists (404 before any byte is streamed) and names the file. */
  async statementFile(id: number): Promise<string> {
    const run = await this.find(id);
    return `settlement-run-${run.id}-${run.cutoff.toISOString().slice(0, 10)}.xlsx`;
  }

  /**
   * Section 12: the run's settlement statement, a sheet per supplier (its lines by hospital —
   * one instruction each — in settlement order, then a total row), streamed: instructions
   * are read a page at a time.
   */
  async writeStatement(id: number, out: Writable): Promise<void> {
    const totals: { id: number; amount: string; fromPrepayment: string; fromHospital: string }[] = await this.dataSource.query(
      `SELECT pi.supplier_id AS id, SUM(pi.amount) AS amount, SUM(pi.from_prepayment) AS fromPrepayment, SUM(pi.from_hospital) AS fromHospital
       FROM payment_instructions pi
       WHERE pi.run_id = ? GROUP BY pi.supplier_id ORDER BY pi.supplier_id`,
      [id],
    );
    const supplierNames = await organizationsByIds(
      this.dataSource.manager,
      totals.map((t) => Number(t.id)),
    );
    const suppliers = totals.map((t) => ({ ...t, name: supplierNames.get(Number(t.id))?.name ?? '' }));
    const ds = this.dataSource;
    async function* linesOf(supplierId: number): AsyncIterable<StatementLine> {
      let after = 0;
      for (;;) {
        const page: { id: number; hospitalId: number; dueDate: Date; status: string }[] = await ds.query(
          `SELECT pi.id, pi.hospital_id AS hospitalId, pi.due_date AS dueDate, pi.status
           FROM payment_instructions pi
           WHERE pi.run_id = ? AND pi.supplier_id = ? AND pi.hospital_id > ? ORDER BY pi.hospital_id LIMIT ?`,
          [id, supplierId, after, PAGE],
        );
        if (!page.length) return;
        const hospitals = await organizationsByIds(
          ds.manager,
          page.map((i) => Number(i.hospitalId)),
        );
        const instructions = page.map((i) => ({ ...i, hospital: hospitals.get(Number(i.hospitalId))?.name ?? '' }));
        const lines: {
          instructionId: number;
          deliveryId: number;
          amount: string;
          fromPrepayment: string;
          fromHospital: string;
          agreementId: number;
          lotNumber: string;
          acceptedAt: Date;
          acceptedPacks: number;
        }[] = await ds.query(
          `SELECT l.instruction_id AS instructionId, l.delivery_id AS deliveryId, l.amount, l.from_prepayment AS fromPrepayment, l.from_hospital AS fromHospital,
                    d.agreement_id AS agreementId, d.lot_number AS lotNumber, d.accepted_at AS acceptedAt, d.accepted_packs AS acceptedPacks
             FROM payment_instruction_lines l JOIN deliveries d ON d.id = l.delivery_id
             WHERE l.instruction_id IN (?) ORDER BY l.instruction_id, l.id`,
          [instructions.map((i) => i.id)],
        );
        const byId = new Map(instructions.map((i) => [Number(i.id), i]));
        // Lines come by instruction id, which follows the order children committed in;
        // the statement lists them by hospital (the instructions' order), then line.
        const position = new Map(instructions.map((i, n) => [Number(i.id), n]));
        lines.sort((a, b) => position.get(Number(a.instructionId))! - position.get(Number(b.instructionId))!);
        for (const l of lines) {
          const i = byId.get(Number(l.instructionId))!;
          yield {
            hospital: i.hospital,
            hospitalId: Number(i.hospitalId),
            instructionId: Number(i.id),
            deliveryId: Number(l.deliveryId),
            agreementId: Number(l.agreementId),
            lotNumber: l.lotNumber,
            acceptedAt: l.acceptedAt,
            acceptedPacks: Number(l.acceptedPacks),
            amount: l.amount,
            fromPrepayment: l.fromPrepayment,
            fromHospital: l.fromHospital,
            dueDate: i.dueDate,
            status: i.status,
          };
        }
        after = Number(instructions[instructions.length - 1].hospitalId);
      }
    }
    async function* withTotal(s: (typeof suppliers)[number]): AsyncIterable<StatementLine> {
      yield* linesOf(Number(s.id));
      yield {
        hospital: '合计 Total',
        hospitalId: null,
        instructionId: null,
        deliveryId: null,
        agreementId: null,
        lotNumber: null,
        acceptedAt: null,
        acceptedPacks: null,
        amount: fmt(s.amount, AMOUNT_DP),
        fromPrepayment: fmt(s.fromPrepayment, AMOUNT_DP),
        fromHospital: fmt(s.fromHospital, AMOUNT_DP),
        dueDate: null,
        status: null,
      };
    }
    const sheets: ExportSheet<StatementLine>[] = suppliers.map((s) => ({ name: s.name, columns: STATEMENT_COLUMNS, rows: withTotal(s) }));
    // A run that settled nothing still gives a valid workbook.
    if (!sheets.length) sheets.push({ name: 'No instructions', columns: STATEMENT_COLUMNS, rows: [] });
    await writeXlsx(out, sheets);
  }
}
