import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { CurrentUser, Public, Roles, Principal, Role } from '@jicai/common';
import { CreateOrganizationDto, CreateUserDto, ListOrganizationsQueryDto, LoginDto } from './dto/organization.dto';
import { Organization } from './organization.entity';
import { OrganizationsService } from './organizations.service';

export function organizationView(o: Organization) {
  return { id: o.id, name: o.name, code: o.code, type: o.type, level: o.level, createdAt: o.createdAt.toISOString() };
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly jwt: JwtService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto) {
    const p = await this.organizations.authenticate(dto.username, dto.password);
    const accessToken = await this.jwt.signAsync({ sub: String(p.userId), username: p.username, organizationId: p.organizationId, role: p.role });
    return { accessToken, user: { id: p.userId, username: p.username, organizationId: p.organizationId, role: p.role } };
  }
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller()
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Roles(Role.ADMIN)
  @Post('organizations')
  async create(@CurrentUser() user: Principal, @Body() dto: CreateOrganizationDto) {
    return organizationView(await this.organizations.createOrganization(user, dto));
  }

  @Roles(Role.ADMIN, Role.FUND)
  @Get('organizations')
  async list(@Query() q: ListOrganizationsQueryDto) {
    const page = await this.organizations.list(q);
    return { items: page.items.map(organizationView), total: page.total };
  }

  @Roles(Role.ADMIN)
  @Post('users')
  async createUser(@CurrentUser() user: Principal, @Body() dto: CreateUserDto) {
    return this.organizations.createUser(user, dto);
  }
}
