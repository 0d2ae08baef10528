import { EntityManager, In } from 'typeorm';
import { Dec } from '@jicai/common';
import { organizationsByIds } from '@jicai/organizations';
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

/** How people name a product: its generic name and its spec (dosage form, strength × pack), e.g. 左氨氯地平 / 片剂 2.5mg×28片. */
export interface ProductNames {
  productName: string;
  productSpec: string;
}

export function productNames(p: Product | undefined): ProductNames {
  if (!p) return { productName: '', productSpec: '' };
  return { productName: p.genericName, productSpec: `${p.dosageForm} ${new Dec(p.strengthValue).toFixed()}${p.strengthUnit}×${p.packSize}${p.smallestUnit}` };
}

/**
 * The names other modules show beside ids (issue 14: clerks read names): organisations and
 * products of these ids in two set-based reads. Unknown ids answer ''.
 */
export async function namesOf(m: EntityManager, ids: { organizations?: readonly number[]; products?: readonly number[] }) {
  // one after the other: m may be a transaction's single connection
  const orgs = await organizationsByIds(m, ids.organizations ?? []);
  const products = await productsByIds(m, ids.products ?? []);
  return {
    organization: (id: number): string => orgs.get(id)?.name ?? '',
    product: (id: number): ProductNames => productNames(products.get(id)),
  };
}
