import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { KeysetListQueryDto } from '@jicai/common';

/** demands.quantity is INT UNSIGNED. */
export const MAX_DEMAND_QUANTITY = 4294967295;

export class PutDemandDto {
  @ApiProperty({ example: 'B', description: "one of the batch rules' groups" }) @IsString() @IsNotEmpty() @MaxLength(32) group!: string;
  @ApiProperty({ type: 'integer', example: 15001, description: 'annual demand in measure units (domain.md 6), integer ≥ 0' })
  @IsInt()
  @Min(0)
  @Max(MAX_DEMAND_QUANTITY)
  quantity!: number;
}

export class ListDemandQueryDto extends KeysetListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) itemId?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) group?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'admins only; a hospital always sees its own' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  hospitalId?: number;
}
