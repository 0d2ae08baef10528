import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { ListPaymentsQueryDto, MarkPaidDto } from './dto/settlement.dto';
import { PaymentsService } from './payments.service';

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

  /** PENDING → PAID, once. */
  @Roles(Role.FUND)
  @Post(':id/mark-paid')
  @HttpCode(200)
  markPaid(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: MarkPaidDto) {
    return this.payments.markPaid(user, id, dto);
  }
}
