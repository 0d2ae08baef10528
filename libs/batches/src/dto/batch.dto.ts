import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ListQueryDto } from '@jicai/common';
import { DOSAGE_FORM_CLASSES, DosageFormClass } from '../batch-rules.rules';

/** Column sizes: rep_strength_value DECIMAL(20,6), ceiling_unit_price DECIMAL(20,4); more digits are a 400, not a 500. */
export class StrengthDto {
  @ApiProperty({ example: '2.5', description: 'decimal string, at most 14 integer digits and 6 decimals' })
  @IsString()
  @Matches(/^\d{1,14}(\.\d{1,6})?$/, { message: 'value must be a positive decimal string with at most 14 digits before the point and 6 after' })
  value!: string;
  @ApiProperty({ example: 'mg' }) @IsString() @IsNotEmpty() @MaxLength(16) unit!: string;
}

export class CreateBatchDto {
  @ApiProperty() @IsString() @Matches(/^\S(.{0,62}\S)?$/, { message: 'code must be 1-64 characters without leading or trailing spaces' }) code!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) biddingOpensAt!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) biddingClosesAt!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) openingAt!: string;
  @ApiProperty({ example: '2027-01-01' }) @IsISO8601({ strict: true }) agreementStart!: string;
  @ApiProperty({ type: 'integer', enum: [12, 24, 36] }) @IsIn([12, 24, 36], { message: 'agreementMonths must be 12, 24 or 36' }) agreementMonths!: number;
  @ApiPropertyOptional({ description: 'domain.md section 13; missing keys take defaults' }) @IsOptional() @IsObject() rules?: Record<string, unknown>;
}

/** Changes to a draft batch: any subset of the creation fields except the code. */
export class UpdateBatchDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) biddingOpensAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) biddingClosesAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) openingAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) agreementStart?: string;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @IsIn([12, 24, 36], { message: 'agreementMonths must be 12, 24 or 36' }) agreementMonths?: number;
  @ApiPropertyOptional() @IsOptional() @IsObject() rules?: Record<string, unknown>;
}

export class CreateItemDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) genericName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) dosageForm!: string;
  @ApiProperty({ type: StrengthDto }) @ValidateNested() @Type(() => StrengthDto) @IsObject() representativeStrength!: StrengthDto;
  @ApiProperty({ example: '0.5446', description: 'ceiling unit comparable price, at most 4 decimals' })
  @IsString()
  @Matches(/^\d{1,16}(\.\d{1,4})?$/, { message: 'ceilingUnitPrice must be a decimal string with at most 4 decimals (and 16 digits before the point)' })
  ceilingUnitPrice!: string;
  @ApiPropertyOptional({ enum: DOSAGE_FORM_CLASSES, default: 'OTHER', description: 'dosage-form class (domain.md 15.2): chooses a per-class gateFloor' })
  @IsOptional()
  @IsIn(DOSAGE_FORM_CLASSES as DosageFormClass[], { message: `dosageFormClass must be one of ${DOSAGE_FORM_CLASSES.join(', ')}` })
  dosageFormClass?: DosageFormClass;
}

export class ListBatchesQueryDto extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() status?: string;
}
