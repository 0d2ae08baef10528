import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';
import { NotificationKind } from '../notification.entity';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListNotificationsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'true: only those the caller has not read; false: only read ones' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  unread?: boolean;
  @ApiPropertyOptional({ enum: NotificationKind }) @IsOptional() @IsIn(Object.values(NotificationKind)) kind?: NotificationKind;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) batchId?: number;
}
