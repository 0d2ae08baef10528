/** affectedRows of a raw INSERT/UPDATE/DELETE through TypeORM's mysql driver (`EntityManager.query`). */
export function affectedRows(res: unknown): number {
  const r = res as { affectedRows?: number } | [unknown, number] | undefined;
  if (Array.isArray(r)) return Number(r[1]);
  return Number(r?.affectedRows ?? 0);
}

/**
 * The conjuncts and parameters of a WHERE clause made of equalities: `column = ?` for each
 * pair whose value is given (undefined leaves the pair out), in order. Columns are the
 * caller's constants, never input.
 */
export function equalities(pairs: readonly (readonly [column: string, value: unknown])[]): { where: string[]; params: unknown[] } {
  const given = pairs.filter(([, v]) => v !== undefined);
  return { where: given.map(([c]) => `${c} = ?`), params: given.map(([, v]) => v) };
}

type DriverError = { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };

function codesOf(e: unknown): { codes: (string | undefined)[]; errnos: (number | undefined)[] } {
  const err = e as DriverError | undefined;
  return { codes: [err?.code, err?.driverError?.code], errnos: [err?.errno, err?.driverError?.errno] };
}

/** A unique or primary key refused the row (ER_DUP_ENTRY, 1062), raw or wrapped in TypeORM's QueryFailedError. */
export function isDuplicateKey(e: unknown): boolean {
  const { codes, errnos } = codesOf(e);
  return codes.includes('ER_DUP_ENTRY') || errnos.includes(1062);
}

/** A deadlock (1213) or a lock-wait timeout (1205): the transaction was rolled back and may simply run again. */
export function isLockConflict(e: unknown): boolean {
  const { codes, errnos } = codesOf(e);
  return codes.includes('ER_LOCK_DEADLOCK') || codes.includes('ER_LOCK_WAIT_TIMEOUT') || errnos.includes(1213) || errnos.includes(1205);
}

/** The platform's one retry policy for lock conflicts: attempts in all, and the base of the backoff. */
export const LOCK_RETRY = { attempts: 5, baseDelayMs: 10 } as const;

/**
 * Runs `transaction` (a whole transaction: it must open and commit its own) again when it
 * fails on a deadlock or a lock-wait timeout, up to LOCK_RETRY.attempts in all, waiting an
 * exponential backoff with full jitter (base·2^(n-1) · random) so that the transactions that
 * collided do not collide again in step. Any other error, or the last conflict, is thrown.
 */
export async function retryOnLockConflict<T>(
  transaction: () => Promise<T>,
  onRetry?: (e: Error, attempt: number) => void,
  /** what else means "ran into a concurrent transaction, did nothing": retried the same way */
  alsoRetry: (e: unknown) => boolean = () => false,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (e) {
      if (attempt >= LOCK_RETRY.attempts || !(isLockConflict(e) || alsoRetry(e))) throw e;
      onRetry?.(e as Error, attempt);
      const ceiling = LOCK_RETRY.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(ceiling * Math.random())));
    }
  }
}

/** Socket-level failures of a connection to MySQL or Redis (server down, restarting, connection dropped). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN']);

/**
 * The database (or Redis) could not be reached or went away mid-query: nothing is wrong with the
 * request or the job, and the same work succeeds once the server is back (the pools reconnect by
 * themselves). Answered 503 SERVICE_UNAVAILABLE to requests; jobs wait and run again.
 * ER_SERVER_SHUTDOWN is 1053; ioredis' offline-queue refusal carries no code, only its message.
 */
export function isServiceUnavailable(e: unknown): boolean {
  const { codes, errnos } = codesOf(e);
  if (codes.some((c) => c !== undefined && UNAVAILABLE_CODES.has(c)) || errnos.includes(1053)) return true;
  const message = e instanceof Error ? e.message : '';
  return /^(Connection lost: The server closed the connection|Stream isn't writeable and enableOfflineQueue options is false|Connection is closed)/.test(
    message,
  );
}
