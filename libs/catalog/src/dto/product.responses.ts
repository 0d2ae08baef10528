import { ApiProperty } from '@nestjs/swagger';
import { ApiInt, ApiMoney } from '@jicai/common';
import { QUALITY_TIERS } from '../catalog.rules';
import type { ProductView } from '../catalog.service';

export class ProductStrengthViewDto {
  @ApiMoney('2.5', { description: 'decimal string' }) value!: string;
  @ApiProperty({ example: 'mg' }) unit!: string;
}

export class ProductDto implements ProductView {
  @ApiInt() id!: number;
  @ApiProperty({ example: '苯磺酸左氨氯地平' }) genericName!: string;
  @ApiProperty({ example: '片剂' }) dosageForm!: string;
  @ApiProperty({ type: ProductStrengthViewDto }) strength!: ProductStrengthViewDto;
  @ApiInt({ example: 28 }) packSize!: number;
  @ApiProperty({ example: '片' }) smallestUnit!: string;
  @ApiProperty({ enum: QUALITY_TIERS }) qualityTier!: string;
  @ApiInt() supplierId!: number;
  @ApiProperty({ example: '国药准字H20113061' }) approvalNumber!: string;
  @ApiMoney('12.50', { nullable: true, description: '挂网价 (domain.md 15.6), per pack, 2 decimals; null when not listed' }) listedPackPrice!: string | null;
}
