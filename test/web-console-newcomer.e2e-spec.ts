import type { Browser, Page } from 'playwright-core';
import { createTestApp, TestApp, ADMIN } from './helpers/test-app';
import { axeSerious, buildWebConsole, launch, listen, login, shot } from './web/browser';

jest.setTimeout(180_000);

/**
 * A newcomer's first steps on a fresh install, as `npm start` leaves it: no ADMIN_PASSWORD, so the
 * api prints the first admin's generated password once in its log. The admin logs in with it and
 * follows only what the pages say: the empty batch list names the next action and links to
 * 机构管理; a hospital and its user are created there; the hospital logs in and its first page
 * says what to do and links to the guide, whose steps match the README's "first round".
 * (The rest of a round in the browser is parts 1 and 2: web-console and web-console-2.)
 */
describe('web console: a newcomer on a fresh install', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const seriousViolations: Record<string, string[]> = {};

  beforeAll(async () => {
    buildWebConsole();
    t = await createTestApp({ webConsole: true, freshInstall: true });
    base = await listen(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function tab(): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
    const p = await ctx.newPage();
    p.setDefaultTimeout(30_000);
    return p;
  }
  async function look(p: Page, name: string) {
    await p.waitForLoadState('networkidle');
    await shot(p, name);
    seriousViolations[name] = await axeSerious(p);
  }

  it('the admin logs in with the password from the log and follows the empty list to create a hospital and its user', async () => {
    expect(t.initialAdminPassword).toBeDefined();
    expect(t.initialAdminPassword).not.toBe(ADMIN.password);
    const admin = await tab();
    await login(admin, base, ADMIN.username, t.initialAdminPassword!);
    await admin.waitForURL(/\/admin\/batches$/);
    await admin.getByText(/还没有集采批次。第一次使用/).waitFor();
    await look(admin, 'n-01-admin-empty-batches');
    await admin.getByRole('main').getByRole('link', { name: '机构管理' }).click();
    await admin.waitForURL(/\/admin\/organizations$/);

    await admin.getByRole('button', { name: /新建机构/ }).click();
    const org = admin.getByRole('dialog');
    await org.getByLabel('名称').fill('第一人民医院');
    await org.getByLabel('编码').fill('H-0001');
    await org.getByLabel('类型').click();
    await admin.locator('.ant-select-item-option').filter({ hasText: '医疗机构' }).click();
    await org.getByLabel('等级').click();
    await admin.locator('.ant-select-item-option').filter({ hasText: '二级' }).click();
    await org.getByRole('button', { name: /^(确\s*定|OK)$/ }).click();
    await admin.getByRole('cell', { name: '第一人民医院' }).waitFor();
    await look(admin, 'n-02-admin-organizations');

    await admin.getByRole('navigation').getByRole('link', { name: '用户管理' }).click();
    await admin.getByRole('button', { name: /新建用户/ }).click();
    const user = admin.getByRole('dialog');
    await user.getByLabel('所属机构').click();
    await admin.locator('.ant-select-item-option').filter({ hasText: '第一人民医院' }).click();
    await user.getByLabel('用户名').fill('h0001');
    await user.getByLabel('密码').fill('hospital-pass-1');
    await user.getByRole('button', { name: /^(确\s*定|OK)$/ }).click();
    await admin.getByRole('cell', { name: 'h0001' }).waitFor();
    await look(admin, 'n-03-admin-users');
    await admin.context().close();
  });

  it('the hospital’s first page names the next action and links to the guide', async () => {
    const h = await tab();
    await login(h, base, 'h0001', 'hospital-pass-1');
    await h.waitForURL(/\/hospital\/batches$/);
    await h.getByText(/没有可选批次时，请等待采购办发布/).waitFor();
    await look(h, 'n-04-hospital-first-page');
    await h.getByRole('main').getByRole('link', { name: '操作指南' }).click();
    await h.waitForURL(/\/help$/);
    await h.getByText('第一轮集采操作指南').waitFor();
    // the guide's twelve steps, from the first login to the execution pages
    await h.getByText(/用初始密码登录（启动时打印在服务日志中）/).waitFor();
    await h.getByText(/“一键确认全部待确认协议”/).waitFor();
    await h.getByText(/随时查看：“执行进度”“结余留用”“回款及时性”/).waitFor();
    await look(h, 'n-05-help');
    await h.context().close();
  });

  it('every page passes axe with no serious or critical violation', () => {
    expect(Object.keys(seriousViolations)).toHaveLength(5);
    for (const [name, v] of Object.entries(seriousViolations)) expect({ name, v }).toEqual({ name, v: [] });
  });
});
