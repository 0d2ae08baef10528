import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiErrors, ApiOk, ApiOkKeysetList, ApiOkList, Op } from '@jicai/common';
import { ListPaymentsQueryDto, MarkPaidDto, OverdueReportQueryDto } from './dto/settlement.dto';
import { OverdueReportRowDto, PaymentInstructionDto } from './dto/settlement.responses';
import { ExportColumn, writeXlsx, XlsxDownload, xlsxStream } from '@jicai/spreadsheets';
import { PaymentExportRow, PaymentsService } from './payments.service';

const EXPORT_COLUMNS: ExportColumn<PaymentExportRow>[] = [
  { header: 'paymentId', label: '支付指令ID', value: 'id', kind: 'id' },
  { header: 'runId', label: '结算批次ID', value: 'runId', kind: 'id' },
  { header: 'hospitalId', label: '医院ID', value: 'hospitalId', kind: 'id' },
  { header: 'hospitalName', label: '医院', value: 'hospitalName', width: 28 },
  { header: 'supplierId', label: '供应商ID', value: 'supplierId', kind: 'id' },
  { header: 'supplierName', label: '供应商', value: 'supplierName', width: 28 },
  { header: 'amount', label: '金额（元）', value: 'amount', decimals: 2, width: 16 },
  { header: 'fromPrepayment', label: '预付款抵扣（元）', value: 'fromPrepayment', decimals: 2, width: 16 },
  { header: 'fromHospital', label: '医院支付（元）', value: 'fromHospital', decimals: 2, width: 16 },
  { header: 'dueDate', label: '到期时间', value: 'dueDate', kind: 'datetime', width: 22 },
  { header: 'status', label: '状态', value: 'status' },
  { header: 'paidAt', label: '支付时间', value: 'paidAt', kind: 'datetime', width: 22 },
  { header: 'overdue', label: '逾期', value: (r) => (r.overdue ? 'YES' : 'NO') },
  { header: 'daysOverdue', label: '逾期天数', value: 'daysOverdue', kind: 'integer' },
  { header: 'lines', label: '明细行数', value: 'lines', kind: 'integer' },
];

@ApiTags('payments')
@ApiBearerAuth()
@Controller('payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** Payment instructions: the fund sees all; a supplier or hospital its own. */
  @Roles(Role.FUND, Role.SUPPLIER, Role.HOSPITAL)
  @Get()
  @Op('listPayments')
  @ApiOkKeysetList(PaymentInstructionDto)
  list(@CurrentUser() user: Principal, @Query() q: ListPaymentsQueryDto) {
    return this.payments.list(user, q);
  }

  /** Overdue and late payments by hospital or by supplier: the fund all; a supplier or hospital its own row. */
  @Roles(Role.FUND, Role.SUPPLIER, Role.HOSPITAL)
  @Get('overdue-report')
  @Op('getOverdueReport')
  @ApiOkList(OverdueReportRowDto)
  overdueReport(@CurrentUser() user: Principal, @Query() q: OverdueReportQueryDto) {
    return this.payments.overdueReport(user, q);
  }

  /** PENDING → PAID, once. */
  @Roles(Role.FUND)
  @Post(':id/mark-paid')
  @HttpCode(200)
  @Op('markPaymentPaid')
  @ApiOk(PaymentInstructionDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
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
  @Op('exportPayments')
  export(@CurrentUser() user: Principal, @Query() q: ListPaymentsQueryDto) {
    const pages = this.payments.exportPages(user, q);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return xlsxStream('payments.xlsx', (out) => writeXlsx(out, [{ name: 'Payments', columns: EXPORT_COLUMNS, rows: rows() }]));
  }
}
