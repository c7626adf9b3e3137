import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shot, signIn, signOut, tid } from './console-driver';
import { DAY, SEAT, seedSeat, ticketAt } from './detail-seed';
import { SHOTS, checkPrerequisites, freePort, launchChromium, shotOnFailure, startHost, tearDown, type RunningHost } from './harness';

/**
 * Intake step by step: the fault type first, then the questions it opens, then the caller and the
 * place; the checklist keeps submit disabled and names what is missing (the server IP for 系统);
 * the caller's and the unit's tickets of the last half year show while the phone and location are
 * typed. Then an admin publishes version 2 of the form (备注 off, a required dropdown added) and
 * intake asks for the new dropdown.
 */
describe('intake and form management, end to end', () => {
  let dataDir = '';
  let host: RunningHost | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const now = Date.now();
  const recent = ticketAt(now - 30 * DAY, { title: '财务服务器登录缓慢', requester_phone: '13800138000', device: 'SRV-01', location: '3号楼/2单元/0801' });
  const neighbour = ticketAt(now - 60 * DAY, { title: '楼道灯不亮', fault_type: '硬件', server_ip: undefined, faulty_part: '灯管', requester_phone: '13911112222', device: 'LAMP-3', location: '3号楼/2单元/0302' });
  const tooOld = ticketAt(now - 300 * DAY, { title: '去年的报修', requester_phone: '13800138000', device: 'SRV-01' });

  const field = (key: string) => page.locator(tid(`field-${key}`));
  const fill = (key: string, text: string) => field(key).fill(text);
  const choose = (key: string, value: string) => page.locator(tid(`field-${key}-${value}`)).click();
  const step = () => page.locator(tid('intake-steps')).getAttribute('data-step');
  const missing = () => page.locator(tid('missing-fields')).innerText();

  beforeAll(async () => {
    checkPrerequisites();
    dataDir = mkdtempSync(join(tmpdir(), 'closeloop-e2e-intake-'));
    await seedSeat(dataDir, [tooOld, neighbour, recent]);
    host = await startHost(dataDir, await freePort(), 120_000, ['--demo', '0', '--seat', SEAT]);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(host.url);
    await page.locator(tid('sign-in-wang.fang')).waitFor({ timeout: 60_000 });
    await signIn(page, 'wang.fang');
  }, 180_000);

  afterEach(({ task }) => shotOnFailure(page, 'intake-', task));
  afterAll(() => tearDown(browser, host, dataDir));

  it('asks for the fault type first, then opens its group; submit waits for the server IP', async () => {
    await page.goto(`${host!.url}#/tickets/new`);
    await page.locator(tid('intake-form')).waitFor();
    expect(await step()).toBe('1');
    expect(await page.locator(tid('field-server_ip')).count()).toBe(0);
    await shot(page, 'intake-01-fault-type-first');

    await choose('fault_type', '系统');
    await field('server_ip').waitFor();
    expect(await step()).toBe('2');
    await fill('title', '财务服务器无法登录');
    await fill('requester_name', '刘先生');
    await fill('requester_phone', '13800138000');
    await fill('location', '3号楼/2单元/1502');
    await fill('device', 'SRV-01');
    await choose('area', '公共区域');
    await fill('description', '登录财务系统时提示数据库连接失败，全部门无法开票。');
    await choose('urgency', '2小时内');
    await choose('owner_cooperation', '否');

    const submit = page.locator(tid('submit-ticket'));
    await expect.poll(() => submit.isDisabled()).toBe(true);
    await expect.poll(missing).toBe('请补充服务器IP以便远程诊断');
    expect(await step()).toBe('2');
    await expect.poll(() => page.locator(tid('missing-count')).innerText()).toBe('还缺 1 项');

    // The caller's and the unit's tickets of the last half year (not last year's).
    const related = page.locator(`${tid('intake-related')} ${tid('intake-related-row')}`);
    await expect.poll(() => related.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.no))).toEqual([recent.no, neighbour.no]);
    expect(await related.first().innerText()).toContain('同一来电');
    expect(await related.first().innerText()).toContain('同一设备');
    expect(await related.nth(1).innerText()).toContain('同一单元');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'intake-02-missing-server-ip');

    await fill('server_ip', '10.0.8');
    await expect.poll(missing).toContain('IP 地址格式不正确');
    await fill('server_ip', '10.0.8.21');
    await expect.poll(() => submit.isDisabled()).toBe(false);
    expect(await step()).toBe('4');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'intake-03-complete');
    await submit.click();
    await page.locator(tid('ticket-no')).waitFor();
    await expect.poll(() => page.locator(tid('answer-server_ip')).innerText()).toBe('10.0.8.21');
    const device = page.locator(`${tid('device-related')} ${tid('device-related-row')}`);
    await expect.poll(() => device.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.no))).toEqual([recent.no, tooOld.no]);
    await page.screenshot({ path: join(SHOTS, 'intake-04-created.png'), fullPage: true });
  }, 120_000);

  it('an admin disables 备注 and adds a required dropdown as version 2; intake then asks for it', async () => {
    await signOut(page);
    await signIn(page, 'admin');
    await page.goto(`${host!.url}#/forms`);
    await page.locator(tid('form-admin')).waitFor();
    await expect.poll(() => page.locator(tid('form-current')).innerText()).toContain('第 1 版');
    await page.locator(tid('form-enable-remark')).click();
    await expect.poll(() => page.locator(tid('form-field-remark')).getAttribute('data-disabled')).toBe('true');

    await page.locator(tid('form-add-label')).fill('是否夜间报修');
    await page.locator(tid('form-add-key')).fill('night call');
    await page.locator(tid('form-add-submit')).click();
    await expect.poll(() => page.locator(tid('form-add-problem')).innerText()).toContain('字段键须以小写字母开头');
    await page.locator(tid('form-add-key')).fill('night_call');
    for (const option of ['是', '否']) {
      await page.locator(`${tid('form-add-options')} button`).last().click();
      await page.keyboard.type(option);
      await page.keyboard.press('Enter');
    }
    await page.locator(tid('form-add-submit')).click();
    await page.locator(tid('form-field-night_call')).waitFor();
    await expect.poll(() => page.locator(tid('form-changes')).innerText()).toBe('停用 备注\n新增 是否夜间报修（必填）');
    await page.locator(tid('form-note')).fill('停用备注，增加夜间报修');
    await page.locator(tid('form-publish')).click();
    await expect.poll(() => page.locator(tid('form-current')).innerText()).toContain('第 2 版');
    await expect.poll(() => page.locator(tid('form-version')).count()).toBe(2);
    await shot(page, 'intake-05-form-admin-v2');

    await signOut(page);
    await signIn(page, 'wang.fang');
    await page.goto(`${host!.url}#/tickets/new`);
    await expect.poll(() => page.locator(tid('intake-template')).innerText()).toContain('第 2 版');
    expect(await page.locator(tid('field-remark-item')).count()).toBe(0);
    await page.locator(tid('field-night_call-item')).waitFor();
    await choose('fault_type', '网络');
    await expect.poll(missing).toContain('请填写是否夜间报修');
    await expect.poll(missing).toContain('请说明能否ping通网关');
    expect((await missing()).split('\n').slice(0, 2)).toEqual(['请说明能否ping通网关', '请填写标题']); // in the order of the steps
    await page.locator(tid('field-night_call-item')).scrollIntoViewIfNeeded();
    await shot(page, 'intake-06-form-v2');

    // A ticket of version 2 keeps its version and shows the new answer under its label.
    await choose('ping_gateway', '不能');
    await fill('title', '3号楼监控断网');
    await fill('requester_name', '保安室');
    await fill('requester_phone', '13700001111');
    await fill('location', '3号楼/1单元/0101');
    await choose('area', '公共区域');
    await fill('description', '监控画面全部断开，交换机指示灯不亮。');
    await choose('urgency', '立即处理');
    await choose('owner_cooperation', '否');
    await choose('night_call', '是');
    const submit = page.locator(tid('submit-ticket'));
    await expect.poll(() => submit.isDisabled()).toBe(false);
    await submit.click();
    await page.locator(tid('ticket-no')).waitFor();
    await expect.poll(() => page.locator(tid('answer-night_call')).innerText()).toBe('是');
    expect(await page.locator(tid('ticket-form')).innerText()).toContain('是否夜间报修');
  }, 120_000);
});
