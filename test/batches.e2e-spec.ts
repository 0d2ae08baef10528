import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';

const H = 3600_000;

describe('batches, items, rules and lifecycle (e2e)', () => {
  let t: TestApp;
  let supplier: { token: string };
  let hospital: { token: string };
  let fund: { token: string };
  const admin = () => bearer(t.adminToken);

  const body = (code: string, extra: object = {}) => {
    const now = t.clock.now().getTime();
    return {
      code,
      name: `Batch ${code}`,
      biddingOpensAt: new Date(now + H).toISOString(),
      biddingClosesAt: new Date(now + 2 * H).toISOString(),
      openingAt: new Date(now + 3 * H).toISOString(),
      agreementStart: '2027-01-01',
      agreementMonths: 12,
      ...extra,
    };
  };
  const item = { genericName: '左氨氯地平', dosageForm: '片剂', representativeStrength: { value: '2.5', unit: 'mg' }, ceilingUnitPrice: '0.5446' };

  beforeAll(async () => {
    t = await createTestApp();
    supplier = await createOrgUser(t, 'SUPPLIER');
    hospital = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');
  });
  afterAll(async () => t?.close());

  it('creates a DRAFT batch with the default rules of domain.md section 13', async () => {
    const res = await t.http().post('/api/v1/batches').set(admin()).send(body('B-DEF'));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('DRAFT');
    expect(res.body.agreementStart).toBe('2027-01-01T00:00:00.000Z');
    expect(res.body.rules).toEqual({
      groups: { A: ['ORIGINATOR', 'REFERENCE'], B: ['CONSISTENCY_PASSED', 'GENERIC'] },
      strengthRatioCoefficient: '1.7',
      priceWeight: '60',
      technicalWeight: '40',
      gateRatio: '1.8',
      gateReduction: '0.5',
      gateFloor: '0.1000',
      // domain.md 15: the rules of recent national rounds, defaults that keep section 5's behaviour
      gateAnchor: 'LOWEST',
      publicityDays: 3,
      abnormalLowRatio: null,
      termByWinners: null,
      revival: 'NONE',
      revivalIncludesRanked: false,
      revivalHours: 48,
      revivalCountsForVolume: false,
      transition: 'NONE',
      transitionYears: 2,
      maxWinners: [
        { minBids: 1, winners: 1 },
        { minBids: 2, winners: 2 },
        { minBids: 4, winners: 3 },
        { minBids: 6, winners: 4 },
      ],
      agreedVolumeRatio: [
        { winners: 1, ratio: '0.50' },
        { winners: 2, ratio: '0.60' },
        { winners: 3, ratio: '0.70' },
        { winners: 4, ratio: '0.80' },
      ],
      prepaymentRatio: '0.30',
      standardBasis: 'ITEM_HIGHEST',
      paymentTermDays: 30,
      confirmationDays: 7,
      ordersRequired: true,
      orderConfirmHours: 48,
      progressAlertRatio: '0.8',
      nonSelectedShareLimit: '0.3',
      retentionShares: [
        { minScore: '80', share: '0.50' },
        { minScore: '70', share: '0.40' },
        { minScore: '60', share: '0.30' },
        { minScore: '0', share: '0' },
      ],
    });
  });

  it('takes partial rules, filling the rest, and refuses bad ones with per-field details', async () => {
    const ok = await t
      .http()
      .post('/api/v1/batches')
      .set(admin())
      .send(body('B-PART', { rules: { priceWeight: '70', technicalWeight: '30', gateFloor: null } }));
    expect(ok.status).toBe(201);
    expect(ok.body.rules).toMatchObject({ priceWeight: '70', technicalWeight: '30', gateFloor: null, gateRatio: '1.8' });

    const bad = await t
      .http()
      .post('/api/v1/batches')
      .set(admin())
      .send(
        body('B-BAD', {
          rules: { priceWeight: '70', groups: { A: ['ORIGINATOR', 'GENERIC'], B: ['CONSISTENCY_PASSED', 'GENERIC'] }, prepaymentRatio: '0.20' },
        }),
      );
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const fields = bad.body.details.map((d: { field: string }) => d.field).join(' ');
    expect(fields).toMatch(/Weight/); // 70 + 40 ≠ 100
    expect(fields).toMatch(/groups/); // GENERIC in two groups, REFERENCE in none
    expect(fields).toMatch(/prepaymentRatio/); // below 0.30
    const list = await t.http().get('/api/v1/batches').set(admin());
    expect(list.body.items.map((b: { code: string }) => b.code)).not.toContain('B-BAD');
  });

  it('refuses times out of order and agreementMonths outside 12/24/36', async () => {
    const now = t.clock.now().getTime();
    const res = await t
      .http()
      .post('/api/v1/batches')
      .set(admin())
      .send(body('B-TIMES', { biddingOpensAt: new Date(now + 2 * H).toISOString(), biddingClosesAt: new Date(now + H).toISOString() }));
    expect(res.status).toBe(400);
    const m = await t
      .http()
      .post('/api/v1/batches')
      .set(admin())
      .send(body('B-MONTHS', { agreementMonths: 18 }));
    expect(m.status).toBe(400);
    expect(m.body.details[0].field).toBe('agreementMonths');
  });

  it('runs the lifecycle: items only in DRAFT, publish needs an item, illegal moves are 409 and audited', async () => {
    const b = (await t.http().post('/api/v1/batches').set(admin()).send(body('B-LIFE'))).body;
    const empty = await t.http().post(`/api/v1/batches/${b.id}/publish`).set(admin());
    expect(empty.status).toBe(422);

    const it1 = await t.http().post(`/api/v1/batches/${b.id}/items`).set(admin()).send(item);
    expect(it1.status).toBe(201);
    expect(it1.body).toMatchObject({ genericName: '左氨氯地平', representativeStrength: { value: '2.5', unit: 'mg' }, ceilingUnitPrice: '0.5446' });
    // Same generic name and form after NFKC (full-width spaces trimmed): a duplicate.
    const dup = await t
      .http()
      .post(`/api/v1/batches/${b.id}/items`)
      .set(admin())
      .send({ ...item, genericName: '　左氨氯地平　' });
    expect(dup.status).toBe(409);
    const badCeiling = await t
      .http()
      .post(`/api/v1/batches/${b.id}/items`)
      .set(admin())
      .send({ ...item, genericName: 'x', ceilingUnitPrice: '0.54461' });
    expect(badCeiling.status).toBe(400);

    const pub = await t.http().post(`/api/v1/batches/${b.id}/publish`).set(admin());
    expect(pub.status).toBe(200);
    expect(pub.body.status).toBe('PUBLISHED');
    expect(pub.body.items).toHaveLength(1);

    const again = await t.http().post(`/api/v1/batches/${b.id}/publish`).set(admin());
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_STATE');
    const late = await t
      .http()
      .post(`/api/v1/batches/${b.id}/items`)
      .set(admin())
      .send({ ...item, genericName: 'other' });
    expect(late.status).toBe(409);
    const patch = await t.http().patch(`/api/v1/batches/${b.id}`).set(admin()).send({ name: 'renamed' });
    expect(patch.status).toBe(409);

    const cancel = await t.http().post(`/api/v1/batches/${b.id}/cancel`).set(admin());
    expect(cancel.body.status).toBe('CANCELLED');
    const cancelAgain = await t.http().post(`/api/v1/batches/${b.id}/cancel`).set(admin());
    expect(cancelAgain.status).toBe(409);
    const pubCancelled = await t.http().post(`/api/v1/batches/${b.id}/publish`).set(admin());
    expect(pubCancelled.status).toBe(409);

    const audit = await t.http().get(`/api/v1/audit?entity=batch&entityId=${b.id}`).set(admin());
    const actions = audit.body.items.map((e: { action: string; data: { to?: string } }) => `${e.action}:${e.data.to ?? ''}`);
    expect(actions).toEqual(
      expect.arrayContaining(['batch.create:', 'batch.transition:PUBLISHED', 'batch.transition:CANCELLED', 'batch.transition-refused:PUBLISHED']),
    );
  });

  it('refuses item decimals that are JSON numbers, have too many decimals or too many digits: 400, never 500', async () => {
    const b = (await t.http().post('/api/v1/batches').set(admin()).send(body('B-DIGITS'))).body;
    const add = (extra: object) =>
      t
        .http()
        .post(`/api/v1/batches/${b.id}/items`)
        .set(admin())
        .send({ ...item, ...extra });
    for (const bad of [
      { ceilingUnitPrice: 0.5446 },
      { ceilingUnitPrice: '0.54460' },
      { ceilingUnitPrice: '12345678901234567' }, // 17 digits: DECIMAL(20,4) holds 16
      { representativeStrength: { value: 2.5, unit: 'mg' } },
      { representativeStrength: { value: '2.5000001', unit: 'mg' } },
      { representativeStrength: { value: '123456789012345', unit: 'mg' } }, // 15 digits: DECIMAL(20,6) holds 14
    ]) {
      const res = await add(bad);
      expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code: 'VALIDATION_FAILED' });
    }
    const widest = await add({ ceilingUnitPrice: '1234567890123456.1234', representativeStrength: { value: '12345678901234.123456', unit: 'mg' } });
    expect(widest.status).toBe(201);
    expect(widest.body).toMatchObject({ ceilingUnitPrice: '1234567890123456.1234', representativeStrength: { value: '12345678901234.123456' } });
  });

  it('schedules the opening job at openingAt and moves it when a draft changes openingAt', async () => {
    const b = (await t.http().post('/api/v1/batches').set(admin()).send(body('B-SCHED'))).body;
    const queue = t.app.get<Queue>(getQueueToken('opening'));
    const job = await queue.getJob(`open-batch-${b.id}`);
    expect(await job!.getState()).toBe('delayed');
    const due1 = job!.timestamp + job!.delay;
    expect(Math.abs(due1 - new Date(b.openingAt).getTime())).toBeLessThan(5000);

    const later = new Date(new Date(b.openingAt).getTime() + 5 * H).toISOString();
    const res = await t.http().patch(`/api/v1/batches/${b.id}`).set(admin()).send({ openingAt: later });
    expect(res.status).toBe(200);
    expect(res.body.openingAt).toBe(later);
    const moved = await queue.getJob(`open-batch-${b.id}`);
    expect(Math.abs(moved!.timestamp + moved!.delay - new Date(later).getTime())).toBeLessThan(5000);

    await t.http().post(`/api/v1/batches/${b.id}/cancel`).set(admin());
    expect(await queue.getJob(`open-batch-${b.id}`)).toBeUndefined();
  });

  it('lets every role read batches but only admins change them', async () => {
    const b = (await t.http().post('/api/v1/batches').set(admin()).send(body('B-ROLES'))).body;
    for (const u of [supplier, hospital, fund]) {
      expect((await t.http().get(`/api/v1/batches/${b.id}`).set(bearer(u.token))).status).toBe(200);
      expect((await t.http().get('/api/v1/batches').set(bearer(u.token))).status).toBe(200);
      const refused = [
        await t.http().post('/api/v1/batches').set(bearer(u.token)).send(body('B-X')),
        await t.http().post(`/api/v1/batches/${b.id}/items`).set(bearer(u.token)).send(item),
        await t.http().post(`/api/v1/batches/${b.id}/publish`).set(bearer(u.token)),
        await t.http().post(`/api/v1/batches/${b.id}/cancel`).set(bearer(u.token)),
        await t.http().patch(`/api/v1/batches/${b.id}`).set(bearer(u.token)).send({ name: 'x' }),
      ];
      for (const r of refused) expect({ status: r.status, code: r.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await t.http().get(`/api/v1/batches/${b.id}`)).status).toBe(401);
    expect((await t.http().get('/api/v1/batches/999999').set(admin())).status).toBe(404);
  });
});
