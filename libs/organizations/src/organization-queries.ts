import { EntityManager } from 'typeorm';
import { HospitalLevel, OrganizationType } from '@jicai/common';

/**
 * The organisations of the given types as a set-based SELECT (one column `organization_id`),
 * for modules that act on all of them in one statement (e.g. notifying every hospital).
 */
export function organizationIdsOfTypesQuery(types: readonly OrganizationType[]): { sql: string; params: unknown[] } {
  return { sql: 'SELECT id AS organization_id FROM organizations WHERE type IN (?)', params: [types] };
}

/**
 * Hospitals with their level as a set-based SELECT (columns hospital_id, level), for modules
 * that aggregate per level of hospital in one statement (the dashboards' progress by level).
 */
export function hospitalLevelsQuery(): { sql: string; params: unknown[] } {
  return { sql: "SELECT id AS hospital_id, level FROM organizations WHERE type = 'HOSPITAL'", params: [] };
}

export interface OrganizationLabel {
  id: number;
  name: string;
  level: HospitalLevel | null;
}

/** Names (and hospital levels) of the given organisations, in one query by primary key. */
export async function organizationLabels(m: EntityManager, ids: readonly number[]): Promise<Map<number, OrganizationLabel>> {
  if (!ids.length) return new Map();
  const rows: any[] = await m.query('SELECT id, name, level FROM organizations WHERE id IN (?)', [[...new Set(ids)]]);
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), name: r.name, level: r.level ?? null }]));
}
