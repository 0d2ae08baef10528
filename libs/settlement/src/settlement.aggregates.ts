import { EntityManager } from 'typeorm';

/** [from, to) of a time series; months and weeks are UTC calendar ones. */
export interface SeriesWindow {
  from: Date;
  to: Date;
}

export interface DeliveriesOfMonth {
  /** YYYY-MM. */
  month: string;
  /** Deliveries and packs by deliveredAt. */
  deliveries: number;
  packs: number;
  /** Accepted amount (2 decimals) by acceptedAt. */
  acceptedAmount: string;
}

/**
 * A supplier's deliveries per month (optionally of one batch): delivered by deliveredAt,
 * accepted amount by acceptedAt; two range scans of idx_deliveries_supplier_delivered /
 * idx_deliveries_supplier_accepted, one GROUP BY.
 */
export async function deliveriesByMonth(m: EntityManager, f: SeriesWindow & { supplierId: number; batchId?: number }): Promise<DeliveriesOfMonth[]> {
  const batch = f.batchId !== undefined ? 'AND batch_id = ?' : '';
  const bp = f.batchId !== undefined ? [f.batchId] : [];
  const rows: any[] = await m.query(
    `SELECT month, SUM(deliveries) AS deliveries, SUM(packs) AS packs, SUM(accepted) AS accepted FROM (
       SELECT DATE_FORMAT(delivered_at, '%Y-%m') AS month, 1 AS deliveries, packs, 0 AS accepted
         FROM deliveries WHERE supplier_id = ? AND delivered_at >= ? AND delivered_at < ? ${batch}
       UNION ALL
       SELECT DATE_FORMAT(accepted_at, '%Y-%m'), 0, 0, accepted_amount
         FROM deliveries WHERE supplier_id = ? AND accepted_at >= ? AND accepted_at < ? ${batch}
     ) x GROUP BY month ORDER BY month`,
    [f.supplierId, f.from, f.to, ...bp, f.supplierId, f.from, f.to, ...bp],
  );
  return rows.map((r) => ({ month: r.month, deliveries: Number(r.deliveries), packs: Number(r.packs), acceptedAmount: String(r.accepted) }));
}

export interface PaidOfMonth {
  month: string;
  /** Instructions marked paid and their amount (2 decimals), by paidAt. */
  payments: number;
  amount: string;
}

/** Payment instructions paid per month of paidAt, of one supplier (idx_payment_instructions_supplier_paid) or all. */
export async function paidByMonth(m: EntityManager, f: SeriesWindow & { supplierId?: number }): Promise<PaidOfMonth[]> {
  const rows: any[] = await m.query(
    `SELECT DATE_FORMAT(paid_at, '%Y-%m') AS month, COUNT(*) AS payments, SUM(amount) AS amount
       FROM payment_instructions WHERE ${f.supplierId !== undefined ? 'supplier_id = ? AND' : ''} paid_at >= ? AND paid_at < ?
      GROUP BY month ORDER BY month`,
    [...(f.supplierId !== undefined ? [f.supplierId] : []), f.from, f.to],
  );
  return rows.map((r) => ({ month: r.month, payments: Number(r.payments), amount: String(r.amount) }));
}

export interface SettledOfMonth {
  month: string;
  /** Σ of the payment instructions created by settlement runs that month: total, drawn from prepaid balances, paid by hospitals. */
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
}

/** What settlement runs settled per month of the instructions' createdAt (idx_payment_instructions_created). */
export async function settledByMonth(m: EntityManager, f: SeriesWindow): Promise<SettledOfMonth[]> {
  const rows: any[] = await m.query(
    `SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, SUM(amount) AS amount, SUM(from_prepayment) AS fp, SUM(from_hospital) AS fh
       FROM payment_instructions WHERE created_at >= ? AND created_at < ? GROUP BY month ORDER BY month`,
    [f.from, f.to],
  );
  return rows.map((r) => ({ month: r.month, amount: String(r.amount), fromPrepayment: String(r.fp), fromHospital: String(r.fh) }));
}

export interface PaymentsOfWeek {
  /** The Monday (YYYY-MM-DD, UTC) of the week the instructions fall due in. */
  week: string;
  instructions: number;
  /** Σ amount due that week; of it: paid by the due date, paid late, unpaid and overdue (due before `now`), unpaid and not yet due. */
  due: string;
  paidOnTime: string;
  paidLate: string;
  overdue: string;
  pending: string;
}

/** Payment instructions by week of their due date in [from, to): one range scan of idx_payment_instructions_status_due per status. */
export async function paymentsByWeek(m: EntityManager, f: SeriesWindow & { now: Date }): Promise<PaymentsOfWeek[]> {
  const rows: any[] = await m.query(
    `SELECT DATE_FORMAT(DATE_SUB(DATE(due_date), INTERVAL WEEKDAY(due_date) DAY), '%Y-%m-%d') AS week, COUNT(*) AS instructions,
            SUM(amount) AS due,
            SUM(CASE WHEN status = 'PAID' AND paid_at <= due_date THEN amount ELSE 0 END) AS on_time,
            SUM(CASE WHEN status = 'PAID' AND paid_at > due_date THEN amount ELSE 0 END) AS late,
            SUM(CASE WHEN status = 'PENDING' AND due_date < ? THEN amount ELSE 0 END) AS overdue,
            SUM(CASE WHEN status = 'PENDING' AND due_date >= ? THEN amount ELSE 0 END) AS pending
       FROM payment_instructions WHERE status IN ('PENDING', 'PAID') AND due_date >= ? AND due_date < ?
      GROUP BY week ORDER BY week`,
    [f.now, f.now, f.from, f.to],
  );
  return rows.map((r) => ({
    week: r.week,
    instructions: Number(r.instructions),
    due: String(r.due),
    paidOnTime: String(r.on_time),
    paidLate: String(r.late),
    overdue: String(r.overdue),
    pending: String(r.pending),
  }));
}
