import { DataSource } from 'typeorm';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';

describe('platform foundation (e2e, real MySQL and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /health reports database and Redis up, without auth', async () => {
    const res = await t.http().get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves OpenAPI at /docs-json describing the endpoints', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/organizations', '/api/v1/health', '/api/v1/jobs/{jobId}']),
    );
  });

  describe('login', () => {
    it('gives a token and the user with its role for the bootstrap admin', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'admin-password-1' });
      expect(res.status).toBe(200);
      expect(typeof res.body.accessToken).toBe('string');
      expect(res.body.user).toMatchObject({ username: 'admin', role: 'ADMIN' });
      expect(typeof res.body.user.organizationId).toBe('number');
    });

    it('refuses a wrong password and an unknown user alike', async () => {
      const a = await t.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'wrong-password' });
      const b = await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'wrong-password' });
      for (const r of [a, b]) {
        expect(r.status).toBe(401);
        expect(r.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
      }
    });
  });

  describe('auth and roles', () => {
    it('refuses an unauthenticated call with 401 and a bad token with 401', async () => {
      const a = await t.http().get('/api/v1/organizations');
      expect(a.status).toBe(401);
      expect(a.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      const b = await t.http().get('/api/v1/organizations').set(bearer('not-a-token'));
      expect(b.status).toBe(401);
    });

    it('refuses roles that may not call an endpoint (403 FORBIDDEN), per endpoint', async () => {
      const supplier = await createOrgUser(t, 'SUPPLIER');
      const hospital = await createOrgUser(t, 'HOSPITAL');
      const fund = await createOrgUser(t, 'FUND');
      expect(supplier.role).toBe('SUPPLIER');
      expect(hospital.role).toBe('HOSPITAL');
      expect(fund.role).toBe('FUND');
      const cases: [string, 'get' | 'post', string, object?][] = [
        [supplier.token, 'get', '/api/v1/organizations'],
        [hospital.token, 'get', '/api/v1/organizations'],
        [supplier.token, 'post', '/api/v1/organizations', { name: 'x', code: 'X1', type: 'SUPPLIER' }],
        [fund.token, 'post', '/api/v1/organizations', { name: 'x', code: 'X2', type: 'SUPPLIER' }],
        [hospital.token, 'post', '/api/v1/users', { username: 'abc', password: 'password-1', organizationId: hospital.orgId }],
        [fund.token, 'get', '/api/v1/audit'],
        [supplier.token, 'get', '/api/v1/audit/verify'],
        [hospital.token, 'post', '/api/v1/audit/verify'],
      ];
      for (const [token, method, path, body] of cases) {
        const res = await t.http()[method](path).set(bearer(token)).send(body);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
      }
      // The fund may list organisations.
      const ok = await t.http().get('/api/v1/organizations?limit=2').set(bearer(fund.token));
      expect(ok.status).toBe(200);
      expect(ok.body.items).toHaveLength(2);
      expect(ok.body.total).toBeGreaterThanOrEqual(4);
    });
  });

  describe('validation', () => {
    it('answers 400 VALIDATION_FAILED with per-field details and writes nothing', async () => {
      const before = await t.http().get('/api/v1/organizations').set(bearer(t.adminToken));
      const res = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send({ name: '', code: ' padded ', type: 'PHARMACY', extra: 1 });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'code', 'type', 'extra']));
      const after = await t.http().get('/api/v1/organizations').set(bearer(t.adminToken));
      expect(after.body.total).toBe(before.body.total);
    });

    it('takes a level for hospitals, optional as api.md writes it (level?), and refuses one for others', async () => {
      const a = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send({ name: 'H', code: 'H-NOLEVEL', type: 'HOSPITAL' });
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({ type: 'HOSPITAL', level: null });
      const c = await t
        .http()
        .post('/api/v1/organizations')
        .set(bearer(t.adminToken))
        .send({ name: 'H', code: 'H-LEVEL', type: 'HOSPITAL', level: 'TERTIARY' });
      expect([c.status, c.body.level]).toEqual([201, 'TERTIARY']);
      const d = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send({ name: 'H', code: 'H-BADLEVEL', type: 'HOSPITAL', level: 'HUGE' });
      expect([d.status, d.body.details[0].field]).toEqual([400, 'level']);
      const b = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send({ name: 'S', code: 'S-LEVEL', type: 'SUPPLIER', level: 'PRIMARY' });
      expect(b.status).toBe(400);
    });

    it('refuses a duplicate organisation code with 409', async () => {
      const body = { name: 'Dup', code: 'DUP-1', type: 'FUND' };
      expect((await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send(body)).status).toBe(201);
      const res = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send(body);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ALREADY_EXISTS');
    });

    it('takes the names and passwords real users choose (api.md states no format)', async () => {
      const org = await t.http().post('/api/v1/organizations').set(bearer(t.adminToken)).send({ name: '市第一人民医院', code: '医院 001', type: 'HOSPITAL' });
      expect(org.status).toBe(201);
      const user = await t
        .http()
        .post('/api/v1/users')
        .set(bearer(t.adminToken))
        .send({ username: '张医生', password: '密码是十个汉字长长长', organizationId: org.body.id });
      expect(user.status).toBe(201);
      expect(user.body).toMatchObject({ username: '张医生', role: 'HOSPITAL' });
      expect((await t.http().post('/api/v1/auth/login').send({ username: '张医生', password: '密码是十个汉字长长长' })).status).toBe(200);
      const empty = await t.http().post('/api/v1/users').set(bearer(t.adminToken)).send({ username: 'x', password: '', organizationId: org.body.id });
      expect(empty.status).toBe(400);
      expect(empty.body.details[0].field).toBe('password');
    });

    it('limits lists to 500', async () => {
      const res = await t.http().get('/api/v1/organizations?limit=501').set(bearer(t.adminToken));
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('limit');
    });

    it('answers unknown routes with 404 NOT_FOUND in the error format', async () => {
      const res = await t.http().get('/api/v1/no-such-thing').set(bearer(t.adminToken));
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });
  });

  describe('audit log', () => {
    it('records state changes in a chain that verifies', async () => {
      await createOrgUser(t, 'SUPPLIER');
      const list = await t.http().get('/api/v1/audit?entity=organization').set(bearer(t.adminToken));
      expect(list.status).toBe(200);
      expect(list.body.items[0]).toMatchObject({ action: 'organization.create', entity: 'organization' });
      const v = await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken));
      expect(v.body.ok).toBe(true);
      expect(v.body.entries).toBeGreaterThan(3);
    });

    it('does not fork the chain under concurrent writers', async () => {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t
            .http()
            .post('/api/v1/organizations')
            .set(bearer(t.adminToken))
            .send({ name: `Par ${i}`, code: `PAR-${i}`, type: 'SUPPLIER' }),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      const v = await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken));
      expect(v.body.ok).toBe(true);
      const ds = t.app.get(DataSource);
      const [{ n, distinctPrev }] = await ds.query('SELECT COUNT(*) AS n, COUNT(DISTINCT prev_hash) AS distinctPrev FROM audit_entries');
      expect(Number(distinctPrev)).toBe(Number(n)); // no two entries share a predecessor
    });

    it('detects a tampered entry', async () => {
      const ds = t.app.get(DataSource);
      const [row] = await ds.query('SELECT seq, data FROM audit_entries WHERE seq IS NOT NULL ORDER BY seq LIMIT 1 OFFSET 2');
      await ds.query('UPDATE audit_entries SET data = ? WHERE seq = ?', ['{"tampered":true}', row.seq]);
      const v = await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken));
      expect(v.body).toMatchObject({ ok: false, brokenAt: Number(row.seq) });
      await ds.query('UPDATE audit_entries SET data = ? WHERE seq = ?', [row.data, row.seq]);
      const again = await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken));
      expect(again.body.ok).toBe(true);
    });
  });

  describe('jobs', () => {
    it('runs audit verification through the worker and reports it at GET /jobs/:jobId', async () => {
      const res = await t.http().post('/api/v1/audit/verify').set(bearer(t.adminToken));
      expect(res.status).toBe(202);
      const job = await waitForJob(t, t.adminToken, res.body.jobId);
      expect(job).toMatchObject({ state: 'completed', result: { ok: true }, failedReason: null });
      expect(job.result.entries).toBeGreaterThan(0);
    });

    it('hides a job from an organisation that did not start it, and 404s unknown ids', async () => {
      const res = await t.http().post('/api/v1/audit/verify').set(bearer(t.adminToken));
      const supplier = await createOrgUser(t, 'SUPPLIER');
      const other = await t.http().get(`/api/v1/jobs/${res.body.jobId}`).set(bearer(supplier.token));
      expect(other.status).toBe(404);
      const unknown = await t.http().get('/api/v1/jobs/audit.nope').set(bearer(t.adminToken));
      expect(unknown.status).toBe(404);
    });
  });
});
