import { bearer, createOrgUser, createTestApp, TestApp } from './helpers/test-app';
import { award, dataSource, insertProduct, insertWinner, ProductSpec, seedBatch, SeededBatch, setBatchStatus } from './helpers/money-fixtures';

type User = Awaited<ReturnType<typeof createOrgUser>>;

// Booting the api and worker on a fresh database can take a while on a busy machine.
jest.setTimeout(120_000);

/**
 * Payment standards and claims (domain.md section 9; api.md "Payment standards and claims").
 * Winners are seeded with SQL and the standards written by PaymentStandardsService.recordAward,
 * as the award does. Every price below is worked by hand in the comment beside it (K = 1.7
 * unless a batch says otherwise; standard_p = standardUnit × K^log2(strength_p / rep) × packSize).
 */
describe('payment standards and claim quotes (e2e)', () => {
  let t: TestApp;
  let s1: User;
  let s2: User;
  let hospital: User;
  let fund: User;
  let R1: SeededBatch; // 氨氯地平 片剂, rep 5 mg, ITEM_HIGHEST
  let R2: SeededBatch; // 阿托伐他汀钙 / 瑞舒伐他汀钙, rep 10 mg, GROUP_HIGHEST, K = 2
  const api = (path: string) => `/api/v1${path}`;
  const admin = () => bearer(t.adminToken);
  const T1 = new Date('2026-01-10T02:00:00.000Z');
  const T2 = new Date('2026-02-10T02:00:00.000Z');
  const T3 = new Date('2026-03-10T02:00:00.000Z');
  const T0 = new Date('2025-12-01T02:00:00.000Z');
  const p: Record<string, number> = {};

  const amlo = { genericName: '氨氯地平', dosageForm: '片剂' };
  const product = (supplier: User, extra: Partial<ProductSpec> & Pick<ProductSpec, 'strength' | 'packSize' | 'qualityTier'>) =>
    insertProduct(t, { supplierId: supplier.orgId, ...amlo, ...extra });
  const standardOf = (id: number, u: User | null = null) =>
    t
      .http()
      .get(api(`/catalog/products/${id}/payment-standard`))
      .set(u ? bearer(u.token) : admin());
  const quote = (body: object, u: User = hospital) => t.http().post(api('/reimbursement/quote')).set(bearer(u.token)).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    s1 = await createOrgUser(t, 'SUPPLIER');
    s2 = await createOrgUser(t, 'SUPPLIER');
    hospital = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');

    // Products of 氨氯地平 片剂, selected or not.
    p.A = await product(s1, { strength: { value: '5', unit: 'mg' }, packSize: 28, qualityTier: 'ORIGINATOR' }); // group A winner
    p.B1 = await product(s2, { strength: { value: '5', unit: 'mg' }, packSize: 7, qualityTier: 'CONSISTENCY_PASSED' }); // group B winner
    p.B2 = await product(s2, { strength: { value: '10', unit: 'mg' }, packSize: 10, qualityTier: 'GENERIC' }); // group B winner
    p.X = await product(s1, { strength: { value: '10', unit: 'mg' }, packSize: 14, qualityTier: 'GENERIC' });
    p.Y = await product(s2, { strength: { value: '2.5', unit: 'mg' }, packSize: 7, qualityTier: 'REFERENCE' });
    p.Z = await product(s1, { strength: { value: '20', unit: 'mg' }, packSize: 30, qualityTier: 'GENERIC' });
    p.G = await product(s1, { strength: { value: '0.005', unit: 'g' }, packSize: 28, qualityTier: 'GENERIC' });
    p.H = await product(s1, { strength: { value: '7.5', unit: 'mg' }, packSize: 10, qualityTier: 'GENERIC' });
    p.ML = await product(s1, { strength: { value: '5', unit: 'mL' }, packSize: 10, qualityTier: 'GENERIC' });
    p.FW = await product(s1, { genericName: '　氨氯地平　', dosageForm: '片剂 ', strength: { value: '5', unit: 'mg' }, packSize: 28, qualityTier: 'GENERIC' });
    p.NONE = await product(s1, { genericName: '二甲双胍', strength: { value: '500', unit: 'mg' }, packSize: 30, qualityTier: 'GENERIC' });

    R1 = await seedBatch(t, {
      items: [
        { ...amlo, representativeStrength: { value: '5', unit: 'mg' } },
        { genericName: '辛伐他汀', dosageForm: '片剂', representativeStrength: { value: '20', unit: 'mg' } }, // no winner: 流标
      ],
      status: 'EVALUATED',
    });
    const i1 = { batchId: R1.id, itemId: R1.items[0].id, awardedAt: T1 };
    // A: 25.20 / 28 = 0.9000.  B: 1.40 / 7 = 0.2000; 4.25 / 10 × 1.7^log2(5/10) = 0.425 / 1.7 = 0.2500.
    await insertWinner(t, { ...i1, group: 'A', supplierId: s1.orgId, productId: p.A, awardPrice: '25.20', awardUnitPrice: '0.9000' });
    await insertWinner(t, { ...i1, group: 'B', supplierId: s2.orgId, productId: p.B1, rank: 1, awardPrice: '1.40', awardUnitPrice: '0.2000' });
    await insertWinner(t, { ...i1, group: 'B', supplierId: s2.orgId, productId: p.B2, rank: 2, awardPrice: '4.25', awardUnitPrice: '0.2500' });
  });
  afterAll(async () => t?.close());

  describe('PaymentStandardsService.recordAward', () => {
    it('ITEM_HIGHEST: every group of the item gets the highest award UCP; an item without winners gets none', async () => {
      await award(t, R1.id, T1);
      const rows = await dataSource(t).query(
        `SELECT item_id AS itemId, group_name AS g, tiers, generic_name_norm AS gn, dosage_form_norm AS df, rep_strength_value AS rv,
                rep_strength_unit AS ru, strength_ratio_coefficient AS k, standard_unit_price AS u, basis, awarded_at AS at
         FROM payment_standards WHERE batch_id = ? ORDER BY item_id, group_name`,
        [R1.id],
      );
      const common = { itemId: R1.items[0].id, gn: '氨氯地平', df: '片剂', rv: '5.000000', ru: 'mg', k: '1.7', basis: 'ITEM_HIGHEST', at: T1 };
      // max(0.9000, 0.2000, 0.2500) = 0.9000 for A and for B.
      expect(rows).toEqual([
        { ...common, g: 'A', tiers: 'ORIGINATOR,REFERENCE', u: '0.9000' },
        { ...common, g: 'B', tiers: 'CONSISTENCY_PASSED,GENERIC', u: '0.9000' },
      ]);
      // Run again (a retried award): the same rows, not twice as many.
      await award(t, R1.id, T1);
      const [{ n }] = await dataSource(t).query('SELECT COUNT(*) AS n FROM payment_standards WHERE batch_id = ?', [R1.id]);
      expect(Number(n)).toBe(2);
    });

    it('GROUP_HIGHEST: each group its own highest; a group without winners takes the item highest; K from the batch', async () => {
      R2 = await seedBatch(t, {
        rules: { standardBasis: 'GROUP_HIGHEST', strengthRatioCoefficient: '2' },
        items: [
          { genericName: '阿托伐他汀钙', dosageForm: '片剂', representativeStrength: { value: '10', unit: 'mg' } },
          { genericName: '瑞舒伐他汀钙', dosageForm: '片剂', representativeStrength: { value: '10', unit: 'mg' } },
        ],
        status: 'EVALUATED',
      });
      const ator = { ...amlo, genericName: '阿托伐他汀钙' };
      const rosu = { ...amlo, genericName: '瑞舒伐他汀钙' };
      p.atorA = await insertProduct(t, { supplierId: s1.orgId, ...ator, strength: { value: '10', unit: 'mg' }, packSize: 20, qualityTier: 'ORIGINATOR' });
      p.atorB = await insertProduct(t, { supplierId: s2.orgId, ...ator, strength: { value: '10', unit: 'mg' }, packSize: 10, qualityTier: 'GENERIC' });
      p.atorB2 = await insertProduct(t, { supplierId: s2.orgId, ...ator, strength: { value: '20', unit: 'mg' }, packSize: 14, qualityTier: 'GENERIC' });
      p.atorB3 = await insertProduct(t, {
        supplierId: s2.orgId,
        ...ator,
        strength: { value: '5', unit: 'mg' },
        packSize: 28,
        qualityTier: 'CONSISTENCY_PASSED',
      });
      p.rosuA = await insertProduct(t, { supplierId: s1.orgId, ...rosu, strength: { value: '10', unit: 'mg' }, packSize: 7, qualityTier: 'REFERENCE' });
      p.rosuB = await insertProduct(t, { supplierId: s2.orgId, ...rosu, strength: { value: '10', unit: 'mg' }, packSize: 7, qualityTier: 'GENERIC' });
      const [I1, I2] = R2.items.map((i) => ({ batchId: R2.id, itemId: i.id, awardedAt: T2 }));
      await insertWinner(t, { ...I1, group: 'A', supplierId: s1.orgId, productId: p.atorA, awardPrice: '16.00', awardUnitPrice: '0.8000' });
      await insertWinner(t, { ...I1, group: 'B', supplierId: s2.orgId, productId: p.atorB, rank: 1, awardPrice: '3.00', awardUnitPrice: '0.3000' });
      await insertWinner(t, { ...I1, group: 'B', supplierId: s2.orgId, productId: p.atorB2, rank: 2, awardPrice: '9.80', awardUnitPrice: '0.3500' });
      await insertWinner(t, { ...I2, group: 'A', supplierId: s1.orgId, productId: p.rosuA, awardPrice: '4.20', awardUnitPrice: '0.6000' });
      await award(t, R2.id, T2);

      const rows = await dataSource(t).query(
        'SELECT item_id AS itemId, group_name AS g, standard_unit_price AS u, basis, strength_ratio_coefficient AS k FROM payment_standards WHERE batch_id = ? ORDER BY item_id, group_name',
        [R2.id],
      );
      expect(rows).toEqual([
        { itemId: R2.items[0].id, g: 'A', u: '0.8000', basis: 'GROUP_HIGHEST', k: '2' }, // A's own: 0.8000
        { itemId: R2.items[0].id, g: 'B', u: '0.3500', basis: 'GROUP_HIGHEST', k: '2' }, // max(0.3000, 0.3500)
        { itemId: R2.items[1].id, g: 'A', u: '0.6000', basis: 'GROUP_HIGHEST', k: '2' }, // A's own
        { itemId: R2.items[1].id, g: 'B', u: '0.6000', basis: 'GROUP_HIGHEST', k: '2' }, // no B winner: the item's highest
      ]);
    });
  });

  describe('GET /catalog/products/:id/payment-standard', () => {
    it('prices every product of the generic name and form, selected or not, by strength and pack size', async () => {
      // ITEM_HIGHEST 0.9000 per measure unit (5 mg), K = 1.7:
      const cases: [string, string][] = [
        ['A', '25.20'], // 5 mg × 28: 0.9 × 1.7^0 × 28 = 25.20
        ['X', '21.42'], // 10 mg × 14: 0.9 × 1.7^1 × 14 = 21.42
        ['Y', '3.71'], // 2.5 mg × 7: 0.9 × 1.7^-1 × 7 = 6.3 / 1.7 = 3.70588… → 3.71
        ['Z', '78.03'], // 20 mg × 30: 0.9 × 1.7^2 × 30 = 0.9 × 2.89 × 30 = 78.03
        ['G', '25.20'], // 0.005 g = 5 mg × 28: as A
        ['H', '12.28'], // 7.5 mg × 10: 0.9 × 1.7^log2(1.5) × 10 = 0.9 × 1.363967… × 10 = 12.2757… → 12.28
        ['B1', '6.30'], // 5 mg × 7: 0.9 × 7 = 6.30 (a group B product: ITEM_HIGHEST gives B the A price)
        ['FW', '25.20'], // '　氨氯地平　' / '片剂 ' are the same name and form after NFKC + trim
      ];
      for (const [name, expected] of cases) {
        const res = await standardOf(p[name]);
        expect([name, res.status, res.body.standardPackPrice]).toEqual([name, 200, expected]);
      }
      const a = await standardOf(p.A);
      expect(a.body).toEqual({
        productId: p.A,
        standardPackPrice: '25.20',
        standardUnitPrice: '0.9000',
        batchId: R1.id,
        itemId: R1.items[0].id,
        group: 'A',
        basis: 'ITEM_HIGHEST',
        transition: null, // domain.md 15.6: only with rule transition NHSA_2019
      });
      expect((await standardOf(p.X)).body.group).toBe('B');
    });

    it('GROUP_HIGHEST: the standard of the group the product’s tier belongs to', async () => {
      const cases: [string, string, string][] = [
        ['atorA', '16.00', 'A'], // A 0.8000, 10 mg × 20: 0.8 × 20 = 16.00
        ['atorB', '3.50', 'B'], // B 0.3500, 10 mg × 10: 0.35 × 10 = 3.50
        ['atorB2', '9.80', 'B'], // B 0.3500, 20 mg × 14, K = 2: 0.35 × 2 × 14 = 9.80
        ['atorB3', '4.90', 'B'], // B 0.3500, 5 mg × 28, K = 2: 0.35 × 0.5 × 28 = 4.90
        ['rosuA', '4.20', 'A'], // A 0.6000 × 7 = 4.20
        ['rosuB', '4.20', 'B'], // B took the item's highest 0.6000: × 7 = 4.20
      ];
      for (const [name, expected, group] of cases) {
        const res = await standardOf(p[name]);
        expect([name, res.status, res.body.standardPackPrice, res.body.group, res.body.basis]).toEqual([name, 200, expected, group, 'GROUP_HIGHEST']);
      }
    });

    it('422 NO_PAYMENT_STANDARD without an award for the name and form, or with an incomparable strength unit', async () => {
      for (const id of [p.NONE, p.ML]) {
        const res = await standardOf(id);
        expect([res.status, res.body.code]).toEqual([422, 'NO_PAYMENT_STANDARD']);
      }
      // Case is not folded by NFKC (section 2): a Latin name differing in case is another name.
      const latin = await insertProduct(t, {
        supplierId: s1.orgId,
        genericName: 'amlodipine',
        dosageForm: 'tablet',
        strength: { value: '5', unit: 'mg' },
        packSize: 28,
        qualityTier: 'GENERIC',
      });
      const L = await seedBatch(t, {
        items: [{ genericName: 'Amlodipine', dosageForm: 'tablet', representativeStrength: { value: '5', unit: 'mg' } }],
        status: 'EVALUATED',
      });
      await insertWinner(t, {
        batchId: L.id,
        itemId: L.items[0].id,
        group: 'B',
        supplierId: s1.orgId,
        productId: latin,
        awardPrice: '2.80',
        awardUnitPrice: '0.1000',
        awardedAt: T1,
      });
      // (a winner of another name is only possible in a seeded fixture; what matters is the name comparison)
      await award(t, L.id, T1);
      expect((await standardOf(latin)).body.code).toBe('NO_PAYMENT_STANDARD');
      // Full-width Latin folds to ASCII under NFKC: 'Ａｍｌｏｄｉｐｉｎｅ' is 'Amlodipine'.
      const fw = await insertProduct(t, {
        supplierId: s1.orgId,
        genericName: 'Ａｍｌｏｄｉｐｉｎｅ',
        dosageForm: 'tablet',
        strength: { value: '10', unit: 'mg' },
        packSize: 28,
        qualityTier: 'GENERIC',
      });
      expect((await standardOf(fw)).body.standardPackPrice).toBe('4.76'); // 0.1 × 1.7 × 28 = 4.76
    });

    it('any role; a supplier only for its own products (404 otherwise); 404 unknown; 400 bad id', async () => {
      for (const u of [hospital, fund]) expect((await standardOf(p.Y, u)).status).toBe(200);
      expect((await standardOf(p.A, s1)).status).toBe(200);
      const foreign = await standardOf(p.Y, s1); // Y belongs to s2
      expect([foreign.status, foreign.body.code]).toEqual([404, 'NOT_FOUND']);
      expect((await standardOf(p.Y, s2)).status).toBe(200);
      expect((await standardOf(999999)).status).toBe(404);
      expect((await t.http().get(api('/catalog/products/abc/payment-standard')).set(admin())).status).toBe(400);
      expect((await t.http().get(api(`/catalog/products/${p.A}/payment-standard`))).status).toBe(401);
    });
  });

  describe('POST /reimbursement/quote', () => {
    it('above the standard: the fund pays on the standard, the excess is self-paid', async () => {
      // X: standard 21.42. a = 25.00, q = 3, r = 0.70:
      // total 75.00; eligible 21.42 × 3 = 64.26; excess 3.58 × 3 = 10.74; fund 64.26 × 0.70 = 44.982 → 44.98; patient 75.00 − 44.98 = 30.02
      const res = await quote({ productId: p.X, packPrice: '25.00', packs: 3, reimbursementRatio: '0.70' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total: '75.00',
        standardPackPrice: '21.42',
        eligible: '64.26',
        selfPaidExcess: '10.74',
        fundPays: '44.98',
        patientPays: '30.02',
      });
      // Y: standard 3.71. a = 3.75, q = 10, r = 0.85:
      // total 37.50; eligible 37.10; excess 0.04 × 10 = 0.40; fund 37.10 × 0.85 = 31.535 → 31.54 (half-up); patient 37.50 − 31.54 = 5.96
      const y = await quote({ productId: p.Y, packPrice: '3.75', packs: 10, reimbursementRatio: '0.85' }, fund);
      expect(y.body).toEqual({ total: '37.50', standardPackPrice: '3.71', eligible: '37.10', selfPaidExcess: '0.40', fundPays: '31.54', patientPays: '5.96' });
    });

    it('below (or at) the standard: the actual price is eligible', async () => {
      // a = 19.99 < 21.42, q = 3, r = 0.333: total 59.97; eligible 59.97; fund 59.97 × 0.333 = 19.97001 → 19.97; patient 40.00
      const res = await quote({ productId: p.X, packPrice: '19.99', packs: 3, reimbursementRatio: '0.333' });
      expect(res.body).toEqual({
        total: '59.97',
        standardPackPrice: '21.42',
        eligible: '59.97',
        selfPaidExcess: '0.00',
        fundPays: '19.97',
        patientPays: '40.00',
      });
      const at = await quote({ productId: p.X, packPrice: '21.42', packs: 1, reimbursementRatio: '1' });
      expect(at.body).toEqual({
        total: '21.42',
        standardPackPrice: '21.42',
        eligible: '21.42',
        selfPaidExcess: '0.00',
        fundPays: '21.42',
        patientPays: '0.00',
      });
      const none = await quote({ productId: p.X, packPrice: '10.00', packs: 2, reimbursementRatio: '0' });
      expect(none.body).toMatchObject({ total: '20.00', fundPays: '0.00', patientPays: '20.00' });
    });

    it('zero markup: a product selected in a batch in force may not be sold above its award price', async () => {
      // R1 is AWARDED, not in force: its winners are not yet bound by their award price.
      const before = await quote({ productId: p.A, packPrice: '26.00', packs: 1, reimbursementRatio: '0.5' });
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ standardPackPrice: '25.20', eligible: '25.20', selfPaidExcess: '0.80' });

      await setBatchStatus(t, R1.id, 'IN_FORCE');
      const above = await quote({ productId: p.A, packPrice: '25.21', packs: 1, reimbursementRatio: '0.5' });
      expect([above.status, above.body.code]).toEqual([422, 'ZERO_MARKUP_VIOLATION']);
      // B1 won at 1.40 per pack; 1.41 is far below its standard 6.30 and still refused.
      const b1 = await quote({ productId: p.B1, packPrice: '1.41', packs: 1, reimbursementRatio: '0.5' }, fund);
      expect([b1.status, b1.body.code]).toEqual([422, 'ZERO_MARKUP_VIOLATION']);
      // At or below the award price is fine: 25.20 × 2 = 50.40, fund 50.40 × 0.5 = 25.20.
      const at = await quote({ productId: p.A, packPrice: '25.20', packs: 2, reimbursementRatio: '0.5' });
      expect(at.body).toEqual({
        total: '50.40',
        standardPackPrice: '25.20',
        eligible: '50.40',
        selfPaidExcess: '0.00',
        fundPays: '25.20',
        patientPays: '25.20',
      });
      expect((await quote({ productId: p.B1, packPrice: '1.40', packs: 1, reimbursementRatio: '0.5' })).status).toBe(200);
      // A product that was not selected is never a zero-markup violation.
      expect((await quote({ productId: p.X, packPrice: '99.00', packs: 1, reimbursementRatio: '0.5' })).status).toBe(200);
      // Once the batch is completed, the award price no longer binds.
      await setBatchStatus(t, R1.id, 'COMPLETED');
      expect((await quote({ productId: p.A, packPrice: '25.21', packs: 1, reimbursementRatio: '0.5' })).status).toBe(200);
      await setBatchStatus(t, R1.id, 'IN_FORCE');
    });

    it('422 NO_PAYMENT_STANDARD; 404 unknown product', async () => {
      const res = await quote({ productId: p.NONE, packPrice: '5.00', packs: 1, reimbursementRatio: '0.5' });
      expect([res.status, res.body.code]).toEqual([422, 'NO_PAYMENT_STANDARD']);
      const unknown = await quote({ productId: 999999, packPrice: '5.00', packs: 1, reimbursementRatio: '0.5' });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('400 for bad input, before looking anything up', async () => {
      const ok = { productId: 999999, packPrice: '5.00', packs: 1, reimbursementRatio: '0.5' };
      const bad: [string, object][] = [
        ['packPrice', { packPrice: '1.234' }],
        ['packPrice', { packPrice: '0' }],
        ['packPrice', { packPrice: '0.00' }],
        ['packPrice', { packPrice: '-1.00' }],
        ['packPrice', { packPrice: 1.5 }],
        ['packPrice', { packPrice: '1e2' }],
        ['packs', { packs: 0 }],
        ['packs', { packs: -2 }],
        ['packs', { packs: 1.5 }],
        ['packs', { packs: '3' }],
        ['reimbursementRatio', { reimbursementRatio: '1.01' }],
        ['reimbursementRatio', { reimbursementRatio: '-0.1' }],
        ['reimbursementRatio', { reimbursementRatio: 'abc' }],
        ['reimbursementRatio', { reimbursementRatio: 0.5 }],
        ['productId', { productId: 'x' }],
        ['extra', { extra: 1 }],
      ];
      for (const [field, change] of bad) {
        const res = await quote({ ...ok, ...change });
        expect([field, res.status, res.body.code]).toEqual([field, 400, 'VALIDATION_FAILED']);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
    });

    it('is for hospitals and the fund only', async () => {
      const body = { productId: p.X, packPrice: '19.99', packs: 3, reimbursementRatio: '0.333' };
      for (const token of [s1.token, t.adminToken]) {
        const res = await t.http().post(api('/reimbursement/quote')).set(bearer(token)).send(body);
        expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      expect((await t.http().post(api('/reimbursement/quote')).send(body)).status).toBe(401);
    });
  });

  describe('GET /payment-standards and the latest award', () => {
    it('lists the standards in force per item and group, for any role', async () => {
      for (const token of [t.adminToken, s1.token, hospital.token, fund.token]) {
        const res = await t.http().get(api('/payment-standards?genericName=氨氯地平&dosageForm=片剂')).set(bearer(token));
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(2);
      }
      const res = await t
        .http()
        .get(api(`/payment-standards?genericName=${encodeURIComponent('　氨氯地平 ')}`))
        .set(bearer(hospital.token));
      expect(res.body.items).toEqual([
        {
          itemId: R1.items[0].id,
          batchId: R1.id,
          genericName: '氨氯地平',
          dosageForm: '片剂',
          group: 'A',
          tiers: ['ORIGINATOR', 'REFERENCE'],
          standardUnitPrice: '0.9000',
          basis: 'ITEM_HIGHEST',
          representativeStrength: { value: '5', unit: 'mg' },
          strengthRatioCoefficient: '1.7',
          awardedAt: T1.toISOString(),
          transitions: [], // domain.md 15.6: only with rule transition NHSA_2019
        },
        expect.objectContaining({ group: 'B', standardUnitPrice: '0.9000', batchId: R1.id }),
      ]);
      const all = await t.http().get(api('/payment-standards?limit=3')).set(bearer(s2.token));
      expect(all.body.total).toBe(8); // 氨氯地平 2, Amlodipine 2, 阿托伐他汀钙 2, 瑞舒伐他汀钙 2
      expect(all.body.items).toHaveLength(3);
      const ator = await t.http().get(api('/payment-standards?genericName=阿托伐他汀钙')).set(bearer(s2.token));
      expect(ator.body.items.map((i: any) => [i.group, i.standardUnitPrice, i.basis])).toEqual([
        ['A', '0.8000', 'GROUP_HIGHEST'],
        ['B', '0.3500', 'GROUP_HIGHEST'],
      ]);
      expect((await t.http().get(api('/payment-standards?genericName=nothing')).set(bearer(s2.token))).body).toEqual({ items: [], total: 0 });
      expect((await t.http().get(api('/payment-standards'))).status).toBe(401);
    });

    it('the latest award sets the standard, by award time, for every product of the name and form', async () => {
      // R3, awarded at T3 (after T1), writes the item with a leading ideographic space and rep 2.5 mg.
      const R3 = await seedBatch(t, {
        items: [{ genericName: '　氨氯地平', dosageForm: '片剂', representativeStrength: { value: '2.5', unit: 'mg' } }],
        status: 'EVALUATED',
      });
      await insertWinner(t, {
        batchId: R3.id,
        itemId: R3.items[0].id,
        group: 'B',
        supplierId: s2.orgId,
        productId: p.Y,
        awardPrice: '3.50',
        awardUnitPrice: '0.5000',
        awardedAt: T3,
      });
      await award(t, R3.id, T3);
      // R4, created after R3 but awarded earlier (T0): it does not take over.
      const R4 = await seedBatch(t, { items: [{ ...amlo, representativeStrength: { value: '5', unit: 'mg' } }], status: 'EVALUATED' });
      await insertWinner(t, {
        batchId: R4.id,
        itemId: R4.items[0].id,
        group: 'A',
        supplierId: s1.orgId,
        productId: p.A,
        awardPrice: '2.80',
        awardUnitPrice: '0.1000',
        awardedAt: T0,
      });
      await award(t, R4.id, T0);

      const list = await t.http().get(api('/payment-standards?genericName=氨氯地平&dosageForm=片剂')).set(admin());
      expect(list.body.items.map((i: any) => [i.batchId, i.group, i.standardUnitPrice, i.representativeStrength])).toEqual([
        [R3.id, 'A', '0.5000', { value: '2.5', unit: 'mg' }],
        [R3.id, 'B', '0.5000', { value: '2.5', unit: 'mg' }],
      ]);
      // 0.5000 per 2.5 mg, K = 1.7:
      // A 5 mg × 28: 0.5 × 1.7 × 28 = 23.80 (was 25.20); Y 2.5 mg × 7: 0.5 × 7 = 3.50; Z 20 mg × 30: 0.5 × 1.7³ × 30 = 0.5 × 4.913 × 30 = 73.695 → 73.70
      const a = await standardOf(p.A);
      expect(a.body).toMatchObject({ standardPackPrice: '23.80', standardUnitPrice: '0.5000', batchId: R3.id, group: 'A' });
      expect((await standardOf(p.Y)).body.standardPackPrice).toBe('3.50');
      expect((await standardOf(p.Z)).body.standardPackPrice).toBe('73.70');
      // The claim follows; A is still selected in R1 (in force) at 25.20, so 24.00 is allowed:
      // total 48.00; eligible 23.80 × 2 = 47.60; excess 0.20 × 2 = 0.40; fund 47.60 × 0.8 = 38.08; patient 9.92
      const q = await quote({ productId: p.A, packPrice: '24.00', packs: 2, reimbursementRatio: '0.8' });
      expect(q.body).toEqual({ total: '48.00', standardPackPrice: '23.80', eligible: '47.60', selfPaidExcess: '0.40', fundPays: '38.08', patientPays: '9.92' });
      // Other names keep their own latest award.
      expect((await standardOf(p.atorB2)).body).toMatchObject({ standardPackPrice: '9.80', batchId: R2.id });
    });
  });
});
