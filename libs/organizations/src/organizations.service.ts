import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { conflict, notFound, validationFailed, AuditService, Clock, OrganizationType, Principal, roleOf, Page } from '@jicai/common';
import { Organization } from './organization.entity';
import { User } from './user.entity';
import { CreateOrganizationDto, CreateUserDto } from './dto/organization.dto';
import { PasswordHasher } from './password-hasher';

export interface UserView {
  id: number;
  username: string;
  organizationId: number;
  role: string;
}

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
  ) {}

  async createOrganization(actor: Principal | null, dto: CreateOrganizationDto): Promise<Organization> {
    if (dto.type !== OrganizationType.HOSPITAL && dto.level) {
      throw validationFailed('Only hospitals have a level', [{ field: 'level', message: 'level is only for HOSPITAL organisations' }]);
    }
    return this.dataSource.transaction(async (m) => {
      const exists = await m.getRepository(Organization).exists({ where: { code: dto.code } });
      if (exists) throw conflict('ALREADY_EXISTS', `An organisation with code ${dto.code} already exists`, [{ field: 'code', message: 'already taken' }]);
      const org = m
        .getRepository(Organization)
        .create({ name: dto.name.trim(), code: dto.code, type: dto.type, level: dto.level ?? null, createdAt: this.clock.now() });
      await m.getRepository(Organization).insert(org);
      await this.audit.record(m, {
        actor,
        action: 'organization.create',
        entity: 'organization',
        entityId: org.id,
        data: { name: org.name, code: org.code, type: org.type, level: org.level },
      });
      return org;
    });
  }

  async list(q: { type?: OrganizationType; limit: number; offset: number }): Promise<Page<Organization>> {
    const [items, total] = await this.dataSource.getRepository(Organization).findAndCount({
      where: q.type ? { type: q.type } : {},
      order: { id: 'ASC' },
      take: q.limit,
      skip: q.offset,
    });
    return { items, total };
  }

  async get(id: number): Promise<Organization> {
    const org = await this.dataSource.getRepository(Organization).findOneBy({ id });
    if (!org) throw notFound('Organisation');
    return org;
  }

  async createUser(actor: Principal | null, dto: CreateUserDto): Promise<UserView> {
    const passwordHash = await this.hasher.hash(dto.password);
    return this.dataSource.transaction(async (m) => {
      const org = await m.getRepository(Organization).findOneBy({ id: dto.organizationId });
      if (!org) throw validationFailed('Unknown organisation', [{ field: 'organizationId', message: 'no such organisation' }]);
      if (await m.getRepository(User).exists({ where: { username: dto.username } })) {
        throw conflict('ALREADY_EXISTS', `User ${dto.username} already exists`, [{ field: 'username', message: 'already taken' }]);
      }
      const user = m.getRepository(User).create({ username: dto.username, passwordHash, organizationId: org.id, createdAt: this.clock.now() });
      await m.getRepository(User).insert(user);
      await this.audit.record(m, {
        actor,
        action: 'user.create',
        entity: 'user',
        entityId: user.id,
        data: { username: user.username, organizationId: org.id },
      });
      return { id: user.id, username: user.username, organizationId: org.id, role: roleOf(org.type) };
    });
  }

  /**
   * On an empty database, creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD in a
   * procurement office named ADMIN_ORG (api.md "Conventions"). A named lock keeps two api
   * instances starting at once from both doing it. Without a password given, a random one is
   * generated; it is returned (to be printed once) only when the admin was created.
   */
  async bootstrapAdmin(username: string, givenPassword: string | null, orgName: string): Promise<{ created: boolean; generatedPassword?: string }> {
    const password = givenPassword ?? randomBytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(password);
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query("SELECT GET_LOCK('jicai_bootstrap_admin', 30) AS locked");
      if (Number(locked) !== 1) throw new Error('Could not take the bootstrap lock');
      try {
        const [{ n }] = await m.query('SELECT COUNT(*) AS n FROM users');
        if (Number(n) > 0) return { created: false };
        const now = this.clock.now();
        const repo = m.getRepository(Organization);
        let org = await repo.findOneBy({ code: 'PROCUREMENT-OFFICE' });
        if (!org) {
          org = repo.create({ name: orgName, code: 'PROCUREMENT-OFFICE', type: OrganizationType.PROCUREMENT_OFFICE, level: null, createdAt: now });
          await repo.insert(org);
        }
        const user = m.getRepository(User).create({ username, passwordHash, organizationId: org.id, createdAt: now });
        await m.getRepository(User).insert(user);
        await this.audit.record(m, {
          actor: null,
          action: 'user.bootstrap-admin',
          entity: 'user',
          entityId: user.id,
          data: { username, organizationId: org.id },
        });
        return { created: true, generatedPassword: givenPassword === null ? password : undefined };
      } finally {
        await m.query("SELECT RELEASE_LOCK('jicai_bootstrap_admin')");
      }
    });
  }
}
