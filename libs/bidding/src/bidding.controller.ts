import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, Principal, Role, ApiCreated, ApiErrors, ApiJob, ApiOk, Op, pageOf } from '@jicai/common';
import { BiddingService } from './bidding.service';
import { ListBidsQueryDto, SubmitBidDto } from './dto/bid.dto';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { BidCountsDto, BidDto, BidReceiptDto } from './dto/bid.responses';

@ApiTags('bids')
@ApiBearerAuth()
@Controller()
export class BiddingController {
  constructor(private readonly bidding: BiddingService) {}

  @Roles(Role.SUPPLIER)
  @Post('batches/:id/bids')
  @ApiOperation({
    summary: 'Submit a sealed bid (replaces your live bid in that item × group)',
    description: [
      'Answers 201 {id, batchId, itemId, group, supplierId, productId, packPrice, supplyCapacity, unitComparablePrice,',
      'measureUnitsPerPack, receipt, nonce, status: "SEALED", submittedAt, replaces}. `nonce` is given to the bidder only',
      '(published to all at opening): receipt = SHA-256 hex of {"batchId","itemId","supplierId","productId","packPrice"',
      '(2 decimals, string),"supplyCapacity","nonce"} as compact JSON in that key order. `replaces` is the id of the',
      'version this one replaced (kept, REPLACED), or null.',
      'Errors: 400 VALIDATION_FAILED (packPrice not a decimal string > 0 with ≤ 2 decimals, supplyCapacity not an integer > 0);',
      "404 NOT_FOUND (batch, item of this batch, product; another supplier's product answers the same 404 as a missing one);",
      '409 BIDDING_NOT_OPEN (draft, or before biddingOpensAt), 409 BIDDING_CLOSED (at or after biddingClosesAt, or the batch',
      'is past PUBLISHED); 422 PRODUCT_MISMATCH (generic name or dosage form differ from the item after NFKC);',
      '422 STRENGTH_NOT_COMPARABLE (a pack is not a whole number of measure units, or the strength units do not convert);',
      "422 BID_ABOVE_CEILING (UCP above the item's ceiling).",
    ].join(' '),
  })
  @Op('submitBid')
  @ApiCreated(BidReceiptDto)
  @ApiErrors(404, [409, 'BIDDING_NOT_OPEN', 'BIDDING_CLOSED'], [422, 'PRODUCT_MISMATCH', 'STRENGTH_NOT_COMPARABLE', 'BID_ABOVE_CEILING'])
  submit(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: SubmitBidDto) {
    return this.bidding.submit(user, id, dto);
  }

  @Roles(Role.SUPPLIER, Role.ADMIN, Role.FUND)
  @Get('batches/:id/bids')
  @ApiOperation({
    summary: 'Bids of a batch, as your role may see them',
    description: [
      'Supplier: {items, total} of its own live bids with price, capacity, UCP and nonce (decrypted for it);',
      'with history=true every version (SEALED/OPENED, REPLACED with replacedBy, WITHDRAWN with withdrawnAt), newest first.',
      'Admin and fund before the batch is opened: {items:[{itemId, group, count}]} only (every item × group of the rules,',
      'counts of live bids). After opening: {items, total} of every live bid {id, itemId, group, supplierId, productId,',
      'packPrice, supplyCapacity, unitComparablePrice, receipt, nonce, status, submittedAt, ...}. Hospitals: 403.',
      'Filters: itemId; limit/offset.',
    ].join(' '),
  })
  @Op('listBids')
  @ApiExtraModels(pageOf(BidDto), BidCountsDto)
  @ApiResponse({
    status: 200,
    description: '{items, total} of bids, or (admin and fund before opening) counts per item × group',
    schema: { oneOf: [{ $ref: getSchemaPath(pageOf(BidDto)) }, { $ref: getSchemaPath(BidCountsDto) }] },
  })
  @ApiErrors(404)
  list(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Query() q: ListBidsQueryDto) {
    return this.bidding.list(user, id, q);
  }

  @Roles(Role.SUPPLIER)
  @Delete('bids/:id')
  @ApiOperation({
    summary: 'Withdraw your live bid before bidding closes',
    description:
      '200 the bid, status WITHDRAWN (the version is kept). 404 NOT_FOUND for a bid that is not yours; 409 BIDDING_CLOSED after close; 409 INVALID_STATE for a version that is not live (replaced or already withdrawn).',
  })
  @Op('withdrawBid')
  @ApiOk(BidDto)
  @ApiErrors(404, [409, 'BIDDING_CLOSED', 'INVALID_STATE'])
  withdraw(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.bidding.withdraw(user, id);
  }

  @Roles(Role.ADMIN)
  @Post('batches/:id/open')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Open the bids now (once openingAt has passed)',
    description: [
      '202 {jobId} of the opening job (GET /jobs/:jobId; result {opened, bids} or {opened:false, integrityAlarm:true, badBidIds}).',
      'The job id is the scheduled one: a delayed job is promoted, never doubled. 409 OPENING_NOT_DUE before openingAt',
      '(server clock); 409 INVALID_STATE unless the batch is PUBLISHED or CLOSED; 409 INTEGRITY_ALARM once an alarm blocks it.',
    ].join(' '),
  })
  @Op('openBids')
  @ApiJob()
  @ApiErrors(404, [409, 'OPENING_NOT_DUE', 'INVALID_STATE', 'INTEGRITY_ALARM'])
  open(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.bidding.requestOpening(user, id);
  }
}
