import { EntityManager, FindOptionsWhere, In } from 'typeorm';
import { HospitalLevel, OrganizationType } from '@jicai/common';
import { Organization } from './organization.entity';

/*
 * What other modules may read of `organizations` (architecture.md: one owner per table). Each
 * function takes the caller's EntityManager, so it runs inside the caller's transaction (pass
 * `dataSource.manager` outside one). Set-based: one query per READ_CHUNK keys, whatever the
 * number of keys.
 */

/** An organisation as other modules see it (organisations have no region column). */
export interface OrganizationRow {
  id: number;
  code: string;
  name: string;
  type: OrganizationType;
  level: HospitalLevel | null;
}

/** Keys per IN (…) list: bounds the statement's size for an import of many thousand rows. */
const READ_CHUNK = 1000;

async function organizationsWhere<K extends number | string>(
  m: EntityManager,
  keys: readonly K[],
  where: (chunk: K[]) => FindOptionsWhere<Organization>,
): Promise<OrganizationRow[]> {
  const unique = [...new Set(keys)];
  const out: OrganizationRow[] = [];
  for (let i = 0; i < unique.length; i += READ_CHUNK) {
    const rows = await m.getRepository(Organization).find({
      select: { id: true, code: true, name: true, type: true, level: true },
      where: where(unique.slice(i, i + READ_CHUNK)),
    });
    for (const o of rows) out.push({ id: o.id, code: o.code, name: o.name, type: o.type, level: o.level });
  }
  return out;
}

/** The organisations of these ids, by id (missing ids are left out). */
export async function organizationsByIds(m: EntityManager, ids: readonly number[]): Promise<Map<number, OrganizationRow>> {
  const rows = await organizationsWhere(m, ids, (chunk) => ({ id: In(chunk) }));
  return new Map(rows.map((o) => [o.id, o]));
}

/**
 * The organisations of these codes, by UPPER-CASED code (codes compare as the unique key does,
 * case-insensitively; missing codes are left out).
 */
export async function organizationsByCodes(m: EntityManager, codes: readonly string[]): Promise<Map<string, OrganizationRow>> {
  const rows = await organizationsWhere(m, codes, (chunk) => ({ code: In(chunk) }));
  return new Map(rows.map((o) => [o.code.toUpperCase(), o]));
}

/** One organisation, or null. */
export async function findOrganization(m: EntityManager, id: number): Promise<OrganizationRow | null> {
  return (await organizationsByIds(m, [id])).get(id) ?? null;
}
