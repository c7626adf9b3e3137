import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stuckTickets } from '../../domain/metrics';
import { clockTime } from '../../renderer/src/export/format';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { tid } from './console-driver';
import { cardDifferences, createTicket, hostRows, nodeStatus, seedConfig, settledShot, shownPeriod, signInWithPassword, text } from './dashboard-driver';
import { checkPrerequisites, freePort, killHost, launchChromium, shotOnFailure, startHost, type RunningHost } from './harness';

/**
 * The supervisor view on a seat that really syncs (issue 6): the sync server with a demo site, a
 * supervisor's seat and a dispatcher's seat, on the real clock. Online, the marker says so and the
 * cards are what domain/metrics computes from the seat's rows; a ticket made on the dispatcher's
 * seat reaches the supervisor's cards over sync without a reload; with the server gone, the marker
 * says "as of last sync HH:MM" with the node's own last sync, and the figures, the stuck view and
 * a ticket made on the seat meanwhile all keep working from local data — also after the seat
 * restarts with the server still away. Screenshots: test-results/e2e/dash-sync-*.png.
 */
const DEMO = 600; // ~3 days of the demo site: every card has figures (the previous 7 days, 上期, are empty)
const PASSWORD = 'demo1234';
const ZONE = 'Asia/Shanghai';

describe('supervisor dashboard on a syncing seat', () => {
  let server: ServerProcess;
  const dirs: string[] = [];
  const hosts: RunningHost[] = [];
  let browser: Browser | null = null;
  let sup: Page;
  let disp: Page;
  let supSeat: { host: RunningHost; dir: string };
  let dispSeat: { host: RunningHost; dir: string };
  const config = seedConfig();
  let lastSync = { at: '', shown: '' }; // the node's last sync before the server went away, and its HH:MM

  async function seat(code: string): Promise<{ host: RunningHost; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), `closeloop-e2e-dash-sync-${code}-`));
    dirs.push(dir);
    const host = await startHost(dir, await freePort(), 120_000, ['--seat', code, '--server', server.url]);
    hosts.push(host);
    return { host, dir };
  }
  /** The seat is online and has the whole demo site (the bootstrap is over). */
  async function caughtUp(page: Page): Promise<void> {
    await page.locator(`${tid('sync-status')}[data-online="yes"]`).waitFor({ timeout: 30_000 });
    await expect.poll(async () => {
      const s = await nodeStatus(page);
      return s.ticketCount >= DEMO && s.sync?.progress === null;
    }, { timeout: 60_000, interval: 250 }).toBe(true);
  }
  const cardsAgree = (page: Page, s: { host: RunningHost; dir: string }) =>
    expect.poll(() => cardDifferences(page, s.host.url, s.dir, config), { timeout: 20_000, interval: 500 }).toEqual({});
  const marker = (page: Page) => page.locator(tid('freshness-marker'));

  beforeAll(async () => {
    checkPrerequisites();
    server = await startServer({ demo: DEMO });
    [supSeat, dispSeat] = await Promise.all([seat('AA'), seat('AB')]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    sup = await context.newPage();
    disp = await context.newPage();
    sup.setDefaultTimeout(20_000);
    disp.setDefaultTimeout(20_000);
    await Promise.all([sup.goto(supSeat.host.url), disp.goto(dispSeat.host.url)]);
  }, 240_000);

  afterEach(async ({ task }) => {
    await shotOnFailure(sup, 'dash-sync-sup-', task);
    await shotOnFailure(disp, 'dash-sync-disp-', task);
  });

  afterAll(async () => {
    await browser?.close();
    for (const h of hosts) await killHost(h);
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('online: marks the figures online, and they are what domain/metrics computes from the seat’s rows', async () => {
    await signInWithPassword(sup, 'zhou.sup', PASSWORD);
    await signInWithPassword(disp, 'zhang.wei', PASSWORD);
    await Promise.all([caughtUp(sup), caughtUp(disp)]);

    await sup.locator(tid('nav-dashboard')).click();
    await sup.locator(tid('card-created-value')).waitFor();
    await sup.locator(`${tid('trend-chart')} canvas`).first().waitFor();
    await sup.locator(`${tid('freshness-marker')}[data-state="online"]`).waitFor();
    expect(await marker(sup).innerText()).toContain('在线');
    await cardsAgree(sup, supSeat);
    expect(Number(await text(sup, 'card-created-value'))).toBeGreaterThan(100);
    await settledShot(sup, 'dash-sync-01-dashboard-online');

    await sup.locator(tid('to-stuck')).click();
    await sup.locator(tid('stuck-row')).first().waitFor();
    await sup.locator(`${tid('freshness-marker')}[data-state="online"]`).waitFor();
    await expect.poll(async () => {
      const expected = stuckTickets(await hostRows(supSeat.host.url, supSeat.dir), Date.now(), config).total;
      return Number(/共 (\d+) 张/.exec(await text(sup, 'stuck-total'))?.[1]) - expected;
    }, { timeout: 20_000, interval: 500 }).toBe(0);
    await settledShot(sup, 'dash-sync-02-stuck-online');
    await sup.locator(tid('to-dashboard')).click();
    await sup.locator(`${tid('trend-chart')} canvas`).first().waitFor();
  }, 120_000);

  it('takes a ticket made on the dispatcher’s seat into the supervisor’s cards over sync, without a reload', async () => {
    await cardsAgree(sup, supSeat);
    const before = Number(await text(sup, 'card-created-value'));
    await sup.evaluate(() => ((window as unknown as { notReloaded?: boolean }).notReloaded = true));

    const made = await createTicket(dispSeat.host.url, dispSeat.dir, 'zhang.wei', `看板同步测试 ${Date.now()}`);
    await sup.waitForFunction((n) => document.querySelector('[data-testid="card-created-value"]')?.textContent?.trim() === String(n), before + 1, { timeout: 30_000 });
    expect((await hostRows(supSeat.host.url, supSeat.dir)).some((r) => r.no === made.no)).toBe(true);
    expect(await sup.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await cardsAgree(sup, supSeat);
    expect(await marker(sup).getAttribute('data-state')).toBe('online');
    await settledShot(sup, 'dash-sync-03-dashboard-after-remote-ticket');
  }, 90_000);

  it('offline: says "as of last sync" with the node’s last sync, and keeps figures, stuck view and local tickets', async () => {
    const created = Number(await text(sup, 'card-created-value'));
    const stoppedAt = Date.now();
    await server.stop();
    await sup.locator(`${tid('freshness-marker')}[data-state="offline"]`).waitFor({ timeout: 30_000 });
    await sup.locator(`${tid('sync-status')}[data-online="no"]`).waitFor();

    const status = await nodeStatus(sup);
    expect(status.online).toBe(false);
    const last = status.lastSyncAt!;
    expect(Date.parse(last)).toBeLessThanOrEqual(stoppedAt);
    expect(stoppedAt - Date.parse(last)).toBeLessThan(5 * 60_000); // the seat synced during this run, not at some default
    const asOf = clockTime(last, ZONE, (await shownPeriod(sup)).to); // HH:MM (with the date when not the node's today)
    expect(asOf).toMatch(/\d{2}:\d{2}$/);
    expect(await marker(sup).innerText()).toBe(`离线 · 数据截至上次同步 ${asOf}`);
    lastSync = { at: last, shown: asOf };
    expect(Number(await text(sup, 'card-created-value'))).toBe(created);
    await cardsAgree(sup, supSeat);
    await settledShot(sup, 'dash-sync-04-dashboard-offline');

    await sup.locator(tid('to-stuck')).click();
    await sup.locator(tid('stuck-row')).first().waitFor();
    expect(await marker(sup).innerText()).toBe(`离线 · 数据截至上次同步 ${asOf}`);
    const stuckBefore = Number(/共 (\d+) 张/.exec(await text(sup, 'stuck-total'))?.[1]);
    expect(stuckBefore).toBe(stuckTickets(await hostRows(supSeat.host.url, supSeat.dir), Date.now(), config).total);
    await settledShot(sup, 'dash-sync-05-stuck-offline');

    // A ticket made on this seat while the server is away counts at once: it is local data.
    const made = await createTicket(supSeat.host.url, supSeat.dir, 'zhou.sup', `离线看板测试 ${Date.now()}`);
    await sup.waitForFunction((n) => new RegExp(`共 ${n} 张`).test(document.querySelector('[data-testid="stuck-total"]')?.textContent ?? ''), stuckBefore + 1, { timeout: 15_000 });
    await sup.locator(tid('to-dashboard')).click();
    await sup.waitForFunction((n) => document.querySelector('[data-testid="card-created-value"]')?.textContent?.trim() === String(n), created + 1);
    await sup.locator(`${tid('trend-chart')} canvas`).first().waitFor();
    await cardsAgree(sup, supSeat);
    expect((await hostRows(supSeat.host.url, supSeat.dir)).some((r) => r.no === made.no)).toBe(true);
    expect(await marker(sup).innerText()).toBe(`离线 · 数据截至上次同步 ${asOf}`);
    await sup.locator(tid('sync-pending')).waitFor(); // the ticket waits for the server
    await settledShot(sup, 'dash-sync-06-dashboard-offline-local-ticket');
  }, 90_000);

  it('still says "as of last sync" with the same time after the seat restarts while the server is away', async () => {
    expect(lastSync.at).not.toBe('');
    const created = Number(await text(sup, 'card-created-value'));
    await killHost(supSeat.host); // no clean shutdown: what the seat knew of its last sync must already be on disk
    supSeat = { ...supSeat, host: await startHost(supSeat.dir, Number(new URL(supSeat.host.url).port), 120_000, ['--seat', 'AA', '--server', server.url]) };
    hosts.push(supSeat.host);
    await sup.goto(supSeat.host.url);
    await sup.locator(`${tid('sign-in')}, ${tid('signed-in-user')}`).first().waitFor();
    if ((await sup.locator(tid('sign-in')).count()) > 0) await signInWithPassword(sup, 'zhou.sup', PASSWORD); // checked on the seat

    expect((await nodeStatus(sup)).lastSyncAt).toBe(lastSync.at);
    await sup.locator(tid('nav-dashboard')).click();
    await sup.locator(`${tid('freshness-marker')}[data-state="offline"]`).waitFor();
    expect(await marker(sup).innerText()).toBe(`离线 · 数据截至上次同步 ${lastSync.shown}`);
    expect(Number(await text(sup, 'card-created-value'))).toBe(created);
    await cardsAgree(sup, supSeat);
    await sup.locator(`${tid('trend-chart')} canvas`).first().waitFor();
    await settledShot(sup, 'dash-sync-07-dashboard-offline-after-restart');
  }, 90_000);
});
