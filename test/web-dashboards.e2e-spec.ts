import type { Browser, Page } from 'playwright-core';
import { formatMoney } from '../apps/web/src/format';
import { ADMIN, bearer, createTestApp, TestApp } from './helpers/test-app';
import { DashboardRound, seedDashboardRound } from './helpers/dashboard-fixtures';
import { axeSerious, buildWebConsole, launch, listen, login, shot } from './web/browser';

jest.setTimeout(240_000);

/**
 * The dashboards of each role in Debian's Chromium (issue 15), on the hand-worked round of
 * seedDashboardRound: each page rendered, the totals it shows equal to the API's, a screenshot
 * (test-output/screenshots/dash-*.png) and axe with no serious or critical violation.
 */
describe('web console: dashboards of each role', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let w: DashboardRound;
  let batchLabel: string;
  const TIMEOUT = 60_000;

  const api = async (token: string, path: string) => {
    const r = await t.http().get(`/api/v1${path}`).set(bearer(token));
    expect(r.status).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    buildWebConsole();
    t = await createTestApp({ webConsole: true });
    w = await seedDashboardRound(t);
    const batch = await api(t.adminToken, `/batches/${w.b.batchId}`);
    batchLabel = `${batch.code} ${batch.name}`;
    base = await listen(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(username: string, password: string, path: string): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
    ctx.setDefaultTimeout(TIMEOUT);
    const page = await ctx.newPage();
    await login(page, base, username, password);
    await page.goto(`${base}${path}`);
    return page;
  }
  async function chooseBatch(page: Page) {
    await page.getByLabel('批次', { exact: true }).click();
    await page.locator('.ant-select-item-option').getByText(batchLabel).click();
    await page.keyboard.press('Escape');
  }
  async function look(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    await shot(page, name);
    expect(await axeSerious(page)).toEqual([]);
    await page.context().close();
  }

  it('admin: funnel, price cuts, volume by winner, progress by item and level, hospitals behind', async () => {
    const page = await open(ADMIN.username, ADMIN.password, '/admin/dashboard');
    await chooseBatch(page);
    const funnel = await api(t.adminToken, `/dashboards/batches/${w.b.batchId}/funnel`);
    for (const k of ['items', 'itemsWithBids', 'bids', 'winners', 'noBidItems'] as const) {
      await expect(page.getByTestId(`funnel-${k}`).textContent()).resolves.toBe(String(funnel[k]));
    }
    const volumes = await api(t.adminToken, `/dashboards/batches/${w.b.batchId}/winner-volumes`);
    for (const v of volumes.items) {
      await page
        .getByTestId('dash-winner-volumes')
        .getByRole('row', { name: new RegExp(v.supplierName) })
        .getByText(formatMoney(v.amount))
        .first()
        .waitFor();
    }
    // 20,132 / 30,000 = 0.6711 → 67.11%
    const byItem = await api(t.adminToken, `/dashboards/batches/${w.b.batchId}/progress-by-item?year=1`);
    expect(byItem.items[0].completion).toBe('0.6711');
    await page.getByTestId('dash-progress-by-item').getByText('67.11%').waitFor();
    await page.getByTestId('dash-behind').getByText('第二医院').waitFor();
    await expect(page.getByRole('img', { name: /图表/ }).count()).resolves.toBeGreaterThanOrEqual(5);
    await look(page, 'dash-admin');
  });

  it('supplier: own months and totals equal to the API', async () => {
    const d = await api(w.s1.token, '/dashboards/supplier');
    expect(d.totals.paidAmount).toBe('1095.67');
    const page = await open(w.s1.username, 'password-123', '/supplier/dashboard');
    await expect(page.getByTestId('dash-paid-amount').textContent()).resolves.toBe(formatMoney(d.totals.paidAmount));
    await expect(page.getByTestId('dash-agreed-amount').textContent()).resolves.toBe(formatMoney(d.agreedAmount));
    await page.getByTestId('dash-supplier-months').getByRole('row', { name: /合计/ }).getByText(formatMoney(d.totals.acceptedAmount)).waitFor();
    await look(page, 'dash-supplier');
  });

  it('hospital: completion per item against the expected line', async () => {
    const d = await api(w.h1.token, `/dashboards/hospital?batchId=${w.b.batchId}`);
    expect(d.completion).toBe('0.9786');
    const page = await open(w.h1.username, 'password-123', '/hospital/dashboard');
    await chooseBatch(page);
    await expect(page.getByTestId('dash-hospital-completion').textContent()).resolves.toBe('97.86%');
    await page.getByTestId('dash-hospital-items').getByText('正常').waitFor();
    await look(page, 'dash-hospital');
  });

  it('fund: prepaid against settled per month, payments by week', async () => {
    const months = await api(w.fund.token, '/dashboards/fund/prepaid-settled');
    const weeks = await api(w.fund.token, '/dashboards/fund/payments-by-week');
    expect([months.totals.disbursed, months.totals.settled, weeks.totals.overdue]).toEqual(['6000.00', '3402.27', '66.60']);
    const page = await open(w.fund.username, 'password-123', '/fund/dashboard');
    const monthTotal = page.getByTestId('dash-fund-months').getByRole('row', { name: /合计/ });
    await monthTotal.getByText(formatMoney(months.totals.disbursed)).waitFor();
    await monthTotal.getByText(formatMoney(months.totals.settled)).waitFor();
    const weekTotal = page.getByTestId('dash-fund-weeks').getByRole('row', { name: /合计/ });
    await weekTotal.getByText(formatMoney(weeks.totals.overdue)).waitFor();
    await weekTotal.getByText(formatMoney(weeks.totals.due)).waitFor();
    await look(page, 'dash-fund');
  });
});
