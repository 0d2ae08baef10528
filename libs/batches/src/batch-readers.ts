import { EntityManager } from 'typeorm';
import { BatchRules, BatchStatus, withDefaultRules } from './batch-rules.rules';

/** What modules above batches need of a batch row while they write against it. */
export interface SharedBatch {
  id: number;
  code: string;
  status: BatchStatus;
  /** The effective rules (stored over the defaults). */
  rules: BatchRules;
  agreementStart: Date;
  agreementMonths: number;
}

/**
 * The batch row under a shared lock for the rest of the transaction (MariaDB has no FOR SHARE,
 * hence LOCK IN SHARE MODE): writers that depend on the batch's state run side by side while a
 * state change (SELECT ... FOR UPDATE) waits for them. Null if there is no such batch.
 */
export async function shareLockBatch(m: EntityManager, id: number): Promise<SharedBatch | null> {
  const [row] = await m.query('SELECT id, code, status, rules, agreement_start, agreement_months FROM batches WHERE id = ? LOCK IN SHARE MODE', [id]);
  if (!row) return null;
  return {
    id: Number(row.id),
    code: row.code,
    status: row.status,
    rules: withDefaultRules(JSON.parse(row.rules)),
    agreementStart: new Date(row.agreement_start),
    agreementMonths: Number(row.agreement_months),
  };
}
