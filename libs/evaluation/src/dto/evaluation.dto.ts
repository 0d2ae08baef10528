import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';

export class CriterionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ example: '12.5', description: 'decimal string, at most 4 decimals' })
  @IsString({ message: 'points must be a decimal string such as "12.5" (not a JSON number)' })
  points!: string;
  @ApiProperty({ example: '15', description: 'decimal string, at most 4 decimals' })
  @IsString({ message: 'maxPoints must be a decimal string such as "15" (not a JSON number)' })
  maxPoints!: string;
}

export class TechnicalScoreDto {
  @ApiProperty({ type: [CriterionDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria!: CriterionDto[];
}
