import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { batchView } from '@jicai/batches';
import { XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import { ActivationService } from './activation.service';
import { ListPrepaymentsQueryDto, ScheduleQueryDto } from './dto/prepayment.dto';
import { PrepaymentScheduleExport } from './prepayment-schedule.export';
import { PrepaymentService, prepaymentView } from './prepayment.service';
import { BatchDto } from '@jicai/batches';
import { PrepaymentDto } from './dto/prepayment.responses';

@ApiTags('prepayments')
@ApiBearerAuth()
@Controller('prepayments')
export class PrepaymentsController {
  constructor(
    private readonly prepayments: PrepaymentService,
    private readonly schedule: PrepaymentScheduleExport,
  ) {}

  @Roles(Role.FUND, Role.ADMIN, Role.HOSPITAL)
  @Get()
  @Op('listPrepayments')
  @ApiOkList(PrepaymentDto)
  list(@CurrentUser() user: Principal, @Query() q: ListPrepaymentsQueryDto) {
    return this.prepayments.list(user, q);
  }

  @Roles(Role.FUND, Role.ADMIN)
  @Get('schedule.xlsx')
  @XlsxDownload('The prepayment schedule of a batch: one row per hospital and agreement year')
  @Op('exportPrepaymentSchedule')
  @ApiErrors(404)
  async scheduleXlsx(@Query() q: ScheduleQueryDto) {
    const code = await this.schedule.batchCode(q.batchId);
    return xlsxStream(`prepayments-${code}.xlsx`, (out) => this.schedule.write(out, q.batchId, code));
  }

  /** Disburses before the due date (the job does it on the due date); 409 unless SCHEDULED. */
  @Roles(Role.FUND)
  @Post(':id/disburse')
  @HttpCode(200)
  @Op('disbursePrepayment')
  @ApiOk(PrepaymentDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async disburse(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return prepaymentView(await this.prepayments.disburseEarly(user, id));
  }
}

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class ActivationController {
  constructor(private readonly activation: ActivationService) {}

  /** ALLOCATED → IN_FORCE, scheduling the prepayments (domain.md section 8). */
  @Roles(Role.ADMIN)
  @Post(':id/activate')
  @HttpCode(200)
  @Op('activateBatch')
  @ApiOk(BatchDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async activate(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    const { batch, prepayments, jobId } = await this.activation.activate(user, id);
    // The batch as before, plus the fan-out job that enqueues the prepayments' jobs.
    return { ...batchView(batch), prepayments, jobId };
  }
}
