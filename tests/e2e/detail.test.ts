import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, tid } from './console-driver';
import { DAY, SEAT, seedSeat, ticketAt } from './detail-seed';
import { SHOTS, checkPrerequisites, freePort, launchChromium, shotOnFailure, startHost, tearDown, type RunningHost } from './harness';

/**
 * Ticket detail and the conflicts inbox: a ticket two seats reassigned concurrently while offline
 * (林师傅 → 陈师傅 here, → 赵师傅 on the other seat) waits in the workbench's 冲突待处理 queue; its
 * detail shows the conflict with a button per value, the late 创建→派单 breakpoint, the change
 * history before/after and the device's other tickets. A supervisor settles it.
 */
describe('ticket detail and the conflicts inbox, end to end', () => {
  let dataDir = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const now = Date.now();
  const earlier = ticketAt(now - 40 * DAY, { title: '财务服务器无法启动', device: 'SRV-09', requester_phone: '13900000009' });
  const conflicted = ticketAt(now - 2 * DAY, { title: '机房空调告警导致服务器宕机', device: 'SRV-09', requester_phone: '13900000010', location: '5号楼/1单元/0101' });

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-detail-'));
    const others = Array.from({ length: 30 }, (_, i) => ticketAt(now - (i + 3) * DAY, { title: `打印机卡纸 ${i}`, device: `PRN-${i}`, requester_phone: `1370000${String(i).padStart(4, '0')}` }));
    await seedSeat(dataDir, [earlier, ...others], conflicted);
    host = await startHost(dataDir, await freePort(), 120_000, ['--demo', '0', '--seat', SEAT]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(host.url);
    await page.locator(tid('sign-in-zhou.sup')).waitFor({ timeout: 60_000 });
    await signIn(page, 'zhou.sup');
  }, 180_000);

  afterEach(({ task }) => shotOnFailure(page, 'detail-', task));
  afterAll(() => tearDown(browser, host, dataDir));

  it('lists the conflicted ticket in the 冲突待处理 queue', async () => {
    await page.locator(tid('nav-workbench')).click();
    const queue = page.locator(tid('queue-conflicted'));
    await expect.poll(() => queue.getAttribute('data-count')).toBe('1');
    await queue.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="workbench-list"]')?.getAttribute('data-total') === '1');
    await expect.poll(() => page.locator(tid('workbench-row')).first().getAttribute('data-no')).toBe(conflicted.no);
    await shot(page, 'detail-01-conflicts-queue');
    await page.locator(tid('workbench-row')).first().dblclick();
    await page.locator(tid('ticket-no')).filter({ hasText: conflicted.no }).waitFor();
  });

  it('shows the conflict, the late breakpoint, the history before/after and the device’s other ticket', async () => {
    const card = page.locator(tid('conflict-card'));
    await expect.poll(() => card.locator(tid('conflict-line')).innerText()).toBe('冲突：处理人 陈师傅 / 赵师傅');
    expect(await page.locator(tid('stage-created_assigned')).getAttribute('data-late')).toBe('true');
    const reassign = page.locator(`${tid('history-change')}[data-path="assignee"]`).first();
    await expect.poll(() => reassign.innerText()).toMatch(/处理人\s*林师傅 → (陈师傅|赵师傅)/);
    const device = page.locator(`${tid('device-related')} ${tid('device-related-row')}`);
    await expect.poll(() => device.count()).toBe(1);
    expect(await device.first().getAttribute('data-no')).toBe(earlier.no);
    await shot(page, 'detail-02-conflict');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'detail-02b-history-device.png'), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(tid('toggle-dark')).click();
    await page.locator(tid('toggle-locale')).click();
    await expect.poll(() => card.locator(tid('conflict-line')).innerText()).toBe('Conflict: Assignee 陈师傅 / 赵师傅');
    await shot(page, 'detail-02c-conflict-dark-english');
    await page.locator(tid('toggle-locale')).click();
    await page.locator(tid('toggle-dark')).click();
  });

  it('settles the conflict on the value the supervisor picks, and the inbox empties', async () => {
    await page.locator(`${tid('conflict-assignee')} [data-value="陈师傅"]`).click();
    await page.locator(tid('conflict-card')).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator(tid('ticket-assignee')).innerText()).toBe('陈师傅');
    await expect.poll(async () => (await page.locator(`${tid('history')} ${tid('history-entry')}`).count())).toBeGreaterThanOrEqual(5);
    await shot(page, 'detail-03-settled');
    await page.locator(tid('nav-workbench')).click();
    await expect.poll(() => page.locator(tid('queue-conflicted')).getAttribute('data-count')).toBe('0');
  });
});
