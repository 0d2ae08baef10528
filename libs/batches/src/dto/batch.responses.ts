import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import { BatchStatus, DOSAGE_FORM_CLASSES, DosageFormClass } from '../batch-rules.rules';
import type { batchView, itemView } from '../batches.service';

export class StrengthViewDto {
  @ApiMoney('2.5', { description: 'decimal string' }) value!: string;
  @ApiProperty({ example: 'mg' }) unit!: string;
}

export class BatchItemDto implements ReturnType<typeof itemView> {
  @ApiInt() id!: number;
  @ApiInt() batchId!: number;
  @ApiProperty({ example: '苯磺酸左氨氯地平' }) genericName!: string;
  @ApiProperty({ example: '片剂' }) dosageForm!: string;
  @ApiProperty({ type: StrengthViewDto }) representativeStrength!: StrengthViewDto;
  @ApiMoney('0.5446', { description: 'ceiling unit comparable price, 4 decimals' }) ceilingUnitPrice!: string;
  @ApiProperty({ enum: DOSAGE_FORM_CLASSES, description: 'dosage-form class (domain.md 15.2)' }) dosageFormClass!: DosageFormClass;
}

/** `rules` is the stored rules object (domain.md 13), documented as an open object. */
export class BatchDto implements Omit<ReturnType<typeof batchView>, 'rules' | 'items'> {
  @ApiInt() id!: number;
  @ApiProperty({ example: 'GY-2027-01' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: BatchStatus }) status!: BatchStatus;
  @ApiDateTime({ nullable: true }) biddingOpensAt!: string | null;
  @ApiDateTime({ nullable: true }) biddingClosesAt!: string | null;
  @ApiDateTime({ nullable: true }) openingAt!: string | null;
  @ApiDateTime({ nullable: true }) agreementStart!: string | null;
  @ApiInt({ example: 24 }) agreementMonths!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the rules of domain.md section 13, defaults filled in' }) rules!: object;
  @ApiProperty() integrityAlarm!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) integrityAlarmReason!: string | null;
  @ApiDateTime({ nullable: true }) publishedAt!: string | null;
  @ApiDateTime({ nullable: true }) openedAt!: string | null;
  @ApiDateTime({ nullable: true }) evaluatedAt!: string | null;
  @ApiDateTime({ nullable: true }) awardedAt!: string | null;
  @ApiDateTime({ nullable: true }) allocatedAt!: string | null;
  @ApiDateTime({ nullable: true }) confirmationDeadline!: string | null;
  @ApiDateTime({ nullable: true }) activatedAt!: string | null;
  @ApiDateTime({ nullable: true }) createdAt!: string | null;
  @ApiPropertyOptional({ type: [BatchItemDto] }) items?: BatchItemDto[];
}
