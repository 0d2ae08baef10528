import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import { CreateRunDto, ListRunsQueryDto, RunViewQueryDto } from './dto/settlement.dto';
import { SettlementRunsService } from './settlement-runs.service';

@ApiTags('settlements')
@ApiBearerAuth()
@Controller('settlements/runs')
export class SettlementsController {
  constructor(private readonly runs: SettlementRunsService) {}

  /** Starts a run for a cut-off (not in the future); the work runs as jobs: 202 {runId, jobId}. */
  @Roles(Role.FUND)
  @Post()
  @HttpCode(202)
  start(@CurrentUser() user: Principal, @Body() dto: CreateRunDto) {
    return this.runs.start(user, dto.cutoff);
  }

  @Roles(Role.FUND)
  @Get()
  list(@Query() q: ListRunsQueryDto) {
    return this.runs.list(q);
  }

  /** Status, progress, totals and the run's instructions (`?limit=&offset=` pages them, 500 by default). */
  @Roles(Role.FUND)
  @Get(':id')
  view(@Param('id', ParseIntPipe) id: number, @Query() q: RunViewQueryDto) {
    return this.runs.view(id, q);
  }

  /** The settlement statement of a run: a sheet per supplier, streamed. */
  @Roles(Role.FUND)
  @Get(':id/statement.xlsx')
  @XlsxDownload('Settlement statement: a sheet per supplier')
  async statement(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    const filename = await this.runs.statementFile(id);
    return xlsxStream(filename, (out) => this.runs.writeStatement(id, out));
  }
}
