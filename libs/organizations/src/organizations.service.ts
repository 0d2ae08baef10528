import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, AppError, conflict, notFound, validationFailed, AuditService, Clock, OrganizationType, Principal, roleOf, Page } from '@jicai/common';
import { Organization } from './organization.entity';
import { User } from './user.entity';
import { CreateOrganizationDto, CreateUserDto } from './dto/organization.dto';
import { PasswordHasher } from './password-hasher';
import { LoginThrottle } from './login-throttle';

/** Rows per multi-row INSERT and per IN (...) lookup of the bulk methods. */
const BULK_CHUNK = 1000;

/** An organisation to create in bulk, with the username of its first user if it has one. */
export interface NewOrganization {
  name: string;
  code: string;
  type: OrganizationType;
  level: string | null;
  username: string | null;
}

export interface PendingActivation {
  userId: number;
  username: string;
  organizationId: number;
  organizationCode: string;
  organizationName: string;
  organizationType: string;
  activationCode: string;
}

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
    private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
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

  // ------------------------------------------------------------ bulk onboarding

  /** Of these codes, those taken by an organisation already (as stored). */
  async takenCodes(m: EntityManager | null, codes: readonly string[]): Promise<Set<string>> {
    return this.taken(m, 'SELECT code AS v FROM organizations WHERE code IN (?)', codes);
  }

  /** Of these usernames, those taken already. */
  async takenUsernames(m: EntityManager | null, usernames: readonly string[]): Promise<Set<string>> {
    return this.taken(m, 'SELECT username AS v FROM users WHERE username IN (?)', usernames);
  }

  private async taken(m: EntityManager | null, sql: string, values: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const q = m ?? this.dataSource;
    for (let i = 0; i < values.length; i += BULK_CHUNK) {
      const chunk = values.slice(i, i + BULK_CHUNK);
      if (chunk.length) for (const r of await q.query(sql, [chunk])) out.add(String(r.v).toLowerCase());
    }
    return out;
  }

  /**
   * Inside the caller's transaction: inserts organisations, and for each that names one, a
   * user awaiting activation (no password: see activate), with multi-row INSERTs. Codes and
   * usernames must be free (the unique keys refuse them otherwise, rolling everything back).
   * Returns how many of each were written.
   */
  async insertMany(m: EntityManager, rows: readonly NewOrganization[]): Promise<{ organizations: number; users: number }> {
    const now = this.clock.now();
    for (let i = 0; i < rows.length; i += BULK_CHUNK) {
      const chunk = rows.slice(i, i + BULK_CHUNK);
      await m.query('INSERT INTO organizations (name, code, type, level, created_at) VALUES ?', [chunk.map((o) => [o.name, o.code, o.type, o.level, now])]);
    }
    const withUser = rows.filter((o) => o.username);
    for (let i = 0; i < withUser.length; i += BULK_CHUNK) {
      const chunk = withUser.slice(i, i + BULK_CHUNK);
      const ids = new Map<string, number>();
      for (const r of await m.query('SELECT id, code FROM organizations WHERE code IN (?)', [chunk.map((o) => o.code)])) ids.set(r.code, Number(r.id));
      await m.query('INSERT INTO users (username, password_hash, activation_nonce, organization_id, created_at) VALUES ?', [
        chunk.map((o) => [o.username, null, randomBytes(16).toString('hex'), ids.get(o.code), now]),
      ]);
    }
    return { organizations: rows.length, users: withUser.length };
  }

  /**
   * The one-time activation code of a user awaiting activation: derived from its nonce
   * with the server secret, so it is never stored and changes when the nonce does.
   */
  activationCode(userId: number, nonce: string): string {
    const mac = createHmac('sha256', this.config.jwtSecret).update(`activate|${userId}|${nonce}`).digest();
    // 16 characters of Crockford base32 (80 bits): typed by a person from a letter or a sheet.
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let out = '';
    for (let i = 0; i < 16; i++) out += alphabet[mac[i] & 31];
    return out;
  }

  /** Users still awaiting activation, page by page in id order, with their codes (for the admin's sheet). */
  async *pendingActivations(filter: { organizationType?: OrganizationType }): AsyncGenerator<PendingActivation[]> {
    let after = 0;
    for (;;) {
      const rows: any[] = await this.dataSource.query(
        `SELECT u.id, u.username, u.activation_nonce, o.id AS organization_id, o.code, o.name, o.type FROM users u JOIN organizations o ON o.id = u.organization_id
         WHERE u.activation_nonce IS NOT NULL AND u.id > ?${filter.organizationType ? ' AND o.type = ?' : ''} ORDER BY u.id LIMIT ?`,
        filter.organizationType ? [after, filter.organizationType, BULK_CHUNK] : [after, BULK_CHUNK],
      );
      if (!rows.length) return;
      yield rows.map((r) => ({
        userId: Number(r.id),
        username: r.username,
        organizationId: Number(r.organization_id),
        organizationCode: r.code,
        organizationName: r.name,
        organizationType: r.type,
        activationCode: this.activationCode(Number(r.id), r.activation_nonce),
      }));
      after = Number(rows[rows.length - 1].id);
    }
  }

  /**
   * POST /auth/activate: a user created in bulk sets its password with its activation code,
   * once. The same 401 for an unknown user, a wrong code and an account already active.
   * Under the login throttle: a refused code counts as a failed login of that username and
   * address, and while either is blocked every attempt answers 429 TOO_MANY_ATTEMPTS.
   */
  async activate(username: string, code: string, password: string, ip: string | undefined): Promise<UserView> {
    const refused = () => new AppError(401, 'INVALID_ACTIVATION', 'Wrong username or activation code, or the account is already active');
    await this.throttle.check(username, ip);
    const [found] = await this.dataSource.query('SELECT id, activation_nonce FROM users WHERE username = ?', [username]);
    const expected = found?.activation_nonce ? Buffer.from(this.activationCode(Number(found.id), found.activation_nonce)) : null;
    const given = Buffer.from(code.trim().toUpperCase());
    if (!expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      await this.throttle.failed(username, ip);
      throw refused();
    }
    await this.throttle.succeeded(username);
    const passwordHash = await this.hasher.hash(password);
    return this.dataSource.transaction(async (m) => {
      // Only if the nonce is still the one the code was derived from: a code works once.
      const res = await m.query('UPDATE users SET password_hash = ?, activation_nonce = NULL WHERE id = ? AND activation_nonce = ?', [
        passwordHash,
        found.id,
        found.activation_nonce,
      ]);
      if (Number(res.affectedRows ?? 0) !== 1) throw refused();
      const [u] = await m.query(
        'SELECT u.id, u.username, u.organization_id, o.type FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.id = ?',
        [found.id],
      );
      const actor: Principal = { userId: Number(u.id), username: u.username, organizationId: Number(u.organization_id), role: roleOf(u.type) };
      await this.audit.record(m, { actor, action: 'user.activate', entity: 'user', entityId: actor.userId, data: { username: u.username } });
      return { id: actor.userId, username: actor.username, organizationId: actor.organizationId, role: actor.role };
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
