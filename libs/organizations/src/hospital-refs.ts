import { EntityManager } from 'typeorm';
import { OrganizationType, Principal, Role } from '@jicai/common';
import { OrganizationRow, organizationsByCodes, organizationsByIds } from './organization.reads';

/*
 * The hospital a sheet row names (demand, non-selected purchases, assessment scores): by id, by
 * code, or — a hospital's own rows — neither. One lookup and one check for every import that
 * names hospitals, so they answer the same errors.
 */

/** How a row names its hospital. */
export interface HospitalRef {
  hospitalId: number | null;
  hospitalCode: string | null;
}

/** The organisations the rows name, by id and by upper-cased code. */
export interface HospitalsNamed {
  byId: Map<number, OrganizationRow>;
  byCode: Map<string, OrganizationRow>;
}

/** Where a refused row is reported: the import's RowErrors (row, column, message). */
export interface RowErrorSink {
  add(row: number, column: string, message: string): void;
}

/** The organisations the rows name, by id and by upper-cased code (two set-based reads); for a hospital, only itself. */
export async function hospitalsNamed(m: EntityManager, actor: Principal, refs: readonly HospitalRef[]): Promise<HospitalsNamed> {
  if (actor.role !== Role.ADMIN) {
    const own = await organizationsByIds(m, [actor.organizationId]);
    return { byId: own, byCode: new Map([...own.values()].map((o) => [o.code.toUpperCase(), o])) };
  }
  const byId = await organizationsByIds(
    m,
    refs.flatMap((r) => (r.hospitalId === null ? [] : [r.hospitalId])),
  );
  const byCode = await organizationsByCodes(
    m,
    refs.flatMap((r) => (r.hospitalCode === null ? [] : [r.hospitalCode])),
  );
  return { byId, byCode };
}

/**
 * The row's hospital, or null with the error added: a hospital's own (naming another answers
 * `notOwn`), an admin's by id or code (a hospital's, and both must agree when both are given).
 */
export function hospitalOfRow(actor: Principal, row: number, v: HospitalRef, h: HospitalsNamed, errors: RowErrorSink, notOwn: string): number | null {
  if (actor.role !== Role.ADMIN) {
    if (v.hospitalId !== null && v.hospitalId !== actor.organizationId) return (errors.add(row, 'hospitalId', notOwn), null);
    if (v.hospitalCode !== null && h.byCode.get(v.hospitalCode.toUpperCase())?.id !== actor.organizationId) {
      return (errors.add(row, 'hospitalCode', notOwn), null);
    }
    return actor.organizationId;
  }
  if (v.hospitalId === null && v.hospitalCode === null) return (errors.add(row, 'hospitalId', 'give hospitalId or hospitalCode'), null);
  const fromId = v.hospitalId === null ? undefined : h.byId.get(v.hospitalId);
  const fromCode = v.hospitalCode === null ? undefined : h.byCode.get(v.hospitalCode.toUpperCase());
  if (v.hospitalId !== null && fromId?.type !== OrganizationType.HOSPITAL) {
    return (errors.add(row, 'hospitalId', fromId ? `organisation ${v.hospitalId} is not a hospital` : `no organisation has id ${v.hospitalId}`), null);
  }
  if (v.hospitalCode !== null && fromCode?.type !== OrganizationType.HOSPITAL) {
    return (
      errors.add(row, 'hospitalCode', fromCode ? `organisation ${v.hospitalCode} is not a hospital` : `no organisation has code ${v.hospitalCode}`),
      null
    );
  }
  if (fromId && fromCode && fromId.id !== fromCode.id) {
    return (errors.add(row, 'hospitalCode', `code ${v.hospitalCode} is organisation ${fromCode.id}, not hospitalId ${fromId.id}`), null);
  }
  return (fromId ?? fromCode)!.id;
}
