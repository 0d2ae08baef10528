import { Logger } from '@nestjs/common';
import { parseSealingKeyRing, SealingKeyParser, SealingKeyRing } from './sealing-keys';
import { passwordPolicyProblem } from '../auth/password-policy';
import { LocalSecrets, loadOrCreateLocalSecrets, localSecretsPath } from './local-secrets';

/**
 * The platform's configuration, read from the environment once, validated at start
 * (architecture.md "Running"). Nothing else reads process.env.
 */
export class AppConfig {
  readonly nodeEnv!: string;
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  /** REDIS_CLUSTER_NODES: the seed nodes of a Redis Cluster (null: the single node of REDIS_URL). */
  readonly redisClusterNodes!: { host: string; port: number }[] | null;
  readonly port!: number;
  readonly jwtSecret!: string;
  readonly jwtExpiresIn!: string;
  /** The key of BID_SEALING_KEY (id `default`); empty when only BID_SEALING_KEYS is set. */
  readonly bidSealingKey!: Buffer;
  /** Every sealing key by id, and the current one (sealing-keys.ts). */
  readonly bidSealingKeyRing!: SealingKeyRing;
  readonly adminUsername!: string;
  /** null: none given; the first admin on an empty database gets a random one, printed once. */
  readonly adminPassword!: string | null;
  readonly adminOrg!: string;
  /** Redis key prefix of every BullMQ queue; tests give each suite its own. */
  readonly queuePrefix!: string;
  readonly workerConcurrency!: number;
  /** Failed logins allowed per username, and per client address, in one window (then 429). */
  readonly loginFailuresPerUser!: number;
  readonly loginFailuresPerAddress!: number;
  readonly loginFailureWindowSeconds!: number;
  /** Password hashes computed at once: half of libuv's threadpool (UV_THREADPOOL_SIZE, default 4). */
  readonly passwordHashConcurrency!: number;
  /** Cron pattern (UTC) of the repeatable monthly settlement run. */
  readonly settlementCron!: string;
  /** A file the worker touches every 10 s for container healthchecks (unset: none). */
  readonly workerHeartbeatFile!: string | null;

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

/**
 * Values that were once published as defaults (README, tests, examples) or are trivially
 * guessable: production refuses them, whatever their length.
 */
const KNOWN_PUBLIC_SECRETS = new Set([
  'dev-only-jwt-secret-change-me-0123456789',
  'test-secret-0123456789abcdef',
  Buffer.from('jicai-development-sealing-key-32b').subarray(0, 32).toString('base64'),
  Buffer.alloc(32, 11).toString('base64'),
  'admin-password',
  'admin-password-1',
  'changeme',
  'change-me',
  'password',
  'secret',
]);

const JWT_SECRET_MIN_PRODUCTION = 32;
const JWT_SECRET_MIN = 16;
export const SEALING_KEY_BYTES = 32;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** NODE_ENV compared case-insensitively: `Production` and ` PRODUCTION ` are production too. */
export function isProduction(nodeEnv: string | undefined): boolean {
  return (nodeEnv ?? '').trim().toLowerCase() === 'production';
}

/**
 * The one place a single sealing key (BID_SEALING_KEY: 32 bytes, base64) is parsed and judged.
 * Returns the key, or the problems that make it unusable; `production` adds the refusals of
 * known public values and degenerate keys (all bytes equal, e.g. all zero).
 */
export function parseSealingKeySetting(name: string, raw: string, production: boolean): { key?: Buffer; problems: string[] } {
  const s = raw.trim();
  if (!BASE64_RE.test(s) || s === '')
    return { problems: [`${name} must be ${SEALING_KEY_BYTES} bytes in base64 (44 characters), got something that is not base64`] };
  const key = Buffer.from(s, 'base64');
  if (key.length !== SEALING_KEY_BYTES) return { problems: [`${name} must be ${SEALING_KEY_BYTES} bytes in base64 (44 characters), got ${key.length} bytes`] };
  if (production && KNOWN_PUBLIC_SECRETS.has(s)) return { problems: [`${name} is a publicly known value; generate one (openssl rand -base64 32)`] };
  if (production && key.every((b) => b === key[0]))
    return { problems: [`${name} has every byte equal (e.g. all zero); generate one (openssl rand -base64 32)`] };
  return { key, problems: [] };
}

/** The judgement of a JWT signing secret (HS256): long enough, not public, not one repeated character. */
export function checkJwtSecret(secret: string, production: boolean): string[] {
  const problems: string[] = [];
  const min = production ? JWT_SECRET_MIN_PRODUCTION : JWT_SECRET_MIN;
  if (secret.length < min) problems.push(`JWT_SECRET must be at least ${min} characters${production ? ' in production' : ''}`);
  if (production && KNOWN_PUBLIC_SECRETS.has(secret)) problems.push('JWT_SECRET is a publicly known value; generate one (openssl rand -base64 48)');
  if (production && new Set(secret).size < 2) problems.push('JWT_SECRET is one repeated character');
  return problems;
}

/**
 * Validates the environment and returns the configuration, or throws ConfigError with
 * one clear line per missing or malformed value.
 *
 * Secrets never have a public default. Outside production, an unset JWT_SECRET or
 * BID_SEALING_KEY is taken from the local secrets file (generated on first start, see
 * local-secrets.ts); an unset ADMIN_PASSWORD leaves `adminPassword` null, and the first admin
 * then gets a random password printed once. Production refuses unset, short, known or
 * degenerate values.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, logger?: Pick<Logger, 'warn' | 'log'>): AppConfig {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = isProduction(nodeEnv);
  const given = (name: string): string | undefined => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);

  let local: LocalSecrets | undefined;
  const localSecret = (name: 'JWT_SECRET' | 'BID_SEALING_KEY'): string => {
    if (production) {
      problems.push(`${name} is required when NODE_ENV=production`);
      return '';
    }
    try {
      local ??= loadOrCreateLocalSecrets(localSecretsPath(env), logger);
    } catch (e) {
      problems.push((e as Error).message);
      return '';
    }
    return name === 'JWT_SECRET' ? local.jwtSecret : local.bidSealingKey;
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

  // host:port,host:port — a Redis Cluster's seed nodes; REDIS_URL then gives only credentials and TLS.
  let redisClusterNodes: { host: string; port: number }[] | null = null;
  const clusterRaw = env.REDIS_CLUSTER_NODES?.trim();
  if (clusterRaw) {
    redisClusterNodes = [];
    for (const entry of clusterRaw.split(',').map((e) => e.trim())) {
      const m = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(entry);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
        problems.push(`REDIS_CLUSTER_NODES must be host:port,host:port (e.g. 10.0.0.1:7000,10.0.0.2:7000), got ${JSON.stringify(entry)}`);
        continue;
      }
      redisClusterNodes.push({ host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) });
    }
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
  const loginFailuresPerUser = intVar('LOGIN_FAILURES_PER_USER', 10, 1, 10000);
  const loginFailuresPerAddress = intVar('LOGIN_FAILURES_PER_ADDRESS', 100, 1, 1000000);
  const loginFailureWindowSeconds = intVar('LOGIN_FAILURE_WINDOW_SECONDS', 900, 1, 86400);
  const passwordHashConcurrency = Math.max(1, Math.floor(intVar('UV_THREADPOOL_SIZE', 4, 1, 1024) / 2));

  const jwtSecret = given('JWT_SECRET') ?? localSecret('JWT_SECRET');
  if (jwtSecret) problems.push(...checkJwtSecret(jwtSecret, production));

  // Every sealing key, single or in a ring, is judged by parseSealingKeySetting.
  const parseKey: SealingKeyParser = (name, raw) => parseSealingKeySetting(name, raw, production);
  const keysSetting = env.BID_SEALING_KEYS?.trim() ? env.BID_SEALING_KEYS : undefined;
  // With a key ring given, BID_SEALING_KEY is optional (an old key kept readable as `default`);
  // without one, it comes from the environment or (outside production) the local secrets file.
  const keyRaw = keysSetting ? given('BID_SEALING_KEY') : (given('BID_SEALING_KEY') ?? localSecret('BID_SEALING_KEY'));
  let bidSealingKey: Buffer = Buffer.alloc(0);
  if (keyRaw) {
    const parsed = parseKey('BID_SEALING_KEY', keyRaw);
    problems.push(...parsed.problems);
    if (parsed.key) bidSealingKey = parsed.key;
  }
  const ring = parseSealingKeyRing(keysSetting, bidSealingKey.length ? bidSealingKey : undefined, parseKey);
  if (keysSetting || bidSealingKey.length) problems.push(...ring.problems);

  const required = (name: string, fallback: string): string => {
    const v = given(name);
    if (v !== undefined) return v;
    if (production) problems.push(`${name} is required when NODE_ENV=production`);
    return fallback;
  };
  const adminUsername = required('ADMIN_USERNAME', 'admin');
  const adminOrg = required('ADMIN_ORG', 'Procurement Office');
  const adminPassword = given('ADMIN_PASSWORD') ?? null;
  if (adminPassword === null) {
    if (production) problems.push('ADMIN_PASSWORD is required when NODE_ENV=production');
  } else {
    const weak = passwordPolicyProblem(adminPassword);
    if (weak) problems.push(`ADMIN_PASSWORD: ${weak}`);
    else if (production && KNOWN_PUBLIC_SECRETS.has(adminPassword)) problems.push('ADMIN_PASSWORD is a publicly known value');
  }

  const queuePrefix = env.QUEUE_PREFIX ?? 'jicai';
  // A Redis Cluster needs the prefix as a hash tag, `{jicai}`, so a queue's keys share a slot (docs/scaling.md).
  if (!/^(\{[A-Za-z0-9_-]+\}|[A-Za-z0-9_-]+)$/.test(queuePrefix)) {
    problems.push('QUEUE_PREFIX may hold only letters, digits, _ and -, optionally in braces (a Redis Cluster hash tag)');
  } else if (redisClusterNodes && !queuePrefix.startsWith('{')) {
    // BullMQ's scripts touch several keys of a queue; a cluster runs them only when all share one slot.
    problems.push(`QUEUE_PREFIX must be a hash tag such as {${queuePrefix}} when REDIS_CLUSTER_NODES is set`);
  }

  if (problems.length) throw new ConfigError(problems);
  return new AppConfig({
    nodeEnv,
    databaseUrl,
    redisUrl,
    redisClusterNodes,
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
    loginFailuresPerUser,
    loginFailuresPerAddress,
    loginFailureWindowSeconds,
    passwordHashConcurrency,
    settlementCron: env.SETTLEMENT_CRON ?? '0 2 1 * *',
    workerHeartbeatFile: env.WORKER_HEARTBEAT_FILE?.trim() || null,
  } as AppConfig);
}
