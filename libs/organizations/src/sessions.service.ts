import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SessionValidator } from '@jicai/common';

/** How long this api instance trusts a user's looked-up token version. */
export const SESSION_CACHE_MS = 2000;

/**
 * The token-version check of every authenticated request (issue 8). Each user's state
 * (token_version, disabled) is cached for SESSION_CACHE_MS to spare the database a query per
 * request. The cache cannot outlive a change made through this instance: logout, password change
 * and disabling call `forget(userId)` after their transaction commits and before they answer,
 * which drops the entry and bumps a generation so a lookup that was already in flight cannot
 * store the old state afterwards. A change made through another api instance is seen here within
 * SESSION_CACHE_MS.
 */
@Injectable()
export class SessionsService extends SessionValidator {
  private readonly cache = new Map<number, { tokenVersion: number; disabled: boolean; until: number }>();
  private readonly generation = new Map<number, number>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async isCurrent(userId: number, tokenVersion: number): Promise<boolean> {
    const now = Date.now();
    let state = this.cache.get(userId);
    if (!state || state.until <= now) {
      const gen = this.generation.get(userId) ?? 0;
      const rows: { token_version: number; disabled: number }[] = await this.dataSource.query('SELECT token_version, disabled FROM users WHERE id = ?', [
        userId,
      ]);
      if (!rows.length) return false;
      state = { tokenVersion: Number(rows[0].token_version), disabled: Number(rows[0].disabled) === 1, until: now + SESSION_CACHE_MS };
      if ((this.generation.get(userId) ?? 0) === gen) {
        if (this.cache.size > 100_000) this.cache.clear();
        this.cache.set(userId, state);
      }
    }
    return !state.disabled && state.tokenVersion === tokenVersion;
  }

  forget(userId: number): void {
    this.cache.delete(userId);
    this.generation.set(userId, (this.generation.get(userId) ?? 0) + 1);
  }
}
