import { EntityManager } from 'typeorm';
import { HospitalLevel } from '@jicai/common';
import { hospitalLevelsQuery } from '@jicai/organizations';

/** accepted ÷ agreed on sums, 4 decimals half-up (as completion is on a progress row); null without agreed units. */
const completionSql = `CASE WHEN SUM(agreed_units) > 0 THEN ROUND(CAST(SUM(accepted_units) AS DECIMAL(30,10)) / SUM(agreed_units), 4) END`;

export interface ProgressTotals {
  /** Hospitals with rows, and those with at least one BEHIND row. */
  hospitals: number;
  behindHospitals: number;
  agreedUnits: number;
  acceptedUnits: number;
  completion: string | null;
  /** The expected completion of the year at the last recompute. */
  expectedCompletion: string | null;
}

export interface ProgressOfItem extends ProgressTotals {
  itemId: number;
}

const totals = (r: any): ProgressTotals => ({
  hospitals: Number(r.hospitals),
  behindHospitals: Number(r.behind_hospitals),
  agreedUnits: Number(r.agreed),
  acceptedUnits: Number(r.accepted),
  completion: r.completion ?? null,
  expectedCompletion: r.expected ?? null,
});

/**
 * Progress per item of a batch in an agreement year, over all hospitals (a range of the
 * progress primary key (batch_id, year, …)) or one hospital's rows (idx_progress_hospital).
 */
export async function progressByItem(m: EntityManager, f: { batchId: number; year: number; hospitalId?: number }): Promise<ProgressOfItem[]> {
  const rows: any[] = await m.query(
    `SELECT item_id, COUNT(DISTINCT hospital_id) AS hospitals, COUNT(DISTINCT CASE WHEN behind = 1 THEN hospital_id END) AS behind_hospitals,
            SUM(agreed_units) AS agreed, SUM(accepted_units) AS accepted, ${completionSql} AS completion, MAX(expected) AS expected
       FROM progress WHERE batch_id = ? AND year = ? ${f.hospitalId !== undefined ? 'AND hospital_id = ?' : ''}
      GROUP BY item_id ORDER BY item_id`,
    [f.batchId, f.year, ...(f.hospitalId !== undefined ? [f.hospitalId] : [])],
  );
  return rows.map((r) => ({ itemId: Number(r.item_id), ...totals(r) }));
}

export interface ProgressOfLevel extends ProgressTotals {
  /** The hospitals' level; null for hospitals without one. */
  level: HospitalLevel | null;
}

/** Progress per level of hospital of a batch in a year: the year's rows summed per hospital, then per level (organizations' hospital levels). */
export async function progressByHospitalLevel(m: EntityManager, f: { batchId: number; year: number }): Promise<ProgressOfLevel[]> {
  const h = hospitalLevelsQuery();
  const rows: any[] = await m.query(
    `SELECT o.level, COUNT(*) AS hospitals, SUM(p.behind > 0) AS behind_hospitals, SUM(p.agreed_units) AS agreed, SUM(p.accepted_units) AS accepted,
            ${completionSql.replace(/agreed_units/g, 'p.agreed_units').replace(/accepted_units/g, 'p.accepted_units')} AS completion, MAX(p.expected) AS expected
       FROM (SELECT hospital_id, SUM(agreed_units) AS agreed_units, SUM(accepted_units) AS accepted_units, MAX(behind) AS behind, MAX(expected) AS expected
               FROM progress WHERE batch_id = ? AND year = ? GROUP BY hospital_id) p
       JOIN (${h.sql}) o ON o.hospital_id = p.hospital_id
      GROUP BY o.level ORDER BY o.level`,
    [f.batchId, f.year, ...h.params],
  );
  return rows.map((r) => ({ level: r.level ?? null, ...totals(r) }));
}

export interface BehindHospital {
  hospitalId: number;
  /** The hospital's item × group rows in the year, and those flagged BEHIND. */
  rows: number;
  behindRows: number;
  agreedUnits: number;
  acceptedUnits: number;
  completion: string | null;
  expectedCompletion: string | null;
}

/**
 * The hospitals with at least one BEHIND row in a batch's year, most behind rows first, a page
 * at a time (idx_progress_behind finds them; their sums come from the primary key).
 */
export async function behindHospitals(
  m: EntityManager,
  f: { batchId: number; year: number; limit: number; offset: number },
): Promise<{ items: BehindHospital[]; total: number }> {
  const [{ total }] = await m.query('SELECT COUNT(DISTINCT hospital_id) AS total FROM progress WHERE batch_id = ? AND year = ? AND behind = 1', [
    f.batchId,
    f.year,
  ]);
  const rows: any[] = await m.query(
    `SELECT p.hospital_id, COUNT(*) AS n, SUM(p.behind) AS behind_rows, SUM(p.agreed_units) AS agreed, SUM(p.accepted_units) AS accepted,
            ${completionSql.replace(/agreed_units/g, 'p.agreed_units').replace(/accepted_units/g, 'p.accepted_units')} AS completion, MAX(p.expected) AS expected
       FROM progress p
       JOIN (SELECT DISTINCT hospital_id FROM progress WHERE batch_id = ? AND year = ? AND behind = 1) b ON b.hospital_id = p.hospital_id
      WHERE p.batch_id = ? AND p.year = ?
      GROUP BY p.hospital_id ORDER BY completion, p.hospital_id LIMIT ? OFFSET ?`,
    [f.batchId, f.year, f.batchId, f.year, f.limit, f.offset],
  );
  return {
    total: Number(total),
    items: rows.map((r) => ({
      hospitalId: Number(r.hospital_id),
      rows: Number(r.n),
      behindRows: Number(r.behind_rows),
      agreedUnits: Number(r.agreed),
      acceptedUnits: Number(r.accepted),
      completion: r.completion ?? null,
      expectedCompletion: r.expected ?? null,
    })),
  };
}
