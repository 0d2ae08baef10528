import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Role, Roles, ApiCreated, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { OrdersService } from './orders.service';
import { ListOrdersQueryDto, PlaceOrderDto, RefuseOrderDto } from './dto/orders.dto';
import { OrderDto } from './dto/orders.responses';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** A hospital orders against its own CONFIRMED agreement of a batch IN_FORCE. */
  @Roles(Role.HOSPITAL)
  @Post()
  @Op('placeOrder')
  @ApiCreated(OrderDto)
  @ApiErrors(404, [409, 'INVALID_STATE'], 422)
  place(@CurrentUser() user: Principal, @Body() dto: PlaceOrderDto) {
    return this.orders.place(user, dto);
  }

  /** Hospitals and suppliers: their own; admins and the fund: all. */
  @Roles(Role.HOSPITAL, Role.SUPPLIER, Role.ADMIN, Role.FUND)
  @Get()
  @Op('listOrders')
  @ApiOkList(OrderDto)
  list(@CurrentUser() user: Principal, @Query() q: ListOrdersQueryDto) {
    return this.orders.list(user, q);
  }

  @Roles(Role.HOSPITAL, Role.SUPPLIER, Role.ADMIN, Role.FUND)
  @Get(':id')
  @Op('getOrder')
  @ApiOk(OrderDto)
  @ApiErrors(404)
  get(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.orders.get(user, id);
  }

  @Roles(Role.SUPPLIER)
  @Post(':id/confirm')
  @HttpCode(200)
  @Op('confirmOrder')
  @ApiOk(OrderDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  confirm(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.orders.confirm(user, id);
  }

  @Roles(Role.SUPPLIER)
  @Post(':id/refuse')
  @HttpCode(200)
  @Op('refuseOrder')
  @ApiOk(OrderDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  refuse(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: RefuseOrderDto) {
    return this.orders.refuse(user, id, dto);
  }

  @Roles(Role.HOSPITAL)
  @Post(':id/cancel')
  @HttpCode(200)
  @Op('cancelOrder')
  @ApiOk(OrderDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  cancel(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.orders.cancel(user, id);
  }
}
