import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';

const MAX_ID = 4294967295;

export class SubmitBidDto {
  @ApiProperty({ type: 'integer', example: 12 }) @IsInt() @Min(1) @Max(MAX_ID) itemId!: number;
  @ApiProperty({ type: 'integer', example: 41, description: 'one of your own products with the generic name and dosage form of the item' })
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  productId!: number;
  @ApiProperty({ example: '3.33', description: 'pack price (申报价), a decimal string > 0 with at most 2 decimals' })
  @IsString({ message: 'packPrice must be a decimal string' })
  packPrice!: string;
  @ApiProperty({ type: 'integer', example: 15000, description: 'measure units per year, an integer > 0' })
  @IsInt({ message: 'supplyCapacity must be an integer' })
  @Min(1, { message: 'supplyCapacity must be greater than 0' })
  @Max(MAX_ID)
  supplyCapacity!: number;
}

export class ListBidsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer', description: 'only this item' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  itemId?: number;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'suppliers only: every version of your bids (REPLACED and WITHDRAWN included), newest first',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  history?: 'true' | 'false';
}
