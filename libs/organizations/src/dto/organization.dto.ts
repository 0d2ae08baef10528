import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { Type } from 'class-transformer';
import { HospitalLevel, OrganizationType, ListQueryDto } from '@jicai/common';

export class CreateOrganizationDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsString() @Matches(/^\S(.{0,62}\S)?$/, { message: 'code must be 1-64 characters without leading or trailing spaces' }) code!: string;
  @ApiProperty({ enum: OrganizationType }) @IsEnum(OrganizationType) type!: OrganizationType;
  /** api.md: `level?` — optional; a hospital's level when given, refused for other types. */
  @ApiPropertyOptional({ enum: HospitalLevel, description: "a hospital's level (optional); refused for other types" })
  @ValidateIf((o) => o.level !== undefined && o.level !== null)
  @IsEnum(HospitalLevel, { message: 'level must be PRIMARY, SECONDARY or TERTIARY' })
  level?: HospitalLevel | null;
}

export class ListOrganizationsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: OrganizationType }) @IsOptional() @IsEnum(OrganizationType) type?: OrganizationType;
}

export class CreateUserDto {
  @ApiProperty()
  @IsString()
  @Matches(/^\S(.{0,98}\S)?$/, { message: 'username must be 1-100 characters without leading or trailing spaces' })
  username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(72) password!: string;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) organizationId!: number;
}

export class LoginDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}
