import { ApiProperty } from '@nestjs/swagger';
import { ApiDate, ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import type { ProductStandard } from '../payment-standards.service';
import type { ProductTransitionView, TransitionYearView } from '../transition-standards.service';
import { TRANSITION_REASONS } from '../transition.rules';
import type { QuoteAnswer } from '../reimbursement.service';

export class StandardStrengthDto {
  @ApiMoney('2.5', { description: 'decimal string' }) value!: string;
  @ApiProperty({ example: 'mg' }) unit!: string;
}

/** One year of a transition schedule (domain.md 15.6). */
export class TransitionYearDto implements TransitionYearView {
  @ApiInt({ example: 1 }) year!: number;
  @ApiDate({ description: 'first day the year applies (UTC date)' }) from!: string;
  @ApiDate({ nullable: true, description: 'last day it applies, inclusive; null for the last year, which has no end' }) to!: string | null;
  @ApiMoney('0.4900', { description: 'per measure unit, 4 decimals' }) standardUnitPrice!: string;
  @ApiMoney('6.86', { description: 'per pack of the product, 2 decimals' }) standardPackPrice!: string;
}

/** A non-selected product's payment standard under rule transition NHSA_2019 (domain.md 15.6). */
export class ProductTransitionDto implements ProductTransitionView {
  @ApiInt() productId!: number;
  @ApiProperty({
    enum: TRANSITION_REASONS,
    description: 'ABOVE_TWICE: stepped schedule; WITHIN_TWICE, GENERIC_TIER, NO_LISTED_PRICE: the selected standard at once',
  })
  reason!: ProductTransitionView['reason'];
  @ApiMoney('9.80', { nullable: true, description: 'the listed pack price (挂网价) at award' }) listedPackPrice!: string | null;
  @ApiMoney('0.7000', { nullable: true, description: 'its UCP from the listed price, 4 decimals' }) currentUnitPrice!: string | null;
  @ApiMoney('0.1500', { description: 'the selected standard per measure unit of its group' }) selectedUnitPrice!: string;
  @ApiInt({ example: 1, description: 'the year in force on the date asked for (default today)' }) yearInForce!: number;
  @ApiMoney('0.4900', { description: 'per measure unit in that year' }) standardUnitPrice!: string;
  @ApiMoney('6.86', { description: 'per pack in that year' }) standardPackPrice!: string;
  @ApiProperty({ type: [TransitionYearDto] }) schedule!: TransitionYearDto[];
}

export class PaymentStandardDto {
  @ApiInt() itemId!: number;
  @ApiInt() batchId!: number;
  @ApiProperty() genericName!: string;
  @ApiProperty() dosageForm!: string;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiProperty({ type: [String], example: ['CONSISTENCY_PASSED', 'REFERENCE'] }) tiers!: string[];
  @ApiMoney('0.1189', { description: 'per measure unit, 4 decimals' }) standardUnitPrice!: string;
  @ApiProperty({ enum: ['ITEM_HIGHEST', 'GROUP_HIGHEST'] }) basis!: string;
  @ApiProperty({ type: StandardStrengthDto }) representativeStrength!: StandardStrengthDto;
  @ApiMoney('1.7', { description: 'K of domain.md section 4' }) strengthRatioCoefficient!: string;
  @ApiDateTime() awardedAt!: string;
  @ApiProperty({
    type: [ProductTransitionDto],
    description: 'domain.md 15.6: the schedules of the non-selected products of this item × group (empty unless rule transition NHSA_2019)',
  })
  transitions!: ProductTransitionDto[];
}

export class ProductStandardDto implements ProductStandard {
  @ApiInt() productId!: number;
  @ApiMoney('3.33', { description: 'per pack of this product, 2 decimals' }) standardPackPrice!: string;
  @ApiMoney('0.1189', { description: 'per measure unit of the item, 4 decimals' }) standardUnitPrice!: string;
  @ApiInt() batchId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiProperty({ enum: ['ITEM_HIGHEST', 'GROUP_HIGHEST'] }) basis!: string;
  @ApiProperty({
    type: ProductTransitionDto,
    nullable: true,
    description: 'domain.md 15.6: its transition schedule, or null; the prices above are then its year in force on the date',
  })
  transition!: ProductTransitionDto | null;
}

export class QuoteAnswerDto implements QuoteAnswer {
  @ApiMoney('33.30') total!: string;
  @ApiMoney('3.33') standardPackPrice!: string;
  @ApiMoney('33.30') eligible!: string;
  @ApiMoney('0.00') selfPaidExcess!: string;
  @ApiMoney('23.31') fundPays!: string;
  @ApiMoney('9.99') patientPays!: string;
}
