import { Logger } from '@nestjs/common';
import { parseSealingKeyRing, SealingKeyParser, SealingKeyRing } from './sealing-keys';

/**
 * The platform's configuration, read from the environment once, validated at start
 * (architecture.md "Running"). Nothing else reads process.env.
 */
export class AppConfig {
  readonly nodeEnv!: string;
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly port!: number;
  readonly jwtSecret!: string;
  readonly jwtExpiresIn!: string;
  /** The key of BID_SEALING_KEY (id `default`); empty when only BID_SEALING_KEYS is set. */
  readonly bidSealingKey!: Buffer;
  /** Every sealing key by id, and the current one (sealing-keys.ts). */
  readonly bidSealingKeyRing!: SealingKeyRing;
  readonly adminUsername!: string;
  readonly adminPassword!: string;
  readonly adminOrg!: string;
  /** Redis key prefix of every BullMQ queue; tests give each suite its own. */
  readonly queuePrefix!: string;
  readonly workerConcurrency!: number;
  /** Cron pattern (UTC) of the repeatable monthly settlement run. */
  readonly settlementCron!: string;

  constructor(values: Omit<AppConfig, never>) {
    Object.assign(this, values);
  }

  get database(): { host: string; port: number; user: string; password: string; database: string } {
    return parseDatabaseUrl(this.databaseUrl);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function parseDatabaseUrl(url: string): { host: string; port: number; user: string; password: string; database: string } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

const DEV_DEFAULTS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789',
  // 32 zero-padded bytes, base64: development only.
  BID_SEALING_KEY: Buffer.from('jicai-development-sealing-key-32b').subarray(0, 32).toString('base64'),
  ADMIN_USERNAME: 'admin',
  ADMIN_PASSWORD: 'admin-password',
  ADMIN_ORG: 'Procurement Office',
};

/**
 * Validates the environment and returns the configuration, or throws ConfigError with
 * one clear line per missing or malformed value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, logger?: Pick<Logger, 'warn'>): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const secret = (name: keyof typeof DEV_DEFAULTS): string => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (production) {
      problems.push(`${name} is required when NODE_ENV=production`);
      return '';
    }
    logger?.warn(`${name} is not set; using a development default (never do this in production)`);
    return DEV_DEFAULTS[name];
  };

  const databaseUrl = env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/jicai';
  try {
    const u = new URL(databaseUrl);
    if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') problems.push(`DATABASE_URL must be a mysql:// URL, got protocol ${u.protocol}`);
    if (!/^[A-Za-z0-9_]+$/.test(u.pathname.replace(/^\//, '')))
      problems.push('DATABASE_URL must name a database of letters, digits and _ (e.g. mysql://root@127.0.0.1:3306/jicai)');
  } catch {
    problems.push(`DATABASE_URL is not a valid URL: ${JSON.stringify(databaseUrl)}`);
  }

  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  try {
    const u = new URL(redisUrl);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') problems.push(`REDIS_URL must be a redis:// URL, got protocol ${u.protocol}`);
  } catch {
    problems.push(`REDIS_URL is not a valid URL: ${JSON.stringify(redisUrl)}`);
  }

  const intVar = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return def;
    }
    return Number(raw);
  };
  const port = intVar('PORT', 3000, 0, 65535);
  const workerConcurrency = intVar('WORKER_CONCURRENCY', 4, 1, 256);

  const jwtSecret = secret('JWT_SECRET');
  if (jwtSecret && jwtSecret.length < 16) {
    if (production) problems.push('JWT_SECRET must be at least 16 characters');
    else logger?.warn('JWT_SECRET is shorter than 16 characters; production refuses that');
  }

  const parseKey: SealingKeyParser = (name, raw) => {
    const ok = /^[A-Za-z0-9+/]+={0,2}$/.test(raw);
    const key = ok ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
    if (key.length === 32) return { key, problems: [] };
    return { problems: [`${name} must be 32 bytes in base64 (44 characters), got ${ok ? key.length + ' bytes' : 'something that is not base64'}`] };
  };
  const keysSetting = env.BID_SEALING_KEYS?.trim() ? env.BID_SEALING_KEYS : undefined;
  // With a key ring given, BID_SEALING_KEY is optional (an old key kept readable as `default`).
  const keyRaw = keysSetting ? env.BID_SEALING_KEY || undefined : secret('BID_SEALING_KEY');
  let bidSealingKey: Buffer = Buffer.alloc(0);
  if (keyRaw) {
    const parsed = parseKey('BID_SEALING_KEY', keyRaw);
    problems.push(...parsed.problems);
    if (parsed.key) bidSealingKey = parsed.key;
  }
  const ring = parseSealingKeyRing(keysSetting, bidSealingKey.length ? bidSealingKey : undefined, parseKey);
  if (keysSetting || bidSealingKey.length) problems.push(...ring.problems);

  const adminUsername = secret('ADMIN_USERNAME');
  const adminPassword = secret('ADMIN_PASSWORD');
  if (adminPassword && adminPassword.length < 8) {
    if (production) problems.push('ADMIN_PASSWORD must be at least 8 characters');
    else logger?.warn('ADMIN_PASSWORD is shorter than 8 characters; production refuses that');
  }
  const adminOrg = secret('ADMIN_ORG');

  const queuePrefix = env.QUEUE_PREFIX ?? 'jicai';
  if (!/^[A-Za-z0-9_-]+$/.test(queuePrefix)) problems.push('QUEUE_PREFIX may hold only letters, digits, _ and -');

  if (problems.length) throw new ConfigError(problems);
  return new AppConfig({
    nodeEnv,
    databaseUrl,
    redisUrl,
    port,
    jwtSecret,
    jwtExpiresIn: env.JWT_EXPIRES_IN ?? '12h',
    bidSealingKey,
    bidSealingKeyRing: ring.ring,
    adminUsername,
    adminPassword,
    adminOrg,
    queuePrefix,
    workerConcurrency,
    settlementCron: env.SETTLEMENT_CRON ?? '0 2 1 * *',
  } as AppConfig);
}
