import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { ListQueryDto } from '@jicai/common';

/** GET /payment-standards?genericName=&dosageForm= (compared after NFKC + trim). */
export class ListPaymentStandardsQueryDto extends ListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) genericName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) dosageForm?: string;
}

const DATE_MESSAGE = 'date must be a calendar date YYYY-MM-DD';

/** GET /catalog/products/:id/payment-standard?date= (15.6: the year of a transition schedule in force on that date). */
export class ProductStandardQueryDto {
  @ApiPropertyOptional({ format: 'date', example: '2027-03-10', description: 'UTC date; default today by the server clock' })
  @IsOptional()
  @IsString({ message: DATE_MESSAGE })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  date?: string;
}

/** POST /reimbursement/quote: one claim line (domain.md section 9). */
export class QuoteDto {
  @ApiProperty({ type: 'integer' }) @IsInt() @Min(1) productId!: number;

  @ApiProperty({ example: '3.33', description: 'actual pack price, at most 2 decimals, > 0' })
  @IsString()
  @Matches(/^\d+(\.\d{1,2})?$/, { message: 'packPrice must be a decimal string with at most 2 decimals' })
  packPrice!: string;

  @ApiProperty({ type: 'integer', example: 10 })
  @IsInt({ message: 'packs must be a positive integer' })
  @Min(1, { message: 'packs must be a positive integer' })
  packs!: number;

  @ApiProperty({ example: '0.70', description: 'a decimal string in [0, 1]' })
  @IsString()
  @Matches(/^\d+(\.\d+)?$/, { message: 'reimbursementRatio must be a decimal string' })
  reimbursementRatio!: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2027-03-10',
    description: 'the date of the claim (UTC): the standard in force on it applies (15.6); default today by the server clock',
  })
  @IsOptional()
  @IsString({ message: DATE_MESSAGE })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE })
  date?: string;
}
