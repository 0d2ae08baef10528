import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError, AuditService, invalidState, notFound, Page, Principal, roleOf, validationFailed } from '@jicai/common';
import { User } from './user.entity';
import { PasswordHasher } from './password-hasher';
import { LoginThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';

export interface AccountView {
  id: number;
  username: string;
  organizationId: number;
  role: string;
  disabled: boolean;
  createdAt: string;
}

/** A principal and the token version its token must carry. */
export interface Session {
  principal: Principal;
  tokenVersion: number;
}

function accountView(u: User): AccountView {
  return {
    id: u.id,
    username: u.username,
    organizationId: u.organizationId,
    role: roleOf(u.organization!.type),
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
  };
}

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password');

/** Logging in and out, passwords, and disabling accounts (issue 8). */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  private findWithHash(where: { username: string } | { id: number }): Promise<User | null> {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').innerJoinAndSelect('u.organization', 'o');
    return 'id' in where ? qb.where('u.id = :id', where).getOne() : qb.where('u.username = :username', where).getOne();
  }

  /**
   * Checks a password under the login throttle. An unknown user costs the same argon2id work as a
   * known one and gets the same answer as a wrong password; a bcrypt or outdated hash is replaced
   * by a current argon2id hash on success.
   */
  async login(username: string, password: string, ip: string | undefined): Promise<Session> {
    await this.throttle.check(username, ip);
    const user = await this.findWithHash({ username });
    // A user created in bulk has no password until it activates: it verifies like an unknown user.
    const { ok, rehash } = await this.hasher.verify(user?.passwordHash ?? undefined, password);
    if (!user || !ok) {
      await this.throttle.failed(username, ip);
      throw invalidCredentials();
    }
    await this.throttle.succeeded(username);
    if (user.disabled) throw new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled');
    if (rehash) {
      const fresh = await this.hasher.hash(password);
      // Only if unchanged meanwhile (a concurrent password change wins).
      await this.dataSource.query('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?', [fresh, user.id, user.passwordHash]);
    }
    return { principal: this.principalOf(user), tokenVersion: user.tokenVersion };
  }

  private principalOf(u: User): Principal {
    return { userId: u.id, username: u.username, organizationId: u.organizationId, role: roleOf(u.organization!.type) };
  }

  /** Ends every token of the caller (they all carry the version this increases). */
  async logout(actor: Principal): Promise<void> {
    await this.dataSource.query('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [actor.userId]);
    this.sessions.forget(actor.userId);
  }

  /**
   * Changes the caller's password after checking the current one (under the login throttle, so a
   * stolen token cannot be used to guess it); every older token stops working, and the answer
   * carries the session for a new one.
   */
  async changePassword(actor: Principal, currentPassword: string, newPassword: string, ip: string | undefined): Promise<Session> {
    await this.throttle.check(actor.username, ip);
    const user = await this.findWithHash({ id: actor.userId });
    if (!user) throw new AppError(401, 'UNAUTHORIZED', 'The token is invalid or expired');
    const { ok } = await this.hasher.verify(user.passwordHash ?? undefined, currentPassword);
    if (!ok) {
      await this.throttle.failed(actor.username, ip);
      throw validationFailed('The current password is wrong', [{ field: 'currentPassword', message: 'wrong password' }]);
    }
    if (newPassword === currentPassword)
      throw validationFailed('The new password must differ from the current one', [{ field: 'newPassword', message: 'same as the current password' }]);
    const passwordHash = await this.hasher.hash(newPassword);
    const tokenVersion = await this.dataSource.transaction(async (m) => {
      await m.query('UPDATE users SET password_hash = ?, token_version = token_version + 1 WHERE id = ?', [passwordHash, user.id]);
      const [row] = await m.query('SELECT token_version FROM users WHERE id = ?', [user.id]);
      await this.audit.record(m, { actor, action: 'user.password-change', entity: 'user', entityId: user.id, data: {} });
      return Number(row.token_version);
    });
    this.sessions.forget(user.id);
    return { principal: this.principalOf(user), tokenVersion };
  }

  async me(actor: Principal): Promise<AccountView & { organizationName: string }> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: actor.userId }, relations: { organization: true } });
    if (!user) throw notFound('User');
    return { ...accountView(user), organizationName: user.organization!.name };
  }

  async list(q: { organizationId?: number; limit: number; offset: number }): Promise<Page<AccountView>> {
    const [users, total] = await this.dataSource.getRepository(User).findAndCount({
      where: q.organizationId !== undefined ? { organizationId: q.organizationId } : {},
      relations: { organization: true },
      order: { id: 'ASC' },
      take: q.limit,
      skip: q.offset,
    });
    return { items: users.map(accountView), total };
  }

  /** Disables (every token of the user stops working at once) or re-enables an account. */
  async setDisabled(actor: Principal, id: number, disabled: boolean): Promise<AccountView> {
    if (id === actor.userId && disabled) throw invalidState('You cannot disable your own account');
    await this.dataSource.transaction(async (m) => {
      const [row] = await m.query('SELECT disabled FROM users WHERE id = ? FOR UPDATE', [id]);
      if (!row) throw notFound('User');
      if ((Number(row.disabled) === 1) === disabled) return;
      await m.query(`UPDATE users SET disabled = ?${disabled ? ', token_version = token_version + 1' : ''} WHERE id = ?`, [disabled ? 1 : 0, id]);
      await this.audit.record(m, { actor, action: disabled ? 'user.disable' : 'user.enable', entity: 'user', entityId: id, data: {} });
    });
    this.sessions.forget(id);
    const user = await this.dataSource.getRepository(User).findOne({ where: { id }, relations: { organization: true } });
    return accountView(user!);
  }
}
