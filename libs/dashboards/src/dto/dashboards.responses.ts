import { ApiProperty } from '@nestjs/swagger';
import { ApiDate, ApiInt, ApiMoney } from '@jicai/common';

const LEVELS = ['PRIMARY', 'SECONDARY', 'TERTIARY'];

/** A batch's funnel: items → items with opened bids → items with winners; no-bid items. */
export class FunnelDto {
  @ApiInt() batchId!: number;
  @ApiProperty({ example: 'AWARDED' }) status!: string;
  @ApiInt() items!: number;
  @ApiInt({ description: 'items with at least one opened bid (0 before opening: sealed bids are never counted)' }) itemsWithBids!: number;
  @ApiInt({ description: 'opened bids (0 before opening)' }) bids!: number;
  @ApiInt() itemsWithWinners!: number;
  @ApiInt() winners!: number;
  @ApiInt({ description: 'items without any opened bid' }) noBidItems!: number;
  @ApiProperty({ description: 'false before the opening: bid counts are then 0 by rule, not by absence' }) opened!: boolean;
}

/** One item: ceiling against the award UCPs, the cut of the lowest. */
export class PriceCutDto {
  @ApiInt() itemId!: number;
  @ApiProperty({ example: '氨氯地平' }) genericName!: string;
  @ApiProperty({ example: '片剂' }) dosageForm!: string;
  @ApiMoney('0.5000') ceilingUnitPrice!: string;
  @ApiInt() bids!: number;
  @ApiInt() winners!: number;
  @ApiMoney('0.1000', { nullable: true }) lowestAwardUnitPrice!: string | null;
  @ApiMoney('0.2000', { nullable: true }) highestAwardUnitPrice!: string | null;
  @ApiMoney('0.8000', { nullable: true, description: '1 − lowest ÷ ceiling, 4 decimals half-up; null without winners' }) cut!: string | null;
}

/** Agreed volume of one winning supplier in a batch. */
export class WinnerVolumeDto {
  @ApiInt() supplierId!: number;
  @ApiProperty({ example: '某制药有限公司' }) supplierName!: string;
  @ApiInt() agreements!: number;
  @ApiInt({ description: 'agreed measure units per year' }) units!: number;
  @ApiMoney('1000.00') amount!: string;
  @ApiMoney('1000.00', { description: 'of confirmed agreements' }) confirmedAmount!: string;
}

class ProgressTotalsDto {
  @ApiInt() hospitals!: number;
  @ApiInt() behindHospitals!: number;
  @ApiInt() agreedUnits!: number;
  @ApiInt() acceptedUnits!: number;
  @ApiMoney('0.4500', { nullable: true, description: 'accepted ÷ agreed on the sums, 4 decimals half-up' }) completion!: string | null;
  @ApiMoney('0.5000', { nullable: true, description: 'the expected completion of the year at the last recompute' }) expectedCompletion!: string | null;
}

export class ItemProgressDto extends ProgressTotalsDto {
  @ApiInt() itemId!: number;
  @ApiProperty({ example: '氨氯地平' }) genericName!: string;
}

export class LevelProgressDto extends ProgressTotalsDto {
  @ApiProperty({ enum: LEVELS, nullable: true }) level!: string | null;
}

export class BehindHospitalDto {
  @ApiInt() hospitalId!: number;
  @ApiProperty({ example: '某某医院' }) hospitalName!: string;
  @ApiProperty({ enum: LEVELS, nullable: true }) level!: string | null;
  @ApiInt({ description: 'item × group rows of the year' }) rows!: number;
  @ApiInt() behindRows!: number;
  @ApiInt() agreedUnits!: number;
  @ApiInt() acceptedUnits!: number;
  @ApiMoney('0.0560', { nullable: true }) completion!: string | null;
  @ApiMoney('0.1877', { nullable: true }) expectedCompletion!: string | null;
}

export class SupplierMonthDto {
  @ApiProperty({ example: '2027-03', description: 'YYYY-MM (UTC)' }) month!: string;
  @ApiInt({ description: 'orders placed (refused and cancelled left out)' }) orders!: number;
  @ApiInt() orderedPacks!: number;
  @ApiInt({ description: 'by deliveredAt' }) deliveries!: number;
  @ApiInt() deliveredPacks!: number;
  @ApiMoney('997.00', { description: 'accepted amount by acceptedAt' }) acceptedAmount!: string;
  @ApiInt({ description: 'payment instructions marked paid, by paidAt' }) payments!: number;
  @ApiMoney('997.00') paidAmount!: string;
}

export class SupplierDashboardDto {
  @ApiInt() supplierId!: number;
  @ApiInt({ nullable: true }) batchId!: number | null;
  @ApiInt() agreements!: number;
  @ApiInt({ description: 'agreed measure units per year' }) agreedUnits!: number;
  @ApiMoney('3000.00') agreedAmount!: string;
  @ApiMoney('3000.00') confirmedAmount!: string;
  @ApiProperty({ type: [SupplierMonthDto] }) months!: SupplierMonthDto[];
  @ApiProperty({ type: SupplierMonthDto, description: 'the sums of the months (month: "total")' }) totals!: SupplierMonthDto;
}

export class HospitalItemDto {
  @ApiInt() itemId!: number;
  @ApiProperty({ example: '氨氯地平' }) genericName!: string;
  @ApiInt() agreedUnits!: number;
  @ApiInt() acceptedUnits!: number;
  @ApiMoney('0.9786', { nullable: true }) completion!: string | null;
  @ApiMoney('0.1877', { nullable: true }) expectedCompletion!: string | null;
  @ApiProperty({ description: 'some group of the item is flagged BEHIND' }) behind!: boolean;
}

export class HospitalDashboardDto {
  @ApiInt() batchId!: number;
  @ApiInt() hospitalId!: number;
  @ApiInt() year!: number;
  @ApiInt() agreedUnits!: number;
  @ApiInt() acceptedUnits!: number;
  @ApiMoney('0.9786', { nullable: true }) completion!: string | null;
  @ApiMoney('0.1877', { nullable: true, description: 'the expected line: the elapsed share of the agreement year at the last recompute' })
  expectedCompletion!: string | null;
  @ApiProperty({ type: [HospitalItemDto] }) items!: HospitalItemDto[];
}

export class FundMonthDto {
  @ApiProperty({ example: '2027-03' }) month!: string;
  @ApiMoney('5000.00', { description: 'prepayments disbursed (by disbursedAt)' }) disbursed!: string;
  @ApiMoney('0.00', { description: 'prepaid balances recovered (by recoveredAt)' }) recovered!: string;
  @ApiMoney('997.00', { description: 'settled by settlement runs (payment instructions by createdAt)' }) settled!: string;
  @ApiMoney('997.00') fromPrepayment!: string;
  @ApiMoney('0.00') fromHospital!: string;
}

export class FundPrepaidSettledDto {
  @ApiProperty({ type: [FundMonthDto] }) months!: FundMonthDto[];
  @ApiProperty({ type: FundMonthDto, description: 'the sums (month: "total")' }) totals!: FundMonthDto;
}

export class PaymentsWeekDto {
  @ApiDate({ description: 'the Monday of the week the instructions fall due in' }) week!: string;
  @ApiInt() instructions!: number;
  @ApiMoney('997.00') due!: string;
  @ApiMoney('0.00') paidOnTime!: string;
  @ApiMoney('0.00') paidLate!: string;
  @ApiMoney('997.00', { description: 'unpaid and past due' }) overdue!: string;
  @ApiMoney('0.00', { description: 'unpaid, not yet due' }) pending!: string;
}

export class PaymentsByWeekDto {
  @ApiProperty({ type: [PaymentsWeekDto] }) weeks!: PaymentsWeekDto[];
  @ApiProperty({ type: PaymentsWeekDto, description: 'the sums (week: the first week)' }) totals!: PaymentsWeekDto;
}
