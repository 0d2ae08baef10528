import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Principal, ApiErrors, ApiOk, Op } from '@jicai/common';
import { NotificationsService } from './notifications.service';
import { ListNotificationsQueryDto } from './dto/notifications.dto';
import { MarkedDto, NotificationDto, NotificationListDto } from './dto/notifications.responses';

/** The caller's in-app inbox (its organisation's notifications, read state per user). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @AnyRole()
  @Get()
  @Op('listNotifications')
  @ApiOk(NotificationListDto)
  list(@CurrentUser() user: Principal, @Query() q: ListNotificationsQueryDto) {
    return this.notifications.list(user, q);
  }

  @AnyRole()
  @Post('read-all')
  @HttpCode(200)
  @Op('markAllNotificationsRead')
  @ApiOk(MarkedDto)
  readAll(@CurrentUser() user: Principal) {
    return this.notifications.readAll(user);
  }

  @AnyRole()
  @Post(':id/read')
  @HttpCode(200)
  @Op('markNotificationRead')
  @ApiOk(NotificationDto)
  @ApiErrors(404)
  read(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.notifications.markRead(user, id);
  }
}
