import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '@jicai/common';
import { productsOfGenericNamesAndForms, strengthRatio } from '@jicai/catalog';
import { unitComparablePrice } from '@jicai/bidding';
import { PaymentStandard } from './payment-standard.entity';
import { PaymentStandardTransition, PaymentStandardTransitionYear } from './payment-standard-transition.entity';
import { ReimbursementRuleError, standardPackPrice } from './reimbursement.rules';
import { scheduleYears, transitionSchedule, TransitionReason, yearInForce } from './transition.rules';

/** One year of a product's schedule as the API shows it. */
export interface TransitionYearView {
  year: number;
  from: string;
  /** Inclusive; null for the last year, which applies from `from` on. */
  to: string | null;
  standardUnitPrice: string;
  standardPackPrice: string;
}

/** A non-selected product's payment standard under 15.6: why, from what, and year by year. */
export interface ProductTransitionView {
  productId: number;
  reason: TransitionReason;
  listedPackPrice: string | null;
  currentUnitPrice: string | null;
  selectedUnitPrice: string;
  /** The year in force on the date asked for (today by the server clock when none was given). */
  yearInForce: number;
  standardUnitPrice: string;
  standardPackPrice: string;
  schedule: TransitionYearView[];
}

const INSERT_CHUNK = 500;

const SCHEDULE_SQL = `SELECT t.batch_id AS batchId, t.item_id AS itemId, t.group_name AS \`group\`, t.product_id AS productId, t.reason,
         t.listed_pack_price AS listedPackPrice, t.current_unit_price AS currentUnitPrice, t.selected_unit_price AS selectedUnitPrice,
         y.year, DATE_FORMAT(y.from_date, '%Y-%m-%d') AS fromDate, DATE_FORMAT(y.to_date, '%Y-%m-%d') AS toDate,
         y.standard_unit_price AS standardUnitPrice, y.standard_pack_price AS standardPackPrice
  FROM payment_standard_transitions t
  JOIN payment_standard_transition_years y ON y.batch_id = t.batch_id AND y.product_id = t.product_id`;

/** Rows of SCHEDULE_SQL (ordered by product, then year) grouped into one view per product. */
function views(rows: any[], date: string): (ProductTransitionView & { itemId: number; group: string })[] {
  const byProduct = new Map<string, { head: any; years: TransitionYearView[] }>();
  for (const r of rows) {
    const key = `${r.batchId}:${r.productId}`;
    let entry = byProduct.get(key);
    if (!entry) byProduct.set(key, (entry = { head: r, years: [] }));
    entry.years.push({
      year: Number(r.year),
      from: r.fromDate,
      to: r.toDate ?? null,
      standardUnitPrice: r.standardUnitPrice,
      standardPackPrice: r.standardPackPrice,
    });
  }
  return [...byProduct.values()].map(({ head, years }) => {
    const now = yearInForce(years, date);
    return {
      itemId: Number(head.itemId),
      group: head.group,
      productId: Number(head.productId),
      reason: head.reason,
      listedPackPrice: head.listedPackPrice ?? null,
      currentUnitPrice: head.currentUnitPrice ?? null,
      selectedUnitPrice: head.selectedUnitPrice,
      yearInForce: now.year,
      standardUnitPrice: now.standardUnitPrice,
      standardPackPrice: now.standardPackPrice,
      schedule: years,
    };
  });
}

/**
 * Transition payment standards of non-selected products (domain.md 15.6, NHSA 2019): written
 * at award beside the section 9 standards, read by the standard of a product, the claim quote
 * and the list of standards.
 */
@Injectable()
export class TransitionStandardsService {
  /**
   * For the award, inside its transaction, after the section 9 standards of the batch are
   * written (`standards`): with rule transition NHSA_2019, every product of an awarded item's
   * generic name and dosage form that is not among `selectedProductIds` (the batch's winners,
   * revived ones included), whose tier is in a group with a standard and whose strength
   * compares with the representative strength, gets its schedule (transitionSchedule), its
   * years dated from the award's UTC date. Products are read through catalog's
   * productsOfGenericNamesAndForms; rows written in multi-row inserts. Running it again for
   * the batch replaces its rows. Returns the number of products scheduled.
   */
  async recordAward(
    m: EntityManager,
    batch: { id: number; rules: { transition: string; transitionYears: number } },
    awardedAt: Date,
    standards: readonly PaymentStandard[],
    selectedProductIds: ReadonlySet<number>,
  ): Promise<number> {
    if (batch.rules.transition !== 'NHSA_2019') return 0;
    await m.getRepository(PaymentStandardTransition).delete({ batchId: batch.id });
    const products = await productsOfGenericNamesAndForms(m, standards);
    const heads: Partial<PaymentStandardTransition>[] = [];
    const years: Partial<PaymentStandardTransitionYear>[] = [];
    for (const p of products) {
      if (selectedProductIds.has(p.id)) continue;
      const row = standards.find(
        (s) => s.genericNameNorm === p.genericNameNorm && s.dosageFormNorm === p.dosageFormNorm && s.tiers.split(',').includes(p.qualityTier),
      );
      if (!row) continue;
      const strength = { value: p.strengthValue, unit: p.strengthUnit };
      const rep = { value: row.repStrengthValue, unit: row.repStrengthUnit };
      const ratio = strengthRatio(strength, rep);
      if (ratio === null) continue; // no section 9 standard can be priced for it either
      const listed = p.listedPackPrice ?? null;
      const current = listed === null ? null : unitComparablePrice(listed, p.packSize, strength, rep, row.strengthRatioCoefficient);
      const currentUcp = current === null ? null : current.toFixed(4);
      try {
        const schedule = transitionSchedule({
          selectedUcp: row.standardUnitPrice,
          currentUcp,
          qualityTier: p.qualityTier,
          transitionYears: batch.rules.transitionYears,
        });
        heads.push({
          batchId: batch.id,
          productId: p.id,
          itemId: row.itemId,
          group: row.group,
          reason: schedule.reason,
          listedPackPrice: listed,
          currentUnitPrice: currentUcp,
          selectedUnitPrice: row.standardUnitPrice,
        });
        scheduleYears(awardedAt, schedule.yearUcps.length).forEach((y, i) =>
          years.push({
            batchId: batch.id,
            productId: p.id,
            year: y.year,
            from: y.from,
            to: y.to,
            standardUnitPrice: schedule.yearUcps[i],
            standardPackPrice: standardPackPrice(schedule.yearUcps[i], row.strengthRatioCoefficient, ratio, p.packSize),
          }),
        );
      } catch (e) {
        if (e instanceof ReimbursementRuleError) throw new AppError(422, 'INVALID_PAYMENT_STANDARD', `Product ${p.id}: ${e.message}`);
        throw e;
      }
    }
    for (const [entity, rows] of [
      [PaymentStandardTransition, heads],
      [PaymentStandardTransitionYear, years],
    ] as const) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await m
          .createQueryBuilder()
          .insert()
          .into(entity)
          .values(rows.slice(i, i + INSERT_CHUNK) as any)
          .updateEntity(false)
          .execute();
      }
    }
    return heads.length;
  }

  /** The schedule of `productId` under the standards of `batchId`, with the year in force on `date` (YYYY-MM-DD); null when it has none. */
  async scheduleOf(m: EntityManager, batchId: number, productId: number, date: string): Promise<ProductTransitionView | null> {
    const rows = await m.query(`${SCHEDULE_SQL} WHERE t.batch_id = ? AND t.product_id = ? ORDER BY y.year`, [batchId, productId]);
    if (rows.length === 0) return null;
    const { itemId: _i, group: _g, ...view } = views(rows, date)[0];
    return view;
  }

  /** The schedules under the standards of these items, by "itemId:group", products in id order. */
  async schedulesOfItems(m: EntityManager, itemIds: readonly number[], date: string): Promise<Map<string, ProductTransitionView[]>> {
    const out = new Map<string, ProductTransitionView[]>();
    const unique = [...new Set(itemIds)];
    if (unique.length === 0) return out;
    const rows = await m.query(`${SCHEDULE_SQL} WHERE t.item_id IN (?) ORDER BY t.item_id, t.group_name, t.product_id, y.year`, [unique]);
    for (const { itemId, group, ...view } of views(rows, date)) {
      const key = `${itemId}:${group}`;
      out.set(key, [...(out.get(key) ?? []), view]);
    }
    return out;
  }
}
