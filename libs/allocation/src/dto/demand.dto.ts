import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { KeysetListQueryDto } from '@jicai/common';
import { GroupFilter, HospitalIdFilter, ItemIdFilter } from './query-filters';

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
  @ItemIdFilter() itemId?: number;
  @GroupFilter() group?: string;
  @HospitalIdFilter() hospitalId?: number;
}
