import { sheetsOf } from '@jicai/spreadsheets';
import { bearer, createTestApp, TestApp } from './helpers/test-app';
import { seedBatch } from './helpers/settlement-fixtures';
import { insertBid, seedDashboardRound, User } from './helpers/dashboard-fixtures';
import { download } from './helpers/fixtures';

jest.setTimeout(120_000);

const API = '/api/v1';

/** The dashboards of issue 15 through the API, on the hand-worked round of seedDashboardRound (its comment has the numbers). */
describe('dashboards (e2e, issue 15)', () => {
  let t: TestApp;
  let s1: User, s2: User, s3: User, h1: User, h2: User, fund: User, admin: string;
  let b: { batchId: number; itemId: number };
  let item2: number;

  const as = (token: string) => ({
    get: (path: string) => t.http().get(`${API}${path}`).set(bearer(token)),
  });

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.adminToken;
    ({ s1, s2, s3, h1, h2, fund, b, item2 } = await seedDashboardRound(t));
  });
  afterAll(async () => t?.close());

  describe('admin: funnel, price cuts, volume by winner, progress, hospitals behind', () => {
    it('funnel: 2 items, 3 opened bids on 1 item, 2 winners, 1 item without a bid', async () => {
      const r = await as(admin).get(`/dashboards/batches/${b.batchId}/funnel`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        batchId: b.batchId,
        status: 'IN_FORCE',
        items: 2,
        itemsWithBids: 1,
        bids: 3,
        itemsWithWinners: 1,
        winners: 2,
        noBidItems: 1,
        opened: true,
      });
    });

    it('before the opening the funnel counts no bid (sealed bids never leave bidding)', async () => {
      const sealed = await seedBatch(t, { status: 'PUBLISHED' });
      await insertBid(t, sealed.batchId, sealed.itemId, s1.orgId, 'SEALED');
      const r = await as(fund.token).get(`/dashboards/batches/${sealed.batchId}/funnel`);
      expect(r.body).toMatchObject({ items: 1, itemsWithBids: 0, bids: 0, winners: 0, noBidItems: 1, opened: false });
      const cuts = await as(admin).get(`/dashboards/batches/${sealed.batchId}/price-cuts`);
      expect(cuts.body.items[0]).toMatchObject({ bids: 0, winners: 0, cut: null });
    });

    it('price cuts: 1 − lowest award UCP ÷ ceiling per item', async () => {
      const r = await as(admin).get(`/dashboards/batches/${b.batchId}/price-cuts`);
      expect(r.body.total).toBe(2);
      // I1: 1 − 0.1000 / 9.9999 = 1 − 0.0100001 = 0.9899999 → 0.9900
      expect(r.body.items[0]).toEqual({
        itemId: b.itemId,
        genericName: expect.any(String),
        dosageForm: '片剂',
        ceilingUnitPrice: '9.9999',
        bids: 3,
        winners: 2,
        lowestAwardUnitPrice: '0.1000',
        highestAwardUnitPrice: '0.1000',
        cut: '0.9900',
      });
      expect(r.body.items[1]).toMatchObject({ itemId: item2, ceilingUnitPrice: '0.5000', bids: 0, winners: 0, lowestAwardUnitPrice: null, cut: null });
    });

    it('agreed volume by winner: S1 two agreements (20,000 units, 2,000.00), S2 one; a supplier sees only its own row', async () => {
      const r = await as(admin).get(`/dashboards/batches/${b.batchId}/winner-volumes`);
      expect(r.body.items).toEqual([
        { supplierId: s1.orgId, supplierName: '甲制药', agreements: 2, units: 20000, amount: '2000.00', confirmedAmount: '2000.00' },
        { supplierId: s2.orgId, supplierName: '乙制药', agreements: 1, units: 10000, amount: '1000.00', confirmedAmount: '1000.00' },
      ]);
      const own = await as(s2.token).get(`/dashboards/batches/${b.batchId}/winner-volumes`);
      expect(own.body).toEqual({ total: 1, items: [expect.objectContaining({ supplierId: s2.orgId, units: 10000 })] });
      expect((await as(s3.token).get(`/dashboards/batches/${b.batchId}/winner-volumes`)).body).toEqual({ items: [], total: 0 });
      expect((await as(h1.token).get(`/dashboards/batches/${b.batchId}/winner-volumes`)).status).toBe(403);
    });

    it('progress per item and per level of hospital, from the last recompute', async () => {
      const item = await as(fund.token).get(`/dashboards/batches/${b.batchId}/progress-by-item?year=1`);
      // agreed 3 × 10,000 = 30,000; accepted (299 + 400 + 20) × 28 = 20,132; 20,132 / 30,000 = 0.671066… → 0.6711
      expect(item.body.items).toEqual([
        {
          itemId: b.itemId,
          genericName: expect.any(String),
          hospitals: 2,
          behindHospitals: 1,
          agreedUnits: 30000,
          acceptedUnits: 20132,
          completion: '0.6711',
          expectedCompletion: '0.1877',
        },
      ]);
      const level = await as(admin).get(`/dashboards/batches/${b.batchId}/progress-by-level`);
      // SECONDARY (H1): 19,572 / 20,000 = 0.9786; TERTIARY (H2): 560 / 10,000 = 0.0560 < 0.8 × 0.1877: behind.
      expect(level.body.items).toEqual([
        { level: 'SECONDARY', hospitals: 1, behindHospitals: 0, agreedUnits: 20000, acceptedUnits: 19572, completion: '0.9786', expectedCompletion: '0.1877' },
        { level: 'TERTIARY', hospitals: 1, behindHospitals: 1, agreedUnits: 10000, acceptedUnits: 560, completion: '0.0560', expectedCompletion: '0.1877' },
      ]);
      // Year 2 has no accepted units yet and nobody is behind (expected 0).
      const y2 = await as(admin).get(`/dashboards/batches/${b.batchId}/progress-by-item?year=2`);
      expect(y2.body.items[0]).toMatchObject({ acceptedUnits: 0, completion: '0.0000', behindHospitals: 0 });
    });

    it('hospitals behind, paged, with name and level; the xlsx export streams the same rows', async () => {
      const r = await as(admin).get(`/dashboards/batches/${b.batchId}/behind-hospitals?limit=10`);
      expect(r.body).toEqual({
        total: 1,
        items: [
          {
            hospitalId: h2.orgId,
            hospitalName: '第二医院',
            level: 'TERTIARY',
            rows: 1,
            behindRows: 1,
            agreedUnits: 10000,
            acceptedUnits: 560,
            completion: '0.0560',
            expectedCompletion: '0.1877',
          },
        ],
      });
      expect((await as(admin).get(`/dashboards/batches/${b.batchId}/behind-hospitals?offset=1`)).body).toEqual({ total: 1, items: [] });
      const x = await download(t, admin, `${API}/dashboards/batches/${b.batchId}/behind-hospitals.xlsx`);
      expect(x.status).toBe(200);
      const rows = (await sheetsOf(x.body)).BehindHospitals;
      expect(rows[0][1]).toBe('医疗机构');
      expect(rows[1]).toEqual([
        'hospitalId',
        'hospitalName',
        'level',
        'rows',
        'behindRows',
        'agreedUnits',
        'acceptedUnits',
        'completion',
        'expectedCompletion',
      ]);
      expect(rows.slice(2).map((row) => row[1])).toEqual(['第二医院']);
    });

    it('batch dashboards are for admins and the fund; unknown batches are 404', async () => {
      for (const path of ['funnel', 'price-cuts', 'progress-by-item', 'progress-by-level', 'behind-hospitals', 'funnel.xlsx']) {
        expect((await as(s1.token).get(`/dashboards/batches/${b.batchId}/${path}`)).status).toBe(403);
        expect((await as(h1.token).get(`/dashboards/batches/${b.batchId}/${path}`)).status).toBe(403);
      }
      expect((await as(admin).get('/dashboards/batches/999999/funnel')).status).toBe(404);
      expect((await as(admin).get(`/dashboards/batches/${b.batchId}/progress-by-item?year=9`)).status).toBe(400);
    });
  });

  describe('supplier: own agreed volume, orders, deliveries and payments per month', () => {
    it('S1 sees its own months: Feb 300 packs ordered, 299 delivered; Mar 20 and 20, 1,062.27 accepted, 1,095.67 paid', async () => {
      const r = await as(s1.token).get('/dashboards/supplier?from=2027-01&to=2027-03');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ supplierId: s1.orgId, batchId: null, agreements: 2, agreedUnits: 20000, agreedAmount: '2000.00' });
      const zero = { orders: 0, orderedPacks: 0, deliveries: 0, deliveredPacks: 0, acceptedAmount: '0.00', payments: 0, paidAmount: '0.00' };
      expect(r.body.months).toEqual([
        { month: '2027-01', ...zero },
        // H1's order placed 02-15, delivered 02-17 (48 h later); accepted in March.
        { month: '2027-02', ...zero, orders: 1, orderedPacks: 300, deliveries: 1, deliveredPacks: 299 },
        // H2: 20 packs (the refused order does not count); accepted 299 × 3.33 + 20 × 3.33 = 995.67 + 66.60 = 1,062.27;
        // paid: 995.67 (on time) + 100.00 (late) = 1,095.67.
        { month: '2027-03', orders: 1, orderedPacks: 20, deliveries: 1, deliveredPacks: 20, acceptedAmount: '1062.27', payments: 2, paidAmount: '1095.67' },
      ]);
      expect(r.body.totals).toEqual({
        month: 'total',
        orders: 2,
        orderedPacks: 320,
        deliveries: 2,
        deliveredPacks: 319,
        acceptedAmount: '1062.27',
        payments: 2,
        paidAmount: '1095.67',
      });
    });

    it('a supplier never sees another: supplierId of another supplier answers its own figures; admins must name one', async () => {
      const r = await as(s2.token).get(`/dashboards/supplier?supplierId=${s1.orgId}&from=2027-03&to=2027-03`);
      // S2: 400 packs ordered and delivered, 2,240.00 accepted, nothing paid.
      expect(r.body).toMatchObject({ supplierId: s2.orgId, agreedUnits: 10000, totals: { orderedPacks: 400, acceptedAmount: '2240.00', paidAmount: '0.00' } });
      const a = await as(admin).get(`/dashboards/supplier?supplierId=${s1.orgId}&batchId=${b.batchId}&from=2027-03&to=2027-03`);
      expect(a.body).toMatchObject({ supplierId: s1.orgId, batchId: b.batchId, totals: { orderedPacks: 20, acceptedAmount: '1062.27' } });
      expect((await as(admin).get('/dashboards/supplier')).status).toBe(400);
      expect((await as(admin).get('/dashboards/supplier?supplierId=1&from=2027-13')).status).toBe(400);
      expect((await as(admin).get('/dashboards/supplier?supplierId=1&from=2020-01&to=2027-03')).status).toBe(400);
      expect((await as(h1.token).get('/dashboards/supplier')).status).toBe(403);
      const x = await download(t, s1.token, `${API}/dashboards/supplier.xlsx?from=2027-01&to=2027-03`);
      const rows = (await sheetsOf(x.body)).Months;
      expect(rows.slice(2).map((row) => row[0])).toEqual(['2027-01', '2027-02', '2027-03', 'total']);
    });
  });

  describe('hospital: completion per item against the expected line', () => {
    it('H1: 19,572 of 20,000 units = 0.9786 against 0.1877; another hospital is never shown', async () => {
      const r = await as(h1.token).get(`/dashboards/hospital?batchId=${b.batchId}&hospitalId=${h2.orgId}`);
      expect(r.body).toEqual({
        batchId: b.batchId,
        hospitalId: h1.orgId,
        year: 1,
        agreedUnits: 20000,
        acceptedUnits: 19572,
        completion: '0.9786',
        expectedCompletion: '0.1877',
        items: [
          {
            itemId: b.itemId,
            genericName: expect.any(String),
            agreedUnits: 20000,
            acceptedUnits: 19572,
            completion: '0.9786',
            expectedCompletion: '0.1877',
            behind: false,
          },
        ],
      });
      const h = await as(fund.token).get(`/dashboards/hospital?batchId=${b.batchId}&hospitalId=${h2.orgId}`);
      expect(h.body).toMatchObject({ hospitalId: h2.orgId, completion: '0.0560', items: [expect.objectContaining({ behind: true })] });
      expect((await as(fund.token).get(`/dashboards/hospital?batchId=${b.batchId}`)).status).toBe(400);
      expect((await as(h1.token).get('/dashboards/hospital')).status).toBe(400);
      expect((await as(s1.token).get(`/dashboards/hospital?batchId=${b.batchId}`)).status).toBe(403);
      expect((await as(h1.token).get('/dashboards/hospital?batchId=999999')).status).toBe(404);
    });
  });

  describe('fund: prepaid against settled per month, payments by week', () => {
    it('January 6,000.00 disbursed; March 3,402.27 settled (1,095.67 → 995.67 from prepaid, 2,406.60 from hospitals)', async () => {
      const r = await as(fund.token).get('/dashboards/fund/prepaid-settled?from=2027-01&to=2027-03');
      const zero = { disbursed: '0.00', recovered: '0.00', settled: '0.00', fromPrepayment: '0.00', fromHospital: '0.00' };
      expect(r.body.months).toEqual([
        { month: '2027-01', ...zero, disbursed: '6000.00' },
        { month: '2027-02', ...zero },
        // 995.67 + 66.60 + 2,240.00 + 100.00 = 3,402.27; from prepaid 995.67; from hospitals 66.60 + 2,240.00 + 100.00 = 2,406.60
        { month: '2027-03', ...zero, settled: '3402.27', fromPrepayment: '995.67', fromHospital: '2406.60' },
      ]);
      expect(r.body.totals).toEqual({
        month: 'total',
        disbursed: '6000.00',
        recovered: '0.00',
        settled: '3402.27',
        fromPrepayment: '995.67',
        fromHospital: '2406.60',
      });
      expect((await as(s1.token).get('/dashboards/fund/prepaid-settled')).status).toBe(403);
      expect((await as(h1.token).get('/dashboards/fund/payments-by-week')).status).toBe(403);
    });

    it('by week due (now 2027-03-10): 03-01 66.60 overdue and 100.00 paid late; 03-15 995.67 on time; 03-22 2,240.00 pending', async () => {
      const r = await as(fund.token).get('/dashboards/fund/payments-by-week?from=2027-03-01&to=2027-03-22');
      const zero = { instructions: 0, due: '0.00', paidOnTime: '0.00', paidLate: '0.00', overdue: '0.00', pending: '0.00' };
      expect(r.body.weeks).toEqual([
        { week: '2027-03-01', ...zero, instructions: 2, due: '166.60', paidLate: '100.00', overdue: '66.60' },
        { week: '2027-03-08', ...zero },
        { week: '2027-03-15', ...zero, instructions: 1, due: '995.67', paidOnTime: '995.67' },
        { week: '2027-03-22', ...zero, instructions: 1, due: '2240.00', pending: '2240.00' },
      ]);
      expect(r.body.totals).toMatchObject({ instructions: 4, due: '3402.27', paidOnTime: '995.67', paidLate: '100.00', overdue: '66.60', pending: '2240.00' });
      const x = await download(t, admin, `${API}/dashboards/fund/payments-by-week.xlsx?from=2027-03-01&to=2027-03-22`);
      expect(x.status).toBe(200);
      expect((await sheetsOf(x.body)).Weeks).toHaveLength(2 + 4);
    });
  });
});
