import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, tid } from './console-driver';
import { checkPrerequisites, freePort, launchChromium, startHost, tearDown, type RunningHost } from './harness';

/**
 * The workbench with 300 demo tickets: a dispatcher lands on it, the queues show their counts and
 * the list follows the queue picked; a Chinese search finds a ticket; `j` and Enter open it.
 */
interface Row { id: string; no: string; title: string; location: string | null; state: string }

describe('the workbench, end to end', () => {
  let dataDir = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;

  const total = async () => Number(await page.locator(tid('workbench-list')).getAttribute('data-total'));
  const count = async (queue: string) => Number(await page.locator(tid(`queue-${queue}`)).getAttribute('data-count'));
  const shownNos = () => page.locator(tid('workbench-row')).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.no ?? ''));
  async function listRows(query: string): Promise<Row[]> {
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const res = await fetch(`${host!.url}api/tickets?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { rows: Row[] }).rows;
  }

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-workbench-'));
    host = await startHost(dataDir, await freePort(), 120_000, ['--demo', '300']);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    await page.goto(host.url);
    await signIn(page, 'zhang.wei');
    await page.locator(tid('workbench-row')).first().waitFor();
  }, 180_000);

  afterAll(() => tearDown(browser, host, dataDir));

  it('lands a dispatcher on the workbench, with counts on the queues that the list agrees with', async () => {
    expect(page.url()).toContain('#/workbench');
    const open = await count('open');
    expect(open).toBeGreaterThan(0);
    expect(await total()).toBe(open);
    const pools = page.locator(`${tid('workbench-queues')} [data-testid^="queue-pool-"]`);
    expect(await pools.count()).toBeGreaterThan(0);
    const poolCounts = await pools.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.count)));
    expect(poolCounts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(open);

    await page.locator(tid('queue-unassigned')).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="workbench-list"]')?.getAttribute('data-total') === String(n), await count('unassigned'));
    const first = pools.first();
    const poolCount = Number(await first.getAttribute('data-count'));
    await first.click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="workbench-list"]')?.getAttribute('data-total') === String(n), poolCount);
    await shot(page, 'workbench-queues');
  });

  it('finds a ticket by Chinese words and opens it with j and Enter', async () => {
    await page.locator(tid('queue-open')).click();
    const rows = await listRows('state=pending_acceptance,dispatched,in_progress,pending_verification&limit=100');
    const target = rows.find((r) => r.location && /[\u4e00-\u9fff]/.test(r.title));
    expect(target).toBeDefined();
    const words = `${target!.title} ${target!.location}`;
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="workbench-search"]') !== null)).toBe(true);
    await page.keyboard.type(words);
    // The rows of the open queue may already show the target before the search's answer comes back.
    await page.waitForFunction((text) => document.querySelector('[data-testid="workbench"]')?.getAttribute('data-shown-text') === text, words);
    await page.waitForFunction((no) => [...document.querySelectorAll('[data-testid="workbench-row"]')].some((e) => (e as HTMLElement).dataset.no === no), target!.no);
    const nos = await shownNos();
    const at = nos.indexOf(target!.no);
    expect(await total()).toBeLessThan(await count('open'));
    await shot(page, 'workbench-search');

    await page.keyboard.press('Escape'); // leave the search box: the keys now move the selection
    await page.keyboard.press('k'); // stays on the first row
    for (let i = 0; i < at; i++) await page.keyboard.press('j');
    await expect.poll(() => page.locator(`${tid('workbench-row')}[aria-selected="true"]`).getAttribute('data-no')).toBe(target!.no);
    await page.keyboard.press('Enter');
    await page.locator(tid('ticket-no')).filter({ hasText: target!.no }).waitFor();
  });

  it('shows the shortcut list on ? and does not take keys typed into the search box', async () => {
    await page.locator(tid('nav-workbench')).click();
    await page.locator(tid('workbench-row')).first().waitFor();
    await page.keyboard.press('?');
    await page.locator(tid('shortcut-help')).waitFor();
    await shot(page, 'workbench-shortcuts');
    await page.keyboard.press('Escape');
    await page.locator(tid('shortcut-help')).waitFor({ state: 'detached' });
    await page.locator(`${tid('workbench-search')} input`).fill('');
    await page.keyboard.type('n');
    expect(page.url()).toContain('#/workbench');
    expect(await page.locator(`${tid('workbench-search')} input`).inputValue()).toBe('n');
  });

  it('opens the dispatch dialog with d on an unassigned ticket', async () => {
    await page.locator(`${tid('workbench-search')} input`).fill('');
    await page.keyboard.press('Escape');
    await page.locator(tid('queue-unassigned')).click();
    await page.locator(`${tid('workbench-row')}[aria-selected="true"]`).waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="workbench"]')?.getAttribute('data-actions') ?? '').split(',').includes('dispatch'));
    await page.keyboard.press('d');
    await page.locator(tid('dialog-confirm')).waitFor();
    await shot(page, 'workbench-dispatch');
  });
});
