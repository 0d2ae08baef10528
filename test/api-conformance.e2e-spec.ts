import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';

/**
 * api.md, endpoint by endpoint, in one place: the roles in brackets are exactly the roles
 * the guard lets through (every other role gets 403 FORBIDDEN), no token is 401, and the
 * OpenAPI document at /docs-json describes the endpoint. The ids in the paths do not exist:
 * the guard answers before any pipe or service, so a refused role is 403 whatever the ids,
 * and an allowed role gets past it (to a 400/404/409 of its own, never the guard's 403).
 */
type Role = 'ADMIN' | 'SUPPLIER' | 'HOSPITAL' | 'FUND';
type Method = 'get' | 'post' | 'put' | 'delete';
const ALL: Role[] = ['ADMIN', 'SUPPLIER', 'HOSPITAL', 'FUND'];
const X = 987654; // an id nobody has

interface Endpoint {
  method: Method;
  path: string; // as api.md writes it
  roles: Role[] | 'public';
}

/** api.md "Endpoints", in its order; roles as listed (or as api.md / domain.md imply them). */
const ENDPOINTS: Endpoint[] = [
  // Auth and organisations
  { method: 'post', path: '/auth/login', roles: 'public' },
  { method: 'post', path: '/organizations', roles: ['ADMIN'] },
  { method: 'get', path: '/organizations', roles: ['ADMIN', 'FUND'] },
  { method: 'post', path: '/users', roles: ['ADMIN'] },
  // Catalog
  { method: 'post', path: '/catalog/products', roles: ['ADMIN'] },
  { method: 'get', path: '/catalog/products', roles: ALL },
  { method: 'post', path: '/catalog/products/import', roles: ['ADMIN'] },
  { method: 'get', path: '/catalog/products/template.xlsx', roles: ['ADMIN'] },
  // Batches and items
  { method: 'post', path: '/batches', roles: ['ADMIN'] },
  { method: 'get', path: '/batches', roles: ALL },
  { method: 'get', path: '/batches/:id', roles: ALL },
  { method: 'post', path: '/batches/:id/items', roles: ['ADMIN'] },
  { method: 'post', path: '/batches/:id/publish', roles: ['ADMIN'] },
  { method: 'post', path: '/batches/:id/cancel', roles: ['ADMIN'] },
  // Demand
  { method: 'put', path: '/batches/:id/items/:itemId/demand', roles: ['HOSPITAL'] },
  { method: 'get', path: '/batches/:id/demand', roles: ['HOSPITAL', 'ADMIN'] },
  { method: 'post', path: '/batches/:id/demand/import', roles: ['HOSPITAL', 'ADMIN'] },
  { method: 'get', path: '/batches/:id/demand/template.xlsx', roles: ['HOSPITAL', 'ADMIN'] },
  // Bids
  { method: 'post', path: '/batches/:id/bids', roles: ['SUPPLIER'] },
  { method: 'delete', path: '/bids/:id', roles: ['SUPPLIER'] },
  { method: 'get', path: '/batches/:id/bids', roles: ['SUPPLIER', 'ADMIN', 'FUND'] },
  { method: 'post', path: '/batches/:id/open', roles: ['ADMIN'] },
  // Evaluation and award
  { method: 'put', path: '/bids/:id/technical-score', roles: ['ADMIN'] },
  { method: 'post', path: '/batches/:id/technical-scores/import', roles: ['ADMIN'] },
  { method: 'post', path: '/batches/:id/evaluate', roles: ['ADMIN'] },
  { method: 'get', path: '/batches/:id/results', roles: ALL },
  { method: 'post', path: '/batches/:id/award', roles: ['ADMIN'] },
  { method: 'get', path: '/batches/:id/results.xlsx', roles: ['ADMIN', 'FUND'] },
  // Allocation and agreements
  { method: 'put', path: '/batches/:id/items/:itemId/preferences', roles: ['HOSPITAL'] },
  { method: 'post', path: '/batches/:id/allocate', roles: ['ADMIN'] },
  { method: 'get', path: '/batches/:id/agreements', roles: ALL },
  // Unallocated volume belongs to hospitals: no supplier has a share of it.
  { method: 'get', path: '/batches/:id/unallocated', roles: ['HOSPITAL', 'ADMIN', 'FUND'] },
  // domain.md 7: an admin confirms after the confirmation deadline.
  { method: 'post', path: '/agreements/:id/confirm', roles: ['HOSPITAL', 'ADMIN'] },
  { method: 'post', path: '/batches/:id/activate', roles: ['ADMIN'] },
  { method: 'get', path: '/batches/:id/agreements.xlsx', roles: ALL },
  // Prepayments
  { method: 'get', path: '/prepayments', roles: ['FUND', 'ADMIN', 'HOSPITAL'] },
  { method: 'post', path: '/prepayments/:id/disburse', roles: ['FUND'] },
  // Payment standards and claims
  { method: 'get', path: '/payment-standards', roles: ALL },
  { method: 'get', path: '/catalog/products/:id/payment-standard', roles: ALL },
  { method: 'post', path: '/reimbursement/quote', roles: ['HOSPITAL', 'FUND'] },
  // Deliveries and settlement
  { method: 'post', path: '/deliveries', roles: ['SUPPLIER'] },
  { method: 'post', path: '/deliveries/:id/accept', roles: ['HOSPITAL'] },
  { method: 'get', path: '/deliveries', roles: ALL },
  { method: 'post', path: '/settlements/runs', roles: ['FUND'] },
  { method: 'get', path: '/settlements/runs/:id', roles: ['FUND'] },
  { method: 'get', path: '/payments', roles: ['FUND', 'SUPPLIER', 'HOSPITAL'] },
  { method: 'post', path: '/payments/:id/mark-paid', roles: ['FUND'] },
  { method: 'get', path: '/settlements/runs/:id/statement.xlsx', roles: ['FUND'] },
  // Audit and health
  { method: 'get', path: '/audit', roles: ['ADMIN'] },
  { method: 'get', path: '/audit/verify', roles: ['ADMIN'] },
  { method: 'get', path: '/health', roles: 'public' },
  // Conventions: long work is followed with GET /jobs/:jobId.
  { method: 'get', path: '/jobs/:jobId', roles: ALL },
];

const label = (e: Endpoint) => `${e.method.toUpperCase()} ${e.path}`;
const concrete = (path: string) => `/api/v1${path.replace(/:[A-Za-z]+/g, String(X))}`;
const openApiPath = (path: string) => `/api/v1${path.replace(/:([A-Za-z]+)/g, '{$1}')}`;

describe('api.md conformance: roles, 401 and OpenAPI for every endpoint', () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await createTestApp({ worker: false });
    tokens.ADMIN = t.adminToken;
    for (const role of ['SUPPLIER', 'HOSPITAL', 'FUND'] as const) tokens[role] = (await createOrgUser(t, role)).token;
  });
  afterAll(async () => t?.close());

  const call = (e: Endpoint, token?: string) => {
    const req = t.http()[e.method](concrete(e.path));
    return token ? req.set(bearer(token)) : req;
  };

  it('refuses every role api.md does not list with 403 FORBIDDEN, per endpoint', async () => {
    const wrong: object[] = [];
    for (const e of ENDPOINTS) {
      if (e.roles === 'public') continue;
      for (const role of ALL.filter((r) => !(e.roles as Role[]).includes(r))) {
        const res = await call(e, tokens[role]).send({});
        if (res.status !== 403 || res.body.code !== 'FORBIDDEN' || res.body.statusCode !== 403) {
          wrong.push({ endpoint: label(e), role, status: res.status, code: res.body.code });
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets every listed role past the role check (no 401, no role 403), per endpoint', async () => {
    const wrong: object[] = [];
    for (const e of ENDPOINTS) {
      if (e.roles === 'public') continue;
      for (const role of e.roles) {
        const res = await call(e, tokens[role]).send({});
        const refusedByRole = res.status === 403 && /^Role /.test(String(res.body.message));
        if (res.status === 401 || refusedByRole || res.status >= 500) wrong.push({ endpoint: label(e), role, status: res.status, body: res.body });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 UNAUTHORIZED without a token and with a bad one, except for login and health', async () => {
    const wrong: object[] = [];
    for (const e of ENDPOINTS) {
      if (e.roles === 'public') continue;
      for (const token of [undefined, 'not-a-token']) {
        const res = await call(e, token).send({});
        if (res.status !== 401 || res.body.code !== 'UNAUTHORIZED') wrong.push({ endpoint: label(e), token, status: res.status, code: res.body.code });
      }
    }
    expect(wrong).toEqual([]);
    expect((await t.http().get('/api/v1/health')).status).toBe(200);
    expect((await t.http().post('/api/v1/auth/login').send({ username: 'nobody', password: 'wrong-password' })).status).toBe(401);
  });

  it('describes every endpoint in the OpenAPI document at /docs-json', async () => {
    const doc = await t.http().get('/docs-json');
    expect(doc.status).toBe(200);
    const missing = ENDPOINTS.filter((e) => !doc.body.paths[openApiPath(e.path)]?.[e.method]).map(label);
    expect(missing).toEqual([]);
  });
});
