import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, historySummaries, openFromList, shot, signIn, signOut, ticketState, tid, waitForState } from './console-driver';
import { checkPrerequisites, freePort, killHost, launchChromium, shotOnFailure, startHost, tearDown, type RunningHost } from './harness';

/**
 * The console end to end: the built renderer served by electron/host, driven in Debian's Chromium
 * at 1366×768. One ticket goes from the intake form to closed through every role, then survives
 * the host being killed and restarted on the same data folder.
 */
describe('console end to end', () => {
  let dataDir = '';
  let port = 0;
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;
  let ticketNo = '';
  let historyBefore: string[] = [];

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-'));
    port = await freePort();
    host = await startHost(dataDir, port);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterEach(({ task }) => shotOnFailure(page, '', task));

  afterAll(() => tearDown(browser, host, dataDir));

  it('an agent creates a 系统 ticket only once the server IP is given', async () => {
    await page.goto(host!.url);
    await page.locator(tid('sign-in')).waitFor();
    await shot(page, '01-sign-in');
    await signIn(page, 'wang.fang');
    // An agent lands on the workbench; the full ticket list is one click away.
    await page.locator(tid('workbench')).waitFor();
    await page.locator(tid('nav-tickets')).click();
    await page.locator(tid('ticket-table')).waitFor();
    await shot(page, '02-ticket-list');

    await page.locator(tid('new-ticket')).click();
    await page.locator(tid('intake-form')).waitFor();
    const fill = (key: string, text: string) => page.locator(tid(`field-${key}`)).fill(text);
    const choose = (key: string, value: string) => page.locator(tid(`field-${key}-${value}`)).click();
    await fill('title', '财务服务器无法登录');
    await fill('requester_name', '刘先生');
    await fill('requester_phone', '13800138000');
    await choose('area', '公共区域');
    await fill('location', '3号楼/2单元/1502');
    await fill('device', 'SRV-01');
    await choose('fault_type', '系统');
    await fill('description', '登录财务系统时提示数据库连接失败，全部门无法开票。');
    await choose('urgency', '2小时内');
    await choose('owner_cooperation', '否');

    const submit = page.locator(tid('submit-ticket'));
    await page.locator(tid('field-server_ip')).waitFor();
    await expect.poll(() => submit.isDisabled()).toBe(true);
    await expect.poll(() => page.locator(tid('missing-fields')).innerText()).toContain('请补充服务器IP以便远程诊断');
    await page.locator(tid('field-server_ip')).focus();
    await page.locator(tid('field-server_ip')).blur();
    await shot(page, '03-form-missing-server-ip');

    await fill('server_ip', '10.0.8.21');
    await fill('error_code', 'ORA-12541');
    await expect.poll(() => submit.isDisabled()).toBe(false);
    await expect.poll(() => page.locator(tid('missing-fields')).count()).toBe(0);
    await submit.click();

    await page.locator(tid('ticket-no')).waitFor();
    ticketNo = (await page.locator(tid('ticket-no')).innerText()).trim();
    expect(ticketNo).toMatch(/^MX\d{8}-(\d{4,5}|[A-Z]{2}\d{3})$/);
    expect(await ticketState(page)).toBe('pending_acceptance');
    await expect.poll(() => page.locator(tid('answer-server_ip')).innerText()).toBe('10.0.8.21');
    await shot(page, '04-created');
  }, 120_000);

  it('dispatcher dispatches, technician works it, agent verifies', async () => {
    await signOut(page);
    await signIn(page, 'zhang.wei');
    await openFromList(page, ticketNo);
    await act(page, 'dispatch', { assignee: 'liu.tech' });
    await waitForState(page, 'dispatched');
    await expect.poll(() => page.locator(tid('ticket-assignee')).innerText()).toBe('刘工');
    await shot(page, '05-dispatched');

    await signOut(page);
    await signIn(page, 'liu.tech');
    await page.locator(tid('nav-tickets')).click(); // a technician lands on the workbench
    await page.locator(tid('scope-mine')).click();
    await openFromList(page, ticketNo);
    await act(page, 'accept');
    await waitForState(page, 'in_progress');
    await act(page, 'first_response', { note: '已电话联系刘先生，先远程检查数据库监听。' });
    await expect.poll(() => page.locator(tid('milestone-firstResponse')).getAttribute('data-reached')).toBe('true');
    await act(page, 'arrive');
    await expect.poll(() => page.locator(tid('milestone-arrived')).getAttribute('data-reached')).toBe('true');
    await act(page, 'resolve', { note: '重启数据库监听服务并修复开机自启配置，已恢复登录。' });
    await waitForState(page, 'pending_verification');
    await shot(page, '06-resolved');

    await signOut(page);
    await signIn(page, 'wang.fang');
    await openFromList(page, ticketNo);
    await act(page, 'verify');
    await waitForState(page, 'closed');
    await expect.poll(() => page.locator(tid('milestone-verified')).getAttribute('data-reached')).toBe('true');
    await expect.poll(async () => (await historySummaries(page)).length).toBeGreaterThanOrEqual(7);
    historyBefore = await historySummaries(page);
    await shot(page, '07-closed');

    await page.locator(tid('toggle-dark')).click();
    await shot(page, '08-closed-dark');
    await page.locator(tid('nav-tickets')).click();
    await page.locator(tid('ticket-table')).waitFor();
    await shot(page, '09-list-dark');
    await page.locator(tid('toggle-dark')).click();
  }, 180_000);

  it('the ticket, its state and its history survive killing and restarting the host', async () => {
    await killHost(host!);
    // The open console notices the drop, then reconnects by itself once the host is back.
    await page.locator(tid('connection-state')).waitFor({ timeout: 20_000 });
    await shot(page, '10-host-down');
    host = await startHost(dataDir, port);
    await page.locator(tid('connection-state')).waitFor({ state: 'detached', timeout: 30_000 });
    await openFromList(page, ticketNo);
    await waitForState(page, 'closed');

    // From a fresh page: the seat remembers who signed in last, and the ticket is read from disk.
    await page.reload();
    await expect.poll(() => page.locator(tid('signed-in-user')).innerText()).toContain('王芳');
    await openFromList(page, ticketNo);
    await waitForState(page, 'closed');
    expect(await page.locator(tid('answer-server_ip')).innerText()).toBe('10.0.8.21');
    await expect.poll(async () => (await historySummaries(page)).length).toBe(historyBefore.length);
    expect(await historySummaries(page)).toEqual(historyBefore);
    await shot(page, '11-after-restart');

    await page.locator(tid('toggle-locale')).click();
    await expect.poll(() => page.locator(tid('ticket-header')).innerText()).toContain('Closed');
    await shot(page, '12-detail-english');
    await page.locator(tid('toggle-locale')).click();
  }, 180_000);
});
