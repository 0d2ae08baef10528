import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';
import { ProgressFlag } from '../progress.rules';

export class ProgressQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: 'agreement year, 1-based' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3) year?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) hospitalId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) itemId?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) group?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'rows of this supplier’s agreements (one row per agreement)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  supplierId?: number;
  @ApiPropertyOptional({ enum: ProgressFlag }) @IsOptional() @IsIn(Object.values(ProgressFlag)) flag?: ProgressFlag;
}

export class SupplierPerformanceQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) supplierId?: number;
}

export class NonSelectedPurchaseDto {
  @ApiPropertyOptional({ type: 'integer', description: 'admins: the hospital; hospitals: left out (their own)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  hospitalId?: number;
  @ApiProperty({ type: 'integer' }) @IsInt() @Min(1) itemId!: number;
  @ApiProperty({ type: 'integer', description: 'agreement year, 1-based' }) @IsInt() @Min(1) @Max(3) year!: number;
  @ApiProperty({ type: 'integer', description: 'measure units of non-selected products of the item’s generic name bought that year' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  units!: number;
}
