import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * `?year=`: the agreement year, 1 to 3, default 1. The decorators are listed in the order a
 * stack of them applies (bottom up), so validation reports exactly as the stack did.
 */
const YearQuery = () =>
  applyDecorators(
    Max(3),
    Min(1),
    IsInt(),
    Type(() => Number),
    IsOptional(),
    ApiPropertyOptional({ type: 'integer', default: 1, description: 'agreement year, 1-based' }),
  );

export class DashboardYearQueryDto {
  @YearQuery() year: number = 1;
}

export class BehindHospitalsQueryDto extends ListQueryDto {
  @YearQuery() year: number = 1;
}

export class MonthRangeQueryDto {
  @ApiPropertyOptional({ example: '2027-01', description: 'first month (YYYY-MM, UTC), default 11 months before `to`' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be YYYY-MM' })
  from?: string;
  @ApiPropertyOptional({ example: '2027-12', description: 'last month, included (YYYY-MM), default the current month' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be YYYY-MM' })
  to?: string;
}

export class SupplierDashboardQueryDto extends MonthRangeQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: 'admins and the fund: the supplier (required); suppliers: always themselves' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  supplierId?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'agreements, orders and deliveries of this batch only (payments are per run, across batches)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  batchId?: number;
}

export class HospitalDashboardQueryDto extends DashboardYearQueryDto {
  @ApiProperty({ type: 'integer', description: 'the batch' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  batchId!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'admins and the fund: the hospital (required); hospitals: always themselves' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  hospitalId?: number;
}

export class WeekRangeQueryDto {
  @ApiPropertyOptional({ format: 'date', example: '2027-01-04', description: 'a day of the first week (Monday-based, UTC), default 8 weeks back' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ format: 'date', example: '2027-03-29', description: 'a day of the last week, included; default 8 weeks ahead' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be YYYY-MM-DD' })
  to?: string;
}
