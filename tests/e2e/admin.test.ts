import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../electron/main/sync/login';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { shot as rawShot, tid } from './console-driver';
import { checkPrerequisites, freePort, killHost, launchChromium, shotOnFailure, startHost, type RunningHost } from './harness';

/**
 * 系统管理 in the browser against the real sync server: an admin lists users, adds one (the
 * generated password is shown once and works), revokes a lost laptop's seat (cut off at once) and
 * looks at sites, connectors and the server's health; a supervisor has no such entry.
 */
describe('the admin console, in the browser', () => {
  let server: ServerProcess;
  const dirs: string[] = [];
  const hosts: RunningHost[] = [];
  let browser: Browser | null = null;
  let page: Page;
  let supPage: Page;
  let lost: TestSeat;

  async function host(seatCode: string): Promise<RunningHost> {
    const dir = mkdtempSync(join(tmpdir(), `closeloop-e2e-admin-${seatCode}-`));
    dirs.push(dir);
    const h = await startHost(dir, await freePort(), 120_000, ['--seat', seatCode, '--server', server.url]);
    hosts.push(h);
    return h;
  }
  async function signInWithPassword(p: Page, person: string): Promise<void> {
    await p.locator(tid(`sign-in-${person}`)).click();
    await p.locator(tid('sign-in-password')).fill('demo1234');
    await p.locator(tid('sign-in-submit')).click();
    await p.locator(tid('signed-in-user')).waitFor({ timeout: 60_000 });
    await p.waitForFunction(() => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-online') === 'yes', undefined, { timeout: 60_000 });
  }
  const tab = (name: string) => page.locator('.n-tabs-tab', { hasText: name });
  /** A screenshot once transitions ended and two frames were painted (the machine is loaded: frames lag). */
  async function shot(p: Page, name: string): Promise<void> {
    await p.waitForTimeout(500);
    await p.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    await rawShot(p, name);
  }

  beforeAll(async () => {
    checkPrerequisites();
    server = await startServer({ demo: 20 });
    // The "lost laptop": an agent's seat syncing from elsewhere.
    lost = await TestSeat.signIn(server.url, 'wang.fang', 'lost-laptop');
    lost.start();
    await lost.online(60_000);
    const a = await host('AA');
    const b = await host('AB');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    supPage = await context.newPage();
    await page.goto(a.url);
    await supPage.goto(b.url);
  }, 300_000);

  afterEach(async (ctx) => {
    await shotOnFailure(page, 'admin-', ctx.task);
    await shotOnFailure(supPage, 'admin-sup-', ctx.task);
  });

  afterAll(async () => {
    await lost?.stop();
    await browser?.close();
    for (const h of hosts) await killHost(h);
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('lists the server’s users for a signed-in admin', async () => {
    await signInWithPassword(page, 'admin');
    await page.locator(tid('nav-admin')).click();
    await page.locator(tid('admin-user-admin')).waitFor({ timeout: 30_000 });
    expect(await page.locator(tid('admin-user-zhou.sup')).textContent()).toContain('周主管');
    expect(await page.locator('[data-testid^="admin-user-"]').filter({ hasText: '@' }).count()).toBe(0);
    await shot(page, 'admin-users');
  }, 120_000);

  it('adds a user and shows the generated password once, which signs in', async () => {
    await page.locator(tid('admin-user-add')).click();
    await page.locator(tid('admin-user-id')).fill('li.new');
    await page.locator(tid('admin-user-name')).fill('李新');
    await shot(page, 'admin-add-user');
    await page.locator(tid('admin-user-submit')).click();
    const once = page.locator(tid('admin-password-once'));
    await once.waitFor({ timeout: 30_000 });
    const password = (await once.textContent())?.trim() ?? '';
    expect(password.length).toBeGreaterThanOrEqual(8);
    await page.locator(tid('admin-user-dialog')).waitFor({ state: 'detached' });
    await shot(page, 'admin-password-once');
    await page.locator('.n-dialog__action button', { hasText: '我已记下' }).click();
    await page.locator(tid('admin-user-li.new')).waitFor();
    expect(await page.locator(tid('admin-user-li.new')).textContent()).toContain('李新');
    await expect(login(server.url, { user: 'li.new', password, device: 'li-pc' })).resolves.toMatchObject({ user: { id: 'li.new', role: 'agent' } });
  }, 120_000);

  it('revokes a lost laptop’s seat after a confirmation, and that seat is cut off at once', async () => {
    await tab('座席').click();
    const row = page.locator(tid(`admin-seat-${lost.code}`));
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('lost-laptop');
    await shot(page, 'admin-seats');
    await page.locator(tid(`admin-seat-revoke-${lost.code}`)).click();
    const confirm = page.locator('.n-dialog__action button', { hasText: '吊销' });
    await confirm.waitFor();
    await shot(page, 'admin-revoke-confirm');
    expect(lost.client.status.online).toBe(true);
    await confirm.click();
    await waitFor(() => !lost.client.status.online, 10_000, 'the revoked seat cut off');
    expect(lost.client.status.error).toMatch(/seat revoked/);
    await page.locator('.n-message', { hasText: `已吊销座席 ${lost.code}` }).waitFor();
    await expect(row.waitFor({ state: 'detached', timeout: 10_000 })).resolves.toBeUndefined();
    await page.locator('.n-dialog').waitFor({ state: 'detached' });
    await shot(page, 'admin-seat-revoked');
  }, 120_000);

  it('shows sites with their prefix, connectors and deliveries, and the server’s health', async () => {
    await tab('站点').click();
    await page.locator(tid('admin-sites')).getByText('Asia/Shanghai').waitFor({ timeout: 30_000 });
    expect(await page.locator(tid('admin-sites')).textContent()).toContain('MX');
    await shot(page, 'admin-sites');
    await tab('连接器').click();
    await page.locator(tid('admin-delivery-counts')).waitFor({ timeout: 30_000 });
    await shot(page, 'admin-connectors');
    await tab('服务器').click();
    await page.locator(tid('admin-health-storage')).waitFor({ timeout: 30_000 });
    expect(await page.locator(tid('admin-health-storage')).textContent()).toBe('embedded');
    // The admin's own seat (the lost laptop is cut off; the supervisor has not signed in yet).
    expect(Number(await page.locator(tid('admin-health-connections')).textContent())).toBeGreaterThanOrEqual(1);
    await shot(page, 'admin-server');
  }, 120_000);

  it('gives a supervisor no admin entry, and sends #/admin back to the ticket list', async () => {
    await signInWithPassword(supPage, 'zhou.sup');
    expect(await supPage.locator(tid('nav-admin')).count()).toBe(0);
    await supPage.goto(`${new URL(supPage.url()).origin}/#/admin`);
    await supPage.locator(tid('ticket-table')).waitFor({ timeout: 30_000 });
    await supPage.locator('.n-message').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    expect(await supPage.locator(tid('admin-view')).count()).toBe(0);
    await shot(supPage, 'admin-supervisor');
  }, 120_000);
});
