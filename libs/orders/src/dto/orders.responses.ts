import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiInt } from '@jicai/common';
import { OrderStatus, RefusalReason } from '../orders.rules';
import type { OrderNames, OrderView } from '../orders.service';

/** A purchase order (采购订单). */
export class OrderDto implements OrderView, OrderNames {
  @ApiInt() id!: number;
  @ApiInt() batchId!: number;
  @ApiInt() agreementId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt() hospitalId!: number;
  @ApiInt() supplierId!: number;
  @ApiInt({ example: 100 }) packs!: number;
  @ApiInt({ example: 0 }) deliveredPacks!: number;
  @ApiInt({ example: 100, description: 'ordered and not yet delivered (0 once refused, cancelled or delivered)' }) openPacks!: number;
  @ApiProperty({ example: '药剂科 王药师' }) requestedBy!: string;
  @ApiProperty({ enum: OrderStatus }) status!: OrderStatus;
  @ApiDateTime({ nullable: true }) placedAt!: string | null;
  @ApiDateTime({ nullable: true }) confirmDeadline!: string | null;
  @ApiDateTime({ nullable: true }) answeredAt!: string | null;
  @ApiProperty({ type: 'boolean', nullable: true }) answeredInTime!: boolean | null;
  @ApiProperty({ enum: RefusalReason, nullable: true }) refusalReason!: RefusalReason | null;
  @ApiProperty({ type: 'string', nullable: true }) refusalNote!: string | null;
  @ApiDateTime({ nullable: true }) cancelledAt!: string | null;
  @ApiDateTime({ nullable: true }) firstDeliveredAt!: string | null;
  @ApiDateTime({ nullable: true }) completedAt!: string | null;
  @ApiPropertyOptional({ example: '市第一人民医院', description: 'in lists' }) hospitalName?: string;
  @ApiPropertyOptional({ example: '甲药业', description: 'in lists' }) supplierName?: string;
}
