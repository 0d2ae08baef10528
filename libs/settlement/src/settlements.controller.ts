import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiErrors, ApiJob, ApiOk, ApiOkList, Op } from '@jicai/common';
import { XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import { CreateRunDto, ListRunsQueryDto, RunViewQueryDto } from './dto/settlement.dto';
import { SettlementRunsService } from './settlement-runs.service';
import { RunAcceptedDto, SettlementRunDto, SettlementRunViewDto } from './dto/settlement.responses';

@ApiTags('settlements')
@ApiBearerAuth()
@Controller('settlements/runs')
export class SettlementsController {
  constructor(private readonly runs: SettlementRunsService) {}

  /** Starts a run for a cut-off (not in the future); the work runs as jobs: 202 {runId, jobId}. */
  @Roles(Role.FUND)
  @Post()
  @HttpCode(202)
  @Op('startSettlementRun')
  @ApiJob(RunAcceptedDto)
  @ApiErrors([409, 'INVALID_STATE'])
  start(@CurrentUser() user: Principal, @Body() dto: CreateRunDto) {
    return this.runs.start(user, dto.cutoff);
  }

  @Roles(Role.FUND)
  @Get()
  @Op('listSettlementRuns')
  @ApiOkList(SettlementRunDto)
  list(@Query() q: ListRunsQueryDto) {
    return this.runs.list(q);
  }

  /** Status, progress, totals and the run's instructions (`?limit=&offset=` pages them, 500 by default). */
  @Roles(Role.FUND)
  @Get(':id')
  @Op('getSettlementRun')
  @ApiOk(SettlementRunViewDto)
  @ApiErrors(404)
  view(@Param('id', ParseIntPipe) id: number, @Query() q: RunViewQueryDto) {
    return this.runs.view(id, q);
  }

  /** The settlement statement of a run: a sheet per supplier, streamed. */
  @Roles(Role.FUND)
  @Get(':id/statement.xlsx')
  @XlsxDownload('Settlement statement: a sheet per supplier')
  @Op('exportSettlementStatement')
  @ApiErrors(404)
  async statement(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    const filename = await this.runs.statementFile(id);
    return xlsxStream(filename, (out) => this.runs.writeStatement(id, out));
  }
}
