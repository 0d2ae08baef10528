import { EntityManager } from 'typeorm';
import { Product } from './product.entity';

/** A generic name and dosage form as stored: NFKC-normalised and trimmed (section 2). */
export interface GenericNameAndForm {
  genericNameNorm: string;
  dosageFormNorm: string;
}

const PAIRS_PER_QUERY = 500;

/**
 * What other modules may read of `products` by generic name and dosage form (domain.md 9 and
 * 15.6: every product of an item's name and form, selected or not). Takes the caller's
 * EntityManager; one query per 500 pairs. Names compare exactly after NFKC + trim: the
 * columns' collation ignores case and trailing spaces, so its match is narrowed here byte for
 * byte. Ordered by id.
 */
export async function productsOfGenericNamesAndForms(m: EntityManager, pairs: readonly GenericNameAndForm[]): Promise<Product[]> {
  const key = (p: GenericNameAndForm) => `${p.genericNameNorm}\u0000${p.dosageFormNorm}`;
  const unique = [...new Map(pairs.map((p) => [key(p), p])).values()];
  const wanted = new Set(unique.map(key));
  const out: Product[] = [];
  for (let i = 0; i < unique.length; i += PAIRS_PER_QUERY) {
    const chunk = unique.slice(i, i + PAIRS_PER_QUERY);
    const params: Record<string, string> = {};
    const tuples = chunk.map((p, j) => {
      params[`g${j}`] = p.genericNameNorm;
      params[`f${j}`] = p.dosageFormNorm;
      return `(:g${j}, :f${j})`;
    });
    const rows = await m
      .getRepository(Product)
      .createQueryBuilder('p')
      .where(`(p.generic_name_norm, p.dosage_form_norm) IN (${tuples.join(', ')})`, params)
      .orderBy('p.id', 'ASC')
      .getMany();
    out.push(...rows.filter((p) => wanted.has(key(p))));
  }
  return out.sort((a, b) => a.id - b.id);
}
