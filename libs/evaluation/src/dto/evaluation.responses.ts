import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, ApiMoney } from '@jicai/common';
import { BatchStatus } from '@jicai/batches';
import type { ResultBid, ResultGroup } from '../evaluation.service';
import { AbnormalLowFlagDto, ObjectionDto, RevivalOfferDto } from './publicity.dto';
import { CriterionDto } from './evaluation.dto';
import type { TechnicalScoreView } from '../technical-scores.view';

export class TechnicalScoreResultDto {
  @ApiInt() bidId!: number;
  @ApiMoney('28.50', { description: 'technical score' }) technicalScore!: string;
}

/** GET /batches/:id/technical-scores: an opened bid with its stored technical score (null until scored) and criteria. */
export class TechnicalScoreRowDto implements TechnicalScoreView {
  @ApiInt() bidId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'Amlodipine' }) genericName!: string;
  @ApiProperty({ example: 'A' }) group!: string;
  @ApiInt() supplierId!: number;
  @ApiProperty() supplierName!: string;
  @ApiInt() productId!: number;
  @ApiMoney('28.50', { nullable: true, description: 'null until scored' }) technicalScore!: string | null;
  @ApiProperty({ type: [CriterionDto], description: 'empty until scored' }) criteria!: CriterionDto[];
  @ApiInt({ nullable: true, description: 'the user who scored it' }) scoredBy!: number | null;
  @ApiDateTime({ nullable: true }) scoredAt!: string | null;
}

export class ResultBidDto implements ResultBid {
  @ApiInt() bidId!: number;
  @ApiInt() supplierId!: number;
  @ApiProperty({ example: '甲药业' }) supplierName!: string;
  @ApiInt() productId!: number;
  @ApiProperty({ example: '左氨氯地平', description: "the product's generic name" }) productName!: string;
  @ApiProperty({ example: '片剂 2.5mg×28片', description: 'dosage form, strength × pack' }) productSpec!: string;
  @ApiMoney('3.33') packPrice!: string;
  @ApiMoney('0.1189') unitComparablePrice!: string;
  @ApiMoney('28.50') technicalScore!: string;
  @ApiMoney('59.3440') priceScore!: string;
  @ApiMoney('87.8440') compositeScore!: string;
  @ApiInt({ description: '1 is best' }) rank!: number;
  @ApiProperty() gated!: boolean;
  @ApiProperty({
    type: 'string',
    enum: ['RATIO', 'REDUCTION', 'FLOOR', 'NO_GATE'],
    nullable: true,
    description: 'the gate it passed (domain.md 15.1/15.2); null when it failed every gate',
  })
  gatePassedBy!: string | null;
  @ApiProperty() winner!: boolean;
  @ApiProperty({ type: AbnormalLowFlagDto, nullable: true, description: 'domain.md 15.5: the flag when the bid is abnormally low' })
  abnormalLow!: AbnormalLowFlagDto | null;
  @ApiProperty({ type: RevivalOfferDto, nullable: true, description: 'domain.md 15.3: the revival offer made to the bid and its answer; null when none' })
  revival!: RevivalOfferDto | null;
}

/** A bid ruled invalid during publicity (domain.md 15.4/15.5): out of the ranking. */
export class RuledInvalidBidDto {
  @ApiInt() bidId!: number;
  @ApiProperty({ example: 'objection', description: 'what ruled it: an objection or a cost-statement decision' }) source!: string;
  @ApiInt() sourceId!: number;
  @ApiProperty() reason!: string;
  @ApiDateTime() ruledAt!: string;
}

export class ResultGroupDto implements ResultGroup {
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'B' }) group!: string;
  @ApiInt() bidCount!: number;
  @ApiProperty() noBid!: boolean;
  @ApiMoney('0.1189', { nullable: true, description: 'what the ratio gate was measured from (domain.md 15.1)' }) anchorUcp!: string | null;
  @ApiMoney('0.0500', { nullable: true, description: 'the floor that applied (domain.md 15.2)' }) gateFloor!: string | null;
  @ApiProperty({ type: [ResultBidDto] }) bids!: ResultBidDto[];
  @ApiProperty({ type: 'integer', isArray: true, description: 'winning bid ids in rank order', example: [12, 10] }) winners!: number[];
  @ApiProperty({ type: [ObjectionDto], description: 'objections to this item × group (admins: all; a supplier: its own)' }) objections!: ObjectionDto[];
  @ApiProperty({ type: [RuledInvalidBidDto] }) ruledInvalid!: RuledInvalidBidDto[];
}

export class ResultsDto {
  @ApiInt() batchId!: number;
  @ApiProperty({ enum: BatchStatus }) status!: BatchStatus;
  @ApiProperty({ type: [ResultGroupDto] }) items!: ResultGroupDto[];
}
