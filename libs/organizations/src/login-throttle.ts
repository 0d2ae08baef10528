import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig, clientAddressKey, createRedisClient, RedisClient, tooManyRequests } from '@jicai/common';

/**
 * Throttles failed logins (issue 8) in Redis, shared by every api instance: per username
 * (LOGIN_FAILURES_PER_USER failures in LOGIN_FAILURE_WINDOW_SECONDS, from any address) and per
 * client address (LOGIN_FAILURES_PER_ADDRESS). Only failures count, so the staff of a hospital
 * behind one address can all log in; once either limit is reached every attempt under that key,
 * right password included, answers 429 TOO_MANY_ATTEMPTS with Retry-After until the block ends,
 * without checking the password. A successful login clears its username's failures.
 */
@Injectable()
export class LoginThrottle implements OnModuleDestroy {
  private readonly redis: RedisClient;
  private readonly byUser: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(private readonly config: AppConfig) {
    this.redis = createRedisClient(config, { maxRetriesPerRequest: 1 });
    const common = { storeClient: this.redis, duration: config.loginFailureWindowSeconds, blockDuration: config.loginFailureWindowSeconds };
    this.byUser = new RateLimiterRedis({ ...common, keyPrefix: `${config.queuePrefix}:login-fail:user`, points: config.loginFailuresPerUser });
    this.byAddress = new RateLimiterRedis({ ...common, keyPrefix: `${config.queuePrefix}:login-fail:addr`, points: config.loginFailuresPerAddress });
  }

  /** Usernames compare case-insensitively in the database, so they do here. */
  private userKey(username: string): string {
    return createHash('sha256').update(username.trim().toLowerCase()).digest('hex');
  }

  /** Refuses with 429 while the username or the address is blocked. */
  async check(username: string, ip: string | undefined): Promise<void> {
    const [u, a] = await Promise.all([this.byUser.get(this.userKey(username)), this.byAddress.get(clientAddressKey(ip))]);
    const blocked = [
      u && u.consumedPoints >= this.config.loginFailuresPerUser ? u : null,
      a && a.consumedPoints >= this.config.loginFailuresPerAddress ? a : null,
    ].filter((r): r is RateLimiterRes => r !== null);
    if (!blocked.length) return;
    const ms = Math.max(...blocked.map((r) => r.msBeforeNext));
    const retryAfter = Math.max(1, Math.ceil(ms / 1000));
    throw tooManyRequests('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${retryAfter} s`, retryAfter);
  }

  /**
   * Counts one failure against the username and the address. The failure that reaches a limit
   * blocks its key for a whole window from that moment (not only for what is left of the window
   * the first failure opened).
   */
  async failed(username: string, ip: string | undefined): Promise<void> {
    const count = async (limiter: RateLimiterRedis, key: string, limit: number) => {
      const res = await limiter.consume(key).catch((e: unknown) => {
        if (e instanceof RateLimiterRes) return e;
        throw e;
      });
      if (res.consumedPoints === limit) await limiter.block(key, this.config.loginFailureWindowSeconds);
    };
    await Promise.all([
      count(this.byUser, this.userKey(username), this.config.loginFailuresPerUser),
      count(this.byAddress, clientAddressKey(ip), this.config.loginFailuresPerAddress),
    ]);
  }

  /** A successful login forgets its username's failures (not the address's). */
  async succeeded(username: string): Promise<void> {
    await this.byUser.delete(this.userKey(username));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
