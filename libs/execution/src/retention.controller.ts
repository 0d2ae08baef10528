import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiJob, ApiOk, ApiOkList, CurrentUser, JobsService, Op, Principal, QueueName, requesterOf, Role, Roles } from '@jicai/common';
import { ExportColumn, UploadedXlsx, writeXlsx, XlsxDownload, xlsxFile, XlsxImport, xlsxStream } from '@jicai/spreadsheets';
import { ExecutionImportService } from './execution-import.service';
import { AssessmentScoreDto, BaselineDto, BaselinesQueryDto, RetentionQueryDto } from './dto/retention.dto';
import { AssessmentScoreResultDto, BaselineResultDto, RetentionPageDto } from './dto/execution.responses';
import { RETENTION_YEAR_END_JOB, retentionYearEndJobId } from './execution.queue';
import { RetentionService, RetentionView } from './retention.service';

const EXPORT_COLUMNS: ExportColumn<RetentionView>[] = [
  { header: 'year', label: '协议年度', value: 'year' },
  { header: 'hospitalId', label: '医疗机构ID', value: 'hospitalId' },
  { header: 'savings', label: '节约金额（元）', value: 'savings', decimals: 2 },
  { header: 'score', label: '考核得分', value: 'score', decimals: 4 },
  { header: 'share', label: '留用比例', value: 'share', decimals: 4 },
  { header: 'retained', label: '留用金额（元）', value: 'retained', decimals: 2 },
  { header: 'status', label: '状态', value: 'status' },
  { header: 'computedAt', label: '计算时间', kind: 'datetime', value: 'computedAt', width: 26 },
  { header: 'fixedAt', label: '确定时间', kind: 'datetime', value: 'fixedAt', width: 26 },
];

/** Savings retention (结余留用): baselines and scores by admins, amounts for the fund. */
@ApiTags('retention')
@ApiBearerAuth()
@Controller('batches/:id')
export class RetentionController {
  constructor(
    private readonly retention: RetentionService,
    private readonly jobs: JobsService,
    private readonly imports: ExecutionImportService,
  ) {}

  @Roles(Role.ADMIN)
  @Put('items/:itemId/baseline')
  @Op('setBaseline')
  @ApiOk(BaselineResultDto)
  @ApiErrors(404)
  setBaseline(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Param('itemId', ParseIntPipe) itemId: number, @Body() dto: BaselineDto) {
    return this.retention.setBaseline(user, id, itemId, dto);
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('baselines')
  @Op('listBaselines')
  @ApiOkList(BaselineResultDto)
  @ApiErrors(404)
  baselines(@Param('id', ParseIntPipe) id: number, @Query() q: BaselinesQueryDto) {
    return this.retention.baselines(id, q);
  }

  @Roles(Role.ADMIN)
  @Put('assessment-scores')
  @Op('setAssessmentScore')
  @ApiOk(AssessmentScoreResultDto)
  @ApiErrors(404)
  setScore(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: AssessmentScoreDto) {
    return this.retention.setScore(user, id, dto);
  }

  @Roles(Role.ADMIN)
  @Get('assessment-scores/template.xlsx')
  @XlsxDownload('The assessment scores template: hospital, agreement year, score')
  @Op('getAssessmentScoresTemplate')
  @ApiErrors(404)
  async scoresTemplate(@Param('id', ParseIntPipe) id: number) {
    return xlsxFile(await this.imports.scoresTemplate(id), `assessment-scores-template-batch-${id}.xlsx`);
  }

  /** All or nothing (at most 50,000 rows): every bad row, and any row whose year is already fixed, answers 400; a job writes them: 202 {jobId, rows}. */
  @Roles(Role.ADMIN)
  @Post('assessment-scores/import')
  @XlsxImport('Import assessment scores per hospital × agreement year from an xlsx (the template’s columns)')
  @Op('importAssessmentScores')
  @ApiErrors(404)
  importScores(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @UploadedXlsx() file: Buffer) {
    return this.imports.importScores(user, id, file);
  }

  /** The fund and admins: every hospital; a hospital: its own. */
  @Roles(Role.FUND, Role.ADMIN, Role.HOSPITAL)
  @Get('retention')
  @Op('listRetention')
  @ApiOk(RetentionPageDto)
  @ApiErrors(404)
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: RetentionQueryDto) {
    return this.retention.list(user, id, q);
  }

  @Roles(Role.FUND, Role.ADMIN)
  @Get('retention.xlsx')
  @XlsxDownload('Savings retention per hospital and agreement year')
  async export(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: RetentionQueryDto) {
    await this.retention.list(user, id, { ...q, limit: 1, offset: 0 });
    const pages = this.retention.exportPages(user, id, q);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return xlsxStream(`batch-${id}-retention.xlsx`, (out) => writeXlsx(out, [{ name: 'Retention', columns: EXPORT_COLUMNS, rows: rows() }]));
  }

  /** The year-end job now (it also runs by itself, nightly, once the year has ended): 202 {jobId}. */
  @Roles(Role.ADMIN)
  @Post('retention/years/:year/fix')
  @HttpCode(202)
  @Op('fixRetentionYear')
  @ApiJob()
  @ApiErrors(404)
  async fix(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Param('year', ParseIntPipe) year: number) {
    await this.retention.list(user, id, { limit: 1, offset: 0 });
    const jobId = await this.jobs.enqueue(
      QueueName.EXECUTION,
      RETENTION_YEAR_END_JOB,
      { batchId: id, year, requestedBy: requesterOf(user) },
      { jobId: retentionYearEndJobId(id, year) },
    );
    return { jobId };
  }
}
