import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Role, Roles, ApiCreated, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport } from '@jicai/spreadsheets';
import { OrderImportService } from './order-import.service';
import { OrdersService } from './orders.service';
import { ListOrdersQueryDto, PlaceOrderDto, RefuseOrderDto } from './dto/orders.dto';
import { OrderDto } from './dto/orders.responses';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly imports: OrderImportService,
  ) {}

  /** A hospital orders against its own CONFIRMED agreement of a batch IN_FORCE. */
  @Roles(Role.HOSPITAL)
  @Post()
  @Op('placeOrder')
  @ApiCreated(OrderDto)
  @ApiErrors(404, [409, 'INVALID_STATE'], 422)
  place(@CurrentUser() user: Principal, @Body() dto: PlaceOrderDto) {
    return this.orders.place(user, dto);
  }

  /** The orders template: agreementId, packs, requestedBy, with notes. */
  @Roles(Role.HOSPITAL)
  @Get('template.xlsx')
  @XlsxDownload('The purchase orders template: one order per row')
  @Op('getOrdersTemplate')
  async template() {
    return xlsxFile(await this.imports.template(), 'orders-template.xlsx');
  }

  /** All or nothing: each row checked as POST /orders is (at most 5,000 rows; 400 names every bad cell); a job places them: 202 {jobId, rows}. */
  @Roles(Role.HOSPITAL)
  @Post('import')
  @XlsxImport('Place purchase orders from an xlsx (the template’s columns), one order per row')
  @Op('importOrders')
  importXlsx(@CurrentUser() user: Principal, @UploadedXlsx() file: Buffer) {
    return this.imports.importXlsx(user, file);
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
