import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { KeysetListQueryDto, ListQueryDto } from '@jicai/common';
import { DeliveryStatus } from '../delivery.entity';
import { PaymentStatus } from '../payment-instruction.entity';
import { SettlementRunStatus } from '../settlement-run.entity';

const INT_MAX = 2_147_483_647;

export class CreateDeliveryDto {
  @ApiProperty({ type: 'integer' }) @IsInt() @Min(1) @Max(INT_MAX) agreementId!: number;
  @ApiPropertyOptional({ type: 'integer', description: "the purchase order line delivered against (required where the batch's rule ordersRequired is true)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT_MAX)
  orderId?: number;
  @ApiProperty({ type: 'integer', description: 'packs delivered, integer > 0' }) @IsInt() @Min(1) @Max(INT_MAX) packs!: number;
  @ApiProperty({ example: 'L20270301' })
  @IsString()
  @IsNotEmpty()
  @Matches(/^\S(.{0,62}\S)?$/, { message: 'lotNumber must be 1-64 characters without leading or trailing spaces' })
  lotNumber!: string;
  @ApiProperty({ format: 'date-time', description: 'ISO-8601, not in the future' }) @IsISO8601({ strict: true }) deliveredAt!: string;
}

export class AcceptDeliveryDto {
  @ApiProperty({ type: 'integer', description: 'packs accepted, 0 ≤ n ≤ packs' }) @IsInt() @Min(0) @Max(INT_MAX) acceptedPacks!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'ISO-8601, default now; not in the future, not before deliveredAt' })
  @IsOptional()
  @IsISO8601({ strict: true })
  acceptedAt?: string;
}

export class ListDeliveriesQueryDto extends KeysetListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) agreementId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) orderId?: number;
  @ApiPropertyOptional({ enum: DeliveryStatus }) @IsOptional() @IsIn(Object.values(DeliveryStatus)) status?: DeliveryStatus;
}

export class CreateRunDto {
  @ApiProperty({ format: 'date-time', description: 'ISO-8601 cut-off, not in the future: deliveries accepted at or before it are settled' })
  @IsISO8601({ strict: true })
  cutoff!: string;
}

export class ListRunsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: SettlementRunStatus }) @IsOptional() @IsIn(Object.values(SettlementRunStatus)) status?: SettlementRunStatus;
}

/** The run view lists its instructions a page at a time (the statement has them all). */
export class RunViewQueryDto extends ListQueryDto {
  override limit: number = 500;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListPaymentsQueryDto extends KeysetListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) runId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) supplierId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) hospitalId?: number;
  @ApiPropertyOptional({ enum: PaymentStatus }) @IsOptional() @IsIn(Object.values(PaymentStatus)) status?: PaymentStatus;
  @ApiPropertyOptional({ description: 'true: PENDING and past the due date (server clock); false: the others' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;
}

export class MarkPaidDto {
  @ApiProperty({ format: 'date-time', description: 'ISO-8601, not in the future' }) @IsISO8601({ strict: true }) paidAt!: string;
}

export class OverdueReportQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['hospital', 'supplier'], default: 'hospital' }) @IsOptional() @IsIn(['hospital', 'supplier']) by: 'hospital' | 'supplier' =
    'hospital';
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) runId?: number;
}
