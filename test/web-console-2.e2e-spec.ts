import type { Browser, Page } from 'playwright-core';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { bid, evaluate, openBids, publishedBatch, scoreAll, supplierWithProduct } from './helpers/round';
import { download, sheetsOf, workbookOf } from './helpers/fixtures';
import { axeSerious, buildWebConsole, launch, listen, login, shot } from './web/browser';

jest.setTimeout(300_000);

/**
 * The web console, part 2 (issue 15), in Debian's Chromium. Part 1's round up to the award is
 * seeded through the API (domain.md section 14's b1 and b2 in group B); then in the browser two
 * hospitals report demand (one by the form, one by uploading the template), H1 orders the
 * winners (b2 before b1), confirms all its agreements and orders; the firm confirms and delivers;
 * H1 accepts; the fund disburses early, runs a settlement (progress bar) and marks a payment paid;
 * the progress, retention and punctuality pages show the API's figures. Every page is
 * screenshotted and checked with axe.
 *
 * Hand-worked figures (default rules, section 13):
 * - 2 winners → agreed volume ratio 0.60: H1 10,000 × 0.60 = 6,000 units, H2 5,000 × 0.60 = 3,000.
 * - capacities 20,000 each, so each hospital's whole volume goes to its first choice:
 *   H1 prefers b2 → 6,000 × 0.1176 = 705.60; H2 states nothing → rank order, b1 → 3,000 × 0.1189 = 356.70.
 * - prepayments 0.30 × 705.60 = 211.68 (H1, disbursed early in the browser), 0.30 × 356.70 = 107.01 (H2, left scheduled).
 * - H1 orders 100 packs of b2 (5.60 a pack) → 560.00 accepted; the settlement draws H1's 211.68 first,
 *   348.32 from the hospital. H2 (through the API) 50 packs of b1 at 3.33 → 166.50, all from the hospital.
 */
describe('web console part 2: hospitals and the fund through the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let batchId: number;
  let itemId: number;
  let code: string;
  let fund: Awaited<ReturnType<typeof createOrgUser>>;
  const hospitals: Record<'H1' | 'H2', Awaited<ReturnType<typeof createOrgUser>>> = {} as never;
  const firms: Record<'b1' | 'b2', Awaited<ReturnType<typeof supplierWithProduct>> & { bidId?: number }> = {} as never;
  const seriousViolations: Record<string, string[]> = {};

  beforeAll(async () => {
    buildWebConsole();
    t = await createTestApp({ webConsole: true });
    base = await listen(t);
    browser = await launch();
    fund = await createOrgUser(t, 'FUND', '省医保基金');
    hospitals.H1 = await createOrgUser(t, 'HOSPITAL', '第一人民医院');
    hospitals.H2 = await createOrgUser(t, 'HOSPITAL', '第二人民医院');
    firms.b1 = await supplierWithProduct(t, { strength: '2.5', packSize: 28 });
    firms.b2 = await supplierWithProduct(t, { strength: '5', packSize: 28 });
    const b = await publishedBatch(t);
    batchId = b.batchId;
    itemId = b.itemId;
    code = (await t.http().get(`/api/v1/batches/${batchId}`).set(bearer(t.adminToken))).body.code;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /**
   * Each user's one tab (logged in once, reused: the token lives in the tab's sessionStorage), its
   * browser clock set to the server's test clock (less `behindMs`) so defaults such as "now" agree.
   */
  const tabs = new Map<string, Page>();
  async function page(user: { username: string }, behindMs = 0): Promise<Page> {
    let p = tabs.get(user.username);
    if (!p) {
      const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
      await ctx.clock.setFixedTime(new Date(t.clock.now().getTime() - behindMs));
      p = await ctx.newPage();
      p.setDefaultTimeout(30_000);
      await login(p, base, user.username, 'password-123');
      tabs.set(user.username, p);
    }
    await p.context().clock.setFixedTime(new Date(t.clock.now().getTime() - behindMs));
    return p;
  }
  async function look(p: Page, name: string) {
    // the pointer leaves the last button clicked: its hover colour is a transient state, not the page
    await p.mouse.move(0, 0);
    await p.waitForLoadState('networkidle');
    await shot(p, name);
    seriousViolations[name] = await axeSerious(p);
  }
  async function chooseBatch(p: Page) {
    await p.getByRole('combobox', { name: '批次' }).click();
    await p.locator('.ant-select-item-option').filter({ hasText: code }).click();
  }
  const okButton = (p: Page) => p.getByRole('button', { name: /^(确\s*定|OK)$/ });

  it('hospitals report demand: H1 in the table, H2 by uploading the template', async () => {
    const h1 = await page(hospitals.H1);
    await h1.goto(`${base}/hospital/batches`);
    await chooseBatch(h1);
    await h1.getByText('投标截止').first().waitFor();
    const input = h1.getByLabel('左氨氯地平 B 年度需求量（单位）');
    await input.fill('10000');
    await h1.getByRole('button', { name: /保\s*存/ }).click();
    await h1.getByText('操作成功').waitFor();
    await look(h1, 'p2-01-hospital-demand');

    // H2 downloads the template (as its button does), fills its group-B row and uploads it
    const tpl = await download(t, hospitals.H2.token, `/api/v1/batches/${batchId}/demand/template.xlsx`);
    const sheet = (await sheetsOf(tpl.body)).Demand.map((r) => [...r]);
    const rowB = sheet.findIndex((r) => r[0] === itemId && r[4] === 'B');
    sheet[rowB][5] = 5000;
    const h2 = await page(hospitals.H2);
    await h2.goto(`${base}/hospital/batches`);
    await chooseBatch(h2);
    await h2.getByText('投标截止').first().waitFor();
    await h2
      .locator('input[type=file]')
      .setInputFiles({ name: 'demand.xlsx', mimeType: 'application/octet-stream', buffer: await workbookOf({ Demand: sheet }) });
    await h2.getByText('任务完成').waitFor({ timeout: 60_000 });
    await expectValue(h2.getByLabel('左氨氯地平 B 年度需求量（单位）'), '5,000', '5000');
    await look(h2, 'p2-02-hospital-demand-uploaded');

    for (const [h, q] of [
      ['H1', 10000],
      ['H2', 5000],
    ] as const) {
      const d = await t.http().get(`/api/v1/batches/${batchId}/demand`).set(bearer(hospitals[h].token));
      expect(d.body.items.filter((r: { group: string }) => r.group === 'B').map((r: { quantity: number }) => r.quantity)).toEqual([q]);
    }
  });

  it('(API) firms bid b1 and b2, the office opens, scores, evaluates and awards', async () => {
    const opening = (await t.http().get(`/api/v1/batches/${batchId}`).set(bearer(t.adminToken))).body.openingAt;
    firms.b1.bidId = (await bid(t, firms.b1.token, batchId, { itemId, productId: firms.b1.productId, packPrice: '3.33', supplyCapacity: 20000 })).id;
    firms.b2.bidId = (await bid(t, firms.b2.token, batchId, { itemId, productId: firms.b2.productId, packPrice: '5.60', supplyCapacity: 20000 })).id;
    await openBids(t, batchId, new Date(opening));
    await scoreAll(t, [
      { bidId: firms.b1.bidId, ts: '35.5' },
      { bidId: firms.b2.bidId, ts: '30' },
    ]);
    expect((await evaluate(t, batchId)).state).toBe('completed');
    t.clock.advance(3 * 24 * 3600_000 + 60_000);
    expect((await t.http().post(`/api/v1/batches/${batchId}/award`).set(bearer(t.adminToken))).body.status).toBe('AWARDED');
  });

  it('H1 drags b2 above b1 and saves its preference; the allocation follows it', async () => {
    const h1 = await page(hospitals.H1);
    await h1.goto(`${base}/hospital/preferences`);
    await chooseBatch(h1);
    const card = h1.getByTestId(`pref-${itemId}-B`);
    await card.waitFor();
    await look(h1, 'p2-03-hospital-preferences');
    const rows = card.locator('[data-testid^=pref-row-]');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([
      `pref-row-${firms.b1.bidId}`,
      `pref-row-${firms.b2.bidId}`,
    ]);
    await card.getByTestId(`pref-row-${firms.b2.bidId}`).dragTo(card.getByTestId(`pref-row-${firms.b1.bidId}`));
    await rows
      .first()
      .and(card.getByTestId(`pref-row-${firms.b2.bidId}`))
      .waitFor();
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await card.getByText('已保存的偏好').waitFor();
    await look(h1, 'p2-04-hospital-preferences-saved');
    const prefs = await t.http().get(`/api/v1/batches/${batchId}/preferences`).set(bearer(hospitals.H1.token));
    expect(prefs.body.items.map((p: { winnerBidIds: number[] }) => p.winnerBidIds)).toEqual([[firms.b2.bidId, firms.b1.bidId]]);

    const alloc = await t.http().post(`/api/v1/batches/${batchId}/allocate`).set(bearer(t.adminToken));
    expect((await waitForJob(t, t.adminToken, alloc.body.jobId)).state).toBe('completed');
    const agreements = (await t.http().get(`/api/v1/batches/${batchId}/agreements?limit=50`).set(bearer(t.adminToken))).body.items;
    const view = agreements.map((a: { hospitalId: number; bidId: number; units: number; amount: string }) => [a.hospitalId, a.bidId, a.units, a.amount]);
    expect(view.sort()).toEqual(
      [
        [hospitals.H1.orgId, firms.b2.bidId, 6000, '705.60'], // 10,000 × 0.60 to b2 first; 6,000 × 0.1176
        [hospitals.H2.orgId, firms.b1.bidId, 3000, '356.70'], // 5,000 × 0.60 to b1 (rank order); 3,000 × 0.1189
      ].sort(),
    );
  });

  it('H1 confirms all its agreements in one click; (API) H2 confirms, the office activates', async () => {
    const h1 = await page(hospitals.H1);
    await h1.goto(`${base}/hospital/agreements`);
    await chooseBatch(h1);
    await h1.getByRole('cell', { name: '705.60' }).waitFor();
    await h1.getByRole('button', { name: /一键确认全部待确认协议/ }).click();
    await okButton(h1).click();
    await h1.getByText('已确认').first().waitFor();
    await look(h1, 'p2-05-hospital-agreements-confirmed');
    const own = await t.http().get(`/api/v1/batches/${batchId}/agreements`).set(bearer(hospitals.H1.token));
    expect(own.body.items.map((a: { status: string }) => a.status)).toEqual(['CONFIRMED']);
    const h2 = await t.http().get(`/api/v1/batches/${batchId}/agreements`).set(bearer(hospitals.H2.token));
    expect((await t.http().post(`/api/v1/agreements/${h2.body.items[0].id}/confirm`).set(bearer(hospitals.H2.token))).status).toBe(200);
    expect((await t.http().post(`/api/v1/batches/${batchId}/activate`).set(bearer(t.adminToken))).body.status).toBe('IN_FORCE');
  });

  it('the fund disburses H1’s prepayment early', async () => {
    const f = await page(fund);
    await f.goto(`${base}/fund/prepayments`);
    await chooseBatch(f);
    const row = f.getByRole('row', { name: /211\.68/ });
    await row.waitFor();
    await f.getByRole('row', { name: /107\.01/ }).waitFor(); // H2's, left scheduled
    await row.getByRole('button', { name: /提前拨付/ }).click();
    await okButton(f).click();
    await row.getByText('已拨付').waitFor();
    await look(f, 'p2-06-fund-prepayments');
    const pre = await t.http().get(`/api/v1/prepayments?batchId=${batchId}&hospitalId=${hospitals.H1.orgId}`).set(bearer(fund.token));
    expect(pre.body.items[0]).toMatchObject({ amount: '211.68', status: 'DISBURSED', balance: '211.68' });
  });

  it('H1 orders from its agreement; the firm confirms and delivers from the order; H1 accepts', async () => {
    // into agreement year 1 (agreementStart 2027-01-01): 59 days of 365 elapsed
    t.clock.set('2027-03-01T00:00:00.000Z');
    const h1 = await page(hospitals.H1);
    await h1.goto(`${base}/hospital/agreements`);
    await chooseBatch(h1);
    await h1.getByRole('button', { name: /下采购订单/ }).click();
    const dialog = h1.getByRole('dialog');
    await dialog.getByLabel('数量（盒）').fill('100');
    await dialog.getByLabel('申请人').fill('药剂科');
    await look(h1, 'p2-07-hospital-place-order');
    await dialog.getByRole('button', { name: /^(确\s*定|OK)$/ }).click();
    await h1.getByText('操作成功').waitFor();
    await h1.goto(`${base}/hospital/orders`);
    await h1.getByText('待企业确认').waitFor();
    await look(h1, 'p2-08-hospital-orders');

    t.clock.advance(120_000); // the firm answers two minutes later
    const firm = await page(firms.b2, 60_000);
    await firm.goto(`${base}/supplier/orders`);
    await firm.getByRole('button', { name: /确认订单/ }).click();
    await firm.getByRole('button', { name: /^配\s*送$/ }).click();
    const note = firm.getByRole('dialog');
    await note.getByLabel('批号').fill('LOT-B2-1');
    await look(firm, 'p2-09-supplier-deliver-from-order');
    await note.getByRole('button', { name: /^(确\s*定|OK)$/ }).click();
    await note.waitFor({ state: 'hidden' });
    await firm.getByRole('button', { name: /^配\s*送$/ }).waitFor({ state: 'detached' });
    await look(firm, 'p2-10-supplier-orders-delivered');

    const h1b = await page(hospitals.H1);
    await h1b.goto(`${base}/hospital/deliveries`);
    await h1b.getByText('待验收').waitFor();
    await look(h1b, 'p2-11-hospital-deliveries');
    await h1b
      .getByRole('checkbox', { name: /^#\d+$/ })
      .first()
      .check();
    await h1b.getByRole('button', { name: /全部按数验收/ }).click();
    await h1b.getByText('已验收 100').waitFor();
    const del = await t.http().get('/api/v1/deliveries').set(bearer(hospitals.H1.token));
    expect(del.body.items[0]).toMatchObject({ packs: 100, acceptedPacks: 100, acceptedAmount: '560.00' }); // 100 × 5.60

    // H2 through the API: 50 packs of b1
    const a2 = (await t.http().get(`/api/v1/batches/${batchId}/agreements`).set(bearer(hospitals.H2.token))).body.items[0];
    const o2 = await t.http().post('/api/v1/orders').set(bearer(hospitals.H2.token)).send({ agreementId: a2.id, packs: 50, requestedBy: '药剂科' });
    expect((await t.http().post(`/api/v1/orders/${o2.body.id}/confirm`).set(bearer(firms.b1.token))).status).toBe(200);
    const d2 = await t
      .http()
      .post('/api/v1/deliveries')
      .set(bearer(firms.b1.token))
      .send({ agreementId: a2.id, orderId: o2.body.id, packs: 50, lotNumber: 'LOT-B1-1', deliveredAt: new Date(t.clock.now().getTime() - 1000).toISOString() });
    expect(
      (await t.http().post(`/api/v1/deliveries/${d2.body.id}/accept`).set(bearer(hospitals.H2.token)).send({ acceptedPacks: 50 })).body.acceptedAmount,
    ).toBe('166.50');
    t.clock.advance(60_000);
  });

  it('the fund runs a settlement with a progress bar and marks H1’s payment paid', async () => {
    const f = await page(fund);
    await f.goto(`${base}/fund/settlements`);
    await f.getByRole('button', { name: /发起结算/ }).click();
    await f.getByRole('progressbar').first().waitFor();
    await f.getByText('已完成').waitFor({ timeout: 60_000 });
    // 560.00 + 166.50 = 726.50; H1's 211.68 prepaid; 348.32 + 166.50 = 514.82 from the hospitals
    const run = f.getByRole('row', { name: /726\.50/ });
    await run.getByText('211.68').waitFor();
    await run.getByText('514.82').waitFor();
    await look(f, 'p2-12-fund-settlement');
    const runs = (await t.http().get('/api/v1/settlements/runs').set(bearer(fund.token))).body.items;
    expect(runs[0].totals).toEqual({ amount: '726.50', fromPrepayment: '211.68', fromHospital: '514.82' });

    await f.goto(`${base}/fund/payments`);
    const h1Row = f.getByRole('row', { name: /560\.00/ });
    await h1Row.waitFor();
    await h1Row.getByRole('checkbox').check();
    await f.getByRole('button', { name: /将所选标记为已支付/ }).click();
    await h1Row.getByText('已支付').waitFor();
    await look(f, 'p2-13-fund-payments');
    const pays = (await t.http().get('/api/v1/payments').set(bearer(fund.token))).body.items;
    expect(Object.fromEntries(pays.map((p: { hospitalId: number; status: string; amount: string }) => [p.hospitalId, [p.amount, p.status]]))).toEqual({
      [hospitals.H1.orgId]: ['560.00', 'PAID'],
      [hospitals.H2.orgId]: ['166.50', 'PENDING'],
    });
  });

  it('progress, retention and punctuality pages show the API’s figures', async () => {
    // the office: a baseline of 0.2000 a unit for the item, H1's score 85 for year 1, then recompute
    const admin = bearer(t.adminToken);
    expect((await t.http().put(`/api/v1/batches/${batchId}/items/${itemId}/baseline`).set(admin).send({ baselineUnitPrice: '0.2000' })).status).toBe(200);
    expect(
      (await t.http().put(`/api/v1/batches/${batchId}/assessment-scores`).set(admin).send({ hospitalId: hospitals.H1.orgId, year: 1, score: '85' })).status,
    ).toBe(200);
    // 31 days after acceptance (paymentTermDays 30): H2's payment is overdue by 1 day
    t.clock.advance(31 * 24 * 3600_000);
    const re = await t.http().post(`/api/v1/batches/${batchId}/progress/recompute`).set(admin);
    expect((await waitForJob(t, t.adminToken, re.body.jobId)).state).toBe('completed');

    // H1's own progress
    const progress = (await t.http().get(`/api/v1/batches/${batchId}/progress`).set(bearer(hospitals.H1.token))).body.items;
    expect(progress).toHaveLength(1);
    const p = progress[0];
    expect(p).toMatchObject({ year: 1, agreedUnits: 6000, group: 'B' });
    const h1 = await page(hospitals.H1);
    await h1.goto(`${base}/hospital/progress`);
    await chooseBatch(h1);
    const row = h1.getByRole('row').filter({ hasText: '6,000' });
    await row.waitFor();
    await row.getByText('5,600').first().waitFor();
    // completion 5,600 / 6,000 = 0.9333; expected: 2027-04-01 is 90 days into the year, 90 / 365 = 0.2466
    expect([p.completion, p.expectedCompletion]).toEqual(['0.9333', '0.2466']);
    await row.getByText('93.33%').waitFor();
    await row.getByText('24.66%').waitFor();
    if (p.flags.includes('BEHIND')) await row.getByText('进度落后').waitFor();
    await look(h1, 'p2-14-hospital-progress');

    // the fund: progress of every hospital filtered by flag, retention with totals, punctuality
    const f = await page(fund);
    await f.goto(`${base}/fund/progress`);
    await chooseBatch(f);
    await f.getByRole('row').filter({ hasText: '3,000' }).waitFor();
    await f.getByRole('row').filter({ hasText: '6,000' }).waitFor();
    await look(f, 'p2-15-fund-progress');

    const ret = (await t.http().get(`/api/v1/batches/${batchId}/retention`).set(bearer(fund.token))).body;
    const h1Ret = ret.items.find((r: { hospitalId: number }) => r.hospitalId === hospitals.H1.orgId);
    // savings = (0.2000 − 0.1176) × min(accepted, 6,000) units; retained = savings × 0.50 (score 85 ≥ 80)
    // 100 packs of 5 mg × 28 = 100 × 28 × (5 / 2.5) = 5,600 units accepted (≤ 6,000 agreed):
    // savings 0.0824 × 5,600 = 461.44; retained 461.44 × 0.50 = 230.72.
    // H2 (no score): 50 packs of 2.5 mg × 28 = 1,400 units: (0.2000 − 0.1189) × 1,400 = 113.54, retained null.
    expect(p.acceptedUnits).toBe(5600);
    expect([h1Ret.savings, h1Ret.score, h1Ret.retained]).toEqual(['461.44', '85.0000', '230.72']);
    expect(ret.totals).toEqual({ savings: '574.98', retained: '230.72' }); // 461.44 + 113.54
    await f.goto(`${base}/fund/retention`);
    await chooseBatch(f);
    await f
      .getByTestId('retention-totals')
      .filter({ hasText: fmt(ret.totals.savings) })
      .filter({ hasText: fmt(ret.totals.retained) })
      .waitFor();
    await f
      .getByRole('row')
      .filter({ hasText: fmt(h1Ret.retained) })
      .getByText('50.00%')
      .waitFor();
    await look(f, 'p2-16-fund-retention');

    const overdue = (await t.http().get('/api/v1/payments/overdue-report?by=hospital').set(bearer(fund.token))).body.items;
    expect(
      overdue.map((r: { hospitalId: number; overdueCount: number; overdueAmount: string }) => [r.hospitalId, r.overdueCount, r.overdueAmount]),
    ).toContainEqual([hospitals.H2.orgId, 1, '166.50']);
    const orgs = (await t.http().get('/api/v1/organizations?limit=500').set(admin)).body.items as { id: number; name: string }[];
    const orgName = (id: number) => orgs.find((o) => o.id === id)!.name;
    await f.goto(`${base}/fund/punctuality`);
    await f.getByRole('row').filter({ hasText: '第二人民医院' }).getByText('166.50').waitFor();
    await look(f, 'p2-17-fund-punctuality-by-hospital');
    await f.getByText('按企业', { exact: true }).click();
    await f
      .getByRole('row')
      .filter({ hasText: orgName(firms.b1.orgId) })
      .getByText('166.50')
      .waitFor();

    // the firm: its own progress and punctuality
    const firm = await page(firms.b2);
    await firm.goto(`${base}/supplier/progress`);
    await chooseBatch(firm);
    await firm.getByRole('row').filter({ hasText: '6,000' }).waitFor();
    await firm
      .getByRole('row')
      .filter({ hasText: orgName(firms.b2.orgId) })
      .filter({ hasText: '1 / 1' })
      .waitFor();
    await look(firm, 'p2-18-supplier-progress');
    await firm.goto(`${base}/help`);
    await firm.getByText('第一轮集采操作指南').waitFor();
    await look(firm, 'p2-19-help');
  });

  it('every page passes axe with no serious or critical violation', () => {
    expect(Object.keys(seriousViolations).length).toBeGreaterThan(15);
    for (const [name, v] of Object.entries(seriousViolations)) expect({ name, v }).toEqual({ name, v: [] });
  });
});

const fmt = (money: string) => money.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

async function expectValue(locator: import('playwright-core').Locator, ...accepted: string[]) {
  for (let i = 0; i < 100; i++) {
    if (accepted.includes(await locator.inputValue())) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`value is ${await locator.inputValue()}, expected one of ${accepted.join(', ')}`);
}
