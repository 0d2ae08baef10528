import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, Role, AppError, Clock, notFound, unprocessable, validationFailed, Dec } from '@jicai/common';
import { findProduct, normalizeName, strengthRatio, type Product } from '@jicai/catalog';
import { batchItemsByIds, findBatch, itemsOfBatch } from '@jicai/batches';
import type { AwardedUcp } from './award-prices';
import { PaymentStandard } from './payment-standard.entity';
import { ReimbursementRuleError, standardPackPrice, standardUnitPrices } from './reimbursement.rules';
import { ProductTransitionView, TransitionStandardsService } from './transition-standards.service';
import { parseIsoDate } from './transition.rules';

const trimZeros = (v: string) => new Dec(v).toString();

/** What a product's payment standard is and where it comes from. */
export interface ProductStandard {
  productId: number;
  /** Per pack of this product, 2 decimals (section 9). */
  standardPackPrice: string;
  /** Per measure unit of the item, 4 decimals. */
  standardUnitPrice: string;
  batchId: number;
  itemId: number;
  group: string;
  basis: string;
  /** Section 15.6: the product's transition schedule (non-selected, rule NHSA_2019), or null; the prices above are then its year in force. */
  transition: ProductTransitionView | null;
}

/** Today's UTC date (YYYY-MM-DD) by `clock`: the default date of a quote (15.6). */
export const todayOf = (clock: Clock) => clock.now().toISOString().slice(0, 10);

/** 400 for a date parameter that has the YYYY-MM-DD shape but names no calendar date (2027-02-30). */
export function checkDate(date: string | undefined): void {
  if (date !== undefined && parseIsoDate(date) === null) {
    throw validationFailed('Invalid date', [{ field: 'date', message: 'date must be a calendar date YYYY-MM-DD' }]);
  }
}

/** Maps a rule refusal to the API's error: NO_PAYMENT_STANDARD is 422, bad input 400. */
export function ruleErrorToApp(e: unknown, field?: string): unknown {
  if (!(e instanceof ReimbursementRuleError)) return e;
  if (e.code === 'NO_PAYMENT_STANDARD') return unprocessable(e.code, e.message);
  return validationFailed(e.message, field ? [{ field, message: e.message }] : []);
}

// Names are compared exactly after NFKC + trim (section 2). The columns' collation is
// case- and pad-insensitive, so the plain "=" (which can use the index) is narrowed by a
// byte comparison of the normalised strings.
const SAME_NAME = (a: string, b: string) =>
  `${a}.generic_name_norm = ${b}.generic_name_norm AND ${a}.dosage_form_norm = ${b}.dosage_form_norm
   AND BINARY ${a}.generic_name_norm = BINARY ${b}.generic_name_norm AND BINARY ${a}.dosage_form_norm = BINARY ${b}.dosage_form_norm`;

// Section 9: where several awarded batches cover one generic name and dosage form, the
// latest award sets the standard (ties, which need two awards in the same millisecond: the
// later batch).
const IS_LATEST = `NOT EXISTS (SELECT 1 FROM payment_standards n WHERE ${SAME_NAME('n', 'ps')}
   AND (n.awarded_at > ps.awarded_at OR (n.awarded_at = ps.awarded_at AND n.batch_id > ps.batch_id)))`;

/**
 * Payment standards (domain.md section 9): written at award, read for products and claims.
 */
@Injectable()
export class PaymentStandardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: TransitionStandardsService,
    private readonly clock: Clock,
  ) {}

  /**
   * For the award, inside its transaction (after the winners are written): computes and
   * writes the payment standards of every item × group of the batch from its winners and
   * rules. `standardBasis` ITEM_HIGHEST gives every group the item's highest award UCP;
   * GROUP_HIGHEST each group its own highest, and a group without winners the item's
   * highest. An item without any winner (流标) sets no standard, so an earlier award for its
   * generic name and dosage form stays in force. Running it again for the batch replaces
   * its rows with the same values. `winners` are the batch's original winners (section 15.3:
   * revived winners take the highest winning price; the standard stays the original winners'),
   * in item, group and rank order: evaluation, which owns them, passes them in.
   * Section 15.6: with rule transition NHSA_2019, the non-selected products of the awarded
   * items' names and forms get their transition schedules; `selectedProductIds` (the batch's
   * winners, revived ones included) must then be given.
   */
  async recordAward(
    manager: EntityManager,
    batchId: number,
    awardedAt: Date,
    winners: readonly AwardedUcp[],
    selectedProductIds?: ReadonlySet<number>,
  ): Promise<PaymentStandard[]> {
    const batch = await findBatch(manager, batchId);
    if (!batch) throw notFound('Batch');
    const rules = batch.rules;
    const groups = Object.keys(rules.groups);
    const items = await itemsOfBatch(manager, batchId);
    const rows: PaymentStandard[] = [];
    for (const item of items) {
      const own = winners.filter((w) => w.itemId === item.id).map((w) => ({ group: w.group, awardUcp: w.awardUcp }));
      if (own.length === 0) continue;
      let prices;
      try {
        prices = standardUnitPrices({ basis: rules.standardBasis, groups, winners: own });
      } catch (e) {
        if (e instanceof ReimbursementRuleError) throw new AppError(422, 'INVALID_PAYMENT_STANDARD', `Item ${item.id}: ${e.message}`);
        throw e;
      }
      for (const group of groups) {
        const standardUnitPrice = prices.byGroup[group];
        if (standardUnitPrice === null) continue;
        rows.push(
          manager.getRepository(PaymentStandard).create({
            batchId,
            itemId: item.id,
            group,
            tiers: rules.groups[group].join(','),
            genericNameNorm: item.genericNameNorm,
            dosageFormNorm: item.dosageFormNorm,
            repStrengthValue: item.repStrengthValue,
            repStrengthUnit: item.repStrengthUnit,
            strengthRatioCoefficient: rules.strengthRatioCoefficient,
            standardUnitPrice,
            basis: rules.standardBasis,
            awardedAt,
          }),
        );
      }
    }
    await manager.getRepository(PaymentStandard).delete({ batchId });
    for (let i = 0; i < rows.length; i += 500) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(PaymentStandard)
        .values(rows.slice(i, i + 500))
        .updateEntity(false)
        .execute();
    }
    const written = await manager.getRepository(PaymentStandard).find({ where: { batchId }, order: { itemId: 'ASC', group: 'ASC' } });
    if (rules.transition === 'NHSA_2019') {
      if (!selectedProductIds) throw new Error('recordAward: rule transition NHSA_2019 needs the selected product ids');
      await this.transitions.recordAward(manager, batch, awardedAt, written, selectedProductIds);
    }
    return written;
  }

  /**
   * GET /payment-standards: the standards in force, i.e. those of the latest award per
   * generic name + dosage form, one row per group; optionally for one name and/or form.
   */
  async list(q: { genericName?: string; dosageForm?: string; limit: number; offset: number }) {
    const where = [IS_LATEST];
    const params: unknown[] = [];
    if (q.genericName !== undefined) {
      where.push('ps.generic_name_norm = ? AND BINARY ps.generic_name_norm = BINARY ?');
      const n = normalizeName(q.genericName);
      params.push(n, n);
    }
    if (q.dosageForm !== undefined) {
      where.push('ps.dosage_form_norm = ? AND BINARY ps.dosage_form_norm = BINARY ?');
      const n = normalizeName(q.dosageForm);
      params.push(n, n);
    }
    const w = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(*) AS total FROM payment_standards ps ${w}`, params);
    const rows = await this.dataSource.query(
      `SELECT ps.item_id AS itemId, ps.batch_id AS batchId,
              ps.group_name AS \`group\`, ps.tiers, ps.standard_unit_price AS standardUnitPrice, ps.basis,
              ps.rep_strength_value AS repValue, ps.rep_strength_unit AS repUnit,
              ps.strength_ratio_coefficient AS strengthRatioCoefficient, ps.awarded_at AS awardedAt
       FROM payment_standards ps
       ${w}
       ORDER BY ps.generic_name_norm, ps.dosage_form_norm, ps.group_name, ps.id
       LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    // The items' display names from their owner, in one query for the page.
    const items = await batchItemsByIds(
      this.dataSource.manager,
      rows.map((r: any) => Number(r.itemId)),
    );
    // Section 15.6: the non-selected products' schedules under these standards, in one query.
    const schedules = await this.transitions.schedulesOfItems(
      this.dataSource.manager,
      rows.map((r: any) => Number(r.itemId)),
      todayOf(this.clock),
    );
    return {
      total: Number(total),
      items: rows.map((r: any) => ({
        itemId: Number(r.itemId),
        batchId: Number(r.batchId),
        genericName: items.get(Number(r.itemId))?.genericName,
        dosageForm: items.get(Number(r.itemId))?.dosageForm,
        group: r.group,
        tiers: String(r.tiers).split(','),
        standardUnitPrice: r.standardUnitPrice,
        basis: r.basis,
        representativeStrength: { value: trimZeros(r.repValue), unit: r.repUnit },
        strengthRatioCoefficient: r.strengthRatioCoefficient,
        awardedAt: new Date(r.awardedAt).toISOString(),
        transitions: schedules.get(`${Number(r.itemId)}:${r.group}`) ?? [],
      })),
    };
  }

  /** GET /catalog/products/:id/payment-standard: a supplier sees only its own products (404 otherwise). */
  async forProduct(viewer: Principal, productId: number, date?: string): Promise<ProductStandard> {
    checkDate(date);
    const product = await findProduct(this.dataSource.manager, productId);
    if (!product || (viewer.role === Role.SUPPLIER && product.supplierId !== viewer.organizationId)) throw notFound('Product');
    return this.standardOf(product, this.dataSource.manager, date);
  }

  /**
   * Section 9: the payment standard per pack of `product`, from the latest award for its
   * generic name and dosage form, selected or not, using the standard of the group its
   * quality tier belongs to in that batch:
   * standard_p = standardUnit × K^log2(strength_p / repStrength) × packSize (2 decimals).
   * 422 NO_PAYMENT_STANDARD when no award covers it (or its strength cannot be compared
   * with the representative strength).
   * Section 15.6: a product with a transition schedule under that award gets the standard of
   * the year in force on `date` (YYYY-MM-DD; default today by the server clock).
   */
  async standardOf(product: Product, manager: EntityManager = this.dataSource.manager, date?: string): Promise<ProductStandard> {
    const rows: PaymentStandard[] = await manager
      .getRepository(PaymentStandard)
      .createQueryBuilder('ps')
      .where(`ps.generic_name_norm = :g AND BINARY ps.generic_name_norm = BINARY :g`, { g: product.genericNameNorm })
      .andWhere(`ps.dosage_form_norm = :f AND BINARY ps.dosage_form_norm = BINARY :f`, { f: product.dosageFormNorm })
      .andWhere(IS_LATEST)
      .orderBy('ps.group_name', 'ASC')
      .getMany();
    const none = (why: string) => unprocessable('NO_PAYMENT_STANDARD', `Product ${product.id} has no payment standard: ${why}`);
    if (rows.length === 0) throw none(`no award covers ${product.genericName} ${product.dosageForm}`);
    const row = rows.find((r) => r.tiers.split(',').includes(product.qualityTier));
    if (!row) throw none(`no group of batch ${rows[0].batchId} holds quality tier ${product.qualityTier}`);
    const ratio = strengthRatio({ value: product.strengthValue, unit: product.strengthUnit }, { value: row.repStrengthValue, unit: row.repStrengthUnit });
    if (ratio === null) {
      throw none(
        `its strength ${trimZeros(product.strengthValue)} ${product.strengthUnit} cannot be compared with ${trimZeros(row.repStrengthValue)} ${row.repStrengthUnit}`,
      );
    }
    let packPrice: string;
    try {
      packPrice = standardPackPrice(row.standardUnitPrice, row.strengthRatioCoefficient, ratio, product.packSize);
    } catch (e) {
      throw ruleErrorToApp(e);
    }
    const transition = await this.transitions.scheduleOf(manager, row.batchId, product.id, date ?? todayOf(this.clock));
    return {
      productId: product.id,
      standardPackPrice: transition ? transition.standardPackPrice : packPrice,
      standardUnitPrice: transition ? transition.standardUnitPrice : row.standardUnitPrice,
      batchId: row.batchId,
      itemId: row.itemId,
      group: row.group,
      basis: row.basis,
      transition,
    };
  }
}
