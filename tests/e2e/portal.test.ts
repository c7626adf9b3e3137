import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import decodeQR from '@paulmillr/qr/decode.js';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../electron/contract/ipc';
import { createLocalNode, type LocalNode } from '../../electron/main/node';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { waitFor } from '../sync/helpers/seat';
import { shot, tid } from './console-driver';
import { checkPrerequisites, launchChromium, shotOnFailure } from './harness';

/**
 * The requester portal on a phone (390×844): an admin prints the QR sheet, the requester scans
 * the pump's code, reports with a photo and gets the number and a private link; the ticket reaches
 * the dispatcher's seat through the feed, the technician resolves it on his seat, and the
 * requester verifies on the portal: the ticket is closed everywhere. Guessed links get nothing.
 */
const FAST = { backoff: { baseMs: 50, maxMs: 400 }, antiEntropyMs: 0 };

describe('the requester portal on a phone', () => {
  let server: ServerProcess;
  let browser: Browser | null = null;
  let page: Page;
  const dirs: string[] = [];
  const nodes: LocalNode[] = [];
  const seat = async (code: string, user: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-portal-'));
    dirs.push(dataDir);
    const node = await createLocalNode({ dataDir, seat: code, rules: false, log: () => undefined, sync: { server: server.url, client: FAST } });
    nodes.push(node);
    const ctx: CallContext = { session: null };
    ctx.session = await node.handlers['session.signIn']({ userId: user, password: 'demo1234' }, ctx);
    return { node, ctx };
  };

  beforeAll(async () => {
    checkPrerequisites();
    server = await startServer({ demo: 1 });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, 180_000);
  afterEach(({ task }) => shotOnFailure(page, 'portal-', task));
  afterAll(async () => {
    await browser?.close();
    for (const n of nodes) await n.close();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('scan → report with photo → seat → technician resolves → 仍有问题 → resolves again → requester verifies → closed', async () => {
    // The admin's printable sheet; its first code is what the requester scans.
    const login = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: 'demo1234', device: 'admin-pc' }) });
    const { token } = (await login.json()) as { token: string };
    const sheetUrl = `${server.url}/portal/sheet?site=mx-plant&place=${encodeURIComponent('PUMP-07@3号楼/泵房')}`;
    expect((await fetch(sheetUrl)).status).toBe(401);
    const sheet = await (await fetch(sheetUrl, { headers: { authorization: `Bearer ${token}` } })).text();
    const svg = /<svg[\s\S]*?<\/svg>/.exec(sheet)![0];
    const { data, info } = await sharp(Buffer.from(svg)).resize(400, 400, { kernel: 'nearest' }).flatten({ background: '#fff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const scanned = decodeQR({ width: info.width, height: info.height, data: new Uint8Array(data) });
    expect(scanned).toBe(`${server.url}/portal/r?site=mx-plant&device=PUMP-07&location=${encodeURIComponent('3号楼/泵房').replace(/%2F/g, '%2F')}`);

    const dispatcher = await seat('AA', 'zhang.wei');
    const tech = await seat('AB', 'lin.chief');

    await page.goto(scanned);
    await page.locator(tid('portal-report')).waitFor();
    expect(await page.locator(tid('portal-device')).inputValue()).toBe('PUMP-07');
    // The site's form decides what is required: an empty report says what is missing.
    await page.locator(tid('portal-submit')).click();
    await page.locator('#error').getByText('请填写').waitFor();
    await page.locator(tid('portal-title')).fill('循环泵漏水');
    await page.locator(tid('portal-requester_name')).fill('刘师傅');
    await page.locator(tid('portal-requester_phone')).fill('13800138000');
    await page.locator(tid('portal-area')).selectOption('公共区域');
    await page.locator(tid('portal-fault_type')).selectOption('硬件');
    await page.locator(tid('portal-faulty_part')).fill('机械密封');
    await page.locator(tid('portal-description')).fill('泵体下方有积水，持续滴漏。');
    await page.locator(tid('portal-urgency')).selectOption('2小时内');
    await page.locator(tid('portal-owner_cooperation')).selectOption('否');
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#357' } }).jpeg().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1' } }).toBuffer();
    await page.locator(tid('portal-photos')).setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('[data-thumbs] img').waitFor();
    await shot(page, 'portal-01-report');
    await page.locator(tid('portal-submit')).click();
    await page.locator(tid('portal-no')).waitFor();
    const no = await page.locator(tid('portal-no')).innerText();
    const followUrl = page.url();
    expect(await page.locator(tid('portal-state')).innerText()).toBe('待受理');
    await page.locator(`${tid('portal-thumbs')} img`).waitFor();
    // One more photo through the private link.
    const more = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#a53' } }).jpeg().toBuffer();
    await page.locator(tid('portal-more')).setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: more });
    await page.locator(`${tid('portal-thumbs')} img`).nth(1).waitFor();
    await shot(page, 'portal-02-followed');

    // On the dispatcher's seat through the feed, with the photo's reference.
    await waitFor(() => dispatcher.node.store.rows().some((r) => r.no === no), 20_000, 'the portal ticket on a seat');
    const id = dispatcher.node.store.rows().find((r) => r.no === no)!.id;
    const onSeat = await dispatcher.node.store.read(id);
    expect(onSeat?.audit[0]).toMatchObject({ by: 'requester', kind: 'requester', action: 'create' });
    expect(onSeat?.device).toBe('PUMP-07');
    await waitFor(async () => ((await dispatcher.node.store.read(id))?.attachments.length ?? 0) === 2, 20_000, 'both photos on the seat');
    const ref = onSeat!.attachments[0]!;
    const got = await dispatcher.node.handlers['attachments.get']({ hash: ref.hash }, dispatcher.ctx);
    expect((await sharp(Buffer.from(got.dataBase64, 'base64')).metadata()).exif).toBeUndefined();

    await dispatcher.node.handlers['tickets.transition']({ id, action: 'dispatch', input: { assignee: 'lin.chief' } }, dispatcher.ctx);
    await waitFor(async () => (await tech.node.store.read(id))?.state === 'dispatched', 20_000, 'the dispatch on the technician’s seat');
    const act = (action: 'accept' | 'first_response' | 'arrive' | 'resolve', note?: string) =>
      tech.node.handlers['tickets.transition']({ id, action, input: note ? { note } : {} }, tech.ctx);
    await act('accept');
    await act('first_response', '已电话联系，马上到场');
    await act('arrive');
    await act('resolve', '更换机械密封，试运行无渗漏');
    await waitFor(async () => {
      await page.goto(followUrl);
      return (await page.locator(tid('portal-state')).innerText()) === '待验收';
    }, 20_000, 'the portal showing 待验收');
    await shot(page, 'portal-03-waiting-verification');
    // 仍有问题: back to the technician, who fixes it again.
    await page.locator(tid('portal-reason')).fill('仍有少量渗水');
    await page.locator(tid('portal-reject')).click();
    await page.locator(tid('portal-state')).getByText('处理中').waitFor();
    await waitFor(async () => (await tech.node.store.read(id))?.state === 'in_progress', 20_000, 'the rejection on the technician’s seat');
    await act('resolve', '重新紧固法兰，观察 30 分钟无渗水');
    await waitFor(async () => {
      await page.goto(followUrl);
      return (await page.locator(tid('portal-state')).innerText()) === '待验收';
    }, 20_000, 'the portal showing 待验收 again');
    await page.locator(tid('portal-accept')).click();
    await page.locator(tid('portal-state')).getByText('已关闭').waitFor();
    const timeline = await page.locator(tid('portal-timeline')).innerText();
    expect(timeline).toContain('仍有问题（报修人）：仍有少量渗水');
    expect(timeline).toContain('验收通过（报修人）');
    await shot(page, 'portal-04-closed');
    await waitFor(async () => (await tech.node.store.read(id))?.state === 'closed', 20_000, 'closed on the technician’s seat');

    // A guessed link gets the same answer as a wrong one, and nothing else.
    const [tid0] = new URL(followUrl).pathname.split('/').slice(-1)[0]!.split('.');
    for (const guess of [`${tid0}.${'A'.repeat(32)}`, 'x', `${tid0}`]) expect((await fetch(`${server.url}/portal/f/${guess}`)).status).toBe(404);
  }, 150_000);
});
