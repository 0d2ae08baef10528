import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ListQueryDto } from '@jicai/common';
import { QUALITY_TIERS, QualityTier } from '../catalog.rules';
import { MAX_PACK_SIZE } from '../product.validation';

export class ProductStrengthDto {
  @ApiProperty({ example: '2.5', description: 'decimal string, > 0, at most 6 decimals' })
  @IsString()
  @Matches(/^\d+(\.\d+)?$/, { message: 'value must be a positive decimal string such as "2.5"' })
  value!: string;

  @ApiProperty({ example: 'mg' }) @IsString() @IsNotEmpty() @MaxLength(16) unit!: string;
}

export class CreateProductDto {
  @ApiProperty({ example: '苯磺酸左氨氯地平' }) @IsString() @IsNotEmpty() @MaxLength(200) genericName!: string;
  @ApiProperty({ example: '片剂' }) @IsString() @IsNotEmpty() @MaxLength(100) dosageForm!: string;
  @ApiProperty({ type: ProductStrengthDto }) @IsObject() @ValidateNested() @Type(() => ProductStrengthDto) strength!: ProductStrengthDto;
  @ApiProperty({ type: 'integer', example: 28, description: 'smallest units per pack' }) @IsInt() @Min(1) @Max(MAX_PACK_SIZE) packSize!: number;
  @ApiProperty({ example: '片' }) @IsString() @IsNotEmpty() @MaxLength(32) smallestUnit!: string;
  @ApiProperty({ enum: QUALITY_TIERS }) @IsIn(QUALITY_TIERS, { message: `qualityTier must be one of ${QUALITY_TIERS.join(', ')}` }) qualityTier!: QualityTier;
  @ApiProperty({ type: 'integer', description: 'an organisation of type SUPPLIER' }) @IsInt() @Min(1) supplierId!: number;
  @ApiProperty({ example: '国药准字H20113061' }) @IsString() @IsNotEmpty() @MaxLength(64) approvalNumber!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '12.50',
    description: '挂网价 (domain.md 15.6): listed price per pack, > 0, at most 2 decimals; absent or null = not listed',
  })
  @IsOptional()
  @IsString({ message: 'listedPackPrice must be a decimal string such as "12.50", or null' })
  listedPackPrice?: string | null;
}

/** PATCH /catalog/products/:id: what may change of a product (its identity — names, strength, pack, tier, approval number — may not). */
export class UpdateProductDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '12.50',
    description: '挂网价 (domain.md 15.6): listed price per pack, > 0, at most 2 decimals; null = no longer listed',
  })
  @ValidateIf((o: UpdateProductDto) => o.listedPackPrice !== null)
  @IsString({ message: 'listedPackPrice must be a decimal string such as "12.50", or null' })
  listedPackPrice!: string | null;
}

export class ListProductsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'compared after trimming and NFKC (domain.md 2)' }) @IsOptional() @IsString() @MaxLength(200) genericName?: string;
  @ApiPropertyOptional({ description: 'compared after trimming and NFKC' }) @IsOptional() @IsString() @MaxLength(100) dosageForm?: string;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) supplierId?: number;
}
