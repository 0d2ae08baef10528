import { forbidden, Principal, Role } from '@jicai/common';

/**
 * A batch's list that admins see whole and a supplier only its own rows of (objections, revival
 * offers); other roles 403. `read` takes the WHERE clause on the table's alias and its params.
 */
export async function adminOrOwnSupplierRows<T>(
  viewer: Principal,
  alias: string,
  batchId: number,
  read: (where: string, params: unknown[]) => Promise<T[]>,
): Promise<{ items: T[]; total: number }> {
  let items: T[];
  if (viewer.role === Role.ADMIN) items = await read(`${alias}.batch_id = ?`, [batchId]);
  else if (viewer.role === Role.SUPPLIER) items = await read(`${alias}.batch_id = ? AND ${alias}.supplier_id = ?`, [batchId, viewer.organizationId]);
  else throw forbidden();
  return { items, total: items.length };
}
