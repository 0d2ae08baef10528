import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('fills development defaults with a warning when not in production', () => {
    const warnings: string[] = [];
    const c = loadConfig({ NODE_ENV: 'test' }, { warn: (m: string) => warnings.push(m) } as any);
    expect(c.port).toBe(3000);
    expect(c.database.database).toBe('jicai');
    expect(c.bidSealingKey.length).toBe(32);
    expect(warnings.some((w) => w.includes('JWT_SECRET'))).toBe(true);
  });

  it('refuses to start in production without secrets, naming each', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      fail('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ['JWT_SECRET', 'BID_SEALING_KEY', 'ADMIN_USERNAME', 'ADMIN_PASSWORD', 'ADMIN_ORG']) expect(msg).toContain(name);
    }
  });

  it('reports each malformed value clearly', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        BID_SEALING_KEY: Buffer.alloc(16).toString('base64'),
        ADMIN_USERNAME: 'a',
        ADMIN_PASSWORD: 'longenough',
        ADMIN_ORG: 'o',
        PORT: 'eighty',
        DATABASE_URL: 'nope',
      }),
    ).toThrow(/BID_SEALING_KEY must be 32 bytes[\s\S]*PORT must be an integer|DATABASE_URL/);
  });

  it('accepts a complete production environment', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      BID_SEALING_KEY: key,
      ADMIN_USERNAME: 'a',
      ADMIN_PASSWORD: 'longenough',
      ADMIN_ORG: 'o',
      PORT: '8080',
      DATABASE_URL: 'mysql://u:p%40ss@db:3307/jc',
    });
    expect(c.port).toBe(8080);
    expect(c.database).toEqual({ host: 'db', port: 3307, user: 'u', password: 'p@ss', database: 'jc' });
  });
});
