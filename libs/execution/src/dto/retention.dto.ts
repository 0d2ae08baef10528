import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';

export class BaselineDto {
  @ApiProperty({ description: 'pre-round average purchase price per measure unit, decimal string with at most 4 decimals', example: '0.2345' })
  @Matches(/^\d{1,16}(\.\d{1,4})?$/, { message: 'baselineUnitPrice must be a decimal string ≥ 0 with at most 4 decimals' })
  baselineUnitPrice!: string;
}

export class AssessmentScoreDto {
  @ApiProperty({ type: 'integer' }) @IsInt() @Min(1) hospitalId!: number;
  @ApiProperty({ type: 'integer', description: 'agreement year, 1-based' }) @IsInt() @Min(1) @Max(3) year!: number;
  @ApiProperty({ description: 'decimal string 0-100, at most 4 decimals', example: '75.5' })
  @Matches(/^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/, { message: 'score must be a decimal string from 0 to 100 with at most 4 decimals' })
  score!: string;
}

export class RetentionQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) hospitalId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3) year?: number;
  @ApiPropertyOptional({ enum: ['PROVISIONAL', 'FIXED'] }) @IsOptional() @IsIn(['PROVISIONAL', 'FIXED']) status?: 'PROVISIONAL' | 'FIXED';
}

export class BaselinesQueryDto extends ListQueryDto {}
