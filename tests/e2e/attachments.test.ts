import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, tid } from './console-driver';
import { DAY, SEAT, seedSeat, ticketAt } from './detail-seed';
import { checkPrerequisites, freePort, launchChromium, shotOnFailure, startHost, tearDown, type RunningHost } from './harness';

/**
 * Attachments in the console (browser host, so files go through the 1 MB WebSocket in chunks):
 * a photo added on the detail page shows as a thumbnail in the gallery; a .jpg that is not a
 * photo is refused with the node's message; intake's attachments field stages a screenshot.
 */
describe('attachments in the console, end to end', () => {
  let dataDir = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const ticket = ticketAt(Date.now() - DAY, { title: '冷却泵异响' });

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-att-'));
    await seedSeat(dataDir, [ticket]);
    host = await startHost(dataDir, await freePort(), 120_000, ['--demo', '0', '--seat', SEAT]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(host.url);
    await page.locator(tid('sign-in-wang.fang')).waitFor({ timeout: 60_000 });
    await signIn(page, 'wang.fang');
  }, 180_000);

  afterEach(({ task }) => shotOnFailure(page, 'attachments-', task));
  afterAll(() => tearDown(browser, host, dataDir));

  it('adds a 1.5 MB photo on the detail page and shows its thumbnail; refuses a fake .jpg', async () => {
    await page.goto(`${host!.url}#/tickets/${ticket.id}`);
    const gallery = page.locator(tid('attachment-gallery'));
    await gallery.waitFor();
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#4a6', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg({ quality: 95 }).toBuffer();
    expect(photo.length).toBeGreaterThan(1_000_000);
    await page.locator(tid('attachment-add-input')).setInputFiles({ name: '泵体.jpg', mimeType: 'image/jpeg', buffer: photo });
    await gallery.locator(tid('attachment-thumb')).waitFor();
    expect(await gallery.innerText()).toContain('泵体.jpg');
    await gallery.scrollIntoViewIfNeeded();
    await shot(page, 'attachments-01-detail-gallery');

    await page.locator(tid('attachment-add-input')).setInputFiles({ name: '假照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ this is not a photo') });
    await page.getByText('不是有效的图片').first().waitFor();
    expect(await gallery.locator(tid('attachment-thumb')).count()).toBe(1);
  });

  it('stages a screenshot in intake’s attachments field', async () => {
    await page.goto(`${host!.url}#/tickets/new`);
    await page.locator(tid('intake-form')).waitFor();
    const png = await sharp({ create: { width: 900, height: 500, channels: 3, background: '#fff' } }).png().toBuffer();
    await page.locator(tid('field-attachments-drop-input')).setInputFiles({ name: '报错截图.png', mimeType: 'image/png', buffer: png });
    await page.locator(tid('field-attachments')).locator(tid('attachment-thumb')).waitFor();
    await shot(page, 'attachments-02-intake-staged');
  });
});
