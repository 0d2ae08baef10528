import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOk, ApiOkList, CurrentUser, Op, Principal, Role, Roles } from '@jicai/common';
import { ExportColumn, writeXlsx, XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import {
  BehindHospitalsQueryDto,
  DashboardYearQueryDto,
  HospitalDashboardQueryDto,
  MonthRangeQueryDto,
  SupplierDashboardQueryDto,
  WeekRangeQueryDto,
} from './dto/dashboards.dto';
import {
  BehindHospitalDto,
  FundPrepaidSettledDto,
  FunnelDto,
  HospitalDashboardDto,
  ItemProgressDto,
  LevelProgressDto,
  PaymentsByWeekDto,
  PriceCutDto,
  SupplierDashboardDto,
  WinnerVolumeDto,
} from './dto/dashboards.responses';
import {
  BEHIND_COLUMNS,
  FUND_MONTH_COLUMNS,
  FUNNEL_COLUMNS,
  funnelRows,
  HOSPITAL_ITEM_COLUMNS,
  ITEM_PROGRESS_COLUMNS,
  LEVEL_PROGRESS_COLUMNS,
  PAYMENTS_WEEK_COLUMNS,
  PRICE_CUT_COLUMNS,
  SUPPLIER_MONTH_COLUMNS,
  WINNER_VOLUME_COLUMNS,
} from './dashboards.exports';
import { DashboardsService } from './dashboards.service';

/** One sheet, streamed: the table behind a chart. */
function sheet<R>(filename: string, name: string, columns: readonly ExportColumn<R>[], rows: Iterable<R> | AsyncIterable<R>) {
  return xlsxStream(filename, (out) =>
    writeXlsx(out, [{ name, columns: columns as ExportColumn<Record<string, unknown>>[], rows: rows as Iterable<Record<string, unknown>> }]),
  );
}

/**
 * Dashboards (issue 15): aggregates for the charts of each role, each with its xlsx export.
 * Admins and the fund see every batch figure; a supplier only its own volumes and series;
 * a hospital only its own completion.
 */
@ApiTags('dashboards')
@Controller('dashboards')
export class DashboardsController {
  constructor(private readonly dashboards: DashboardsService) {}

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/funnel')
  @Op('getBatchFunnel', 'Items, opened bids, winners and no-bid items of a batch')
  @ApiOk(FunnelDto)
  @ApiErrors(404)
  funnel(@Param('id', ParseIntPipe) id: number) {
    return this.dashboards.funnel(id);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/funnel.xlsx')
  @Op('exportBatchFunnel')
  @XlsxDownload('The funnel as a table')
  @ApiErrors(404)
  async funnelXlsx(@Param('id', ParseIntPipe) id: number) {
    const f = await this.dashboards.funnel(id);
    return sheet(`batch-${id}-funnel.xlsx`, 'Funnel', FUNNEL_COLUMNS, funnelRows(f));
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/price-cuts')
  @Op('listPriceCuts', 'Per item: ceiling UCP, lowest and highest award UCP, the cut')
  @ApiOkList(PriceCutDto)
  @ApiErrors(404)
  priceCuts(@Param('id', ParseIntPipe) id: number) {
    return this.dashboards.priceCuts(id);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/price-cuts.xlsx')
  @Op('exportPriceCuts')
  @XlsxDownload('Price cuts per item')
  @ApiErrors(404)
  async priceCutsXlsx(@Param('id', ParseIntPipe) id: number) {
    const p = await this.dashboards.priceCuts(id);
    return sheet(`batch-${id}-price-cuts.xlsx`, 'PriceCuts', PRICE_CUT_COLUMNS, p.items);
  }

  @Roles(Role.ADMIN, Role.FUND, Role.SUPPLIER)
  @Get('batches/:id/winner-volumes')
  @Op('listWinnerVolumes', 'Agreed volume per winning supplier (a supplier: its own row only)')
  @ApiOkList(WinnerVolumeDto)
  @ApiErrors(404)
  winnerVolumes(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.dashboards.winnerVolumes(user, id);
  }

  @Roles(Role.ADMIN, Role.FUND, Role.SUPPLIER)
  @Get('batches/:id/winner-volumes.xlsx')
  @Op('exportWinnerVolumes')
  @XlsxDownload('Agreed volume per winning supplier')
  @ApiErrors(404)
  async winnerVolumesXlsx(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    const p = await this.dashboards.winnerVolumes(user, id);
    return sheet(`batch-${id}-winner-volumes.xlsx`, 'WinnerVolumes', WINNER_VOLUME_COLUMNS, p.items);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/progress-by-item')
  @Op('listProgressByItem', 'Execution progress per item over all hospitals (last recompute)')
  @ApiOkList(ItemProgressDto)
  @ApiErrors(404)
  progressByItem(@Param('id', ParseIntPipe) id: number, @Query() q: DashboardYearQueryDto) {
    return this.dashboards.progressByItem(id, q.year);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/progress-by-item.xlsx')
  @Op('exportProgressByItem')
  @XlsxDownload('Execution progress per item')
  @ApiErrors(404)
  async progressByItemXlsx(@Param('id', ParseIntPipe) id: number, @Query() q: DashboardYearQueryDto) {
    const p = await this.dashboards.progressByItem(id, q.year);
    return sheet(`batch-${id}-progress-by-item.xlsx`, 'ProgressByItem', ITEM_PROGRESS_COLUMNS, p.items);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/progress-by-level')
  @Op('listProgressByLevel', 'Execution progress per level of hospital')
  @ApiOkList(LevelProgressDto)
  @ApiErrors(404)
  progressByLevel(@Param('id', ParseIntPipe) id: number, @Query() q: DashboardYearQueryDto) {
    return this.dashboards.progressByLevel(id, q.year);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/progress-by-level.xlsx')
  @Op('exportProgressByLevel')
  @XlsxDownload('Execution progress per level of hospital')
  @ApiErrors(404)
  async progressByLevelXlsx(@Param('id', ParseIntPipe) id: number, @Query() q: DashboardYearQueryDto) {
    const p = await this.dashboards.progressByLevel(id, q.year);
    return sheet(`batch-${id}-progress-by-level.xlsx`, 'ProgressByLevel', LEVEL_PROGRESS_COLUMNS, p.items);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/behind-hospitals')
  @Op('listBehindHospitals', 'Hospitals with a row flagged BEHIND, least complete first (paged)')
  @ApiOkList(BehindHospitalDto)
  @ApiErrors(404)
  behind(@Param('id', ParseIntPipe) id: number, @Query() q: BehindHospitalsQueryDto) {
    return this.dashboards.behindHospitals(id, q);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/behind-hospitals.xlsx')
  @Op('exportBehindHospitals')
  @XlsxDownload('Every hospital flagged behind (streamed page by page)')
  @ApiErrors(404)
  async behindXlsx(@Param('id', ParseIntPipe) id: number, @Query() q: DashboardYearQueryDto) {
    await this.dashboards.behindHospitals(id, Object.assign(new BehindHospitalsQueryDto(), { year: q.year, limit: 1, offset: 0 }));
    const pages = this.dashboards.behindHospitalPages(id, q.year);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return sheet(`batch-${id}-behind-hospitals.xlsx`, 'BehindHospitals', BEHIND_COLUMNS, rows());
  }

  @Roles(Role.SUPPLIER, Role.ADMIN, Role.FUND)
  @Get('supplier')
  @Op('getSupplierDashboard', 'A supplier’s agreed volume, and orders, deliveries and payments per month')
  @ApiOk(SupplierDashboardDto)
  @ApiErrors(404)
  supplier(@CurrentUser() user: Principal, @Query() q: SupplierDashboardQueryDto) {
    return this.dashboards.supplier(user, q);
  }

  @Roles(Role.SUPPLIER, Role.ADMIN, Role.FUND)
  @Get('supplier.xlsx')
  @Op('exportSupplierDashboard')
  @XlsxDownload('The supplier’s months')
  @ApiErrors(404)
  async supplierXlsx(@CurrentUser() user: Principal, @Query() q: SupplierDashboardQueryDto) {
    const d = await this.dashboards.supplier(user, q);
    return sheet(`supplier-${d.supplierId}-dashboard.xlsx`, 'Months', SUPPLIER_MONTH_COLUMNS, [...d.months, d.totals]);
  }

  @Roles(Role.HOSPITAL, Role.ADMIN, Role.FUND)
  @Get('hospital')
  @Op('getHospitalDashboard', 'A hospital’s completion per item against the expected line of the year')
  @ApiOk(HospitalDashboardDto)
  @ApiErrors(404)
  hospital(@CurrentUser() user: Principal, @Query() q: HospitalDashboardQueryDto) {
    return this.dashboards.hospital(user, q);
  }

  @Roles(Role.HOSPITAL, Role.ADMIN, Role.FUND)
  @Get('hospital.xlsx')
  @Op('exportHospitalDashboard')
  @XlsxDownload('The hospital’s completion per item')
  @ApiErrors(404)
  async hospitalXlsx(@CurrentUser() user: Principal, @Query() q: HospitalDashboardQueryDto) {
    const d = await this.dashboards.hospital(user, q);
    return sheet(`hospital-${d.hospitalId}-batch-${d.batchId}-completion.xlsx`, 'Completion', HOSPITAL_ITEM_COLUMNS, d.items);
  }

  @Roles(Role.FUND, Role.ADMIN)
  @Get('fund/prepaid-settled')
  @Op('getPrepaidSettled', 'Prepayments disbursed and recovered against amounts settled, per month')
  @ApiOk(FundPrepaidSettledDto)
  prepaidSettled(@Query() q: MonthRangeQueryDto) {
    return this.dashboards.fundPrepaidSettled(q);
  }

  @Roles(Role.FUND, Role.ADMIN)
  @Get('fund/prepaid-settled.xlsx')
  @Op('exportPrepaidSettled')
  @XlsxDownload('Prepaid against settled per month')
  async prepaidSettledXlsx(@Query() q: MonthRangeQueryDto) {
    const d = await this.dashboards.fundPrepaidSettled(q);
    return sheet('fund-prepaid-settled.xlsx', 'Months', FUND_MONTH_COLUMNS, [...d.months, d.totals]);
  }

  @Roles(Role.FUND, Role.ADMIN)
  @Get('fund/payments-by-week')
  @Op('getPaymentsByWeek', 'Payment instructions by week due: paid on time, paid late, overdue, pending')
  @ApiOk(PaymentsByWeekDto)
  paymentsByWeek(@Query() q: WeekRangeQueryDto) {
    return this.dashboards.fundPaymentsByWeek(q);
  }

  @Roles(Role.FUND, Role.ADMIN)
  @Get('fund/payments-by-week.xlsx')
  @Op('exportPaymentsByWeek')
  @XlsxDownload('Payments due per week')
  async paymentsByWeekXlsx(@Query() q: WeekRangeQueryDto) {
    const d = await this.dashboards.fundPaymentsByWeek(q);
    return sheet('fund-payments-by-week.xlsx', 'Weeks', PAYMENTS_WEEK_COLUMNS, d.weeks);
  }
}
