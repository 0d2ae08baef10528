import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import { AgreementStatus } from '../agreement.entity';
import type { AgreementNames, AgreementView, BulkConfirmResult, UnallocatedView, WinnerSummaryView } from '../agreements.service';
import type { DemandView } from '../demand.service';
import type { PreferenceView } from '../preferences.service';

export class AgreementDto implements AgreementView, AgreementNames {
  @ApiInt() id!: number;
  @ApiInt() batchId!: number;
  @ApiInt() hospitalId!: number;
  @ApiInt() supplierId!: number;
  @ApiInt() bidId!: number;
  @ApiInt() productId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt({ example: 15001, description: 'measure units per year' }) units!: number;
  @ApiMoney('3.33', { description: 'award pack price' }) awardPrice!: string;
  @ApiMoney('0.1189') unitComparablePrice!: string;
  @ApiMoney('1783.62', { description: 'yearly amount' }) amount!: string;
  @ApiProperty({ enum: AgreementStatus }) status!: AgreementStatus;
  @ApiDateTime({ nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ description: 'confirmed by an admin after the deadline' }) forced!: boolean;
  @ApiInt({ nullable: true, example: 24, description: 'domain.md 15.7: the term in months' }) termMonths!: number | null;
  @ApiDateTime({ nullable: true, description: 'agreementStart + term' }) endsAt!: string | null;
  @ApiPropertyOptional({ example: '市第一人民医院', description: 'in lists' }) hospitalName?: string;
  @ApiPropertyOptional({ example: '甲药业', description: 'in lists' }) supplierName?: string;
  @ApiPropertyOptional({ example: '左氨氯地平', description: "the product's generic name, in lists" }) productName?: string;
  @ApiPropertyOptional({ example: '片剂 2.5mg×28片', description: 'dosage form, strength × pack, in lists' }) productSpec?: string;
}

export class UnallocatedDto implements UnallocatedView {
  @ApiInt() hospitalId!: number;
  @ApiProperty({ example: '市第一人民医院' }) hospitalName!: string;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt() units!: number;
}

export class ConfirmOverdueDto {
  @ApiInt() batchId!: number;
  @ApiInt({ description: 'agreements confirmed now' }) confirmed!: number;
  @ApiDateTime() confirmedAt!: string;
}

/** POST /batches/:id/agreements/confirm. */
export class BulkConfirmResultDto implements BulkConfirmResult {
  @ApiInt() batchId!: number;
  @ApiInt() hospitalId!: number;
  @ApiInt({ description: 'confirmed by this request' }) confirmed!: number;
  @ApiInt({ description: 'already confirmed before (the request is idempotent)' }) alreadyConfirmed!: number;
  @ApiDateTime() confirmedAt!: string;
}

export class DemandDto implements DemandView {
  @ApiInt() hospitalId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt({ example: 15001, description: 'annual demand in measure units' }) quantity!: number;
}

export class PreferenceDto implements PreferenceView {
  @ApiInt() id!: number;
  @ApiInt() batchId!: number;
  @ApiInt() itemId!: number;
  @ApiInt() hospitalId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiProperty({ type: 'integer', isArray: true, example: [12, 10] }) winnerBidIds!: number[];
  @ApiDateTime() updatedAt!: string;
}

/** GET /batches/:id/agreements/by-winner: one winning bid's agreements, summed. */
export class WinnerSummaryDto implements WinnerSummaryView {
  @ApiInt() bidId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: '左氨氯地平' }) genericName!: string;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt() supplierId!: number;
  @ApiProperty({ example: '甲药业' }) supplierName!: string;
  @ApiInt() productId!: number;
  @ApiProperty({ example: '左氨氯地平' }) productName!: string;
  @ApiProperty({ example: '片剂 2.5mg×28片' }) productSpec!: string;
  @ApiMoney('3.33', { description: 'award pack price' }) awardPrice!: string;
  @ApiMoney('0.1189', { description: 'award UCP' }) unitComparablePrice!: string;
  @ApiInt({ description: 'hospitals with an agreement with this winner' }) hospitals!: number;
  @ApiInt() agreements!: number;
  @ApiInt({ description: 'measure units per year, all agreements' }) units!: number;
  @ApiMoney('1783.62', { description: "sum of the agreements' yearly amounts" }) amount!: string;
  @ApiInt({ description: 'agreements confirmed' }) confirmed!: number;
  @ApiInt({ description: 'agreements awaiting confirmation' }) pending!: number;
  @ApiInt() confirmedUnits!: number;
  @ApiMoney('1783.62') confirmedAmount!: string;
}
