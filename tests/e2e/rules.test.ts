import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, signOut, tid, waitForState } from './console-driver';
import { checkPrerequisites, freePort, launchChromium, shotOnFailure, startHost, tearDown, type RunningHost } from './harness';

/**
 * The seat's rules in the console: the host starts at 23:10 on a Tuesday night (`--now`) with a
 * clock the test moves (`--clock-file`). A bearing ticket goes straight to the night chief and the
 * detail says why; a ticket nobody accepts turns the banner bar red once 15 minutes pass, the banner
 * saying the SLA item in words ("待受理超过 15 分钟"); an admin's broken rule pack is refused with
 * the engine's message; a draft's dry run over the last 30 days says ticket by ticket what it would
 * change.
 */
const START = '2026-03-03T23:10:00+08:00';

describe('rules on the seat, end to end', () => {
  let dataDir = '';
  let clockFile = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;

  const setClock = (at: number) => writeFileSync(clockFile, new Date(at).toISOString());
  const token = () => readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  async function ticketByNo(no: string): Promise<{ id: string; createdAt: string }> {
    const res = await fetch(`${host!.url}api/tickets/${no}`, { headers: { authorization: `Bearer ${token()}` } });
    return ((await res.json()) as { ticket: { id: string; createdAt: string } }).ticket;
  }

  async function createTicket(title: string, description: string, faultyPart: string): Promise<string> {
    await page.locator(tid('nav-new-ticket')).click();
    await page.locator(tid('intake-form')).waitFor();
    const fill = (key: string, text: string) => page.locator(tid(`field-${key}`)).fill(text);
    const choose = (key: string, value: string) => page.locator(tid(`field-${key}-${value}`)).click();
    await fill('title', title);
    await fill('requester_name', '张三');
    await fill('requester_phone', '13812345678');
    await choose('area', '公共区域');
    await fill('location', '3号楼/2单元/1502');
    await fill('device', 'CNC-07');
    await choose('fault_type', '硬件');
    await fill('description', description);
    await choose('urgency', '立即处理');
    await choose('owner_cooperation', '否');
    await page.locator(tid('field-faulty_part')).waitFor();
    await fill('faulty_part', faultyPart);
    await page.locator(tid('submit-ticket')).click();
    await page.locator(tid('ticket-no')).waitFor();
    return (await page.locator(tid('ticket-no')).innerText()).trim();
  }

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-rules-'));
    clockFile = join(dataDir, 'test-clock');
    host = await startHost(dataDir, await freePort(), 90_000, ['--now', START, '--clock-file', clockFile]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterEach(({ task }) => shotOnFailure(page, 'rules-', task));

  afterAll(() => tearDown(browser, host, dataDir));

  it('routes a night bearing ticket straight to the night chief and says why', async () => {
    await page.goto(host!.url);
    await page.locator(tid('sign-in')).waitFor();
    await signIn(page, 'wang.fang');
    await createTicket('3号机床主轴停转', '夜班巡检发现主轴轴承有明显的金属摩擦声，已停机。', '主轴轴承');
    await waitForState(page, 'dispatched');
    await expect.poll(() => page.locator(tid('ticket-assignee')).innerText()).toBe('林师傅');
    expect(await page.locator(tid('ticket-priority')).innerText()).toBe('P1');
    const why = page.locator(`${tid('explain-firing')}[data-rule="night-bearing"]`);
    await why.waitFor();
    expect(await why.locator(tid('explain-line')).first().innerText()).toBe('描述含“轴承”；23:10 在 20:00–07:59 内 → 林师傅');
    await expect.poll(() => page.locator(`${tid('sla-clock')}[data-rule="dispatch-30m"] ${tid('sla-countdown')}`).innerText()).toMatch(/^还剩 (29|30):\d\d$/);
    expect(await page.locator(`${tid('sla-clock')}[data-rule="dispatch-30m"] ${tid('sla-clock-label')}`).innerText()).toBe('已派单 30 分钟未接单');
    await expect.poll(async () => (await page.locator(`${tid('history')} .summary`).allInnerTexts()).join('|')).toContain('自动规则 night-bearing@v1：待受理 → 已派单，处理人：林师傅');
    await shot(page, 'rules-01-night-bearing-dispatched');
  }, 120_000);

  it('turns the banner red when a ticket passes 15 minutes unaccepted, by the node’s clock', async () => {
    const no = await createTicket('会议室空调不制冷', '开机后只吹自然风，室温 30 度。', '压缩机');
    await waitForState(page, 'pending_acceptance');
    const created = Date.parse((await ticketByNo(no)).createdAt);
    const banner = page.locator(tid(`banner-${no}`));

    setClock(created + 11 * 60_000);
    await expect.poll(() => banner.getAttribute('data-color'), { timeout: 10_000 }).toBe('yellow');
    // The SLA item in words; its id stays on hover and in data-rule.
    expect(await banner.getAttribute('data-rule')).toBe('accept-10m');
    expect(await banner.locator(tid('banner-sla')).innerText()).toMatch(/^待受理超过 10 分钟 · 已过时限 /);
    expect(await banner.locator(tid('banner-sla')).getAttribute('title')).toBe('规则 ID：accept-10m');
    // The submitted form left the page scrolled, with the banner bar under the sticky header.
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'rules-02-yellow-banner-after-10-minutes');

    setClock(created + 15 * 60_000 - 1500);
    await expect.poll(() => page.locator(`${tid('banner-bar')} [data-rule="accept-15m"][data-testid="banner-${no}"]`).count(), { timeout: 10_000 }).toBe(1);
    const red = page.locator(`${tid('banner-bar')} [data-rule="accept-15m"][data-testid="banner-${no}"]`);
    expect(await red.getAttribute('data-color')).toBe('red');
    expect(await red.locator(tid('banner-sla')).innerText()).toMatch(/^待受理超过 15 分钟 · 已过时限 /);
    expect(await red.innerText()).not.toContain('accept-15m');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'rules-03-red-banner-after-15-minutes');

    await page.locator(tid('nav-tickets')).click();
    await page.locator(tid('ticket-table')).waitFor();
    await red.click();
    await page.locator(tid('ticket-no')).filter({ hasText: no }).waitFor();
    await page.locator(`${tid('explain-firing')}[data-rule="accept-15m"]`).waitFor();
    await expect.poll(() => page.locator(`${tid('sla-clock')}[data-rule="accept-15m"]`).getAttribute('data-over')).toBe('true');
    expect(await page.locator(`${tid('sla-clock')}[data-rule="accept-15m"] ${tid('sla-clock-label')}`).innerText()).toBe('待受理超过 15 分钟');
    expect(await page.locator(`${tid('explain-firing')}[data-rule="accept-15m"] ${tid('explain-label')}`).innerText()).toBe('待受理超过 15 分钟');
    await shot(page, 'rules-04-ticket-opened-from-banner');
  }, 120_000);

  it('refuses a broken rule pack with the engine’s message and keeps the one in force', async () => {
    await signOut(page);
    await signIn(page, 'admin');
    await page.locator(tid('nav-rulebook')).click();
    await page.locator(tid('rulebook-version')).waitFor();
    expect(await page.locator(tid('rulebook-version')).getAttribute('data-version')).toBe('0');
    const yaml = page.locator(tid('rulebook-yaml'));
    const draft = (await yaml.inputValue()).replace('pool: 紧急-机械类', 'pol: 紧急-机械类');
    await yaml.fill(draft);
    await page.locator(tid('rulebook-publish')).click();
    await expect.poll(() => page.locator(tid('rulebook-error')).innerText()).toContain('rulebook.yaml: routing[0] (night-bearing) .then.pol: unknown key');
    expect(await page.locator(tid('rulebook-version')).getAttribute('data-version')).toBe('0');
    await shot(page, 'rules-05-rulebook-refused');
  }, 120_000);

  it('dry-runs a draft over the seat’s tickets of the last 30 days and says in Chinese what would change', async () => {
    const yaml = page.locator(tid('rulebook-yaml'));
    await page.locator(tid('simulation-run')).click();
    await expect.poll(() => page.locator(tid('simulation-error')).innerText()).toContain('rulebook.yaml: routing[0] (night-bearing) .then.pol: unknown key');
    // The night rule sets P2 instead of P1 in the draft.
    await yaml.fill((await yaml.inputValue()).replace('pol: 紧急-机械类', 'pool: 紧急-机械类').replace('priority: P1', 'priority: P2'));
    await page.locator(tid('simulation-run')).click();
    const result = page.locator(tid('simulation-result'));
    await expect.poll(() => result.getAttribute('data-replayed'), { timeout: 30_000 }).toBe('2');
    expect(await result.getAttribute('data-changed')).toBe('1');
    expect(await page.locator(tid('simulation-summary')).innerText()).toMatch(/^对比第 0 版规则：.+共 2 张工单，其中 1 张的处理会不同。$/);
    const change = page.locator(tid('simulation-change')).first();
    expect(await change.locator(tid('simulation-change-line')).allInnerTexts()).toContain('优先级：P1 → P2');
    expect(await page.locator(`${tid('simulation-rules')} tr[data-rule="night-bearing"]`).innerText()).toContain('分派');
    await page.locator(tid('simulation-panel')).scrollIntoViewIfNeeded();
    await shot(page, 'rules-06-dry-run-30-days');
    expect(await page.locator(tid('rulebook-version')).getAttribute('data-version')).toBe('0');
  }, 120_000);
});
