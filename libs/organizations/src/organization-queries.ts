import { OrganizationType } from '@jicai/common';

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
