import { EntityManager } from 'typeorm';
import { BatchRules, BatchStatus } from '@jicai/batches';

/** What the allocation endpoints need of a batch row. */
export interface LockedBatch {
  id: number;
  code: string;
  status: BatchStatus;
  rules: BatchRules;
  confirmationDeadline: Date | null;
}

/**
 * The batch row under a shared lock for the rest of the transaction: writers that depend
 * on the batch's state (preferences, confirmations) run side by side, while a state change
 * (allocation, activation: SELECT ... FOR UPDATE) waits for them and they for it. The row
 * is read by the locking read itself, so it is the latest committed one whatever the
 * transaction read before. MariaDB has no FOR SHARE (what TypeORM's pessimistic_read
 * emits), hence LOCK IN SHARE MODE. Null if there is no such batch.
 */
export async function lockBatchShared(m: EntityManager, id: number): Promise<LockedBatch | null> {
  const [row] = await m.query('SELECT id, code, status, rules, confirmation_deadline FROM batches WHERE id = ? LOCK IN SHARE MODE', [id]);
  if (!row) return null;
  return {
    id: Number(row.id),
    code: row.code,
    status: row.status,
    rules: JSON.parse(row.rules),
    confirmationDeadline: row.confirmation_deadline ? new Date(row.confirmation_deadline) : null,
  };
}
