import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { Type } from 'class-transformer';
import { HospitalLevel, OrganizationType } from '@jicai/common/auth/roles';
import { ListQueryDto } from '@jicai/common/http/pagination';

export class CreateOrganizationDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'code must be 1-64 letters, digits, _ . or -' }) code!: string;
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
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_.@-]{3,100}$/, { message: 'username must be 3-100 letters, digits, _ . @ or -' }) username!: string;
  @ApiProperty() @IsString() @MinLength(8) @MaxLength(72) password!: string;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) organizationId!: number;
}

export class LoginDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}

