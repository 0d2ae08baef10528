import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';

/** GET /prepayments?batchId=&hospitalId= */
export class ListPrepaymentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) batchId?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'a hospital may give only its own id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  hospitalId?: number;
}

/** GET /prepayments/schedule.xlsx?batchId= */
export class ScheduleQueryDto {
  @ApiProperty({ type: 'integer' }) @Type(() => Number) @IsInt() @Min(1) batchId!: number;
}
