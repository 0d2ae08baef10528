import { EntityManager, In } from 'typeorm';
import { Product } from './product.entity';

/*
 * What other modules may read of `products` (architecture.md: one owner per table). Each
 * function takes the caller's EntityManager, so it runs inside the caller's transaction (pass
 * `dataSource.manager` outside one). Set-based: one query per READ_CHUNK ids, whatever the
 * number of ids. Rows are the typed entity (decimals stay strings).
 */

/** Ids per IN (…) list. */
const READ_CHUNK = 1000;

/** One product, or null. */
export function findProduct(m: EntityManager, id: number): Promise<Product | null> {
  return m.getRepository(Product).findOneBy({ id });
}

/** The products of these ids, by id (missing ids are left out). */
export async function productsByIds(m: EntityManager, ids: readonly number[]): Promise<Map<number, Product>> {
  const unique = [...new Set(ids)];
  const out = new Map<number, Product>();
  for (let i = 0; i < unique.length; i += READ_CHUNK) {
    for (const p of await m.getRepository(Product).findBy({ id: In(unique.slice(i, i + READ_CHUNK)) })) out.set(p.id, p);
  }
  return out;
}
