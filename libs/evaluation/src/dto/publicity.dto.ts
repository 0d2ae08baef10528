import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, Equals, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { ApiDateTime, ApiInt, ApiMoney, FreeText } from '@jicai/common';
import { CriterionDto } from './evaluation.dto';
import type { FlagStatus, ObjectionRuling, ObjectionStatus } from '../publicity.service';
import type { RevivalOfferView, RevivalStatus } from '../revival.service';

/** POST /batches/:id/objections (domain.md 15.4). */
export class FileObjectionDto {
  @ApiProperty({ type: 'integer', example: 12 }) @IsInt() @Min(1) itemId!: number;
  @ApiProperty({ example: 'B' }) @IsString() @IsNotEmpty() @MaxLength(32) group!: string;
  @ApiProperty({ example: 'The technical score of our quality record is wrong' }) @IsString() @IsNotEmpty() @MaxLength(2000) @FreeText() reason!: string;
  @ApiPropertyOptional({ description: 'a reference to a supporting document (file name or URL)', example: 'gmp-certificate-2026.pdf' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  attachment?: string;
}

/** POST /objections/:id/answer [admin]: UPHELD names a bid and either its new criteria or ruleInvalid: true. */
export class AnswerObjectionDto {
  @ApiProperty({ enum: ['UPHELD', 'DISMISSED'] }) @IsIn(['UPHELD', 'DISMISSED'], { message: 'decision must be UPHELD or DISMISSED' }) decision!:
    'UPHELD' | 'DISMISSED';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) @FreeText() reason!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'UPHELD: the bid of the item × group the ruling concerns' })
  @IsOptional()
  @IsInt()
  @Min(1)
  bidId?: number;
  @ApiPropertyOptional({ type: [CriterionDto], description: 'UPHELD: the bid’s corrected technical-score criteria' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria?: CriterionDto[];
  @ApiPropertyOptional({ description: 'UPHELD: true rules the bid invalid' })
  @IsOptional()
  @Equals(true, { message: 'ruleInvalid can only be true' })
  ruleInvalid?: boolean;
}

/** POST /bids/:id/cost-statement [supplier] (domain.md 15.5). */
export class CostStatementDto {
  @ApiProperty({ example: 'API made in-house; cost per tablet 0.031 yuan, audited 2026' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  @FreeText()
  statement!: string;
}

/** POST /bids/:id/cost-statement/decision [admin]. */
export class CostStatementDecisionDto {
  @ApiProperty({ enum: ['ACCEPTED', 'RULED_INVALID'] })
  @IsIn(['ACCEPTED', 'RULED_INVALID'], { message: 'decision must be ACCEPTED or RULED_INVALID' })
  decision!: 'ACCEPTED' | 'RULED_INVALID';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) @FreeText() reason!: string;
}

export class ObjectionDto {
  @ApiProperty({ type: 'integer' }) id!: number;
  @ApiProperty({ type: 'integer' }) batchId!: number;
  @ApiProperty({ type: 'integer' }) itemId!: number;
  @ApiProperty() group!: string;
  @ApiProperty({ type: 'integer' }) supplierId!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true, type: String }) attachment!: string | null;
  @ApiProperty({ enum: ['OPEN', 'UPHELD', 'DISMISSED'] }) status!: ObjectionStatus;
  @ApiProperty({ nullable: true, type: String }) answerReason!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: '{bidId, technicalScore, criteria} or {bidId, invalid: true}' }) ruling!: ObjectionRuling | null;
  @ApiProperty({ format: 'date-time' }) filedAt!: string;
  @ApiProperty({ nullable: true, format: 'date-time', type: String }) answeredAt!: string | null;
}

export class AbnormalLowFlagDto {
  @ApiProperty({ type: 'integer' }) bidId!: number;
  @ApiProperty({ type: 'integer' }) itemId!: number;
  @ApiProperty() group!: string;
  @ApiProperty({ type: 'integer' }) supplierId!: number;
  @ApiProperty({ type: 'string', example: '0.2500' }) medianUcp!: string;
  @ApiProperty({ example: '0.12500000' }) thresholdUcp!: string;
  @ApiProperty({ enum: ['FLAGGED', 'STATEMENT_SUBMITTED', 'ACCEPTED', 'RULED_INVALID'] }) status!: FlagStatus;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'admins and the bidder only' }) statement?: string | null;
  @ApiProperty({ nullable: true, format: 'date-time', type: String }) statementAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason!: string | null;
  @ApiProperty({ nullable: true, format: 'date-time', type: String }) decidedAt!: string | null;
}

/** POST /bids/:id/revival (domain.md 15.3). */
export class RevivalAnswerDto {
  @ApiProperty({ description: 'true accepts the offer price, false declines' }) @IsBoolean({ message: 'accept must be true or false' }) accept!: boolean;
}

/** A revival offer (复活, domain.md 15.3) and its answer. */
export class RevivalOfferDto implements RevivalOfferView {
  @ApiInt() bidId!: number;
  @ApiInt() itemId!: number;
  @ApiProperty({ example: 'A' }) group!: string;
  @ApiInt() supplierId!: number;
  @ApiInt({ description: 'the bid’s rank in its item × group' }) rank!: number;
  @ApiMoney('0.1500') offerUcp!: string;
  @ApiMoney('2.10', { description: 'the offer converted to the bid’s own pack' }) offerPackPrice!: string;
  @ApiDateTime() deadline!: string;
  @ApiProperty({ enum: ['PENDING', 'ACCEPTED', 'DECLINED', 'LAPSED'], description: 'PENDING past its deadline reads LAPSED' }) status!: RevivalStatus;
  @ApiDateTime({ nullable: true }) answeredAt!: string | null;
}
