import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import { Type } from 'class-transformer';
import { HospitalLevel, OrganizationType, ListQueryDto, passwordPolicyProblem, PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARACTERS } from '@jicai/common';

/** The password policy (at least 10 characters, at most 256 bytes of UTF-8) on a new password. */
const IsNewPassword = () =>
  ValidateBy({
    name: 'isNewPassword',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && passwordPolicyProblem(v) === null,
      defaultMessage: (a) => (typeof a?.value === 'string' ? (passwordPolicyProblem(a.value) ?? '') : 'a password must be a string'),
    },
  });
const PASSWORD_DOC = {
  description: `at least ${PASSWORD_MIN_CHARACTERS} characters, at most ${PASSWORD_MAX_BYTES} bytes of UTF-8`,
  minLength: PASSWORD_MIN_CHARACTERS,
};

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
  @ApiProperty(PASSWORD_DOC) @IsNewPassword() password!: string;
  @ApiProperty({ type: 'integer' }) @Type(() => Number) @IsInt() @Min(1) organizationId!: number;
}

export class LoginDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  /** Not the policy (older passwords may be shorter); bounded so a request cannot ask the hasher for much work. */
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1024) password!: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1024) currentPassword!: string;
  @ApiProperty(PASSWORD_DOC) @IsNewPassword() newPassword!: string;
}

export class UpdateUserDto {
  @ApiProperty({ description: 'true disables the account (its tokens stop working at once); false enables it again' })
  @IsBoolean()
  disabled!: boolean;
}

export class ListUsersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(4294967295) organizationId?: number;
}

export class ActivateDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty({ description: 'the one-time code from the activation sheet' }) @IsString() @IsNotEmpty() @MaxLength(32) activationCode!: string;
  @ApiProperty(PASSWORD_DOC) @IsNewPassword() password!: string;
}
