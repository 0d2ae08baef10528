import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles, Principal, Role, ApiErrors, ApiJob, ApiOk, ApiOkList, ApiOkKeysetList, Op, ListQueryDto, MAX_LIMIT } from '@jicai/common';
import { ExportColumn, writeXlsx, XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import { AgreementExportRow, AgreementsService } from './agreements.service';
import { AllocationService } from './allocation.service';
import { AgreementsExportQueryDto, AgreementsQueryDto, BulkConfirmDto, UnallocatedQueryDto } from './dto/allocation.dto';
import { AgreementDto, BulkConfirmResultDto, ConfirmOverdueDto, UnallocatedDto, WinnerSummaryDto } from './dto/allocation.responses';
import { WinnerSummaryView } from './agreements.service';

const EXPORT_COLUMNS: ExportColumn<AgreementExportRow>[] = [
  { header: 'agreementId', label: '协议ID', value: 'id', kind: 'id' },
  { header: 'hospitalId', label: '医院ID', value: 'hospitalId', kind: 'id' },
  { header: 'hospitalName', label: '医院', value: 'hospitalName', width: 28 },
  { header: 'supplierId', label: '供应商ID', value: 'supplierId', kind: 'id' },
  { header: 'supplierName', label: '供应商', value: 'supplierName', width: 28 },
  { header: 'itemId', label: '品种ID', value: 'itemId', kind: 'id' },
  { header: 'genericName', label: '通用名', value: 'genericName', width: 20 },
  { header: 'dosageForm', label: '剂型', value: 'dosageForm' },
  { header: 'group', label: '分组', value: 'group' },
  { header: 'bidId', label: '投标ID', value: 'bidId', kind: 'id' },
  { header: 'productId', label: '产品ID', value: 'productId', kind: 'id' },
  { header: 'units', label: '协议量（计量单位）', value: 'units', kind: 'integer' },
  { header: 'awardPrice', label: '中选价（元/包装）', value: 'awardPrice', decimals: 2, width: 16 },
  { header: 'unitComparablePrice', label: '单位可比价（元）', value: 'unitComparablePrice', decimals: 4, width: 20 },
  { header: 'amount', label: '协议金额（元）', value: 'amount', decimals: 2, width: 16 },
  { header: 'status', label: '状态', value: 'status', width: 22 },
  { header: 'confirmedAt', label: '确认时间', value: 'confirmedAt', kind: 'datetime', width: 22 },
  { header: 'forced', label: '强制确认', value: (r) => (r.forced ? 'YES' : 'NO') },
];

const WINNER_COLUMNS: ExportColumn<WinnerSummaryView>[] = [
  { header: 'itemId', label: '品种ID', value: 'itemId', kind: 'id' },
  { header: 'genericName', label: '通用名', value: 'genericName', width: 20 },
  { header: 'group', label: '分组', value: 'group' },
  { header: 'bidId', label: '投标ID', value: 'bidId', kind: 'id' },
  { header: 'supplierName', label: '中选企业', value: 'supplierName', width: 28 },
  { header: 'productSpec', label: '产品规格', value: 'productSpec', width: 24 },
  { header: 'awardPrice', label: '中选价（元/包装）', value: 'awardPrice', decimals: 2, width: 16 },
  { header: 'hospitals', label: '医院数', value: 'hospitals', kind: 'integer' },
  { header: 'agreements', label: '协议数', value: 'agreements', kind: 'integer' },
  { header: 'units', label: '协议量（计量单位）', value: 'units', kind: 'integer', width: 18 },
  { header: 'amount', label: '协议金额（元）', value: 'amount', decimals: 2, width: 16 },
  { header: 'confirmed', label: '已确认', value: 'confirmed', kind: 'integer' },
  { header: 'pending', label: '待确认', value: 'pending', kind: 'integer' },
  { header: 'confirmedAmount', label: '已确认金额（元）', value: 'confirmedAmount', decimals: 2, width: 16 },
];

@ApiTags('allocation')
@ApiBearerAuth()
@Controller()
export class AllocationController {
  constructor(
    private readonly allocation: AllocationService,
    private readonly agreements: AgreementsService,
  ) {}

  /** Allocates an AWARDED batch in the worker (domain.md sections 6-7): 202 {jobId}; the batch ends ALLOCATED. */
  @Roles(Role.ADMIN)
  @Post('batches/:id/allocate')
  @HttpCode(202)
  @Op('allocateBatch')
  @ApiJob()
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async allocate(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return { jobId: await this.allocation.requestAllocation(user, id) };
  }

  /** A hospital or supplier sees its own agreements; admins and the fund all. */
  @AnyRole()
  @Get('batches/:id/agreements')
  @Op('listAgreements')
  @ApiOkKeysetList(AgreementDto)
  @ApiErrors(404)
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: AgreementsQueryDto) {
    return this.agreements.list(user, id, q);
  }

  /** The same rows as a workbook, streamed. */
  @AnyRole()
  @Get('batches/:id/agreements.xlsx')
  @XlsxDownload('Agreements of the batch visible to the caller')
  @Op('exportAgreements')
  @ApiErrors(404)
  async export(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: AgreementsExportQueryDto) {
    const scope = await this.agreements.scope(user, id, q);
    const pages = this.agreements.exportPages(scope);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return xlsxStream(`batch-${id}-agreements.xlsx`, (out) => writeXlsx(out, [{ name: 'Agreements', columns: EXPORT_COLUMNS, rows: rows() }]));
  }

  /** Agreements by winner: per winning bid the hospitals, agreements, units, amount, confirmed and pending (SQL GROUP BY). */
  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/agreements/by-winner')
  @Op('listAgreementsByWinner', 'Agreements of a batch summed per winner (supplier, product, item, group)')
  @ApiOkList(WinnerSummaryDto)
  @ApiErrors(404)
  byWinner(@Param('id', ParseIntPipe) id: number, @Query() q: ListQueryDto) {
    return this.agreements.byWinner(id, q);
  }

  /** The same summary as a workbook (every winner; a batch has at most items × groups × maxWinners of them). */
  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/agreements/by-winner.xlsx')
  @XlsxDownload('Agreements of a batch summed per winner')
  @Op('exportAgreementsByWinner')
  @ApiErrors(404)
  async byWinnerXlsx(@Param('id', ParseIntPipe) id: number) {
    const agreements = this.agreements;
    async function* rows() {
      for (let offset = 0; ; offset += MAX_LIMIT) {
        const page = await agreements.byWinner(id, { limit: MAX_LIMIT, offset });
        yield* page.items;
        if (page.items.length < MAX_LIMIT) return;
      }
    }
    await this.agreements.byWinner(id, { limit: 1, offset: 0 }); // 404 before the download starts
    return xlsxStream(`batch-${id}-agreements-by-winner.xlsx`, (out) => writeXlsx(out, [{ name: 'ByWinner', columns: WINNER_COLUMNS, rows: rows() }]));
  }

  /** Agreed volume no preferred winner could supply: hospitals their own, admins and the fund all. */
  @Roles(Role.ADMIN, Role.FUND, Role.HOSPITAL)
  @Get('batches/:id/unallocated')
  @Op('listUnallocated')
  @ApiOkList(UnallocatedDto)
  @ApiErrors(404)
  unallocated(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: UnallocatedQueryDto) {
    return this.agreements.unallocated(user, id, q);
  }

  /** A hospital confirms its own agreement; an admin may (forced) after the confirmation deadline. */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Post('agreements/:id/confirm')
  @HttpCode(200)
  @Op('confirmAgreement')
  @ApiOk(AgreementDto)
  @ApiErrors(404, [409, 'INVALID_STATE', 'CONFIRMATION_CLOSED'])
  confirm(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.agreements.confirm(user, id);
  }

  /**
   * A hospital confirms all its pending agreements of the batch (no body, or {}), or the
   * chosen ones ({agreementIds}), in one request: all or nothing, audited once, idempotent.
   */
  @Roles(Role.HOSPITAL)
  @Post('batches/:id/agreements/confirm')
  @HttpCode(200)
  @Op('confirmAgreements', 'Confirm all, or the chosen, of your pending agreements of a batch')
  @ApiOk(BulkConfirmResultDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  confirmMany(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: BulkConfirmDto) {
    return this.agreements.confirmMany(user, id, dto.agreementIds);
  }

  /** After the deadline, confirms (forced) every agreement of the batch still pending. */
  @Roles(Role.ADMIN)
  @Post('batches/:id/agreements/confirm-overdue')
  @HttpCode(200)
  @Op('confirmOverdueAgreements')
  @ApiOk(ConfirmOverdueDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  confirmOverdue(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.agreements.confirmOverdue(user, id);
  }
}
