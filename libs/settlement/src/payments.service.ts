import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditService,
  Principal,
  Role,
  Clock,
  invalidState,
  notFound,
  validationFailed,
  Page,
  KeysetPage,
  nextAfter,
  OrganizationType,
  Dec,
  Decimal,
  money,
} from '@jicai/common';
import { ListPaymentsQueryDto, MarkPaidDto, OverdueReportQueryDto } from './dto/settlement.dto';
import { PaymentStatus } from './payment-instruction.entity';
import { daysOverdue, isOverdue } from './settlement.rules';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { namesOf } from '@jicai/catalog';
import { organizationsByIds } from '@jicai/organizations';

interface InstructionRow {
  id: number;
  runId: number;
  hospitalId: number;
  supplierId: number;
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
  dueDate: Date;
  status: PaymentStatus;
  paidAt: Date | null;
  createdAt: Date;
}

/** What a view and an export line of an instruction share; overdue by `now` (section 10: unpaid past the due date). */
function instructionFields(r: InstructionRow, now: Date) {
  return {
    id: Number(r.id),
    runId: Number(r.runId),
    hospitalId: Number(r.hospitalId),
    supplierId: Number(r.supplierId),
    amount: r.amount,
    fromPrepayment: r.fromPrepayment,
    fromHospital: r.fromHospital,
    dueDate: r.dueDate.toISOString(),
    status: r.status,
    paidAt: r.paidAt ? r.paidAt.toISOString() : null,
    overdue: isOverdue(r.status, r.dueDate, now),
    daysOverdue: daysOverdue(r.status, r.dueDate, r.paidAt, now),
  };
}

export interface InstructionView {
  id: number;
  runId: number;
  hospitalId: number;
  hospitalName: string;
  supplierId: number;
  supplierName: string;
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
  dueDate: string;
  status: PaymentStatus;
  paidAt: string | null;
  overdue: boolean;
  /** Days past the due date until payment or now (a started day counts whole); 0 if none. */
  daysOverdue: number;
  createdAt: string;
  lines: { deliveryId: number; amount: string; fromPrepayment: string; fromHospital: string }[];
}

/** Rows per key-set page of the export. */
const EXPORT_PAGE = 5000;

/** The list's filters without its paging. */
export type PaymentFilter = Omit<ListPaymentsQueryDto, 'limit' | 'offset' | 'after'>;

export type PaymentExportRow = Omit<InstructionView, 'lines' | 'createdAt'> & { lines: number; hospitalName: string; supplierName: string };

export interface OverdueReportRow {
  hospitalId?: number;
  supplierId?: number;
  /** The hospital's or the supplier's name, as `by` says. */
  name: string;
  overdueCount: number;
  overdueAmount: string;
  maxDaysOverdue: number;
  paidLateCount: number;
  averageDaysLate: string | null;
}

const COLUMNS = `pi.id, pi.run_id AS runId, pi.hospital_id AS hospitalId, pi.supplier_id AS supplierId, pi.amount,
  pi.from_prepayment AS fromPrepayment, pi.from_hospital AS fromHospital, pi.due_date AS dueDate, pi.status, pi.paid_at AS paidAt, pi.created_at AS createdAt`;

/** Payment instructions (支付指令): views, lists and PENDING → PAID (domain.md section 10). */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * The daily job (issue 13 item 4): marks every PENDING instruction past its due date that is
   * not marked yet, and tells its hospital and supplier (one notification each per
   * instruction) and the fund (one summary), all set-based, in one transaction; a rerun marks
   * and writes nothing twice.
   */
  async markOverdue(): Promise<{ marked: number; markedAt: string }> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const res = await m.query(
        "UPDATE payment_instructions SET overdue_marked_at = ? WHERE status = 'PENDING' AND due_date < ? AND overdue_marked_at IS NULL",
        [now, now],
      );
      const marked = Number(res.affectedRows ?? 0);
      if (marked === 0) return { marked, markedAt: now.toISOString() };
      for (const party of ['hospital_id', 'supplier_id']) {
        await this.notifications.notifyEach(
          m,
          {
            sql: `SELECT ${party} AS organization_id, id AS entity_id, NULL AS batch_id,
                         CONCAT('Payment instruction ', id, ' of ', amount, ' yuan was due ', DATE_FORMAT(due_date, '%Y-%m-%d'), ' and is unpaid') AS message,
                         CONCAT('payment-overdue:', id) AS dedupe_key
                    FROM payment_instructions WHERE overdue_marked_at = ?`,
            params: [now],
          },
          { kind: NotificationKind.PAYMENT_OVERDUE, entity: 'payment_instruction' },
        );
      }
      await this.notifications.notifyOrganizationTypes(m, [OrganizationType.FUND], {
        kind: NotificationKind.PAYMENT_OVERDUE,
        message: `${marked} payment instruction(s) became overdue`,
        entity: 'payment_instruction',
        dedupeKey: `payments-overdue:${now.toISOString()}`,
      });
      return { marked, markedAt: now.toISOString() };
    });
  }

  /**
   * Overdue payments by hospital or by supplier: per party, instructions overdue now (count,
   * amount, oldest in days) and instructions paid late (count, mean days late, 2 decimals
   * half-up). The fund sees every party; a hospital or supplier only its own row.
   */
  async overdueReport(viewer: Principal, q: OverdueReportQueryDto): Promise<Page<OverdueReportRow>> {
    const party = q.by === 'supplier' ? 'supplier_id' : 'hospital_id';
    const where = ['1 = 1'];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (viewer.role === Role.SUPPLIER) add('supplier_id = ?', viewer.organizationId);
    if (viewer.role === Role.HOSPITAL) add('hospital_id = ?', viewer.organizationId);
    if (q.runId !== undefined) add('run_id = ?', q.runId);
    const now = this.clock.now();
    const overdueNow = "status = 'PENDING' AND due_date < ?";
    const paidLate = "status = 'PAID' AND paid_at > due_date";
    const filter = `${where.join(' AND ')} AND ((${overdueNow}) OR (${paidLate}))`;
    const rows = await this.dataSource.query(
      `SELECT ${party} AS party,
              SUM(${overdueNow}) AS overdue_count,
              COALESCE(SUM(CASE WHEN ${overdueNow} THEN amount END), 0) AS overdue_amount,
              COALESCE(MAX(CASE WHEN ${overdueNow} THEN CEIL(TIMESTAMPDIFF(MICROSECOND, due_date, ?) / 86400000000) END), 0) AS max_days,
              SUM(${paidLate}) AS paid_late_count,
              SUM(CASE WHEN ${paidLate} THEN CEIL(TIMESTAMPDIFF(MICROSECOND, due_date, paid_at) / 86400000000) END) AS paid_late_days
         FROM payment_instructions WHERE ${filter}
        GROUP BY ${party} ORDER BY overdue_amount DESC, party LIMIT ? OFFSET ?`,
      [now, now, now, now, ...params, now, q.limit, q.offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(DISTINCT ${party}) AS total FROM payment_instructions WHERE ${filter}`, [...params, now]);
    const names = await namesOf(this.dataSource.manager, { organizations: rows.map((r: any) => Number(r.party)) });
    return {
      total: Number(total),
      items: rows.map((r: any) => ({
        ...(q.by === 'supplier' ? { supplierId: Number(r.party) } : { hospitalId: Number(r.party) }),
        name: names.organization(Number(r.party)),
        overdueCount: Number(r.overdue_count),
        overdueAmount: money(r.overdue_amount),
        maxDaysOverdue: Number(r.max_days),
        paidLateCount: Number(r.paid_late_count),
        averageDaysLate:
          Number(r.paid_late_count) > 0 ? new Dec(r.paid_late_days).div(r.paid_late_count).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : null,
      })),
    };
  }

  /** Rows of payment_instructions to views with their lines; overdue by the server clock. */
  async views(rows: InstructionRow[], m: EntityManager = this.dataSource.manager): Promise<InstructionView[]> {
    const now = this.clock.now();
    const lines = new Map<number, InstructionView['lines']>();
    if (rows.length) {
      const found: { instructionId: number; deliveryId: number; amount: string; fromPrepayment: string; fromHospital: string }[] = await m.query(
        `SELECT instruction_id AS instructionId, delivery_id AS deliveryId, amount, from_prepayment AS fromPrepayment, from_hospital AS fromHospital
         FROM payment_instruction_lines WHERE instruction_id IN (?) ORDER BY id`,
        [rows.map((r) => r.id)],
      );
      for (const l of found) {
        const key = Number(l.instructionId);
        if (!lines.has(key)) lines.set(key, []);
        lines.get(key)!.push({ deliveryId: Number(l.deliveryId), amount: l.amount, fromPrepayment: l.fromPrepayment, fromHospital: l.fromHospital });
      }
    }
    const names = await namesOf(m, { organizations: rows.flatMap((r) => [Number(r.hospitalId), Number(r.supplierId)]) });
    return rows.map((r) => ({
      ...instructionFields(r, now),
      hospitalName: names.organization(Number(r.hospitalId)),
      supplierName: names.organization(Number(r.supplierId)),
      createdAt: r.createdAt.toISOString(),
      lines: lines.get(Number(r.id)) ?? [],
    }));
  }

  /** The instructions of a run, a page at a time, in creation order. */
  async ofRun(runId: number, limit: number, offset: number): Promise<Page<InstructionView>> {
    const [{ total }] = await this.dataSource.query('SELECT COUNT(*) AS total FROM payment_instructions WHERE run_id = ?', [runId]);
    const rows: InstructionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM payment_instructions pi WHERE pi.run_id = ? ORDER BY pi.id LIMIT ? OFFSET ?`,
      [runId, limit, offset],
    );
    return { items: await this.views(rows), total: Number(total) };
  }

  /** The fund sees every instruction; a supplier or a hospital only its own. */
  async list(viewer: Principal, q: ListPaymentsQueryDto): Promise<Page<InstructionView> | KeysetPage<InstructionView>> {
    const { where, params } = this.scope(viewer, q);
    if (q.after !== undefined) {
      const rows: InstructionRow[] = await this.dataSource.query(
        `SELECT ${COLUMNS} FROM payment_instructions pi WHERE ${[...where, 'pi.id > ?'].join(' AND ')} ORDER BY pi.id LIMIT ?`,
        [...params, q.after, q.limit],
      );
      const items = await this.views(rows);
      return { items, nextAfter: nextAfter(items, q.limit, (p) => p.id) };
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM payment_instructions pi ${w}`, params);
    const rows: InstructionRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM payment_instructions pi ${w} ORDER BY pi.id LIMIT ? OFFSET ?`, [
      ...params,
      q.limit,
      q.offset,
    ]);
    return { items: await this.views(rows), total: Number(total) };
  }

  /**
   * GET /payments.xlsx: every instruction the caller may see (the list's filters), page by
   * page in id order by key, so any number of rows streams in constant memory.
   */
  async *exportPages(viewer: Principal, q: PaymentFilter): AsyncGenerator<PaymentExportRow[]> {
    const { where, params } = this.scope(viewer, q);
    const now = this.clock.now();
    let after = 0;
    for (;;) {
      const rows: (InstructionRow & { lineCount: number })[] = await this.dataSource.query(
        `SELECT ${COLUMNS}, (SELECT COUNT(*) FROM payment_instruction_lines l WHERE l.instruction_id = pi.id) AS lineCount
         FROM payment_instructions pi WHERE ${[...where, 'pi.id > ?'].join(' AND ')} ORDER BY pi.id LIMIT ?`,
        [...params, after, EXPORT_PAGE],
      );
      if (!rows.length) return;
      const names = await organizationsByIds(
        this.dataSource.manager,
        rows.flatMap((r) => [Number(r.hospitalId), Number(r.supplierId)]),
      );
      yield rows.map((r) => ({
        ...instructionFields(r, now),
        hospitalName: names.get(Number(r.hospitalId))?.name ?? '',
        supplierName: names.get(Number(r.supplierId))?.name ?? '',
        lines: Number(r.lineCount),
      }));
      if (rows.length < EXPORT_PAGE) return;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /** The rows a viewer may see under the list's filters (not its paging). */
  private scope(viewer: Principal, q: PaymentFilter): { where: string[]; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => (where.push(sql), params.push(...values));
    if (viewer.role === Role.SUPPLIER) add('pi.supplier_id = ?', viewer.organizationId);
    else if (viewer.role === Role.HOSPITAL) add('pi.hospital_id = ?', viewer.organizationId);
    if (q.runId !== undefined) add('pi.run_id = ?', q.runId);
    if (q.supplierId !== undefined) add('pi.supplier_id = ?', q.supplierId);
    if (q.hospitalId !== undefined) add('pi.hospital_id = ?', q.hospitalId);
    if (q.status !== undefined) add('pi.status = ?', q.status);
    const now = this.clock.now();
    // overdue ⇔ PENDING and now strictly after the due date (settlement.rules isOverdue).
    if (q.overdue === true) add(`(pi.status = 'PENDING' AND pi.due_date < ?)`, now);
    if (q.overdue === false) add(`NOT (pi.status = 'PENDING' AND pi.due_date < ?)`, now);
    return { where, params };
  }

  /** The fund records that an instruction was paid: PENDING → PAID, once (409 after). */
  async markPaid(actor: Principal, id: number, dto: MarkPaidDto): Promise<InstructionView> {
    const paidAt = new Date(dto.paidAt);
    if (paidAt.getTime() > this.clock.now().getTime())
      throw validationFailed('paidAt is in the future', [{ field: 'paidAt', message: 'must not be in the future' }]);
    return this.dataSource.transaction(async (m) => {
      const [row]: InstructionRow[] = await m.query(`SELECT ${COLUMNS} FROM payment_instructions pi WHERE pi.id = ? FOR UPDATE`, [id]);
      if (!row) throw notFound('Payment instruction');
      if (row.status !== PaymentStatus.PENDING)
        throw invalidState(`Payment instruction ${id} is already ${row.status}`, [{ field: 'status', message: `is ${row.status}` }]);
      await m.query(`UPDATE payment_instructions SET status = 'PAID', paid_at = ? WHERE id = ?`, [paidAt, id]);
      const [view] = await this.views([{ ...row, status: PaymentStatus.PAID, paidAt }], m);
      await this.audit.record(m, {
        actor,
        action: 'payment.mark-paid',
        entity: 'payment_instruction',
        entityId: id,
        data: { paidAt: paidAt.toISOString(), amount: row.amount },
      });
      return view;
    });
  }
}
