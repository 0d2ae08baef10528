import { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { AppConfig, RedisHealth } from '@jicai/common';
import { ApiModule } from '../apps/api/src/api.module';
import { configureApi } from '../apps/api/src/app.factory';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { seedAgreement, seedBatch } from './helpers/settlement-fixtures';
import { launch } from './web/browser';

const API = '/api/v1';

/** Issue 8, item 5: headers, bounded paging, health without error text, one 404, text hygiene. */
describe('HTTP hardening (e2e)', () => {
  let t: TestApp;
  let hospital: Awaited<ReturnType<typeof createOrgUser>>;
  let fund: Awaited<ReturnType<typeof createOrgUser>>;

  beforeAll(async () => {
    t = await createTestApp({ worker: false });
    hospital = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('security headers', () => {
    it('every answer: nosniff, no framing, a same-origin CSP, no X-Powered-By', async () => {
      for (const res of [
        await t.http().get(`${API}/health`),
        await t.http().get(`${API}/batches`).set(bearer(hospital.token)),
        await t.http().get(`${API}/no-such-route`),
        await t.http().post(`${API}/auth/login`).send({ username: 'x', password: 'y' }),
      ]) {
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        const csp = res.headers['content-security-policy'];
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('upgrade-insecure-requests');
      }
    });

    it('Swagger UI at /docs still renders under that CSP (Chromium)', async () => {
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      const html = await t.http().get('/docs');
      expect(html.status).toBe(200);
      expect(html.headers['content-security-policy']).toContain("script-src 'self'");
      // Swagger UI builds its page by script: the operations appear only if the CSP let it run.
      // Waited for in the browser (a fixed virtual-time budget ran out on a loaded machine).
      const browser = await launch();
      try {
        const page = await browser.newPage();
        const blocked: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
        });
        await page.goto(`http://127.0.0.1:${port}/docs`);
        await page.locator('.opblock').first().waitFor({ timeout: 45_000 });
        // The UI's scripts ran and loaded the whole document (every tag, the login operation's among them).
        const tags = await page.evaluate(() => Object.keys((globalThis as any).ui.specSelectors.taggedOperations().toJS()));
        expect(tags).toEqual(expect.arrayContaining(['auth', 'batches', 'bids', 'settlements']));
        expect(await page.evaluate(() => Boolean((globalThis as any).ui.specSelectors.paths().get('/api/v1/auth/login')))).toBe(true);
        expect(blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 90000);
  });

  describe('bounded limit and offset', () => {
    it.each([
      ['offset=1e20', 'offset'],
      ['offset=10000001', 'offset'],
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
      ['offset=abc', 'offset'],
      ['offset=9007199254740993', 'offset'],
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['limit=1e3', 'limit'],
    ])('?%s → 400 on %s', async (query, field) => {
      for (const path of ['/organizations', '/users', '/batches', '/audit']) {
        const res = await t.http().get(`${API}${path}?${query}`).set(bearer(t.adminToken));
        expect({ path, status: res.status, code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({
          path,
          status: 400,
          code: 'VALIDATION_FAILED',
          field,
        });
      }
    });

    it('the largest offset still answers (an empty page)', async () => {
      const res = await t.http().get(`${API}/organizations?offset=10000000`).set(bearer(t.adminToken));
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('no list, filter or path id answers 500 to huge or odd numbers (every GET of the OpenAPI document)', async () => {
      const doc = (await t.http().get('/docs-json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
      const failures: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        const get = ops.get;
        if (!get) continue;
        for (const odd of ['1e20', '99999999999999999999', '-1', '0x10']) {
          const query = (get.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => `${p.name}=${odd}`)
            .join('&');
          const url = path.replace(/\{[^}]+\}/g, odd) + (query ? `?${query}` : '');
          for (const token of [t.adminToken, hospital.token, fund.token]) {
            const res = await t.http().get(url).set(bearer(token));
            if (res.status >= 500) failures.push(`${url} → ${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, 120000);
  });

  describe('/health', () => {
    it('up/down per dependency, no error text (a Redis that refuses connections)', async () => {
      const up = await t.http().get(`${API}/health`);
      expect(up.status).toBe(200);
      expect(up.body).toEqual({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } });

      // A second api on the same database whose health probe talks to a closed Redis port.
      const config = t.app.get(AppConfig);
      const deadRedis = new RedisHealth(Object.assign(Object.create(AppConfig.prototype), config, { redisUrl: 'redis://127.0.0.1:1' }) as AppConfig);
      const moduleRef = await Test.createTestingModule({ imports: [ApiModule] })
        .overrideProvider(RedisHealth)
        .useValue(deadRedis)
        .compile();
      const app = moduleRef.createNestApplication({ logger: false });
      configureApi(app);
      await app.init();
      try {
        const { default: request } = await import('supertest');
        const down = await request(app.getHttpServer()).get(`${API}/health`);
        expect(down.status).toBe(503);
        expect(down.body).toEqual({ status: 'error', database: { status: 'up' }, redis: { status: 'down' } });
        expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|timeout|connect|refused/i);
      } finally {
        await app.close();
        await deadRedis.onModuleDestroy();
      }
    }, 30000);
  });

  describe('control characters and lone surrogates in text', () => {
    const bad: [string, string][] = [
      ['NUL', 'Hospital\u0000Name'],
      ['BEL', 'Hospital\u0007'],
      ['ESC', '\u001b[31mred'],
      ['DEL', 'abc\u007f'],
      ['C1 (NEL)', 'abc\u0085def'],
      ['newline in a one-line field', 'line one\nline two'],
      ['tab in a one-line field', 'a\tb'],
      ['lone high surrogate', 'abc\ud800'],
      ['lone low surrogate', '\udc00abc'],
      ['reversed pair', '\udc00\ud800'],
    ];

    it.each(bad)('refuses %s in an organisation name and code, storing nothing', async (what, text) => {
      const fine = `Fine name for ${what}`;
      for (const body of [
        { name: text, code: `CC-${Math.random().toString(36).slice(2, 8)}`, type: 'FUND' },
        { name: fine, code: text.replace(/ /g, '-'), type: 'FUND' },
      ]) {
        const res = await t.http().post(`${API}/organizations`).set(bearer(t.adminToken)).send(body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      const list = await t.http().get(`${API}/organizations?limit=500`).set(bearer(t.adminToken));
      expect(JSON.stringify(list.body)).not.toContain(fine);
      expect(JSON.stringify(list.body)).not.toContain(JSON.stringify(text).slice(1, -1));
    });

    it('names the field, also when nested, in queries and in path parameters', async () => {
      const nested = await t
        .http()
        .post(`${API}/batches/1/items`)
        .set(bearer(t.adminToken))
        .send({ genericName: 'x', dosageForm: '片剂', representativeStrength: { value: '1', unit: 'm\u0000g' }, ceilingUnitPrice: '1' });
      expect(nested.status).toBe(400);
      expect(nested.body.details.map((d: { field: string }) => d.field)).toContain('representativeStrength.unit');

      const query = await t
        .http()
        .get(`${API}/catalog/products?genericName=${encodeURIComponent('阿莫\u0000西林')}`)
        .set(bearer(hospital.token));
      expect(query.status).toBe(400);
      expect(query.body.details[0]).toMatchObject({ field: 'genericName' });

      const login = await t.http().post(`${API}/auth/login`).send({ username: 'admin\u0000', password: 'whatever-password' });
      expect(login.status).toBe(400);

      const path = await t
        .http()
        .get(`${API}/jobs/${encodeURIComponent('abc\u0001')}`)
        .set(bearer(hospital.token));
      expect(path.status).toBe(400);
    });

    it('accepts what real text holds: CJK, emoji (a proper surrogate pair), full-width and combining marks', async () => {
      const res = await t
        .http()
        .post(`${API}/organizations`)
        .set(bearer(t.adminToken))
        .send({ name: '市第一人民医院 🏥 ＡＢＣ é', code: `OK-${Math.random().toString(36).slice(2, 8)}`, type: 'HOSPITAL' });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('市第一人民医院 🏥 ＡＢＣ é');
    });

    it('a free-text field (an order refusal note) may hold line breaks and tabs, still not NUL', async () => {
      // The pipe runs before the service: the 404 (no such order) shows the text passed validation.
      const ok = await t
        .http()
        .post(`${API}/orders/999999/refuse`)
        .set(bearer((await createOrgUser(t, 'SUPPLIER')).token))
        .send({ reason: 'OTHER', note: 'line one\n\tline two\r\n' });
      expect(ok.status).toBe(404);
      const nul = await t
        .http()
        .post(`${API}/orders/999999/refuse`)
        .set(bearer((await createOrgUser(t, 'SUPPLIER')).token))
        .send({ reason: 'OTHER', note: 'a\u0000b' });
      expect(nul.status).toBe(400);
      expect(nul.body.details[0].field).toBe('note');
    });
  });

  describe('one 404 for missing and not yours', () => {
    it('agreements, deliveries and orders of another organisation answer exactly as a missing one', async () => {
      const [h1, h2] = [hospital, await createOrgUser(t, 'HOSPITAL')];
      const [s1, s2] = [await createOrgUser(t, 'SUPPLIER'), await createOrgUser(t, 'SUPPLIER')];
      const loose = await seedBatch(t, { ordersRequired: false });
      const strict = await seedBatch(t, { ordersRequired: true });
      const pending = await seedAgreement(t, { ...loose, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '10.00', status: 'PENDING_CONFIRMATION' });
      const confirmed = await seedAgreement(t, { ...loose, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '11.00' });
      const ordered = await seedAgreement(t, { ...strict, hospitalId: h1.orgId, supplierId: s1.orgId, awardPrice: '12.00' });
      const missing = 999_999_999;
      const same = async (mine: () => Promise<{ status: number; body: unknown }>, none: () => Promise<{ status: number; body: unknown }>) => {
        const [a, b] = [await mine(), await none()];
        expect(a.status).toBe(404);
        expect(a.body).toEqual(b.body);
      };
      const post = (token: string, path: string, body: object = {}) => t.http().post(`${API}${path}`).set(bearer(token)).send(body);
      const get = (token: string, path: string) => t.http().get(`${API}${path}`).set(bearer(token));

      await same(
        () => post(h2.token, `/agreements/${pending}/confirm`),
        () => post(h2.token, `/agreements/${missing}/confirm`),
      );
      const delivery = { packs: 1, lotNumber: 'L1', deliveredAt: new Date(Date.now() - 3600_000).toISOString() };
      await same(
        () => post(s2.token, '/deliveries', { ...delivery, agreementId: confirmed }),
        () => post(s2.token, '/deliveries', { ...delivery, agreementId: missing }),
      );
      const d = await post(s1.token, '/deliveries', { ...delivery, agreementId: confirmed });
      expect(d.status).toBe(201);
      await same(
        () => post(h2.token, `/deliveries/${d.body.id}/accept`, { acceptedPacks: 1 }),
        () => post(h2.token, `/deliveries/${missing}/accept`, { acceptedPacks: 1 }),
      );
      await same(
        () => post(h2.token, '/orders', { agreementId: ordered, packs: 1, requestedBy: 'Dr Wang' }),
        () => post(h2.token, '/orders', { agreementId: missing, packs: 1, requestedBy: 'Dr Wang' }),
      );
      const o = await post(h1.token, '/orders', { agreementId: ordered, packs: 1, requestedBy: 'Dr Wang' });
      expect(o.status).toBe(201);
      await same(
        () => get(h2.token, `/orders/${o.body.id}`),
        () => get(h2.token, `/orders/${missing}`),
      );
      await same(
        () => get(s2.token, `/orders/${o.body.id}`),
        () => get(s2.token, `/orders/${missing}`),
      );
      await same(
        () => post(s2.token, `/orders/${o.body.id}/confirm`),
        () => post(s2.token, `/orders/${missing}/confirm`),
      );
      await same(
        () => post(h2.token, `/orders/${o.body.id}/cancel`),
        () => post(h2.token, `/orders/${missing}/cancel`),
      );
      // The owners themselves still reach them.
      expect((await get(h1.token, `/orders/${o.body.id}`)).status).toBe(200);
    }, 60000);
  });
});
