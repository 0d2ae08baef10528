import { EntityManager } from 'typeorm';
import { winnerPacksQuery } from '@jicai/evaluation';
import { AgreementStatus } from './agreement.entity';

/** What modules above allocation need of an agreement while they write against it. */
export interface SharedAgreement {
  id: number;
  batchId: number;
  itemId: number;
  group: string;
  hospitalId: number;
  supplierId: number;
  bidId: number;
  productId: number;
  units: number;
  awardPrice: string;
  unitComparablePrice: string;
  status: AgreementStatus;
}

/** An agreements row (raw) as SharedAgreement. */
const sharedOf = (r: any): SharedAgreement => ({
  id: Number(r.id),
  batchId: Number(r.batch_id),
  itemId: Number(r.item_id),
  group: r.group_name,
  hospitalId: Number(r.hospital_id),
  supplierId: Number(r.supplier_id),
  bidId: Number(r.bid_id),
  productId: Number(r.product_id),
  units: Number(r.units),
  awardPrice: r.award_price,
  unitComparablePrice: r.unit_comparable_price,
  status: r.status,
});

/** The agreement row under a shared lock for the rest of the transaction; null if there is none. */
export async function shareLockAgreement(m: EntityManager, id: number): Promise<SharedAgreement | null> {
  return (await agreementsByIds(m, [id], { share: true })).get(id) ?? null;
}

/**
 * The slice of a batch a set-based per-agreement-year read covers (execution's progress
 * recompute): the batch's hospitals in [hospitalFrom, hospitalTo], agreement years 1..years
 * counted from agreementStart.
 */
export interface AgreementYearWindow {
  batchId: number;
  agreementStart: Date;
  years: number;
  hospitalFrom: number;
  hospitalTo: number;
}

/**
 * SQL for the agreement year of a timestamp column: whole 12-month periods since the agreement
 * start, + 1. Takes one `?` parameter, the agreement start.
 */
export const agreementYearSql = (column: string): string => `TIMESTAMPDIFF(MONTH, ?, ${column}) DIV 12 + 1`;

/**
 * The CONFIRMED agreements of a batch for hospitals in [hospitalFrom, hospitalTo], as a
 * set-based SELECT for execution's progress and savings (columns agreement_id, hospital_id,
 * supplier_id, item_id, group_name, units (per year), unit_comparable_price (award UCP),
 * measure_units_per_pack).
 */
export function confirmedAgreementsQuery(batchId: number, hospitalFrom: number, hospitalTo: number): { sql: string; params: unknown[] } {
  const w = winnerPacksQuery(batchId);
  return {
    sql: `SELECT a.id AS agreement_id, a.hospital_id, a.supplier_id, a.item_id, a.group_name, a.units, a.unit_comparable_price,
                 w.measure_units_per_pack
            FROM agreements a JOIN (${w.sql}) w ON w.bid_id = a.bid_id
           WHERE a.hospital_id BETWEEN ? AND ? AND a.batch_id = ? AND a.status = 'CONFIRMED'`,
    params: [...w.params, hospitalFrom, hospitalTo, batchId],
  };
}

/** The hospitals holding agreements in a batch, as the ordered list of their ids (for chunked set-based work). */
export async function agreementHospitalIds(m: EntityManager, batchId: number): Promise<number[]> {
  const rows: { hospital_id: number }[] = await m.query('SELECT DISTINCT hospital_id FROM agreements WHERE batch_id = ? ORDER BY hospital_id', [batchId]);
  return rows.map((r) => Number(r.hospital_id));
}

/** Organisations (hospitals) with agreements awaiting confirmation in a batch, as a recipients SELECT. */
export function pendingAgreementHospitalsQuery(batchId: number): { sql: string; params: unknown[] } {
  return { sql: "SELECT DISTINCT hospital_id AS organization_id FROM agreements WHERE batch_id = ? AND status = 'PENDING_CONFIRMATION'", params: [batchId] };
}

/** An agreement as modules above allocation read it outside a lock (the same fields); null if there is none. */
export async function findAgreement(m: EntityManager, id: number): Promise<SharedAgreement | null> {
  return (await agreementsByIds(m, [id])).get(id) ?? null;
}

/**
 * The agreements of these ids, by id (missing ids left out), 1,000 ids per statement; with
 * `share` under a shared lock for the rest of the caller's transaction (an import writing
 * against many agreements at once: none can change state under it).
 */
export async function agreementsByIds(m: EntityManager, ids: readonly number[], opts: { share?: boolean } = {}): Promise<Map<number, SharedAgreement>> {
  const out = new Map<number, SharedAgreement>();
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  for (let i = 0; i < unique.length; i += 1000) {
    const rows: any[] = await m.query(
      `SELECT id, batch_id, item_id, group_name, hospital_id, supplier_id, bid_id, product_id, units, award_price, unit_comparable_price, status
         FROM agreements WHERE id IN (?)${opts.share ? ' LOCK IN SHARE MODE' : ''}`,
      [unique.slice(i, i + 1000)],
    );
    for (const r of rows) out.set(Number(r.id), sharedOf(r));
  }
  return out;
}

/** The batch's agreements still PENDING_CONFIRMATION, by hospital then id (read in the caller's transaction). */
export async function pendingAgreementsOf(m: EntityManager, batchId: number): Promise<{ id: number; hospitalId: number }[]> {
  const rows: { id: number; hospitalId: number }[] = await m.query(
    `SELECT id, hospital_id AS hospitalId FROM agreements WHERE batch_id = ? AND status = 'PENDING_CONFIRMATION' ORDER BY hospital_id, id`,
    [batchId],
  );
  return rows.map((r) => ({ id: Number(r.id), hospitalId: Number(r.hospitalId) }));
}

/**
 * Σ amount of the batch's CONFIRMED agreements per hospital and term in months (a row without
 * a term has `defaultMonths`), by hospital then term. DECIMAL sums are exact; 2-decimal strings.
 */
export async function confirmedAmountsByHospitalAndTerm(
  m: EntityManager,
  batchId: number,
  defaultMonths: number,
): Promise<{ hospitalId: number; months: number; confirmed: string }[]> {
  const rows: { hospitalId: number; months: number; confirmed: string }[] = await m.query(
    `SELECT hospital_id AS hospitalId, COALESCE(term_months, ?) AS months, SUM(amount) AS confirmed FROM agreements
     WHERE batch_id = ? AND status = 'CONFIRMED' GROUP BY hospital_id, months ORDER BY hospital_id, months`,
    [defaultMonths, batchId],
  );
  return rows.map((r) => ({ hospitalId: Number(r.hospitalId), months: Number(r.months), confirmed: String(r.confirmed) }));
}
