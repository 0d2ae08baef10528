/** affectedRows of a raw INSERT/UPDATE/DELETE through TypeORM's mysql driver (`EntityManager.query`). */
export function affectedRows(res: unknown): number {
  const r = res as { affectedRows?: number } | [unknown, number] | undefined;
  if (Array.isArray(r)) return Number(r[1]);
  return Number(r?.affectedRows ?? 0);
}
