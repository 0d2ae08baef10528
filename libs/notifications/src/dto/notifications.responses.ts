import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInt } from '@jicai/common';
import { NotificationKind } from '../notification.entity';
import type { NotificationView } from '../notifications.service';

export class NotificationDto implements NotificationView {
  @ApiInt() id!: number;
  @ApiProperty({ enum: NotificationKind }) kind!: NotificationKind;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'order' }) entity!: string | null;
  @ApiInt({ nullable: true }) entityId!: number | null;
  @ApiInt({ nullable: true }) batchId!: number | null;
  @ApiDateTime() createdAt!: string;
  @ApiProperty() read!: boolean;
  @ApiDateTime({ nullable: true }) readAt!: string | null;
}

/** GET /notifications: a page, and how many of all the caller's notifications are unread. */
export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiInt() total!: number;
  @ApiInt({ description: 'unread by the caller, whatever the filters' }) unread!: number;
}

export class MarkedDto {
  @ApiInt({ description: 'notifications marked read now' }) marked!: number;
}
