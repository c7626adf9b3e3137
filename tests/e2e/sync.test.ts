import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { shot, tid } from './console-driver';
import { checkPrerequisites, freePort, killHost, launchChromium, shotOnFailure, startHost, type RunningHost } from './harness';

/**
 * Two consoles on two seats against the real sync server: sign-in with a password, the status in
 * the header, a ticket made on one seat showing on the other, the offline banner while the server
 * is down with the change waiting, and the catch-up once it is back.
 */
describe('two seats syncing through the server, in the browser', () => {
  let server: ServerProcess;
  const dirs: string[] = [];
  const hosts: RunningHost[] = [];
  let browser: Browser | null = null;
  let pageA: Page;
  let pageB: Page;
  let hostA: RunningHost;
  let tokenA = '';

  async function seat(seatCode: string): Promise<{ host: RunningHost; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), `closeloop-e2e-sync-${seatCode}-`));
    dirs.push(dir);
    const host = await startHost(dir, await freePort(), 120_000, ['--seat', seatCode, '--server', server.url]);
    hosts.push(host);
    return { host, dir };
  }
  async function signInWithPassword(page: Page, person: string, password: string): Promise<void> {
    await page.locator(tid(`sign-in-${person}`)).click();
    await page.locator(tid('sign-in-password')).fill(password);
    await page.locator(tid('sign-in-submit')).click();
  }
  const online = (page: Page, yes: boolean) =>
    page.waitForFunction((want) => document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-online') === want, yes ? 'yes' : 'no', { timeout: 30_000 });

  beforeAll(async () => {
    checkPrerequisites();
    server = await startServer({ demo: 400 });
    const a = await seat('AA');
    const b = await seat('AB');
    hostA = a.host;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    pageA = await context.newPage();
    pageB = await context.newPage();
    await pageA.goto(a.host.url);
    await pageB.goto(b.host.url);
    tokenA = readFileSync(join(a.dir, 'api-token'), 'utf8').trim();
  }, 240_000);

  afterEach(async (ctx) => {
    await shotOnFailure(pageA, 'sync-A-', ctx.task);
    await shotOnFailure(pageB, 'sync-B-', ctx.task);
  });

  afterAll(async () => {
    await browser?.close();
    for (const h of hosts) await killHost(h);
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('asks for the password, refuses a wrong one, and shows the seat online with the site’s tickets', async () => {
    expect(await pageA.locator(tid('sign-in-hint')).textContent()).toContain(server.url);
    await signInWithPassword(pageA, 'wang.fang', 'not-the-password');
    await pageA.locator(tid('sign-in-password-error')).waitFor();
    expect(await pageA.locator(tid('sign-in-password-error')).textContent()).toContain('密码错误');
    await pageA.locator(tid('sign-in-password')).fill('demo1234');
    await pageA.locator(tid('sign-in-submit')).click();
    await pageA.locator(tid('signed-in-user')).waitFor();
    await online(pageA, true);
    await signInWithPassword(pageB, 'zhang.wei', 'demo1234');
    await pageB.locator(tid('signed-in-user')).waitFor();
    await online(pageB, true);
    // The bootstrap brought the server's 400 tickets to the seat.
    await pageB.waitForFunction(() => Number(document.querySelector('[data-testid="queue-all"]')?.getAttribute('data-count') ?? 0) >= 400, undefined, { timeout: 30_000 });
    await shot(pageB, 'sync-online-dispatcher');
  });

  it('shows a ticket made on one seat on the other; offline, the change waits and the banner says so', async () => {
    const create = async () => {
      const res = await fetch(`${hostA.url}api/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokenA}`, 'content-type': 'application/json', 'x-closeloop-user': 'wang.fang' },
        body: JSON.stringify({ form: { ...COMPLETE_SYSTEM_FORM, title: `同步测试 ${Date.now()}` } }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { ticket: { no: string } }).ticket.no;
    };
    const find = async (page: Page, no: string) => {
      await page.locator(`${tid('workbench-search')} input`).fill(no);
      await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="workbench-row"]')].some((e) => (e as HTMLElement).dataset.no === n), no, { timeout: 30_000 });
    };

    await pageB.locator(tid('queue-all')).click();
    const first = await create();
    await find(pageB, first);

    await server.kill9();
    await online(pageA, false);
    const offline = await create();
    await pageA.locator(tid('offline-banner')).waitFor();
    await pageA.waitForFunction(() => document.querySelector('[data-testid="offline-banner"]')?.textContent?.includes('待上传'), undefined, { timeout: 10_000 });
    await shot(pageA, 'sync-offline-agent');

    await server.restart();
    await online(pageA, true);
    await pageA.locator(tid('offline-banner')).waitFor({ state: 'detached', timeout: 30_000 });
    await find(pageB, offline);
    await shot(pageB, 'sync-caught-up-dispatcher');
  });
});
