import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import type { ProductStandard } from '../payment-standards.service';
import type { QuoteAnswer } from '../reimbursement.service';

export class StandardStrengthDto {
  @ApiMoney('2.5', { description: 'decimal string' }) value!: string;
  @ApiProperty({ example: 'mg' }) unit!: string;
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
}

export class ProductStandardDto implements ProductStandard {
  @ApiInt() productId!: number;
  @ApiMoney('3.33', { description: 'per pack of this product, 2 decimals' }) standardPackPrice!: string;
  @ApiMoney('0.1189', { description: 'per measure unit of the item, 4 decimals' }) standardUnitPrice!: string;
  @ApiInt() batchId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiProperty({ enum: ['ITEM_HIGHEST', 'GROUP_HIGHEST'] }) basis!: string;
}

export class QuoteAnswerDto implements QuoteAnswer {
  @ApiMoney('33.30') total!: string;
  @ApiMoney('3.33') standardPackPrice!: string;
  @ApiMoney('33.30') eligible!: string;
  @ApiMoney('0.00') selfPaidExcess!: string;
  @ApiMoney('23.31') fundPays!: string;
  @ApiMoney('9.99') patientPays!: string;
}
