import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, ListQueryDto, Roles, Principal, Role, ApiErrors, ApiJob, ApiOk, ApiOkList, Op } from '@jicai/common';
import { batchView } from '@jicai/batches';
import { TechnicalScoreDto } from './dto/evaluation.dto';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport, xlsxStream, writeXlsx } from '@jicai/spreadsheets';
import { EvaluationService } from './evaluation.service';
import { BatchDto } from '@jicai/batches';
import { ResultsDto, TechnicalScoreResultDto, TechnicalScoreRowDto } from './dto/evaluation.responses';

@ApiTags('evaluation')
@ApiBearerAuth()
@Controller()
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Roles(Role.ADMIN)
  @Put('bids/:id/technical-score')
  @Op('setTechnicalScore')
  @ApiOk(TechnicalScoreResultDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  setTechnicalScore(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: TechnicalScoreDto) {
    return this.evaluation.setTechnicalScore(user, id, dto.criteria);
  }

  /** All or nothing: validated whole here, errors per row (400); an import job writes the scores: 202 {jobId, rows}. */
  @Roles(Role.ADMIN)
  @Post('batches/:id/technical-scores/import')
  @XlsxImport('Import technical scores from an xlsx: one row per criterion of an opened bid')
  @Op('importTechnicalScores')
  @ApiErrors(404, [409, 'INVALID_STATE'])
  importTechnicalScores(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @UploadedXlsx() file: Buffer) {
    return this.evaluation.importTechnicalScores(user, id, file);
  }

  /** The stored technical scores of the batch's opened bids, with their criteria (null until scored); readable before evaluation. */
  @Roles(Role.ADMIN)
  @Get('batches/:id/technical-scores')
  @Op('listTechnicalScores')
  @ApiOkList(TechnicalScoreRowDto)
  @ApiErrors(404)
  technicalScores(@Param('id', ParseIntPipe) id: number, @Query() q: ListQueryDto) {
    return this.evaluation.technicalScores(id, q);
  }

  @Roles(Role.ADMIN)
  @Get('batches/:id/technical-scores/template.xlsx')
  @XlsxDownload()
  @Op('getTechnicalScoreTemplate')
  @ApiErrors(404)
  async technicalScoreTemplate(@Param('id', ParseIntPipe) id: number) {
    return xlsxFile(await this.evaluation.technicalScoreTemplate(id), `batch-${id}-technical-scores.xlsx`);
  }

  @Roles(Role.ADMIN)
  @Post('batches/:id/evaluate')
  @HttpCode(202)
  @Op('evaluateBatch')
  @ApiJob()
  @ApiErrors(404, [409, 'INVALID_STATE', 'TECHNICAL_SCORES_MISSING'])
  async evaluate(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return { jobId: await this.evaluation.requestEvaluation(user, id) };
  }

  @AnyRole()
  @Get('batches/:id/results')
  @Op('getResults')
  @ApiOk(ResultsDto)
  @ApiErrors(404)
  results(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.evaluation.results(user, id);
  }

  /** Per item × group: bidder and product (ids and names), pack price, UCP, scores, rank, gated, winner: the export convention. */
  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/results.xlsx')
  @Op('exportResults')
  @ApiErrors(404)
  @XlsxDownload('The results of the batch, one row per bid (and per item × group without bids)')
  async resultsXlsx(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    const sheet = await this.evaluation.resultsSheet(user, id);
    return xlsxStream(`batch-${id}-results.xlsx`, (out) => writeXlsx(out, [sheet]));
  }

  @Roles(Role.ADMIN)
  @Post('batches/:id/award')
  @HttpCode(200)
  @Op('awardBatch')
  @ApiOk(BatchDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async award(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return batchView(await this.evaluation.award(user, id));
  }
}
