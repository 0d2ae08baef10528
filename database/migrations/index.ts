import { Foundation1764000000000 } from './1764000000000-Foundation';
import { CatalogBatchesDemand1764000000100 } from './1764000000100-CatalogBatchesDemand';

/**
 * Every migration, in order. The schema changes only through these (never synchronize).
 * Add a new migration's class at the end.
 */
export const MIGRATIONS = [
  Foundation1764000000000,
  CatalogBatchesDemand1764000000100,
];
