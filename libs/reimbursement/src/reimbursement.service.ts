import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound, unprocessable, validationFailed, Dec } from '@jicai/common';
import { Product } from '@jicai/catalog';
import { QuoteDto } from './dto/reimbursement.dto';
import { PaymentStandardsService, ruleErrorToApp } from './payment-standards.service';
import { claimQuote, zeroMarkupViolation } from './reimbursement.rules';

export interface QuoteAnswer {
  total: string;
  standardPackPrice: string;
  eligible: string;
  selfPaidExcess: string;
  fundPays: string;
  patientPays: string;
}

/** Claim quotes (domain.md section 9). */
@Injectable()
export class ReimbursementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly standards: PaymentStandardsService,
  ) {}

  /**
   * POST /reimbursement/quote. 400 for a price of 0, a ratio outside [0, 1]; 404 unknown product;
   * 422 NO_PAYMENT_STANDARD; 422 ZERO_MARKUP_VIOLATION when the product is selected — the
   * product of a winner in a batch in force — and sold above its award price.
   */
  async quote(dto: QuoteDto): Promise<QuoteAnswer> {
    if (!new Dec(dto.packPrice).gt(0)) throw validationFailed('Invalid packPrice', [{ field: 'packPrice', message: 'packPrice must be greater than 0' }]);
    const r = new Dec(dto.reimbursementRatio);
    if (r.lt(0) || r.gt(1))
      throw validationFailed('Invalid reimbursementRatio', [{ field: 'reimbursementRatio', message: 'reimbursementRatio must be between 0 and 1' }]);

    const product = await this.dataSource.getRepository(Product).findOneBy({ id: dto.productId });
    if (!product) throw notFound('Product');
    const standard = await this.standards.standardOf(product);

    // Section 9 (zero markup): the award price in force; should the product be selected in
    // several batches in force, the latest award is the one that applies.
    const [award] = await this.dataSource.query(
      `SELECT w.award_price AS awardPrice, w.batch_id AS batchId FROM winners w JOIN batches b ON b.id = w.batch_id
       WHERE w.product_id = ? AND b.status = 'IN_FORCE' ORDER BY w.awarded_at DESC, w.batch_id DESC LIMIT 1`,
      [product.id],
    );
    try {
      if (zeroMarkupViolation(award !== undefined, dto.packPrice, award?.awardPrice ?? null)) {
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
