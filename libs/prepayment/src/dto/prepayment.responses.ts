import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import { PrepaymentStatus } from '../prepayment.entity';
import type { prepaymentView } from '../prepayment.service';

export class PrepaymentDto implements ReturnType<typeof prepaymentView> {
  @ApiInt() id!: number;
  @ApiInt() hospitalId!: number;
  @ApiPropertyOptional({ example: '市第一人民医院', description: 'in lists' }) hospitalName?: string;
  @ApiInt() batchId!: number;
  @ApiInt({ example: 1, description: 'agreement year, 1-based' }) year!: number;
  @ApiMoney('535.09') amount!: string;
  @ApiDateTime({ nullable: true }) dueDate!: string | null;
  @ApiDateTime({ nullable: true }) yearEnd!: string | null;
  @ApiProperty({ enum: PrepaymentStatus }) status!: PrepaymentStatus;
  @ApiMoney('535.09', { description: 'not yet drawn by settlement' }) balance!: string;
  @ApiDateTime({ nullable: true }) disbursedAt!: string | null;
  @ApiDateTime({ nullable: true }) recoveredAt!: string | null;
  @ApiMoney('0.00', { nullable: true }) recoveredAmount!: string | null;
}
