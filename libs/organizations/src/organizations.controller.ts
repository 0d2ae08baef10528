import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { AnyRole, CurrentUser, Public, Roles, Principal, Role, ApiCreated, ApiErrors, ApiOk, ApiOkList, Op, UserDto } from '@jicai/common';
import {
  ActivateDto,
  ChangePasswordDto,
  CreateOrganizationDto,
  CreateUserDto,
  ListOrganizationsQueryDto,
  ListUsersQueryDto,
  LoginDto,
  UpdateUserDto,
} from './dto/organization.dto';
import { Organization } from './organization.entity';
import { OrganizationsService } from './organizations.service';
import { AccountsService, Session } from './accounts.service';
import { LoginResponseDto, OrganizationDto } from './dto/organization.responses';
import { ApiNoContentResponse } from '@nestjs/swagger';
import { AccountDto, ActivationResultDto, MeDto } from './dto/organization.responses';

export function organizationView(o: Organization) {
  return { id: o.id, name: o.name, code: o.code, type: o.type, level: o.level, createdAt: o.createdAt.toISOString() };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly organizations: OrganizationsService,
    private readonly jwt: JwtService,
  ) {}

  /** A user created in bulk sets its password with its one-time activation code. */
  @Public()
  @Post('activate')
  @HttpCode(200)
  @Op('activateAccount', 'Set the password of a bulk-created user with its one-time activation code')
  @ApiOk(ActivationResultDto)
  @ApiErrors([401, 'INVALID_ACTIVATION'], [429, 'TOO_MANY_ATTEMPTS'])
  async activate(@Body() dto: ActivateDto, @Req() req: Request) {
    return { activated: true, user: await this.organizations.activate(dto.username, dto.activationCode, dto.password, req.ip) };
  }

  /** The token carries the user's token version (`tv`); the guard refuses it once that changes. */
  private async issue({ principal: p, tokenVersion }: Session) {
    const accessToken = await this.jwt.signAsync({
      sub: String(p.userId),
      username: p.username,
      organizationId: p.organizationId,
      role: p.role,
      tv: tokenVersion,
    });
    return { accessToken, user: { id: p.userId, username: p.username, organizationId: p.organizationId, role: p.role } };
  }

  /** 401 INVALID_CREDENTIALS; 429 TOO_MANY_ATTEMPTS (Retry-After) after too many failures; 403 ACCOUNT_DISABLED. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @Op('logIn', 'Exchange a username and password for a bearer token')
  @ApiOk(LoginResponseDto)
  @ApiErrors([401, 'INVALID_CREDENTIALS'], [403, 'ACCOUNT_DISABLED'], [429, 'TOO_MANY_ATTEMPTS'])
  async login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.issue(await this.accounts.login(dto.username, dto.password, req.ip));
  }

  /** Ends every token of the caller. */
  @ApiBearerAuth()
  @AnyRole()
  @Post('logout')
  @HttpCode(204)
  @Op('logOut', 'End every token of the caller')
  @ApiNoContentResponse({ description: 'logged out: every token of the caller stops working' })
  async logout(@CurrentUser() user: Principal): Promise<void> {
    await this.accounts.logout(user);
  }

  /** Changes the caller's password; every older token stops working; answers a new token. */
  @ApiBearerAuth()
  @AnyRole()
  @Post('password')
  @HttpCode(200)
  @Op('changePassword', 'Change your password; older tokens stop working; answers a new token')
  @ApiOk(LoginResponseDto)
  @ApiErrors([429, 'TOO_MANY_ATTEMPTS'])
  async changePassword(@CurrentUser() user: Principal, @Body() dto: ChangePasswordDto, @Req() req: Request) {
    return this.issue(await this.accounts.changePassword(user, dto.currentPassword, dto.newPassword, req.ip));
  }

  @ApiBearerAuth()
  @AnyRole()
  @Get('me')
  @Op('getCurrentUser')
  @ApiOk(MeDto)
  async me(@CurrentUser() user: Principal) {
    return this.accounts.me(user);
  }
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller()
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly accounts: AccountsService,
  ) {}

  @Roles(Role.ADMIN)
  @Post('organizations')
  @Op('createOrganization')
  @ApiCreated(OrganizationDto)
  @ApiErrors([409, 'ALREADY_EXISTS'])
  async create(@CurrentUser() user: Principal, @Body() dto: CreateOrganizationDto) {
    return organizationView(await this.organizations.createOrganization(user, dto));
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('organizations')
  @Op('listOrganizations')
  @ApiOkList(OrganizationDto)
  async list(@Query() q: ListOrganizationsQueryDto) {
    const page = await this.organizations.list(q);
    return { items: page.items.map(organizationView), total: page.total };
  }

  @Roles(Role.ADMIN)
  @Post('users')
  @Op('createUser')
  @ApiCreated(UserDto)
  @ApiErrors(404, [409, 'ALREADY_EXISTS'])
  async createUser(@CurrentUser() user: Principal, @Body() dto: CreateUserDto) {
    return this.organizations.createUser(user, dto);
  }

  @Roles(Role.ADMIN)
  @Get('users')
  @Op('listUsers')
  @ApiOkList(AccountDto)
  async listUsers(@Query() q: ListUsersQueryDto) {
    return this.accounts.list(q);
  }

  @Roles(Role.ADMIN)
  @Patch('users/:id')
  @Op('updateUser', 'Disable or enable a user')
  @ApiOk(AccountDto)
  @ApiErrors(404, [409, 'INVALID_STATE'])
  async updateUser(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateUserDto) {
    return this.accounts.setDisabled(user, id, dto.disabled);
  }
}
