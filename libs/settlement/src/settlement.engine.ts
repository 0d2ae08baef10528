import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, Clock, AMOUNT_DP, Dec, fmt, affectedRows, isDuplicateKey, retryOnLockConflict } from '@jicai/common';
import { allocateDraws, prepaidBalancesByBatch, PrepaymentService } from '@jicai/prepayment';
import { SettlementRunStatus } from './settlement-run.entity';
import { settleHospital, SettlementDelivery } from './settlement.rules';

export interface HospitalSettled {
  runId: number;
  hospitalId: number;
  /** True when (run, hospital) was already settled: nothing was written. */
  skipped: boolean;
  deliveries: number;
  amount: string;
  fromPrepayment: string;
  instructions: number;
}

export interface RunPlan {
  /** The run is already COMPLETED or FAILED: nothing to do. */
  finished: boolean;
  /** Hospitals to add children for (empty when they were added before, or none qualify). */
  hospitalIds: number[];
}

export interface RunTotals {
  runId: number;
  status: SettlementRunStatus;
  hospitalsTotal: number;
  hospitalsDone: number;
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
}

const CHUNK = 1000;
/**
 * The settlement run's database work (domain.md section 10): planning a run, settling one
 * hospital in one transaction keyed by (run, hospital), and completing the run. Every method
 * is idempotent, so a retried, stalled or duplicated job never pays twice.
 */
@Injectable()
export class SettlementEngine {
  private readonly logger = new Logger('Settlement');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly prepayments: PrepaymentService,
  ) {}

  /**
   * Fixes the run's hospital set: every hospital with accepted, unsettled deliveries accepted
   * at or before the cut-off. QUEUED → RUNNING. `childrenAdded` says the children already
   * exist (a retried plan step): then the set stays as it was and nothing is re-planned.
   */
  async planRun(runId: number, childrenAdded: boolean): Promise<RunPlan> {
    return this.dataSource.transaction(async (m) => {
      const [run] = await m.query('SELECT id, status, cutoff FROM settlement_runs WHERE id = ? FOR UPDATE', [runId]);
      if (!run) throw new Error(`settlement run ${runId} does not exist`);
      if (run.status === SettlementRunStatus.COMPLETED || run.status === SettlementRunStatus.FAILED) return { finished: true, hospitalIds: [] };
      if (run.status === SettlementRunStatus.RUNNING && childrenAdded) return { finished: false, hospitalIds: [] };
      const rows: { hospitalId: number }[] = await m.query(
        `SELECT DISTINCT hospital_id AS hospitalId FROM deliveries WHERE status = 'ACCEPTED' AND accepted_at <= ? ORDER BY hospital_id`,
        [run.cutoff],
      );
      const hospitalIds = rows.map((r) => Number(r.hospitalId));
      const now = this.clock.now();
      await m.query(`UPDATE settlement_runs SET status = 'RUNNING', hospitals_total = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`, [
        hospitalIds.length,
        now,
        runId,
      ]);
      if (run.status === SettlementRunStatus.QUEUED) {
        await this.audit.record(m, {
          actor: null,
          action: 'settlement.run.start',
          entity: 'settlement_run',
          entityId: runId,
          data: { hospitals: hospitalIds.length },
        });
      }
      return { finished: false, hospitalIds };
    });
  }

  /**
   * Settles one hospital in a run, in ONE transaction: claims (run, hospital) in
   * settlement_run_hospitals (a second attempt finds it and does nothing; a concurrent one
   * waits on the key and then finds it), locks the hospital's accepted deliveries up to the
   * cut-off and its disbursed prepayments, computes with settleHospital, and writes the
   * instructions, lines, prepayment draws and balances, marks the deliveries SETTLED and
   * records the hospital as done (the run's progress). All of it commits, or none of it.
   */
  async settleHospital(runId: number, hospitalId: number): Promise<HospitalSettled> {
    return retryOnLockConflict(
      () => this.dataSource.transaction('READ COMMITTED', (m) => this.settleHospitalIn(m, runId, hospitalId)),
      (e, attempt) => this.logger.warn(`run ${runId} hospital ${hospitalId}: ${e.message}; retrying (${attempt})`),
    );
  }

  private async settleHospitalIn(m: EntityManager, runId: number, hospitalId: number): Promise<HospitalSettled> {
    const now = this.clock.now();
    const skipped: HospitalSettled = { runId, hospitalId, skipped: true, deliveries: 0, amount: '0.00', fromPrepayment: '0.00', instructions: 0 };
    const [run] = await m.query('SELECT cutoff FROM settlement_runs WHERE id = ?', [runId]);
    if (!run) throw new Error(`settlement run ${runId} does not exist`);
    // The idempotency key, claimed first: the primary key serialises concurrent attempts.
    try {
      await m.query('INSERT INTO settlement_run_hospitals (run_id, hospital_id, settled_at, deliveries, amount) VALUES (?, ?, ?, 0, 0)', [
        runId,
        hospitalId,
        now,
      ]);
    } catch (e) {
      if (isDuplicateKey(e)) return skipped;
      throw e;
    }

    const rows: { id: number; batchId: number; supplierId: number; acceptedAt: Date; amount: string; dueDate: Date }[] = await m.query(
      `SELECT id, batch_id AS batchId, supplier_id AS supplierId, accepted_at AS acceptedAt, accepted_amount AS amount, due_date AS dueDate
       FROM deliveries WHERE hospital_id = ? AND status = 'ACCEPTED' AND accepted_at <= ? AND settlement_run_id IS NULL
       ORDER BY accepted_at, id FOR UPDATE`,
      [hospitalId, run.cutoff],
    );
    const deliveries: SettlementDelivery[] = rows.map((r) => ({
      deliveryId: Number(r.id),
      batchId: Number(r.batchId),
      supplierId: Number(r.supplierId),
      acceptedAt: r.acceptedAt,
      amount: String(r.amount),
      dueDate: r.dueDate,
    }));
    // The hospital's disbursed prepayments of these batches, locked through the owner's API.
    const locked = await this.prepayments.lockBalances(m, hospitalId, [...new Set(rows.map((r) => Number(r.batchId)))]);
    const result = settleHospital({ deliveries, prepaidBalances: prepaidBalancesByBatch(locked) });

    let total = new Dec(0);
    let fromPrepayment = new Dec(0);
    if (result.instructions.length) {
      await m.query(
        'INSERT INTO payment_instructions (run_id, hospital_id, supplier_id, amount, from_prepayment, from_hospital, due_date, status, created_at) VALUES ?',
        [result.instructions.map((i) => [runId, hospitalId, i.supplierId, i.amount, i.fromPrepayment, i.fromHospital, i.dueDate, 'PENDING', now])],
      );
      const ids: { id: number; supplierId: number }[] = await m.query(
        'SELECT id, supplier_id AS supplierId FROM payment_instructions WHERE run_id = ? AND hospital_id = ?',
        [runId, hospitalId],
      );
      const instructionOf = new Map(ids.map((r) => [Number(r.supplierId), Number(r.id)]));
      const lineRows = result.lines.map((l) => [instructionOf.get(Number(l.supplierId)), l.deliveryId, l.amount, l.fromPrepayment, l.fromHospital]);
      for (let i = 0; i < lineRows.length; i += CHUNK) {
        await m.query('INSERT INTO payment_instruction_lines (instruction_id, delivery_id, amount, from_prepayment, from_hospital) VALUES ?', [
          lineRows.slice(i, i + CHUNK),
        ]);
      }
      const draws = allocateDraws(
        locked,
        result.lines.map((l) => ({ deliveryId: Number(l.deliveryId), batchId: Number(l.batchId), fromPrepayment: l.fromPrepayment })),
      );
      await this.prepayments.drawMany(m, runId, draws);

      const deliveryIds = deliveries.map((d) => d.deliveryId as number);
      for (let i = 0; i < deliveryIds.length; i += CHUNK) {
        const chunk = deliveryIds.slice(i, i + CHUNK);
        const res = await m.query(`UPDATE deliveries SET status = 'SETTLED', settlement_run_id = ? WHERE id IN (?) AND status = 'ACCEPTED'`, [runId, chunk]);
        if (affectedRows(res) !== chunk.length) throw new Error(`run ${runId} hospital ${hospitalId}: deliveries changed under the lock`);
      }
      for (const i of result.instructions) {
        total = total.plus(i.amount);
        fromPrepayment = fromPrepayment.plus(i.fromPrepayment);
      }
    }

    const amount = fmt(total, AMOUNT_DP);
    // The run's progress is this row (COUNT per run), committed with the settlement. Not an
    // UPDATE of the run row: every child holds a shared lock on that row (the foreign keys
    // of the rows it inserts), so two children upgrading to exclusive would deadlock.
    await m.query('UPDATE settlement_run_hospitals SET deliveries = ?, amount = ? WHERE run_id = ? AND hospital_id = ?', [
      deliveries.length,
      amount,
      runId,
      hospitalId,
    ]);
    await this.audit.record(m, {
      actor: null,
      action: 'settlement.hospital.settle',
      entity: 'settlement_run',
      entityId: runId,
      data: { hospitalId, deliveries: deliveries.length, amount, fromPrepayment: fmt(fromPrepayment, AMOUNT_DP), instructions: result.instructions.length },
    });
    return {
      runId,
      hospitalId,
      skipped: false,
      deliveries: deliveries.length,
      amount,
      fromPrepayment: fmt(fromPrepayment, AMOUNT_DP),
      instructions: result.instructions.length,
    };
  }

  /** Sums the run's instructions into its totals: RUNNING → COMPLETED (idempotent). */
  async completeRun(runId: number): Promise<RunTotals> {
    return this.dataSource.transaction(async (m) => {
      const [run] = await m.query('SELECT id, status FROM settlement_runs WHERE id = ? FOR UPDATE', [runId]);
      if (!run) throw new Error(`settlement run ${runId} does not exist`);
      if (run.status === SettlementRunStatus.RUNNING) {
        const [sums] = await m.query(
          `SELECT COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(from_prepayment), 0) AS fromPrepayment, COALESCE(SUM(from_hospital), 0) AS fromHospital
           FROM payment_instructions WHERE run_id = ?`,
          [runId],
        );
        const [{ done }] = await m.query('SELECT COUNT(*) AS done FROM settlement_run_hospitals WHERE run_id = ?', [runId]);
        const totals = {
          amount: fmt(sums.amount, AMOUNT_DP),
          fromPrepayment: fmt(sums.fromPrepayment, AMOUNT_DP),
          fromHospital: fmt(sums.fromHospital, AMOUNT_DP),
        };
        await m.query(
          `UPDATE settlement_runs SET status = 'COMPLETED', hospitals_done = ?, total_amount = ?, from_prepayment = ?, from_hospital = ?, finished_at = ? WHERE id = ?`,
          [Number(done), totals.amount, totals.fromPrepayment, totals.fromHospital, this.clock.now(), runId],
        );
        await this.audit.record(m, {
          actor: null,
          action: 'settlement.run.complete',
          entity: 'settlement_run',
          entityId: runId,
          data: { hospitals: Number(done), ...totals },
        });
      }
      return this.totalsIn(m, runId);
    });
  }

  /** A run whose job finally failed: FAILED with the reason (what was settled stays settled). */
  async failRun(runId: number, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const res = await m.query(
        `UPDATE settlement_runs SET status = 'FAILED', failed_reason = ?, finished_at = ? WHERE id = ? AND status IN ('QUEUED', 'RUNNING')`,
        [reason.slice(0, 500), this.clock.now(), runId],
      );
      if (affectedRows(res) === 1) {
        await this.audit.record(m, {
          actor: null,
          action: 'settlement.run.fail',
          entity: 'settlement_run',
          entityId: runId,
          data: { reason: reason.slice(0, 500) },
        });
      }
    });
  }

  private async totalsIn(m: EntityManager, runId: number): Promise<RunTotals> {
    const [r] = await m.query(
      `SELECT id, status, hospitals_total AS hospitalsTotal, hospitals_done AS hospitalsDone, total_amount AS amount, from_prepayment AS fromPrepayment, from_hospital AS fromHospital
       FROM settlement_runs WHERE id = ?`,
      [runId],
    );
    return {
      runId,
      status: r.status,
      hospitalsTotal: Number(r.hospitalsTotal),
      hospitalsDone: Number(r.hospitalsDone),
      amount: String(r.amount),
      fromPrepayment: String(r.fromPrepayment),
      fromHospital: String(r.fromHospital),
    };
  }
}
