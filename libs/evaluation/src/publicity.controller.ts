import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCreated, ApiErrors, ApiOk, ApiOkList, CurrentUser, Principal, Role, Roles } from '@jicai/common';
import {
  AbnormalLowFlagDto,
  AnswerObjectionDto,
  CostStatementDecisionDto,
  CostStatementDto,
  FileObjectionDto,
  ObjectionDto,
  RevivalAnswerDto,
  RevivalOfferDto,
} from './dto/publicity.dto';
import { PublicityService } from './publicity.service';
import { RevivalService } from './revival.service';

/** Domain.md 15.4 and 15.5: publicity, objections, abnormally low bids. */
@ApiTags('evaluation')
@Controller()
export class PublicityController {
  constructor(
    private readonly publicity: PublicityService,
    private readonly revival: RevivalService,
  ) {}

  @Roles(Role.SUPPLIER)
  @Post('bids/:id/revival')
  @HttpCode(200)
  @ApiOk(RevivalOfferDto)
  @ApiErrors(404, [409, 'REVIVAL_CLOSED'])
  answerRevival(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: RevivalAnswerDto) {
    return this.revival.answer(user, id, dto.accept);
  }

  @Roles(Role.ADMIN, Role.SUPPLIER)
  @Get('batches/:id/revival-offers')
  @ApiOkList(RevivalOfferDto)
  @ApiErrors(404)
  listRevivalOffers(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.revival.list(user, id);
  }

  @Roles(Role.SUPPLIER)
  @Post('batches/:id/objections')
  @ApiCreated(ObjectionDto)
  @ApiErrors(404, [409, 'NOT_IN_PUBLICITY'])
  fileObjection(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: FileObjectionDto) {
    return this.publicity.fileObjection(user, id, dto);
  }

  @Roles(Role.ADMIN, Role.SUPPLIER)
  @Get('batches/:id/objections')
  @ApiOkList(ObjectionDto)
  @ApiErrors(404)
  listObjections(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.publicity.listObjections(user, id);
  }

  @Roles(Role.ADMIN)
  @Post('objections/:id/answer')
  @HttpCode(200)
  @ApiOk(ObjectionDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  answerObjection(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: AnswerObjectionDto) {
    return this.publicity.answerObjection(user, id, dto);
  }

  @Roles(Role.ADMIN, Role.SUPPLIER)
  @Get('batches/:id/abnormal-low-bids')
  @ApiOkList(AbnormalLowFlagDto)
  @ApiErrors(404)
  listFlags(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.publicity.listFlags(user, id);
  }

  @Roles(Role.SUPPLIER)
  @Post('bids/:id/cost-statement')
  @HttpCode(200)
  @ApiOk(AbnormalLowFlagDto)
  @ApiErrors(404, [409, 'NOT_IN_PUBLICITY', 'INVALID_STATE'])
  submitCostStatement(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: CostStatementDto) {
    return this.publicity.submitCostStatement(user, id, dto.statement);
  }

  @Roles(Role.ADMIN)
  @Post('bids/:id/cost-statement/decision')
  @HttpCode(200)
  @ApiOk(AbnormalLowFlagDto)
  @ApiErrors(404, [409, 'NO_COST_STATEMENT', 'INVALID_STATE'])
  decideCostStatement(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: CostStatementDecisionDto) {
    return this.publicity.decideCostStatement(user, id, dto);
  }
}
