import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, ApiErrors, ApiJob, ApiOk, ApiOkList, CurrentUser, JobsService, Op, Principal, QueueName, requesterOf, Role, Roles } from '@jicai/common';
import { OrdersService } from '@jicai/orders';
import { ExportColumn, UploadedXlsx, writeXlsx, XlsxDownload, xlsxFile, XlsxImport, xlsxStream } from '@jicai/spreadsheets';
import { ExecutionImportService } from './execution-import.service';
import { NonSelectedPurchaseDto, ProgressQueryDto, SupplierPerformanceQueryDto } from './dto/execution.dto';
import { NonSelectedPurchaseResultDto, ProgressDto, SupplierPerformanceDto } from './dto/execution.responses';
import { PROGRESS_JOB, progressJobId } from './execution.queue';
import { ProgressService, ProgressView } from './progress.service';

const EXPORT_COLUMNS: ExportColumn<ProgressView>[] = [
  { header: 'year', label: '协议年度', value: 'year' },
  { header: 'hospitalId', label: '医疗机构ID', value: 'hospitalId' },
  { header: 'itemId', label: '品种ID', value: 'itemId' },
  { header: 'group', label: '分组', value: 'group' },
  { header: 'supplierId', label: '企业ID', value: 'supplierId' },
  { header: 'agreementId', label: '协议ID', value: 'agreementId' },
  { header: 'agreedUnits', label: '约定采购量（单位）', value: 'agreedUnits', decimals: 0 },
  { header: 'orderedUnits', label: '已订购（单位）', value: 'orderedUnits', decimals: 0 },
  { header: 'deliveredUnits', label: '已配送（单位）', value: 'deliveredUnits', decimals: 0 },
  { header: 'acceptedUnits', label: '已验收（单位）', value: 'acceptedUnits', decimals: 0 },
  { header: 'completion', label: '完成率', value: 'completion', decimals: 4 },
  { header: 'expectedCompletion', label: '应完成率', value: 'expectedCompletion', decimals: 4 },
  { header: 'nonSelectedUnits', label: '非中选产品采购量（单位）', value: 'nonSelectedUnits', decimals: 0 },
  { header: 'nonSelectedShare', label: '非中选产品占比', value: 'nonSelectedShare', decimals: 4 },
  { header: 'flags', label: '预警', value: (r) => r.flags.join(','), width: 28 },
  { header: 'computedAt', label: '计算时间', kind: 'datetime', value: 'computedAt', width: 26 },
];

/** Execution progress (执行进度) and supplier punctuality of a batch. */
@ApiTags('progress')
@ApiBearerAuth()
@Controller('batches/:id/progress')
export class ProgressController {
  constructor(
    private readonly progress: ProgressService,
    private readonly orders: OrdersService,
    private readonly jobs: JobsService,
    private readonly imports: ExecutionImportService,
  ) {}

  /** Admins and the fund: all rows; hospitals: their own; suppliers: their own agreements' rows. */
  @AnyRole()
  @Get()
  @Op('listProgress')
  @ApiOkList(ProgressDto)
  @ApiErrors(404)
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: ProgressQueryDto) {
    return this.progress.list(user, id, q);
  }

  @AnyRole()
  @Get('export.xlsx')
  @XlsxDownload('Progress rows visible to the caller, with the same filters')
  async export(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: ProgressQueryDto) {
    await this.progress.requireBatch(id);
    const pages = this.progress.exportPages(user, id, q);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return xlsxStream(`batch-${id}-progress.xlsx`, (out) => writeXlsx(out, [{ name: 'Progress', columns: EXPORT_COLUMNS, rows: rows() }]));
  }

  /** Non-selected purchases of an item in a year (hospitals their own, admins any): counted at the next recompute. */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Put('non-selected')
  @Op('setNonSelectedPurchase')
  @ApiOk(NonSelectedPurchaseResultDto)
  @ApiErrors(404)
  setNonSelected(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: NonSelectedPurchaseDto) {
    return this.progress.setNonSelected(user, id, dto);
  }

  /** The non-selected purchases template: a row per item × agreement year (a hospital's with its current figures; an admin's with hospital columns). */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Get('non-selected/template.xlsx')
  @XlsxDownload('The non-selected purchases template: a row per item × agreement year')
  @Op('getNonSelectedTemplate')
  @ApiErrors(404)
  async nonSelectedTemplate(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return xlsxFile(await this.imports.nonSelectedTemplate(user, id), `non-selected-template-batch-${id}.xlsx`);
  }

  /** All or nothing: hospitals their own rows, admins any hospital's (at most 5,000 rows); every bad row answers 400; a job writes them: 202 {jobId, rows}. */
  @Roles(Role.HOSPITAL, Role.ADMIN)
  @Post('non-selected/import')
  @XlsxImport('Import non-selected purchases per item × agreement year from an xlsx (the template’s columns)')
  @Op('importNonSelectedPurchases')
  @ApiErrors(404)
  importNonSelected(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @UploadedXlsx() file: Buffer) {
    return this.imports.importNonSelected(user, id, file);
  }

  /** Recomputes the batch's progress now (the nightly job does it every night): 202 {jobId}. */
  @Roles(Role.ADMIN)
  @Post('recompute')
  @HttpCode(202)
  @Op('recomputeProgress')
  @ApiJob()
  @ApiErrors(404)
  async recompute(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    await this.progress.requireBatch(id);
    const jobId = await this.jobs.enqueue(QueueName.EXECUTION, PROGRESS_JOB, { batchId: id, requestedBy: requesterOf(user) }, { jobId: progressJobId(id) });
    return { jobId };
  }

  /** Per supplier: answers in time, refusals, fill rate, days to first delivery (scoped as the orders are). */
  @AnyRole()
  @Get('suppliers')
  @Op('listSupplierPerformance')
  @ApiOkList(SupplierPerformanceDto)
  @ApiErrors(404)
  async suppliers(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: SupplierPerformanceQueryDto) {
    await this.progress.requireBatch(id);
    return this.orders.supplierPerformance(user, id, q);
  }
}
