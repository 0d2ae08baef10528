import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import type { SupplierPerformanceView } from '@jicai/orders';
import { ProgressFlag } from '../progress.rules';
import type { ProgressView } from '../progress.service';
import type { RetentionView } from '../retention.service';

/** A progress row (执行进度): hospital × item × group, or, with supplierId, one agreement. */
export class ProgressDto implements ProgressView {
  @ApiInt() batchId!: number;
  @ApiInt({ description: 'agreement year, 1-based' }) year!: number;
  @ApiInt() hospitalId!: number;
  @ApiProperty({ example: '第一医院' }) hospitalName!: string;
  @ApiProperty({ example: '甲药业', nullable: true, type: String, description: 'set on a supplier’s rows; null on hospital × item × group rows' })
  supplierName!: string | null;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'A' }) group!: string;
  @ApiInt({ nullable: true, description: 'set on a supplier’s rows (one agreement each); null on hospital × item × group rows' }) supplierId!: number | null;
  @ApiInt({ nullable: true }) agreementId!: number | null;
  @ApiInt() agreedUnits!: number;
  @ApiInt() orderedUnits!: number;
  @ApiInt() deliveredUnits!: number;
  @ApiInt() acceptedUnits!: number;
  @ApiMoney('0.4500', { nullable: true, description: 'accepted / agreed units; null without agreed units' }) completion!: string | null;
  @ApiMoney('0.5000') expectedCompletion!: string;
  @ApiInt({ nullable: true, description: 'null on agreement rows' }) nonSelectedUnits!: number | null;
  @ApiMoney('0.1000', { nullable: true, description: 'null on agreement rows' }) nonSelectedShare!: string | null;
  @ApiProperty({ enum: ProgressFlag, isArray: true }) flags!: ProgressFlag[];
  @ApiDateTime() computedAt!: string;
}

/** PUT /batches/:id/progress/non-selected. */
export class NonSelectedPurchaseResultDto {
  @ApiInt() batchId!: number;
  @ApiInt() year!: number;
  @ApiInt() hospitalId!: number;
  @ApiInt() itemId!: number;
  @ApiInt() units!: number;
  @ApiDateTime() updatedAt!: string;
}

/** An item's baseline UCP (the pre-round average purchase price per measure unit). */
export class BaselineResultDto {
  @ApiInt() batchId!: number;
  @ApiInt() itemId!: number;
  @ApiMoney('0.2345') baselineUnitPrice!: string;
  @ApiDateTime() updatedAt!: string;
}

/** PUT /batches/:id/assessment-scores. */
export class AssessmentScoreResultDto {
  @ApiInt() batchId!: number;
  @ApiInt() year!: number;
  @ApiInt() hospitalId!: number;
  @ApiMoney('75.5') score!: string;
  @ApiDateTime() updatedAt!: string;
}

/** Savings retention (结余留用) of a hospital in an agreement year. */
export class RetentionDto implements RetentionView {
  @ApiInt() batchId!: number;
  @ApiInt() year!: number;
  @ApiInt() hospitalId!: number;
  @ApiProperty({ example: '第一医院' }) hospitalName!: string;
  @ApiMoney('1234.56') savings!: string;
  @ApiMoney('75.5000', { nullable: true }) score!: string | null;
  @ApiMoney('0.5000', { nullable: true }) share!: string | null;
  @ApiMoney('617.28', { nullable: true }) retained!: string | null;
  @ApiProperty({ enum: ['PROVISIONAL', 'FIXED'] }) status!: 'PROVISIONAL' | 'FIXED';
  @ApiDateTime() computedAt!: string;
  @ApiDateTime({ nullable: true }) fixedAt!: string | null;
}

export class RetentionTotalsDto {
  @ApiMoney('1234.56') savings!: string;
  @ApiMoney('617.28') retained!: string;
}

/** GET /batches/:id/retention: a page of rows and the totals of every matching row. */
export class RetentionPageDto {
  @ApiProperty({ type: [RetentionDto] }) items!: RetentionDto[];
  @ApiInt() total!: number;
  @ApiProperty({ type: RetentionTotalsDto }) totals!: RetentionTotalsDto;
}

/** GET /batches/:id/progress/suppliers: a supplier's punctuality on the batch's orders. */
export class SupplierPerformanceDto implements SupplierPerformanceView {
  @ApiInt() supplierId!: number;
  @ApiProperty({ example: '甲药业' }) supplierName!: string;
  @ApiInt({ description: 'orders placed, cancelled ones left out' }) orders!: number;
  @ApiInt() confirmed!: number;
  @ApiInt() confirmedInTime!: number;
  @ApiInt() refused!: number;
  @ApiInt() refusedInTime!: number;
  @ApiInt() refusedStockOut!: number;
  @ApiInt({ description: 'still PLACED past the deadline' }) unansweredLate!: number;
  @ApiInt() confirmedPacks!: number;
  @ApiInt() deliveredPacks!: number;
  @ApiMoney('0.9500', { nullable: true }) fillRate!: string | null;
  @ApiMoney('2.5', { nullable: true }) averageDaysToFirstDelivery!: string | null;
}
