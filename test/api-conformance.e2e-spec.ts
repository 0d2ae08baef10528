import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';

/**
 * api.md, endpoint by endpoint, in one place: the roles in brackets are exactly the roles
 * the guard lets through (every other role gets 403 FORBIDDEN), no token is 401, and the
 * OpenAPI document at /docs-json describes the endpoint. The ids in the paths do not exist:
 * the guard answers before any pipe or service, so a refused role is 403 whatever the ids,
 * and an allowed role gets past it (to a 400/404/409 of its own, never the guard's 403).
 */
type Role = 'ADMIN' | 'SUPPLIER' | 'HOSPITAL' | 'FUND';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
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
  { method: 'post', path: '/auth/activate', roles: 'public' },
  { method: 'post', path: '/organizations', roles: ['ADMIN'] },
  { method: 'get', path: '/organizations', roles: ['ADMIN', 'FUND'] },
  { method: 'post', path: '/users', roles: ['ADMIN'] },
  // Catalog
  { method: 'post', path: '/catalog/products', roles: ['ADMIN'] },
  { method: 'get', path: '/catalog/products', roles: ALL },
  { method: 'post', path: '/catalog/products/import', roles: ['ADMIN'] },
  { method: 'get', path: '/catalog/products/template.xlsx', roles: ['ADMIN'] },
  { method: 'patch', path: '/catalog/products/:id', roles: ['ADMIN'] },
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
  { method: 'get', path: '/batches/:id/technical-scores', roles: ['ADMIN'] },
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
  // Agreements by winner (issue 14): the procurement office and the fund.
  { method: 'get', path: '/batches/:id/agreements/by-winner', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/batches/:id/agreements/by-winner.xlsx', roles: ['ADMIN', 'FUND'] },
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
  // Bulk paths (issue 11)
  { method: 'post', path: '/organizations/import', roles: ['ADMIN'] },
  { method: 'get', path: '/organizations/template.xlsx', roles: ['ADMIN'] },
  { method: 'get', path: '/users/activation-codes.xlsx', roles: ['ADMIN'] },
  { method: 'get', path: '/payments.xlsx', roles: ['FUND', 'SUPPLIER', 'HOSPITAL'] },
  { method: 'post', path: '/deliveries/import', roles: ['SUPPLIER'] },
  { method: 'get', path: '/deliveries/template.xlsx', roles: ['SUPPLIER'] },
  { method: 'post', path: '/deliveries/acceptances/import', roles: ['HOSPITAL'] },
  { method: 'get', path: '/deliveries/acceptances/template.xlsx', roles: ['HOSPITAL'] },
  { method: 'post', path: '/batches/:id/agreements/confirm', roles: ['HOSPITAL'] },
  { method: 'post', path: '/settlements/runs', roles: ['FUND'] },
  { method: 'get', path: '/settlements/runs/:id', roles: ['FUND'] },
  { method: 'get', path: '/payments', roles: ['FUND', 'SUPPLIER', 'HOSPITAL'] },
  { method: 'post', path: '/payments/:id/mark-paid', roles: ['FUND'] },
  { method: 'get', path: '/settlements/runs/:id/statement.xlsx', roles: ['FUND'] },
  // Audit and health
  { method: 'get', path: '/audit', roles: ['ADMIN'] },
  { method: 'get', path: '/audit/verify', roles: ['ADMIN'] },
  { method: 'get', path: '/health', roles: 'public' },
  // Rules of recent national rounds (domain.md 15): publicity, objections, abnormally low bids
  { method: 'post', path: '/batches/:id/objections', roles: ['SUPPLIER'] },
  { method: 'get', path: '/batches/:id/objections', roles: ['ADMIN', 'SUPPLIER'] },
  { method: 'post', path: '/objections/:id/answer', roles: ['ADMIN'] },
  { method: 'get', path: '/batches/:id/abnormal-low-bids', roles: ['ADMIN', 'SUPPLIER'] },
  { method: 'post', path: '/bids/:id/cost-statement', roles: ['SUPPLIER'] },
  { method: 'post', path: '/bids/:id/cost-statement/decision', roles: ['ADMIN'] },
  { method: 'post', path: '/bids/:id/revival', roles: ['SUPPLIER'] },
  { method: 'get', path: '/batches/:id/revival-offers', roles: ['ADMIN', 'SUPPLIER'] },
  // Dashboards (issue 15): the charts' aggregates and the table behind each as xlsx
  { method: 'get', path: '/dashboards/batches/:id/funnel', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/funnel.xlsx', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/price-cuts', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/price-cuts.xlsx', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/winner-volumes', roles: ['ADMIN', 'FUND', 'SUPPLIER'] },
  { method: 'get', path: '/dashboards/batches/:id/winner-volumes.xlsx', roles: ['ADMIN', 'FUND', 'SUPPLIER'] },
  { method: 'get', path: '/dashboards/batches/:id/progress-by-item', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/progress-by-item.xlsx', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/progress-by-level', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/progress-by-level.xlsx', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/behind-hospitals', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/batches/:id/behind-hospitals.xlsx', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/supplier', roles: ['ADMIN', 'FUND', 'SUPPLIER'] },
  { method: 'get', path: '/dashboards/supplier.xlsx', roles: ['ADMIN', 'FUND', 'SUPPLIER'] },
  { method: 'get', path: '/dashboards/hospital', roles: ['ADMIN', 'FUND', 'HOSPITAL'] },
  { method: 'get', path: '/dashboards/hospital.xlsx', roles: ['ADMIN', 'FUND', 'HOSPITAL'] },
  { method: 'get', path: '/dashboards/fund/prepaid-settled', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/fund/prepaid-settled.xlsx', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/fund/payments-by-week', roles: ['ADMIN', 'FUND'] },
  { method: 'get', path: '/dashboards/fund/payments-by-week.xlsx', roles: ['ADMIN', 'FUND'] },
  // Execution spreadsheets (issue 13, exec2)
  { method: 'get', path: '/batches/:id/progress/non-selected/template.xlsx', roles: ['HOSPITAL', 'ADMIN'] },
  { method: 'post', path: '/batches/:id/progress/non-selected/import', roles: ['HOSPITAL', 'ADMIN'] },
  { method: 'get', path: '/batches/:id/assessment-scores/template.xlsx', roles: ['ADMIN'] },
  { method: 'post', path: '/batches/:id/assessment-scores/import', roles: ['ADMIN'] },
  { method: 'get', path: '/orders/template.xlsx', roles: ['HOSPITAL'] },
  { method: 'post', path: '/orders/import', roles: ['HOSPITAL'] },
  // Conventions: long work is followed with GET /jobs/:jobId.
  { method: 'get', path: '/jobs/:jobId', roles: ALL },
  // The job queues page (issue 14): admin only.
  { method: 'get', path: '/jobs/queues', roles: ['ADMIN'] },
  { method: 'get', path: '/jobs', roles: ['ADMIN'] },
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

  /**
   * Money, prices, scores and ratios are decimal STRINGS (api.md "Conventions"); a JSON
   * number where one is expected is refused with 400 VALIDATION_FAILED naming the field,
   * as is a string with more decimals than domain.md section 0 allows ("3.330" too).
   * Quantities and packs are JSON integers: a string or a fraction is refused alike.
   * Field checks come before any look-up, so the ids need not exist.
   */
  it('refuses JSON numbers for decimals, too many decimals, and non-integer quantities with 400 VALIDATION_FAILED per field', async () => {
    const now = Date.now();
    const batch = (code: string, rules: object) => ({
      code,
      name: code,
      rules,
      agreementStart: '2099-01-01',
      agreementMonths: 12,
      biddingOpensAt: new Date(now + 3600_000).toISOString(),
      biddingClosesAt: new Date(now + 7200_000).toISOString(),
      openingAt: new Date(now + 10800_000).toISOString(),
    });
    const item = { genericName: 'g', dosageForm: 'f', representativeStrength: { value: '2.5', unit: 'mg' }, ceilingUnitPrice: '0.5446' };
    const bid = { itemId: X, productId: X, packPrice: '3.33', supplyCapacity: 100 };
    const quote = { productId: X, packPrice: '3.90', packs: 3, reimbursementRatio: '0.70' };
    const product = {
      genericName: 'g',
      dosageForm: 'f',
      strength: { value: '2.5', unit: 'mg' },
      packSize: 28,
      smallestUnit: 't',
      qualityTier: 'GENERIC',
      supplierId: X,
      approvalNumber: 'A-1',
    };
    const cases: [Role, Method, string, object, string][] = [
      ['ADMIN', 'post', '/batches', batch('DEC-1', { priceWeight: 60 }), 'rules.priceWeight'],
      ['ADMIN', 'post', '/batches', batch('DEC-2', { priceWeight: '59.99995', technicalWeight: '40.00005' }), 'rules.technicalWeight'],
      ['ADMIN', 'post', '/batches', batch('DEC-3', { prepaymentRatio: 0.3 }), 'rules.prepaymentRatio'],
      ['ADMIN', 'post', '/batches', batch('DEC-4', { gateFloor: '0.10001' }), 'rules.gateFloor'],
      ['ADMIN', 'post', '/batches', { ...batch('DEC-5', {}), agreementMonths: '12' }, 'agreementMonths'],
      ['ADMIN', 'post', '/batches/:id/items', { ...item, ceilingUnitPrice: 0.5446 }, 'ceilingUnitPrice'],
      ['ADMIN', 'post', '/batches/:id/items', { ...item, ceilingUnitPrice: '0.54460' }, 'ceilingUnitPrice'],
      ['ADMIN', 'post', '/batches/:id/items', { ...item, representativeStrength: { value: 2.5, unit: 'mg' } }, 'representativeStrength.value'],
      ['ADMIN', 'post', '/catalog/products', { ...product, strength: { value: 2.5, unit: 'mg' } }, 'strength.value'],
      ['ADMIN', 'post', '/catalog/products', { ...product, packSize: '28' }, 'packSize'],
      ['ADMIN', 'post', '/catalog/products', { ...product, listedPackPrice: 12.5 }, 'listedPackPrice'],
      ['ADMIN', 'patch', '/catalog/products/:id', { listedPackPrice: '12.505' }, 'listedPackPrice'],
      ['SUPPLIER', 'post', '/batches/:id/bids', { ...bid, packPrice: 3.33 }, 'packPrice'],
      ['SUPPLIER', 'post', '/batches/:id/bids', { ...bid, packPrice: '3.330' }, 'packPrice'],
      ['SUPPLIER', 'post', '/batches/:id/bids', { ...bid, packPrice: '3.331' }, 'packPrice'],
      ['SUPPLIER', 'post', '/batches/:id/bids', { ...bid, supplyCapacity: '100' }, 'supplyCapacity'],
      ['SUPPLIER', 'post', '/batches/:id/bids', { ...bid, supplyCapacity: 100.5 }, 'supplyCapacity'],
      ['ADMIN', 'put', '/bids/:id/technical-score', { criteria: [{ name: 'q', points: 12.5, maxPoints: '40' }] }, 'criteria.0.points'],
      ['ADMIN', 'put', '/bids/:id/technical-score', { criteria: [{ name: 'q', points: '12.5', maxPoints: 40 }] }, 'criteria.0.maxPoints'],
      ['HOSPITAL', 'put', '/batches/:id/items/:itemId/demand', { group: 'B', quantity: '15001' }, 'quantity'],
      ['HOSPITAL', 'put', '/batches/:id/items/:itemId/demand', { group: 'B', quantity: 1.5 }, 'quantity'],
      ['HOSPITAL', 'post', '/reimbursement/quote', { ...quote, packPrice: 3.9 }, 'packPrice'],
      ['HOSPITAL', 'post', '/reimbursement/quote', { ...quote, packPrice: '3.901' }, 'packPrice'],
      ['FUND', 'post', '/reimbursement/quote', { ...quote, reimbursementRatio: 0.7 }, 'reimbursementRatio'],
      ['FUND', 'post', '/reimbursement/quote', { ...quote, packs: '3' }, 'packs'],
      ['FUND', 'post', '/reimbursement/quote', { ...quote, date: '2027-02-30' }, 'date'],
      ['SUPPLIER', 'post', '/deliveries', { agreementId: X, packs: '10', lotNumber: 'L1', deliveredAt: new Date(now - 60_000).toISOString() }, 'packs'],
      ['HOSPITAL', 'post', '/deliveries/:id/accept', { acceptedPacks: 1.5 }, 'acceptedPacks'],
    ];
    const wrong: object[] = [];
    for (const [role, method, path, body, field] of cases) {
      const res = await t.http()[method](concrete(path)).set(bearer(tokens[role])).send(body);
      const fields = (res.body.details ?? []).map((d: { field?: string }) => d.field);
      if (res.status !== 400 || res.body.code !== 'VALIDATION_FAILED' || !fields.includes(field)) {
        wrong.push({ call: `${method.toUpperCase()} ${path}`, field, status: res.status, code: res.body.code, details: res.body.details });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('describes every endpoint in the OpenAPI document at /docs-json', async () => {
    const doc = await t.http().get('/docs-json');
    expect(doc.status).toBe(200);
    const missing = ENDPOINTS.filter((e) => !doc.body.paths[openApiPath(e.path)]?.[e.method]).map(label);
    expect(missing).toEqual([]);
  });
});
