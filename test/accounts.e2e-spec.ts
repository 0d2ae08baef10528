import { hash as bcryptHash } from 'bcryptjs';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { sheetsOf } from '@jicai/spreadsheets';
import { ADMIN, bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { download } from './helpers/fixtures';

/**
 * Issue 8, item 4: every attack on accounts, mounted. The throttling window is shortened to
 * WINDOW s so "refused until the window passes" can be watched; the limits are the defaults
 * for usernames (10) and lowered for the address (20) so both can be reached quickly.
 */
const WINDOW = 8;
const PER_USER = 10;
const PER_ADDRESS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('accounts: throttling, timing, revocation, password policy (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let redis: IORedis;

  const login = (username: string, password: string) => t.http().post('/api/v1/auth/login').send({ username, password });
  /** Forgets every login failure of this suite (its keys carry the suite's queue prefix). */
  const clearThrottle = async () => {
    const keys = await redis.keys(`${t.queuePrefix}:login-fail:*`);
    if (keys.length) await redis.del(...keys);
  };

  beforeAll(async () => {
    Object.assign(process.env, {
      LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW),
      LOGIN_FAILURES_PER_USER: String(PER_USER),
      LOGIN_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
    });
    t = await createTestApp({ worker: false });
    ds = t.app.get(DataSource);
    redis = new IORedis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });
  beforeEach(clearThrottle);

  it('60 wrong passwords: 429 with Retry-After from the 11th, the right one refused too until the window passes', async () => {
    const u = await createOrgUser(t, 'SUPPLIER');
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 60; i++) {
      const res = await login(u.username, `wrong-password-${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers['retry-after'];
        expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
      }
    }
    expect(statuses.slice(0, PER_USER)).toEqual(Array(PER_USER).fill(401));
    expect(statuses.slice(PER_USER)).toEqual(Array(60 - PER_USER).fill(429));
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW);

    const right = await login(u.username, 'password-123');
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another case of the same name is the same account: refused too.
    expect((await login(u.username.toUpperCase(), 'password-123')).status).toBe(429);

    await sleep(Number(right.headers['retry-after']) * 1000 + 300);
    expect((await login(u.username, 'password-123')).status).toBe(200);
  }, 30000);

  it('activation codes are throttled like passwords: 429 after 10 wrong codes, the right one refused too until the window passes', async () => {
    // A user awaiting activation, as the organisations import leaves it (no password, a nonce).
    const u = await createOrgUser(t, 'HOSPITAL');
    await ds.query("UPDATE users SET password_hash = NULL, activation_nonce = REPLACE(UUID(), '-', '') WHERE id = ?", [u.userId]);
    const codes = (await sheetsOf((await download(t, t.adminToken, '/api/v1/users/activation-codes.xlsx')).body))['Activation codes'];
    const row = codes.find((r) => r[1] === u.username)!;
    const code = String(row[row.length - 1]);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    const activate = (activationCode: string) =>
      t.http().post('/api/v1/auth/activate').send({ username: u.username, activationCode, password: 'new-password-1' });

    const statuses: number[] = [];
    for (let i = 0; i < PER_USER + 3; i++) statuses.push((await activate(`WRONGCODE${String(i).padStart(7, '0')}`)).status);
    expect(statuses).toEqual([...Array(PER_USER).fill(401), 429, 429, 429]);
    const right = await activate(code);
    expect([right.status, right.body.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    // The block refused it before the code was looked at: the account is still awaiting activation.
    const [{ nonce }] = await ds.query('SELECT activation_nonce AS nonce FROM users WHERE id = ?', [u.userId]);
    expect(nonce).not.toBeNull();

    await sleep(Number(right.headers['retry-after']) * 1000 + 300);
    expect((await activate(code)).status).toBe(200);
    expect((await login(u.username, 'new-password-1')).status).toBe(200);
  }, 30000);

  it('failures from one address across many usernames: 429 for every login from it, right passwords included', async () => {
    const statuses: number[] = [];
    // In rounds of 5 at once (quick enough for the short window; each round sees the last one's count).
    for (let round = 0; round < (PER_ADDRESS + 5) / 5; round++)
      statuses.push(...(await Promise.all([0, 1, 2, 3, 4].map((i) => login(`sprayed-${round}-${i}`, 'Password1!')))).map((r) => r.status));
    expect(statuses.slice(0, PER_ADDRESS)).toEqual(Array(PER_ADDRESS).fill(401));
    expect(statuses.slice(PER_ADDRESS)).toEqual(Array(5).fill(429));
    const admin = await login(ADMIN.username, ADMIN.password);
    expect(admin.status).toBe(429);
    expect(admin.headers['retry-after']).toBeDefined();
  });

  it('successful logins are not limited per address (a hospital shares one)', async () => {
    const u = await createOrgUser(t, 'HOSPITAL');
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 10; i++) statuses.push((await login(u.username, 'password-123')).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
  }, 60000);

  it('a successful login clears its username’s failures', async () => {
    const u = await createOrgUser(t, 'FUND');
    for (let i = 0; i < PER_USER - 1; i++) expect((await login(u.username, 'nope-nope-nope')).status).toBe(401);
    expect((await login(u.username, 'password-123')).status).toBe(200);
    for (let i = 0; i < PER_USER - 1; i++) expect((await login(u.username, 'nope-nope-nope')).status).toBe(401);
    expect((await login(u.username, 'password-123')).status).toBe(200);
  });

  it('an unknown username takes as long as a known one with a wrong password', async () => {
    // Several known users, so no username reaches its limit; interleaved, so load hits both alike.
    const known = await Promise.all([1, 2, 3, 4].map(() => createOrgUser(t, 'SUPPLIER')));
    await clearThrottle();
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    const timed = async (username: string) => {
      const start = process.hrtime.bigint();
      const res = await login(username, 'not-the-password');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    for (let i = 0; i < 8; i++) {
      knownMs.push(await timed(known[i % 4].username));
      unknownMs.push(await timed(`no-such-user-${i}`));
    }
    const k = median(knownMs);
    const u = median(unknownMs);
    console.log(`login timing: known user, wrong password, median ${k.toFixed(1)} ms; unknown user ${u.toFixed(1)} ms`);
    // Before: 5 ms unknown against 62 ms known (a 12x gap). Both now run one argon2id verification.
    expect(u).toBeGreaterThan(k * 0.5);
    expect(k).toBeGreaterThan(u * 0.5);
  }, 60000);

  describe('a token stops working at once', () => {
    it('after logout (only that user’s tokens)', async () => {
      const u = await createOrgUser(t, 'HOSPITAL');
      const other = await createOrgUser(t, 'HOSPITAL');
      expect((await t.http().get('/api/v1/auth/me').set(bearer(u.token))).status).toBe(200);
      const out = await t.http().post('/api/v1/auth/logout').set(bearer(u.token));
      expect(out.status).toBe(204);
      const after = await t.http().get('/api/v1/auth/me').set(bearer(u.token));
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('UNAUTHORIZED');
      expect((await t.http().get('/api/v1/auth/me').set(bearer(other.token))).status).toBe(200);
      const again = await t.login(u.username, 'password-123');
      expect((await t.http().get('/api/v1/auth/me').set(bearer(again))).status).toBe(200);
    });

    it('after a password change; the new password and the new token work, the old password does not', async () => {
      const u = await createOrgUser(t, 'SUPPLIER');
      expect((await t.http().get('/api/v1/auth/me').set(bearer(u.token))).status).toBe(200);
      const res = await t
        .http()
        .post('/api/v1/auth/password')
        .set(bearer(u.token))
        .send({ currentPassword: 'password-123', newPassword: 'a-new-long-password' });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: u.userId, username: u.username });
      expect((await t.http().get('/api/v1/auth/me').set(bearer(u.token))).status).toBe(401);
      expect((await t.http().get('/api/v1/auth/me').set(bearer(res.body.accessToken))).status).toBe(200);
      expect((await login(u.username, 'password-123')).status).toBe(401);
      expect((await login(u.username, 'a-new-long-password')).status).toBe(200);
    });

    it('after the admin disables the user; login then answers 403 ACCOUNT_DISABLED until enabled', async () => {
      const u = await createOrgUser(t, 'FUND');
      expect((await t.http().get('/api/v1/auth/me').set(bearer(u.token))).status).toBe(200);
      const off = await t.http().patch(`/api/v1/users/${u.userId}`).set(bearer(t.adminToken)).send({ disabled: true });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: u.userId, disabled: true, role: 'FUND' });
      expect((await t.http().get('/api/v1/auth/me').set(bearer(u.token))).status).toBe(401);
      expect((await t.http().get('/api/v1/payments').set(bearer(u.token))).status).toBe(401);
      const refused = await login(u.username, 'password-123');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('ACCOUNT_DISABLED');
      expect((await login(u.username, 'wrong-password')).status).toBe(401);
      const on = await t.http().patch(`/api/v1/users/${u.userId}`).set(bearer(t.adminToken)).send({ disabled: false });
      expect(on.body.disabled).toBe(false);
      // Enabling does not revive the old token.
      expect((await t.http().get('/api/v1/auth/me').set(bearer(u.token))).status).toBe(401);
      expect((await login(u.username, 'password-123')).status).toBe(200);
    });

    it('a token without a token version (issued before this change) is refused', async () => {
      const jwt = t.app.get((await import('@nestjs/jwt')).JwtService);
      const legacy = await jwt.signAsync({ sub: '1', username: ADMIN.username, organizationId: 1, role: 'ADMIN' });
      expect((await t.http().get('/api/v1/auth/me').set(bearer(legacy))).status).toBe(401);
    });
  });

  describe('password policy', () => {
    it('refuses weak passwords for new users, at least 10 characters, at most 256 bytes', async () => {
      const org = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send({ name: 'Policy', code: 'POLICY-1', type: 'FUND' });
      const create = (username: string, password: string) =>
        t.http().post('/api/v1/users').set(bearer(t.adminToken)).send({ username, password, organizationId: org.body.id });
      for (const weak of ['a', '123456789', '          ', 'x'.repeat(257), '密'.repeat(86) /* 258 bytes */]) {
        const res = await create(`weak-${weak.length}`, weak);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details[0].field).toBe('password');
      }
      expect((await create('ten-chars', '1234567890')).status).toBe(201);
      expect((await create('ten-han', '一二三四五六七八九十')).status).toBe(201);
      expect((await create('max-bytes', 'y'.repeat(256))).status).toBe(201);
      expect((await login('max-bytes', 'y'.repeat(256))).status).toBe(200);
      // bcrypt read only 72 bytes; argon2id reads them all: a different 73rd byte is a different password.
      expect((await create('long-73', 'z'.repeat(72) + 'A')).status).toBe(201);
      expect((await login('long-73', 'z'.repeat(72) + 'B')).status).toBe(401);
    });

    it('refuses a weak new password, and a wrong current one (which counts as a failed login)', async () => {
      const u = await createOrgUser(t, 'HOSPITAL');
      const change = (currentPassword: string, newPassword: string) =>
        t.http().post('/api/v1/auth/password').set(bearer(u.token)).send({ currentPassword, newPassword });
      const weak = await change('password-123', 'short');
      expect(weak.status).toBe(400);
      expect(weak.body.details[0].field).toBe('newPassword');
      const same = await change('password-123', 'password-123');
      expect(same.status).toBe(400);
      for (let i = 0; i < PER_USER; i++) {
        const wrong = await change(`guess-${i}-guess`, 'another-long-password');
        expect(wrong.status).toBe(400);
        expect(wrong.body.details[0].field).toBe('currentPassword');
      }
      const blocked = await change('password-123', 'another-long-password');
      expect(blocked.status).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    });
  });

  it('a bcrypt hash made before argon2id still logs in once, and is replaced by argon2id', async () => {
    const u = await createOrgUser(t, 'SUPPLIER');
    await ds.query('UPDATE users SET password_hash = ? WHERE id = ?', [await bcryptHash('old-bcrypt-password', 10), u.userId]);
    expect((await login(u.username, 'wrong-password')).status).toBe(401);
    expect((await login(u.username, 'old-bcrypt-password')).status).toBe(200);
    const [row] = await ds.query('SELECT password_hash AS h FROM users WHERE id = ?', [u.userId]);
    expect(row.h).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.h).toContain('m=19456');
    expect((await login(u.username, 'old-bcrypt-password')).status).toBe(200);
  });

  it('the event loop stays responsive during 40 concurrent logins (/health latency)', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => createOrgUser(t, 'HOSPITAL')));
    const latencies: number[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        const start = process.hrtime.bigint();
        const res = await t.http().get('/api/v1/health');
        latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
        expect(res.status).toBe(200);
        await sleep(10);
      }
    })();
    const logins = await Promise.all(Array.from({ length: 40 }, (_, i) => login(users[i % 5].username, 'password-123')));
    done = true;
    await poll;
    expect(logins.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    console.log(
      `/health during 40 concurrent logins: ${latencies.length} probes, p50 ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    // Before: bcryptjs on the event loop, p50 near 850 ms under 50 logins. argon2 runs on the threadpool.
    expect(median(latencies)).toBeLessThan(250);
  }, 60000);

  describe('accounts endpoints', () => {
    it('GET /auth/me tells the caller who they are', async () => {
      const u = await createOrgUser(t, 'HOSPITAL', 'Me Hospital');
      const me = await t.http().get('/api/v1/auth/me').set(bearer(u.token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        id: u.userId,
        username: u.username,
        organizationId: u.orgId,
        role: 'HOSPITAL',
        disabled: false,
        organizationName: 'Me Hospital',
      });
      expect(me.body.passwordHash).toBeUndefined();
      expect((await t.http().get('/api/v1/auth/me')).status).toBe(401);
    });

    it('GET /users [admin] pages users in the list shape; other roles are refused', async () => {
      const u = await createOrgUser(t, 'SUPPLIER');
      const page = await t.http().get('/api/v1/users?limit=2&offset=0').set(bearer(t.adminToken));
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThan(2);
      expect(page.body.items[0]).toEqual({
        id: expect.any(Number),
        username: ADMIN.username,
        organizationId: expect.any(Number),
        role: 'ADMIN',
        disabled: false,
        createdAt: expect.any(String),
      });
      const own = await t.http().get(`/api/v1/users?organizationId=${u.orgId}`).set(bearer(t.adminToken));
      expect(own.body).toEqual({ items: [expect.objectContaining({ id: u.userId, username: u.username })], total: 1 });
      expect(JSON.stringify(own.body)).not.toMatch(/argon2|password/i);
      expect((await t.http().get('/api/v1/users').set(bearer(u.token))).status).toBe(403);
      expect((await t.http().patch(`/api/v1/users/${u.userId}`).set(bearer(u.token)).send({ disabled: true })).status).toBe(403);
      expect((await t.http().get('/api/v1/users?limit=501').set(bearer(t.adminToken))).status).toBe(400);
    });

    it('PATCH /users/:id: 404 for an unknown user, 409 for disabling oneself, 400 for anything but {disabled}', async () => {
      const u = await createOrgUser(t, 'FUND');
      expect((await t.http().patch('/api/v1/users/999999').set(bearer(t.adminToken)).send({ disabled: true })).status).toBe(404);
      const me = await t.http().get('/api/v1/auth/me').set(bearer(t.adminToken));
      const self = await t.http().patch(`/api/v1/users/${me.body.id}`).set(bearer(t.adminToken)).send({ disabled: true });
      expect(self.status).toBe(409);
      expect(self.body.code).toBe('INVALID_STATE');
      expect((await t.http().patch(`/api/v1/users/${u.userId}`).set(bearer(t.adminToken)).send({ disabled: 'yes' })).status).toBe(400);
      expect((await t.http().patch(`/api/v1/users/${u.userId}`).set(bearer(t.adminToken)).send({ disabled: true, role: 'ADMIN' })).status).toBe(400);
    });
  });
});
