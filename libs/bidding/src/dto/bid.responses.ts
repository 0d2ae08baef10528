import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import { BidStatus } from '../bid.entity';
import type { BidView } from '../bid.views';

/** A bid as its reader may see it: price fields are null while sealed to that reader. */
export class BidDto implements BidView {
  @ApiInt() id!: number;
  @ApiInt() batchId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt() supplierId!: number;
  @ApiInt() productId!: number;
  @ApiMoney('3.33', { nullable: true, description: 'pack price, 2 decimals; null while sealed to the reader' }) packPrice!: string | null;
  @ApiInt({ example: 15000, nullable: true }) supplyCapacity!: number | null;
  @ApiMoney('0.1189', { nullable: true, description: 'unit comparable price, 4 decimals' }) unitComparablePrice!: string | null;
  @ApiInt({ example: 28 }) measureUnitsPerPack!: number;
  @ApiProperty({ description: 'SHA-256 hex' }) receipt!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'to the bidder, and to all after opening' }) nonce!: string | null;
  @ApiProperty({ enum: BidStatus }) status!: BidStatus;
  @ApiDateTime({ nullable: true }) submittedAt!: string | null;
  @ApiInt({ nullable: true }) replacedBy!: number | null;
  @ApiDateTime({ nullable: true }) withdrawnAt!: string | null;
  @ApiDateTime({ nullable: true }) openedAt!: string | null;
  @ApiPropertyOptional({ example: '甲药业', description: 'in lists, once opened (or to the bidder itself)' }) supplierName?: string;
  @ApiPropertyOptional({ example: '左氨氯地平', description: "the product's generic name, in lists once opened (or to the bidder)" }) productName?: string;
  @ApiPropertyOptional({ example: '片剂 2.5mg×28片', description: 'dosage form, strength × pack' }) productSpec?: string;
}

/** 201 of POST /batches/:id/bids: the sealed bid with its receipt and nonce (to the bidder only). */
export class BidReceiptDto {
  @ApiInt() id!: number;
  @ApiInt() batchId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt() supplierId!: number;
  @ApiInt() productId!: number;
  @ApiMoney('3.33', { description: 'pack price, 2 decimals' }) packPrice!: string;
  @ApiInt({ example: 15000 }) supplyCapacity!: number;
  @ApiMoney('0.1189', { description: 'unit comparable price, 4 decimals' }) unitComparablePrice!: string;
  @ApiInt({ example: 28 }) measureUnitsPerPack!: number;
  @ApiProperty({ description: 'SHA-256 hex' }) receipt!: string;
  @ApiProperty() nonce!: string;
  @ApiProperty({ enum: [BidStatus.SEALED] }) status!: BidStatus;
  @ApiDateTime() submittedAt!: string;
  @ApiInt({ nullable: true, description: 'the version this one replaced' }) replaces!: number | null;
}

export class BidCountDto {
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt({ example: 3 }) count!: number;
}

/** Admin and fund before opening: counts of live bids per item × group, nothing else. */
export class BidCountsDto {
  @ApiProperty({ type: [BidCountDto] }) items!: BidCountDto[];
}
