import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';

/** GET /prepayments?batchId=&hospitalId= */
export class ListPrepaymentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) batchId?: number;
  @ApiPropertyOptional({ description: 'a hospital may give only its own id' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) hospitalId?: number;
}

/** GET /prepayments/schedule.xlsx?batchId= */
export class ScheduleQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) batchId!: number;
}
