import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { KeysetListQueryDto, ListQueryDto } from '@jicai/common';
import { AgreementStatus } from '../agreement.entity';
import { GroupFilter, HospitalIdFilter, ItemIdFilter } from './query-filters';

/** PUT /batches/:id/items/:itemId/preferences: winners of the item × group, most preferred first. */
export class SetPreferenceDto {
  @ApiProperty({ example: 'B' }) @IsString() @IsNotEmpty() @MaxLength(32) group!: string;

  @ApiProperty({
    type: 'integer',
    isArray: true,
    example: [12, 10],
    description:
      'Winning bid ids of this item × group in order of preference, distinct, at least one. A subset is allowed: what the listed winners cannot supply stays unallocated (domain.md section 7).',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'winnerBidIds must not repeat a bid' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  winnerBidIds!: number[];
}

export class PreferencesQueryDto extends ListQueryDto {
  @ItemIdFilter() itemId?: number;
  @GroupFilter() group?: string;
  @HospitalIdFilter() hospitalId?: number;
}

export class AgreementsQueryDto extends KeysetListQueryDto {
  @ItemIdFilter() itemId?: number;
  @GroupFilter() group?: string;
  @ApiPropertyOptional({ enum: AgreementStatus }) @IsOptional() @IsEnum(AgreementStatus) status?: AgreementStatus;
}

/** The filters of the agreements export (no paging: the file holds every visible row). */
export class AgreementsExportQueryDto {
  @ItemIdFilter() itemId?: number;
  @GroupFilter() group?: string;
  @ApiPropertyOptional({ enum: AgreementStatus }) @IsOptional() @IsEnum(AgreementStatus) status?: AgreementStatus;
}

export class UnallocatedQueryDto extends ListQueryDto {
  @ItemIdFilter() itemId?: number;
  @GroupFilter() group?: string;
}

/** Most agreements one bulk confirmation may name (a hospital has one per item × group × winner). */
export const MAX_BULK_CONFIRM_IDS = 10000;

/** POST /batches/:id/agreements/confirm: a hospital confirms all, or the chosen, of its pending agreements of the batch. */
export class BulkConfirmDto {
  @ApiPropertyOptional({
    type: 'integer',
    isArray: true,
    description: 'The agreements to confirm (your own, of this batch); omit to confirm every pending agreement of yours in the batch',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BULK_CONFIRM_IDS)
  @ArrayUnique({ message: 'agreementIds must not repeat an agreement' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  agreementIds?: number[];
}
