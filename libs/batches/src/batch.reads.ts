import { Between, EntityManager, In } from 'typeorm';
import { BatchItem } from './batch-item.entity';
import { Batch } from './batch.entity';
import { BatchStatus } from './batch-rules.rules';

/*
 * What other modules may read of batches and batch_items (architecture.md: one owner per
 * table). Each function takes the caller's EntityManager, so it runs inside the caller's
 * transaction and under its locks (pass `dataSource.manager` outside one). Set-based: one
 * query per call, whatever the number of ids.
 */

/** Hydrates a raw `SELECT *` row through the entity's metadata (TypeORM's own per-column conversion and transformers). */
function hydrate<T extends object>(m: EntityManager, entity: new () => T, row: Record<string, unknown>): T {
  const meta = m.connection.getMetadata(entity);
  const out = new entity();
  for (const column of meta.columns) (out as any)[column.propertyName] = m.connection.driver.prepareHydratedValue(row[column.databaseName], column);
  return out;
}

/**
 * The batch row under a SHARED lock for the rest of the caller's transaction: writers that
 * depend on the batch's state (bids, demand, preferences, confirmations, deliveries) run side
 * by side, while a state change (close, open, allocate, activate, cancel: FOR UPDATE, see
 * lockBatchExclusive) waits for them and they for it. The row is read by the locking read
 * itself, so it is the latest committed one whatever the transaction read before. MariaDB has
 * no FOR SHARE (what TypeORM's pessimistic_read emits for a server ≥ 8), hence raw
 * LOCK IN SHARE MODE. Null if there is no such batch.
 */
export async function lockBatchShared(m: EntityManager, id: number): Promise<Batch | null> {
  return (await lockBatchesShared(m, [id])).get(id) ?? null;
}

/** The batches of these ids, by id (missing ids are left out), each under a SHARED lock as lockBatchShared takes it. */
export async function lockBatchesShared(m: EntityManager, ids: readonly number[]): Promise<Map<number, Batch>> {
  if (ids.length === 0) return new Map();
  const rows: Record<string, unknown>[] = await m.query('SELECT * FROM batches WHERE id IN (?) LOCK IN SHARE MODE', [[...new Set(ids)]]);
  return new Map(rows.map((row) => [Number(row.id), hydrate(m, Batch, row)]));
}

/** The batch row locked FOR UPDATE for the rest of the caller's transaction (a state change), or null. */
export function lockBatchExclusive(m: EntityManager, id: number): Promise<Batch | null> {
  return m.getRepository(Batch).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

/** One batch, or null. */
export function findBatch(m: EntityManager, id: number): Promise<Batch | null> {
  return m.getRepository(Batch).findOneBy({ id });
}

/** Whether the batch exists. */
export function batchExists(m: EntityManager, id: number): Promise<boolean> {
  return m.getRepository(Batch).exists({ where: { id } });
}

/** The batches of these ids (missing ids are left out). */
export async function batchesByIds(m: EntityManager, ids: readonly number[]): Promise<Map<number, Batch>> {
  if (ids.length === 0) return new Map();
  const rows = await m.getRepository(Batch).findBy({ id: In([...new Set(ids)]) });
  return new Map(rows.map((b) => [b.id, b]));
}

/** The items of a batch, by id. */
export function itemsOfBatch(m: EntityManager, batchId: number): Promise<BatchItem[]> {
  return m.getRepository(BatchItem).find({ where: { batchId }, order: { id: 'ASC' } });
}

/** The item `itemId` of batch `batchId`, or null (an item of another batch is null too). */
export function findBatchItem(m: EntityManager, batchId: number, itemId: number): Promise<BatchItem | null> {
  return m.getRepository(BatchItem).findOneBy({ id: itemId, batchId });
}

/**
 * The item of the batch locked FOR UPDATE for the rest of the caller's transaction (bids on
 * one item are serialised on it), or null.
 */
export function lockBatchItem(m: EntityManager, batchId: number, itemId: number): Promise<BatchItem | null> {
  return m.getRepository(BatchItem).findOne({ where: { id: itemId, batchId }, lock: { mode: 'pessimistic_write' } });
}

/** The items of these ids, by id (missing ids are left out). */
export async function batchItemsByIds(m: EntityManager, ids: readonly number[]): Promise<Map<number, BatchItem>> {
  if (ids.length === 0) return new Map();
  const rows = await m.getRepository(BatchItem).findBy({ id: In([...new Set(ids)]) });
  return new Map(rows.map((i) => [i.id, i]));
}

/** Ids of the batches in this status, ascending. */
export async function batchIdsWithStatus(m: EntityManager, status: BatchStatus): Promise<number[]> {
  const rows = await m.getRepository(Batch).find({ select: { id: true }, where: { status }, order: { id: 'ASC' } });
  return rows.map((r) => r.id);
}

/** The batches in this status whose bidding closes in [from, to]. */
export async function batchesClosingBetween(
  m: EntityManager,
  status: BatchStatus,
  from: Date,
  to: Date,
): Promise<{ id: number; code: string; biddingClosesAt: Date }[]> {
  const rows = await m.getRepository(Batch).find({
    select: { id: true, code: true, biddingClosesAt: true },
    where: { status, biddingClosesAt: Between(from, to) },
  });
  return rows.map((r) => ({ id: r.id, code: r.code, biddingClosesAt: r.biddingClosesAt }));
}
