import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../domain';
import { computeMetrics, stuckTickets } from '../../domain/metrics';
import { shot, signIn, signOut, tid } from './console-driver';
import { exported, hostRows, percentText, seedConfig, simulateSync, text } from './dashboard-driver';
import { checkPrerequisites, freePort, launchChromium, shotOnFailure, startHost, tearDown, type RunningHost } from './harness';

/**
 * The supervisor view end to end: a host with 2,000 demo tickets on a fixed clock, a supervisor in
 * Chromium at 1366×768. The cards must show what domain/metrics computes from the same rows (read
 * over REST); a stage leads to the stuck list, a ticket to its page; tables export as CSV and
 * Excel. This host runs alone (no --server), so the view says the seat has never synced. The real
 * online and "offline, as of last sync" states, against the sync server, are proven in
 * dashboard-sync.test.ts; the "simulated" tests here rewrite the node's sync state on the wire to
 * pin the marker's wording for each state (and its English, dark-mode look) on this fixed clock.
 */
const NOW = '2026-03-10T15:00:00+08:00';
const WEEK = { from: '2026-03-04', to: '2026-03-10' }; // the default period: the last 7 days

describe('supervisor dashboard end to end', () => {
  let dataDir = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let context: BrowserContext;
  let page: Page;
  let startedAt = 0;
  const nodeNow = () => Date.parse(NOW) + (Date.now() - startedAt);

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-dash-'));
    startedAt = Date.now();
    host = await startHost(dataDir, await freePort(), 240_000, ['--demo', '2000', '--now', NOW]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, 300_000);

  afterEach(({ task }) => shotOnFailure(page, 'dash-', task));

  afterAll(() => tearDown(browser, host, dataDir));

  it('shows a supervisor the cards domain/metrics computes from the same rows, marked offline (never synced)', async () => {
    await page.goto(host!.url);
    await page.locator(tid('sign-in')).waitFor();
    await signIn(page, 'zhou.sup');
    await page.locator(tid('nav-dashboard')).click();
    await page.locator(tid('card-created-value')).waitFor();
    await page.locator(`${tid('trend-chart')} canvas`).first().waitFor();

    const expected = computeMetrics(await hostRows(host!.url, dataDir), WEEK, nodeNow(), seedConfig());
    expect(await text(page, 'period-range')).toContain(`${WEEK.from} 至 ${WEEK.to}`);
    expect(expected.created).toBeGreaterThan(100);
    expect(await text(page, 'card-created-value')).toBe(String(expected.created));
    expect(await text(page, 'card-first-pass-value')).toBe(percentText(expected.firstPassRate));
    expect(await text(page, 'card-close-value')).toBe(`${expected.avgCloseHours!.toFixed(1)} 小时`);
    const top = expected.topRepeatDevices[0]!;
    expect(await text(page, 'card-devices-value')).toBe(top.device);
    expect(await page.locator(`${tid('card-devices')} .sub`).innerText()).toContain(`本期报修 ${top.count} 次`);
    // Routing rules keep working on the seat: allow a ticket or two to be dispatched in between.
    const fr = parseFloat(await text(page, 'card-fr2h-value'));
    expect(Math.abs(fr - expected.firstResponse2hRate! * 100)).toBeLessThan(0.5);
    for (const s of STAGES) expect(Number(await text(page, `bp-late-${s}`))).toBeGreaterThanOrEqual(0);
    expect(Number(await text(page, 'bp-late-created_assigned'))).toBeGreaterThan(0);

    const marker = page.locator(tid('freshness-marker'));
    expect(await marker.getAttribute('data-state')).toBe('offline');
    expect(await marker.innerText()).toContain('本席位尚未同步');
    await shot(page, 'dash-01-dashboard-offline-never-synced');
    await page.screenshot({ path: join('test-results/e2e', 'dash-02-dashboard-offline-full-page.png'), fullPage: true });
  });

  it('shows trends over 90 days and drills into a building and a device', async () => {
    await page.locator(tid('trend-days-90')).click();
    await page.locator(tid('trend-mode-breakpoints')).click();
    await page.locator(`${tid('buildings')} a.link`).first().click();
    await page.locator(tid('drill-row')).first().waitFor();
    expect(await page.locator(tid('drill-row')).count()).toBeGreaterThan(0);
    await shot(page, 'dash-03-drill-building');
    await page.keyboard.press('Escape');
    await page.locator(tid('drill')).waitFor({ state: 'detached' });
    await page.locator(tid('card-devices')).click();
    await page.locator(tid('drill-row')).first().waitFor();
    await page.keyboard.press('Escape');
    await page.locator(tid('drill')).waitFor({ state: 'detached' });
  });

  it('leads from a stage to the tickets stuck in it, filters them, exports them and opens one', async () => {
    const atStage = Number(await text(page, 'bp-now-created_assigned'));
    await page.locator(tid('bp-stage-created_assigned')).click();
    await page.locator(tid('stuck-row')).first().waitFor();
    expect(new URL(page.url()).hash).toContain('stage=created_assigned');
    const stages = await page.locator(tid('stuck-row')).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.stage));
    expect(new Set(stages)).toEqual(new Set(['created_assigned']));
    const total = Number(/共 (\d+) 张/.exec(await text(page, 'stuck-total'))?.[1]);
    expect(Math.abs(total - atStage)).toBeLessThanOrEqual(2);
    const expected = stuckTickets(await hostRows(host!.url, dataDir), nodeNow(), seedConfig(), { stage: 'created_assigned' });
    expect(Math.abs(total - expected.total)).toBeLessThanOrEqual(2);
    expect(await page.locator(tid('freshness-marker')).innerText()).toContain('离线');
    await shot(page, 'dash-04-stuck-created-assigned-offline');

    const csv = await exported(page, 'export-csv-stuck');
    expect(csv.name).toMatch(/^卡点-2026-03-10\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^工单号,标题,当前阶段/);
    const xlsx = await exported(page, 'export-xlsx-stuck');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes.buffer.slice(xlsx.bytes.byteOffset, xlsx.bytes.byteOffset + xlsx.bytes.byteLength) as ArrayBuffer);
    expect(book.getWorksheet('卡点')?.rowCount).toBe(lines.length);

    await page.locator(tid('stuck-filter-area')).click();
    await page.locator('.n-base-select-option', { hasText: 'east' }).click();
    await page.waitForFunction(() => /area=east/.test(location.hash));
    await page.locator(tid('stuck-row')).first().waitFor();
    const areas = await page.locator(tid('stuck-row')).evaluateAll((rows) => rows.map((r) => r.children[6]?.textContent));
    expect(new Set(areas)).toEqual(new Set(['east']));
    await shot(page, 'dash-05-stuck-filtered-east');

    const first = page.locator(tid('stuck-row')).first();
    const no = (await first.getAttribute('data-no'))!;
    await first.click();
    await page.locator(tid('ticket-no')).filter({ hasText: no }).waitFor();
  });

  it('goes straight to a ticket whose number is typed into the header', async () => {
    const [row] = await hostRows(host!.url, dataDir);
    await page.locator(tid('nav-stuck')).click();
    await page.locator(tid('stuck-row')).first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type(row!.no.toLowerCase());
    await page.keyboard.press('Enter');
    await page.locator(tid('ticket-no')).filter({ hasText: row!.no }).waitFor();
  });

  it('keeps the dashboard from non-supervisors', async () => {
    await page.locator(tid('sign-out')).click();
    await signIn(page, 'wang.fang');
    expect(await page.locator(tid('nav-dashboard')).count()).toBe(0);
    await page.goto(`${host!.url}#/dashboard`);
    await page.locator(tid('ticket-table')).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#\/tickets/);
    await signOut(page); // the seat keeps no default user for the next console
  });

  for (const [name, state] of [
    ['online-simulated', { online: true, lastSyncAt: '2026-03-10T06:58:00.000Z' }],
    ['offline-after-sync-simulated', { online: false, lastSyncAt: '2026-03-10T06:32:00.000Z' }],
  ] as const) {
    it(`shows the ${name} marker (the node's sync state rewritten on the wire)`, async () => {
      const other = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      const p = await other.newPage();
      await simulateSync(p, state);
      await p.goto(host!.url);
      // The seat remembers its last person (the previous test's supervisor) until someone signs out.
      await p.locator(`${tid('sign-in')}, ${tid('signed-in-user')}`).first().waitFor();
      if ((await p.locator(tid('sign-in')).count()) > 0) await signIn(p, 'zhou.sup');
      await p.locator(tid('nav-dashboard')).click();
      await p.locator(tid('card-created-value')).waitFor();
      await p.locator(`${tid('trend-chart')} canvas`).first().waitFor();
      const marker = await p.locator(tid('freshness-marker')).innerText();
      expect(marker).toContain(state.online ? '在线' : '数据截至上次同步 14:32');
      await shot(p, `dash-06-dashboard-${name}`);
      await p.locator(tid('to-stuck')).click();
      await p.locator(tid('stuck-row')).first().waitFor();
      await shot(p, `dash-07-stuck-${name}`);
      if (!state.online) {
        await p.locator(tid('toggle-locale')).click();
        await p.locator(tid('toggle-dark')).click();
        expect(await p.locator(tid('freshness-marker')).innerText()).toContain('as of last sync 14:32');
        await shot(p, 'dash-08-stuck-english-dark');
        await p.locator(tid('to-dashboard')).click();
        await p.locator(`${tid('trend-chart')} canvas`).first().waitFor();
        await p.waitForTimeout(300);
        await p.screenshot({ path: join('test-results/e2e', 'dash-09-dashboard-english-dark-full-page.png'), fullPage: true });
      }
      await other.close();
    }, 90_000);
  }
});
