import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import { DeliveryStatus } from '../delivery.entity';
import { PaymentStatus } from '../payment-instruction.entity';
import { SettlementRunStatus, SettlementTrigger } from '../settlement-run.entity';
import type { DeliveryNames, DeliveryView } from '../deliveries.service';
import type { InstructionView, OverdueReportRow } from '../payments.service';

export class DeliveryDto implements DeliveryView, DeliveryNames {
  @ApiInt() id!: number;
  @ApiInt() agreementId!: number;
  @ApiInt({ nullable: true, description: 'the purchase order line delivered against' }) orderId!: number | null;
  @ApiInt() batchId!: number;
  @ApiInt() hospitalId!: number;
  @ApiInt() supplierId!: number;
  @ApiInt({ example: 100 }) packs!: number;
  @ApiProperty({ example: 'L20270115' }) lotNumber!: string;
  @ApiDateTime({ nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ enum: DeliveryStatus }) status!: DeliveryStatus;
  @ApiInt({ nullable: true }) acceptedPacks!: number | null;
  @ApiDateTime({ nullable: true }) acceptedAt!: string | null;
  @ApiMoney('333.00', { nullable: true }) acceptedAmount!: string | null;
  @ApiDateTime({ nullable: true, description: 'payment due (acceptance + settlement days)' }) dueDate!: string | null;
  @ApiInt({ nullable: true }) settlementRunId!: number | null;
  @ApiDateTime({ nullable: true }) createdAt!: string | null;
  @ApiPropertyOptional({ example: '市第一人民医院', description: 'in lists' }) hospitalName?: string;
  @ApiPropertyOptional({ example: '甲药业', description: 'in lists' }) supplierName?: string;
}

export class InstructionLineDto {
  @ApiInt() deliveryId!: number;
  @ApiMoney('333.00') amount!: string;
  @ApiMoney('300.00') fromPrepayment!: string;
  @ApiMoney('33.00') fromHospital!: string;
}

/** A payment instruction (支付指令). */
export class PaymentInstructionDto implements InstructionView {
  @ApiInt() id!: number;
  @ApiInt() runId!: number;
  @ApiInt() hospitalId!: number;
  @ApiProperty({ example: '市第一人民医院' }) hospitalName!: string;
  @ApiInt() supplierId!: number;
  @ApiProperty({ example: '甲药业' }) supplierName!: string;
  @ApiMoney('333.00') amount!: string;
  @ApiMoney('300.00') fromPrepayment!: string;
  @ApiMoney('33.00') fromHospital!: string;
  @ApiDateTime() dueDate!: string;
  @ApiProperty({ enum: PaymentStatus }) status!: PaymentStatus;
  @ApiDateTime({ nullable: true }) paidAt!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiInt({ example: 0, description: 'days past the due date until payment or now (a started day counts whole); 0 if none' }) daysOverdue!: number;
  @ApiDateTime() createdAt!: string;
  @ApiProperty({ type: [InstructionLineDto] }) lines!: InstructionLineDto[];
}

export class RunAcceptedDto {
  @ApiInt() runId!: number;
  @ApiProperty({ description: 'poll GET /jobs/:jobId', example: 'settlement:run-7' }) jobId!: string;
}

export class RunProgressDto {
  @ApiInt() hospitalsTotal!: number;
  @ApiInt() hospitalsDone!: number;
}

export class RunTotalsDto {
  @ApiMoney('333.00') amount!: string;
  @ApiMoney('300.00') fromPrepayment!: string;
  @ApiMoney('33.00') fromHospital!: string;
}

/** A settlement run in a list. */
export class SettlementRunDto {
  @ApiInt() id!: number;
  @ApiDateTime() cutoff!: string;
  @ApiProperty({ enum: SettlementRunStatus }) status!: SettlementRunStatus;
  @ApiProperty({ enum: SettlementTrigger }) trigger!: SettlementTrigger;
  @ApiProperty({ type: 'string', nullable: true, example: '2027-03' }) periodKey!: string | null;
  @ApiProperty({ example: 'settlement:run-7' }) jobId!: string;
  @ApiProperty({ type: 'string', nullable: true }) failedReason!: string | null;
  @ApiDateTime({ nullable: true }) createdAt!: string | null;
  @ApiDateTime({ nullable: true }) startedAt!: string | null;
  @ApiDateTime({ nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: RunProgressDto }) progress!: RunProgressDto;
  @ApiProperty({ type: RunTotalsDto }) totals!: RunTotalsDto;
}

/** GET /settlements/runs/:id: the run with a page of its instructions. */
export class SettlementRunViewDto extends SettlementRunDto {
  @ApiProperty({ type: [PaymentInstructionDto] }) instructions!: PaymentInstructionDto[];
  @ApiInt({ description: 'all instructions of the run' }) instructionsTotal!: number;
}

/** GET /payments/overdue-report: a row per hospital (by=hospital) or per supplier (by=supplier). */
export class OverdueReportRowDto implements OverdueReportRow {
  @ApiInt({ required: false, description: 'set when by=hospital' }) hospitalId?: number;
  @ApiInt({ required: false, description: 'set when by=supplier' }) supplierId?: number;
  @ApiProperty({ example: '第一医院', description: 'the hospital’s or the supplier’s name, as `by` says' }) name!: string;
  @ApiInt({ description: 'instructions overdue now' }) overdueCount!: number;
  @ApiMoney('333.00') overdueAmount!: string;
  @ApiInt({ description: 'days the oldest overdue instruction is past its due date' }) maxDaysOverdue!: number;
  @ApiInt({ description: 'instructions paid after their due date' }) paidLateCount!: number;
  @ApiMoney('3.5', { nullable: true, description: 'average days late of the instructions paid late; null when none' }) averageDaysLate!: string | null;
}
