import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound, unprocessable, validationFailed, Dec } from '@jicai/common';
import { findProduct, type Product } from '@jicai/catalog';
import { AwardPrices } from './award-prices';
import { QuoteDto } from './dto/reimbursement.dto';
import { checkDate, PaymentStandardsService, ruleErrorToApp } from './payment-standards.service';
import { claimQuote, zeroMarkupViolation } from './reimbursement.rules';

export interface QuoteAnswer {
  total: string;
  standardPackPrice: string;
  eligible: string;
  selfPaidExcess: string;
  fundPays: string;
  patientPays: string;
}

/**
 * Products kept by id, read once per process: what the quote reads of a product (name, form, strength, pack, tier) never
 * changes once registered; the one field PATCH may change, the listed pack price (15.6), is not read here.
 */
const PRODUCT_CACHE_MAX = 50_000;

/** Claim quotes (domain.md section 9). */
@Injectable()
export class ReimbursementService {
  private readonly products = new Map<number, Product>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly standards: PaymentStandardsService,
    private readonly awardPrices: AwardPrices,
  ) {}

  /** The product (immutable: cached in this process), or null; an unknown id is not cached (it may be registered later). */
  private async product(id: number): Promise<Product | null> {
    const cached = this.products.get(id);
    if (cached) return cached;
    const product = await findProduct(this.dataSource.manager, id);
    if (product) {
      if (this.products.size >= PRODUCT_CACHE_MAX) this.products.clear();
      this.products.set(id, product);
    }
    return product;
  }

  /**
   * POST /reimbursement/quote. 400 for a price of 0, a ratio outside [0, 1]; 404 unknown product;
   * 422 NO_PAYMENT_STANDARD; 422 ZERO_MARKUP_VIOLATION when the product is selected — the
   * product of a winner in a batch in force — and sold above its award price. `date`
   * (YYYY-MM-DD, default today) picks the year of a 15.6 transition schedule.
   */
  async quote(dto: QuoteDto): Promise<QuoteAnswer> {
    if (!new Dec(dto.packPrice).gt(0)) throw validationFailed('Invalid packPrice', [{ field: 'packPrice', message: 'packPrice must be greater than 0' }]);
    const r = new Dec(dto.reimbursementRatio);
    if (r.lt(0) || r.gt(1))
      throw validationFailed('Invalid reimbursementRatio', [{ field: 'reimbursementRatio', message: 'reimbursementRatio must be between 0 and 1' }]);
    checkDate(dto.date);

    const product = await this.product(dto.productId);
    if (!product) throw notFound('Product');
    // The standard and the award in force change with awards and batch states: read each time, both at once.
    const [standard, award] = await Promise.all([
      // Section 15.6: the standard in force on the claim's date (default today by the server clock).
      this.standards.standardOf(product, this.dataSource.manager, dto.date),
      // Section 9 (zero markup): the award price in force; should the product be selected in
      // several batches in force, the latest award is the one that applies (evaluation's winners).
      this.awardPrices.awardInForceOfProduct(this.dataSource.manager, product.id),
    ]);
    try {
      if (zeroMarkupViolation(award !== null, dto.packPrice, award?.awardPrice ?? null) && award) {
        throw unprocessable(
          'ZERO_MARKUP_VIOLATION',
          `Product ${product.id} is selected at ${award.awardPrice} per pack (batch ${award.batchId}); it may not be sold above it`,
          [{ field: 'packPrice', message: `above the award price ${award.awardPrice}` }],
        );
      }
      const q = claimQuote({
        packPrice: dto.packPrice,
        packs: dto.packs,
        standardPackPrice: standard.standardPackPrice,
        reimbursementRatio: dto.reimbursementRatio,
      });
      return {
        total: q.total,
        standardPackPrice: standard.standardPackPrice,
        eligible: q.eligible,
        selfPaidExcess: q.selfPaidExcess,
        fundPays: q.fundPays,
        patientPays: q.patientPays,
      };
    } catch (e) {
      throw ruleErrorToApp(e);
    }
  }
}
