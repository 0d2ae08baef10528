import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { DeliveriesService } from './deliveries.service';
import { AcceptDeliveryDto, CreateDeliveryDto, ListDeliveriesQueryDto } from './dto/settlement.dto';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  /** A supplier records a delivery against its own CONFIRMED agreement of a batch IN_FORCE. */
  @Roles(Role.SUPPLIER)
  @Post()
  create(@CurrentUser() user: Principal, @Body() dto: CreateDeliveryDto) {
    return this.deliveries.create(user, dto);
  }

  /** The hospital accepts all or part of its own delivery, once. */
  @Roles(Role.HOSPITAL)
  @Post(':id/accept')
  @HttpCode(200)
  accept(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: AcceptDeliveryDto) {
    return this.deliveries.accept(user, id, dto);
  }

  /** Suppliers and hospitals: their own side; the fund and admins: all. */
  @Roles(Role.SUPPLIER, Role.HOSPITAL, Role.FUND, Role.ADMIN)
  @Get()
  list(@CurrentUser() user: Principal, @Query() q: ListDeliveriesQueryDto) {
    return this.deliveries.list(user, q);
  }
}
