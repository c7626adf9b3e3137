import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, signOut, tid } from './console-driver';
import { checkPrerequisites, freePort, launchChromium, startHost, tearDown, type RunningHost } from './harness';

/**
 * The 值班调度 panel with 300 demo tickets at 23:10 on a Tuesday night (`--now`): the night chief
 * is on duty and the IT day shift is not; a dispatcher assigns one unassigned ticket by pick
 * (select, 派给) and another by dragging its row onto the night chief, and the list shows both.
 */
const START = '2026-03-03T23:10:00+08:00';
interface Row { id: string; no: string; state: string; assignee: string | null; awaitingInfo: boolean }

describe('dispatch from the workbench, end to end', () => {
  let dataDir = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;

  const chief = () => page.locator(`${tid('dispatch-person')}[data-person="lin.chief"]`);
  const chiefLoad = async () => Number((await chief().locator(tid('dispatch-load')).innerText()).replace(/\D/g, ''));
  const row = (no: string) => page.locator(`${tid('workbench-row')}[data-no="${no}"]`);
  async function listRows(query: string): Promise<Row[]> {
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const res = await fetch(`${host!.url}api/tickets?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { rows: Row[] }).rows;
  }
  /**
   * Narrows the list to one ticket by its number, and waits until the list shows only it: a row
   * that was on screen before the search is replaced when the filtered list renders, and a drag
   * started on the old element does nothing (this test failed that way once in CI).
   */
  async function find(no: string): Promise<void> {
    await page.locator(`${tid('workbench-search')} input`).fill(no);
    await page.waitForFunction((text) => document.querySelector('[data-testid="workbench"]')?.getAttribute('data-shown-text') === text, no);
    await row(no).waitFor();
    await expect
      .poll(() => page.locator(tid('workbench-row')).evaluateAll((els, n) => els.map((e) => (e as HTMLElement).dataset.no === n), no), { timeout: 10_000 })
      .toEqual([true]);
  }

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-dispatch-'));
    host = await startHost(dataDir, await freePort(), 120_000, ['--demo', '300', '--now', START]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    await page.goto(host.url);
    await signIn(page, 'zhang.wei');
    await page.locator(tid('workbench-row')).first().waitFor();
  }, 180_000);

  afterAll(() => tearDown(browser, host, dataDir));

  it("lists who is on duty at the host's clock: the night chief, and nobody of the IT day shift", async () => {
    await chief().waitFor();
    expect(await page.locator(tid('dispatch-at')).getAttribute('data-at')).toMatch(/^2026-03-03T23:1\d:\d\d\+08:00$/);
    expect(await chief().innerText()).toContain('林师傅');
    expect(await chief().innerText()).toContain('20:00–08:00');
    const itDay = page.locator(`${tid('dispatch-roster')}[data-roster="it-day"]`);
    expect(await itDay.locator(tid('dispatch-person')).count()).toBe(0);
    expect(await itDay.innerText()).toContain('当前无人值班');
    await shot(page, 'dispatch-panel');
  });

  it('assigns one unassigned ticket by pick and another by drag, and the list shows the assignee', async () => {
    const candidates = (await listRows('state=pending_acceptance&limit=200')).filter((r) => r.assignee === null && !r.awaitingInfo);
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const [picked, dragged] = candidates as [Row, Row];
    const before = await chiefLoad();

    await find(picked.no);
    await row(picked.no).click();
    await page.locator(`${tid('workbench-row')}[aria-selected="true"][data-no="${picked.no}"]`).waitFor();
    await chief().locator(tid('dispatch-assign')).click();
    await expect.poll(() => row(picked.no).locator('.who').innerText(), { timeout: 10_000 }).toBe('林师傅');

    await find(dragged.no);
    await row(dragged.no).dragTo(chief());
    await expect.poll(() => row(dragged.no).locator('.who').innerText(), { timeout: 10_000 }).toBe('林师傅');
    await expect.poll(chiefLoad, { timeout: 10_000 }).toBe(before + 2);
    await shot(page, 'dispatch-dragged');

    const after = await listRows('state=dispatched&assignee=lin.chief&limit=500');
    expect(after.map((r) => r.no)).toEqual(expect.arrayContaining([picked.no, dragged.no]));
    await find(picked.no);
    expect(await row(picked.no).locator('.who').innerText()).toBe('林师傅');
    await shot(page, 'dispatch-picked');
  });

  it('says in Chinese why a ticket in progress cannot be dispatched, and leaves it as it was', async () => {
    const busy = (await listRows('state=in_progress&limit=50')).find((r) => r.assignee !== 'lin.chief');
    expect(busy).toBeDefined();
    await find(busy!.no);
    const who = await row(busy!.no).locator('.who').innerText();
    await row(busy!.no).dragTo(chief());
    await page.locator('.n-message', { hasText: `${busy!.no} 未能派给 林师傅：工单处于“处理中”，不能派单` }).waitFor();
    expect(await row(busy!.no).locator('.who').innerText()).toBe(who);
    await shot(page, 'dispatch-refused');
  });

  it('shows no dispatch panel and no draggable rows to a technician', async () => {
    await signOut(page);
    await signIn(page, 'lin.chief');
    await page.locator(tid('workbench-row')).first().waitFor();
    expect(await page.locator(tid('dispatch-panel')).count()).toBe(0);
    expect(await page.locator(`${tid('workbench-row')}[draggable="true"]`).count()).toBe(0);
  });
});
