import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';

export class CriterionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ example: '12.5' }) @IsString() points!: string;
  @ApiProperty({ example: '15' }) @IsString() maxPoints!: string;
}

export class TechnicalScoreDto {
  @ApiProperty({ type: [CriterionDto] })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => CriterionDto)
  criteria!: CriterionDto[];
}
