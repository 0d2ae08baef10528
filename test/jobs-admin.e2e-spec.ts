import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';

/**
 * The job queues as the procurement office sees them (issue 14, the job-queues page): counts per
 * queue and state, and the recent jobs without their payloads. No worker runs here, so the jobs
 * added stay waiting and the counts are exact.
 */
describe('job queues (admin)', () => {
  let t: TestApp;
  const ids: string[] = [];
  beforeAll(async () => {
    t = await createTestApp({ worker: false });
    for (let i = 0; i < 3; i++) {
      const res = await t.http().post('/api/v1/audit/verify').set(bearer(t.adminToken));
      expect(res.status).toBe(202);
      ids.push(res.body.jobId);
    }
  });
  afterAll(async () => t?.close());

  it('GET /jobs/queues: every queue with its counts; the three verifications wait in audit', async () => {
    const res = await t.http().get('/api/v1/jobs/queues').set(bearer(t.adminToken));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(9);
    const audit = res.body.items.find((q: { queue: string }) => q.queue === 'audit');
    expect(audit).toEqual({ queue: 'audit', waiting: 3, active: 0, delayed: 0, failed: 0, completed: 0, paused: false });
    const opening = res.body.items.find((q: { queue: string }) => q.queue === 'opening');
    expect(opening).toEqual({ queue: 'opening', waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, paused: false });
  });

  it('GET /jobs: newest first, paged, filtered by queue and state, without payloads', async () => {
    const all = await t.http().get('/api/v1/jobs').set(bearer(t.adminToken));
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((j: { jobId: string }) => j.jobId).sort()).toEqual([...ids].sort());
    const first = all.body.items[0];
    expect(Object.keys(first).sort()).toEqual([
      'attemptsMade',
      'createdAt',
      'failedReason',
      'finishedAt',
      'jobId',
      'name',
      'processedAt',
      'progress',
      'queue',
      'state',
    ]);
    expect(first).toMatchObject({ queue: 'audit', name: 'verify-chain', state: 'waiting', failedReason: null, finishedAt: null });
    const times = all.body.items.map((j: { createdAt: string }) => j.createdAt);
    expect(times).toEqual([...times].sort().reverse());

    const page = await t.http().get('/api/v1/jobs?queue=audit&state=waiting&limit=2&offset=1').set(bearer(t.adminToken));
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((j: { jobId: string }) => j.jobId)).toEqual(all.body.items.slice(1, 3).map((j: { jobId: string }) => j.jobId));

    const none = await t.http().get('/api/v1/jobs?queue=opening').set(bearer(t.adminToken));
    expect(none.body).toEqual({ items: [], total: 0 });
    const failed = await t.http().get('/api/v1/jobs?queue=audit&state=failed').set(bearer(t.adminToken));
    expect(failed.body).toEqual({ items: [], total: 0 });
  });

  it('an unknown queue or state is 400 VALIDATION_FAILED', async () => {
    for (const q of ['queue=nope', 'state=stuck', 'limit=0']) {
      const res = await t.http().get(`/api/v1/jobs?${q}`).set(bearer(t.adminToken));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('suppliers, hospitals and the fund get 403 on both', async () => {
    for (const type of ['SUPPLIER', 'HOSPITAL', 'FUND'] as const) {
      const u = await createOrgUser(t, type);
      for (const path of ['/api/v1/jobs/queues', '/api/v1/jobs']) {
        const res = await t.http().get(path).set(bearer(u.token));
        expect({ type, path, status: res.status }).toEqual({ type, path, status: 403 });
      }
    }
  });
});
