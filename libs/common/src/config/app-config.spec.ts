import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ConfigError, isProduction, loadConfig } from './app-config';

const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1)).toString('base64');
const jwt = 'k3J9-q8ZbW2xT7vLp4Nc6Ds1Rf0Hy5Ue-Ma';
const prodEnv = { NODE_ENV: 'production', JWT_SECRET: jwt, BID_SEALING_KEY: key, ADMIN_USERNAME: 'a', ADMIN_PASSWORD: 'long-enough-pw', ADMIN_ORG: 'o' };
const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'jicai-secrets-')), 'nested', 'secrets.json');

describe('loadConfig', () => {
  it('outside production generates missing secrets once, in an owner-only file, and reuses them', () => {
    const file = tmpFile();
    const warnings: string[] = [];
    const c = loadConfig({ NODE_ENV: 'development', JICAI_SECRETS_FILE: file }, { warn: (m: string) => warnings.push(m), log: () => undefined });
    expect(c.port).toBe(3000);
    expect(c.database.database).toBe('jicai');
    expect(c.bidSealingKey.length).toBe(32);
    expect(c.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(c.adminPassword).toBeNull();
    expect(warnings.join('\n')).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toEqual({ jwtSecret: c.jwtSecret, bidSealingKey: c.bidSealingKey.toString('base64') });
    // A restart (or the other process) reads the same secrets, so old bids still open.
    const again = loadConfig({ JICAI_SECRETS_FILE: file });
    expect(again.jwtSecret).toBe(c.jwtSecret);
    expect(again.bidSealingKey.equals(c.bidSealingKey)).toBe(true);
    // A value given in the environment wins over the file.
    expect(loadConfig({ JICAI_SECRETS_FILE: file, BID_SEALING_KEY: key }).bidSealingKey.toString('base64')).toBe(key);
  });

  it('two processes starting at the same moment end up with the same secrets', async () => {
    const file = tmpFile();
    // Each child waits for the same instant, then races to create the file.
    const startAt = Date.now() + 3000;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(
          process.execPath,
          [
            '--require',
            join(__dirname, '../../../../test/helpers/swc-register.js'),
            '-e',
            `const { loadOrCreateLocalSecrets } = require(${JSON.stringify(join(__dirname, 'local-secrets.ts'))});` +
              `while (Date.now() < ${startAt});` +
              `process.stdout.write(JSON.stringify(loadOrCreateLocalSecrets(process.argv[1])))`,
            file,
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const results = await Promise.all(Array.from({ length: 6 }, run));
    expect(new Set(results).size).toBe(1);
    expect(JSON.parse(results[0])).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  }, 60000);

  it('refuses a secrets file others can read', () => {
    const file = tmpFile();
    loadConfig({ JICAI_SECRETS_FILE: file });
    chmodSync(file, 0o644);
    expect(() => loadConfig({ JICAI_SECRETS_FILE: file })).toThrow(/chmod 600/);
  });

  it('takes NODE_ENV case-insensitively', () => {
    for (const v of ['production', 'Production', 'PRODUCTION', ' production ']) expect(isProduction(v)).toBe(true);
    for (const v of [undefined, '', 'development', 'test', 'prod']) expect(isProduction(v)).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'Production', JICAI_SECRETS_FILE: tmpFile() })).toThrow(/JWT_SECRET is required/);
  });

  it('refuses to start in production without secrets, naming each, and writes no file', () => {
    const file = tmpFile();
    try {
      loadConfig({ NODE_ENV: 'production', JICAI_SECRETS_FILE: file });
      fail('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ['JWT_SECRET', 'BID_SEALING_KEY', 'ADMIN_USERNAME', 'ADMIN_PASSWORD', 'ADMIN_ORG']) expect(msg).toContain(name);
    }
    expect(() => statSync(file)).toThrow();
  });

  it('refuses known, short and degenerate secrets in production', () => {
    const refused: [Record<string, string>, RegExp][] = [
      [{ JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789' }, /JWT_SECRET is a publicly known value/],
      [{ JWT_SECRET: 'x'.repeat(40) }, /JWT_SECRET is one repeated character/],
      [{ JWT_SECRET: 'short-but-16-chars' }, /JWT_SECRET must be at least 32 characters/],
      [{ BID_SEALING_KEY: Buffer.alloc(32).toString('base64') }, /BID_SEALING_KEY has every byte equal/],
      [{ BID_SEALING_KEY: Buffer.alloc(32, 11).toString('base64') }, /BID_SEALING_KEY is a publicly known value/],
      [{ BID_SEALING_KEY: Buffer.from('jicai-development-sealing-key-32b').subarray(0, 32).toString('base64') }, /BID_SEALING_KEY is a publicly known value/],
      [{ ADMIN_PASSWORD: 'admin-password' }, /ADMIN_PASSWORD is a publicly known value/],
      [{ ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD: a password must have at least 10 characters/],
    ];
    for (const [override, message] of refused) expect(() => loadConfig({ ...prodEnv, ...override })).toThrow(message);
  });

  it('reports each malformed value clearly', () => {
    expect(() =>
      loadConfig({
        ...prodEnv,
        BID_SEALING_KEY: Buffer.alloc(16, 3).toString('base64'),
        PORT: 'eighty',
        DATABASE_URL: 'nope',
      }),
    ).toThrow(/BID_SEALING_KEY must be 32 bytes[\s\S]*PORT must be an integer|DATABASE_URL/);
  });

  it('accepts a complete production environment', () => {
    const c = loadConfig({ ...prodEnv, PORT: '8080', DATABASE_URL: 'mysql://u:p%40ss@db:3307/jc' });
    expect(c.port).toBe(8080);
    expect(c.adminPassword).toBe('long-enough-pw');
    expect(c.database).toEqual({ host: 'db', port: 3307, user: 'u', password: 'p@ss', database: 'jc' });
  });

  it('takes a queue prefix as a Redis Cluster hash tag, and refuses other punctuation', () => {
    expect(loadConfig({ ...prodEnv, QUEUE_PREFIX: '{jicai}' }).queuePrefix).toBe('{jicai}');
    expect(loadConfig({ ...prodEnv, QUEUE_PREFIX: 'jicai_2' }).queuePrefix).toBe('jicai_2');
    for (const bad of ['{jicai', 'ji{cai}', 'a:b', '{}']) expect(() => loadConfig({ ...prodEnv, QUEUE_PREFIX: bad })).toThrow(/QUEUE_PREFIX/);
  });

  it('REDIS_CLUSTER_NODES: host:port seed nodes of a Redis Cluster, which needs a hash-tag queue prefix', () => {
    expect(loadConfig({ ...prodEnv }).redisClusterNodes).toBeNull();
    const c = loadConfig({ ...prodEnv, QUEUE_PREFIX: '{jicai}', REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-2.internal:7001,[::1]:7002 ' });
    expect(c.redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-2.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(() => loadConfig({ ...prodEnv, QUEUE_PREFIX: 'jicai', REDIS_CLUSTER_NODES: '10.0.0.1:7000' })).toThrow(
      /QUEUE_PREFIX must be a hash tag such as \{jicai\}/,
    );
    for (const bad of ['10.0.0.1', '10.0.0.1:0', 'a:b:c', '10.0.0.1:7000,,x:1', 'h:70000'])
      expect(() => loadConfig({ ...prodEnv, QUEUE_PREFIX: '{jicai}', REDIS_CLUSTER_NODES: bad })).toThrow(/REDIS_CLUSTER_NODES must be host:port/);
  });
});
