import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiCreated, ApiErrors, ApiOk, ApiOkKeysetList, Op } from '@jicai/common';
import { buildTemplate, UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport } from '@jicai/spreadsheets';
import { DeliveriesService } from './deliveries.service';
import { ACCEPTANCE_COLUMNS, DELIVERY_COLUMNS, MAX_DELIVERY_IMPORT_ROWS } from './delivery-import';
import { DeliveryImportService } from './delivery-import.service';

const BULK_NOTES = [
  'The whole file is imported or nothing is: every bad row is reported with its row number and column.',
  `At most ${MAX_DELIVERY_IMPORT_ROWS} rows per file. Times are ISO-8601, UTC unless they carry an offset.`,
];
import { AcceptDeliveryDto, CreateDeliveryDto, ListDeliveriesQueryDto } from './dto/settlement.dto';
import { DeliveryDto } from './dto/settlement.responses';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly bulk: DeliveryImportService,
  ) {}

  /** Deliveries in bulk: one row per delivery against your CONFIRMED agreements; 202 {jobId, rows}. */
  @Roles(Role.SUPPLIER)
  @Post('import')
  @XlsxImport('Record deliveries from an xlsx (agreementId, packs, lotNumber, deliveredAt)')
  importDeliveries(@CurrentUser() user: Principal, @UploadedXlsx() file: Buffer) {
    return this.bulk.importDeliveries(user, file);
  }

  @Roles(Role.SUPPLIER)
  @Get('template.xlsx')
  @XlsxDownload('The deliveries import template')
  @Op('getDeliveryTemplate')
  async deliveriesTemplate() {
    return xlsxFile(await buildTemplate({ sheetName: 'Deliveries', columns: DELIVERY_COLUMNS, notes: BULK_NOTES }), 'deliveries-template.xlsx');
  }

  /** Acceptances in bulk: one row per delivery of yours, accepted once; 202 {jobId, rows}. */
  @Roles(Role.HOSPITAL)
  @Post('acceptances/import')
  @XlsxImport('Accept deliveries from an xlsx (deliveryId, acceptedPacks, acceptedAt?)')
  importAcceptances(@CurrentUser() user: Principal, @UploadedXlsx() file: Buffer) {
    return this.bulk.importAcceptances(user, file);
  }

  @Roles(Role.HOSPITAL)
  @Get('acceptances/template.xlsx')
  @XlsxDownload('The acceptances import template')
  @Op('getAcceptanceTemplate')
  async acceptancesTemplate() {
    return xlsxFile(await buildTemplate({ sheetName: 'Acceptances', columns: ACCEPTANCE_COLUMNS, notes: BULK_NOTES }), 'acceptances-template.xlsx');
  }

  /** A supplier records a delivery against its own CONFIRMED agreement of a batch IN_FORCE. */
  @Roles(Role.SUPPLIER)
  @Post()
  @Op('createDelivery')
  @ApiCreated(DeliveryDto)
  @ApiErrors(404, [409, 'INVALID_STATE'], 422)
  create(@CurrentUser() user: Principal, @Body() dto: CreateDeliveryDto) {
    return this.deliveries.create(user, dto);
  }

  /** The hospital accepts all or part of its own delivery, once. */
  @Roles(Role.HOSPITAL)
  @Post(':id/accept')
  @HttpCode(200)
  @Op('acceptDelivery')
  @ApiOk(DeliveryDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  accept(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: AcceptDeliveryDto) {
    return this.deliveries.accept(user, id, dto);
  }

  /** Suppliers and hospitals: their own side; the fund and admins: all. */
  @Roles(Role.SUPPLIER, Role.HOSPITAL, Role.FUND, Role.ADMIN)
  @Get()
  @Op('listDeliveries')
  @ApiOkKeysetList(DeliveryDto)
  list(@CurrentUser() user: Principal, @Query() q: ListDeliveriesQueryDto) {
    return this.deliveries.list(user, q);
  }
}
