import { EntityManager } from 'typeorm';
import { Batch } from './batch.entity';

/**
 * The batch row under a SHARED lock for the rest of the caller's transaction: writers that
 * depend on the batch's state (bids, demand, preferences, confirmations, deliveries) run side
 * by side, while a state change (close, open, allocate, activate, cancel: FOR UPDATE, see
 * BatchesService.lock) waits for them and they for it. The row is read by the locking read
 * itself, so it is the latest committed one whatever the transaction read before. MariaDB has
 * no FOR SHARE (what TypeORM's pessimistic_read emits for a server ≥ 8), hence raw
 * LOCK IN SHARE MODE, hydrated through the entity's metadata (transformers included).
 * Null if there is no such batch.
 */
export async function lockBatchShared(m: EntityManager, id: number): Promise<Batch | null> {
  const [row] = await m.query('SELECT * FROM batches WHERE id = ? LOCK IN SHARE MODE', [id]);
  if (!row) return null;
  const meta = m.connection.getMetadata(Batch);
  const batch = new Batch();
  for (const column of meta.columns) {
    (batch as any)[column.propertyName] = m.connection.driver.prepareHydratedValue(row[column.databaseName], column);
  }
  return batch;
}
