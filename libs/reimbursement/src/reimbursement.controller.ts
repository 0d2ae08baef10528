import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AnyRole, CurrentUser, Roles, Principal, Role, ApiErrors, ApiOk, ApiOkList, Op } from '@jicai/common';
import { ListPaymentStandardsQueryDto, ProductStandardQueryDto, QuoteDto } from './dto/reimbursement.dto';
import { PaymentStandardsService } from './payment-standards.service';
import { ReimbursementService } from './reimbursement.service';
import { PaymentStandardDto, ProductStandardDto, QuoteAnswerDto } from './dto/reimbursement.responses';

@ApiTags('payment standards')
@ApiBearerAuth()
@Controller('payment-standards')
export class PaymentStandardsController {
  constructor(private readonly standards: PaymentStandardsService) {}

  /** The standards in force: the latest award per generic name + dosage form, one row per group. */
  @AnyRole()
  @Get()
  @Op('listPaymentStandards')
  @ApiOkList(PaymentStandardDto)
  list(@Query() q: ListPaymentStandardsQueryDto) {
    return this.standards.list(q);
  }
}

/** Lives here, not in the catalog module: the standard is section 9's business. */
@ApiTags('payment standards')
@ApiBearerAuth()
@Controller('catalog/products')
export class ProductPaymentStandardController {
  constructor(private readonly standards: PaymentStandardsService) {}

  @AnyRole()
  @Get(':id/payment-standard')
  @Op('getProductPaymentStandard')
  @ApiOk(ProductStandardDto)
  @ApiErrors(404, [422, 'NO_PAYMENT_STANDARD'])
  forProduct(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: ProductStandardQueryDto) {
    return this.standards.forProduct(user, id, q.date);
  }
}

@ApiTags('payment standards')
@ApiBearerAuth()
@Controller('reimbursement')
export class ReimbursementController {
  constructor(private readonly reimbursement: ReimbursementService) {}

  @Roles(Role.HOSPITAL, Role.FUND)
  @Post('quote')
  @HttpCode(200)
  @Op('quoteReimbursement')
  @ApiOk(QuoteAnswerDto)
  @ApiErrors(404, [422, 'NO_PAYMENT_STANDARD', 'ZERO_MARKUP_VIOLATION'])
  quote(@Body() dto: QuoteDto) {
    return this.reimbursement.quote(dto);
  }
}
