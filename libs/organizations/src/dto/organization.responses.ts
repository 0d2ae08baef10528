import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInt, HospitalLevel, OrganizationType, Role, UserDto } from '@jicai/common';
import type { AccountView } from '../accounts.service';

export class OrganizationDto {
  @ApiInt() id!: number;
  @ApiProperty({ example: '北京协和医院' }) name!: string;
  @ApiProperty({ example: 'H-110001' }) code!: string;
  @ApiProperty({ enum: OrganizationType }) type!: OrganizationType;
  @ApiProperty({ enum: HospitalLevel, nullable: true }) level!: HospitalLevel | null;
  @ApiDateTime() createdAt!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'send as Authorization: Bearer <accessToken>' }) accessToken!: string;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

/** A user account as admins and the user see it. */
export class AccountDto implements AccountView {
  @ApiInt() id!: number;
  @ApiProperty({ example: 'clerk01' }) username!: string;
  @ApiInt() organizationId!: number;
  @ApiProperty({ enum: Role }) role!: string;
  @ApiProperty({ description: 'a disabled account cannot log in and its tokens stop working' }) disabled!: boolean;
  @ApiDateTime() createdAt!: string;
}

/** GET /auth/me. */
export class MeDto extends AccountDto {
  @ApiProperty({ example: '北京协和医院' }) organizationName!: string;
}

/** POST /auth/activate: the account can now log in with its new password. */
export class ActivationResultDto {
  @ApiProperty({ enum: [true] }) activated!: true;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}
