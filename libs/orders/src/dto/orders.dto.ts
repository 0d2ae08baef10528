import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { ListQueryDto, FreeText } from '@jicai/common';
import { OrderStatus, RefusalReason } from '../orders.rules';

const INT_MAX = 2_147_483_647;

export class PlaceOrderDto {
  @ApiProperty({ type: 'integer' }) @IsInt() @Min(1) @Max(INT_MAX) agreementId!: number;
  @ApiProperty({ type: 'integer', description: 'packs ordered, integer > 0' }) @IsInt() @Min(1) @Max(INT_MAX) packs!: number;
  @ApiProperty({ description: 'who at the hospital asks for it (name or department), 1-100 characters', example: '药剂科 王药师' })
  @IsString()
  @IsNotEmpty()
  @Matches(/^\S(.{0,98}\S)?$/s, { message: 'requestedBy must be 1-100 characters without leading or trailing spaces' })
  requestedBy!: string;
}

export class RefuseOrderDto {
  @ApiProperty({ enum: RefusalReason }) @IsIn(Object.values(RefusalReason)) reason!: RefusalReason;
  @ApiPropertyOptional({ description: 'required when reason is OTHER; at most 500 characters' })
  @ValidateIf((o: RefuseOrderDto) => o.reason === RefusalReason.OTHER || o.note !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  @FreeText()
  note?: string;
}

export class ListOrdersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) batchId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) agreementId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) hospitalId?: number;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) supplierId?: number;
  @ApiPropertyOptional({ enum: OrderStatus }) @IsOptional() @IsIn(Object.values(OrderStatus)) status?: OrderStatus;
}
