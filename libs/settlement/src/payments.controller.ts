import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { ListPaymentsQueryDto, MarkPaidDto, OverdueReportQueryDto } from './dto/settlement.dto';
import { ExportColumn, writeXlsx, XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import { PaymentExportRow, PaymentsService } from './payments.service';

const EXPORT_COLUMNS: ExportColumn<PaymentExportRow>[] = [
  { header: 'paymentId', value: 'id' },
  { header: 'runId', value: 'runId' },
  { header: 'hospitalId', value: 'hospitalId' },
  { header: 'supplierId', value: 'supplierId' },
  { header: 'amount', value: 'amount', decimals: 2, width: 16 },
  { header: 'fromPrepayment', value: 'fromPrepayment', decimals: 2, width: 16 },
  { header: 'fromHospital', value: 'fromHospital', decimals: 2, width: 16 },
  { header: 'dueDate', value: 'dueDate', width: 26 },
  { header: 'status', value: 'status' },
  { header: 'paidAt', value: 'paidAt', width: 26 },
  { header: 'overdue', value: (r) => (r.overdue ? 'YES' : 'NO') },
  { header: 'lines', value: 'lines' },
];

@ApiTags('payments')
@ApiBearerAuth()
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** Payment instructions: the fund sees all; a supplier or hospital its own. */
  @Roles(Role.FUND, Role.SUPPLIER, Role.HOSPITAL)
  @Get()
  list(@CurrentUser() user: Principal, @Query() q: ListPaymentsQueryDto) {
    return this.payments.list(user, q);
  }

  /** Overdue and late payments by hospital or by supplier: the fund all; a supplier or hospital its own row. */
  @Roles(Role.FUND, Role.SUPPLIER, Role.HOSPITAL)
  @Get('overdue-report')
  overdueReport(@CurrentUser() user: Principal, @Query() q: OverdueReportQueryDto) {
    return this.payments.overdueReport(user, q);
  }

  /** PENDING → PAID, once. */
  @Roles(Role.FUND)
  @Post(':id/mark-paid')
  @HttpCode(200)
  markPaid(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: MarkPaidDto) {
    return this.payments.markPaid(user, id, dto);
  }
}

/** GET /payments.xlsx: the list as a workbook, streamed at any size (a route outside /payments/...). */
@ApiTags('payments')
@ApiBearerAuth()
@Controller()
export class PaymentsExportController {
  constructor(private readonly payments: PaymentsService) {}

  /** Every payment instruction the caller may see, under the list's filters (paging ignored). */
  @Roles(Role.FUND, Role.SUPPLIER, Role.HOSPITAL)
  @Get('payments.xlsx')
  @XlsxDownload('Payment instructions, one row each')
  export(@CurrentUser() user: Principal, @Query() q: ListPaymentsQueryDto) {
    const pages = this.payments.exportPages(user, q);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return xlsxStream('payments.xlsx', (out) => writeXlsx(out, [{ name: 'Payments', columns: EXPORT_COLUMNS, rows: rows() }]));
  }
}
