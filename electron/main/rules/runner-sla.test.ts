import { afterEach, describe, expect, it } from 'vitest';
import type { RuleBannerList } from '../../contract/ipc';
import { BEARING_FORM, PLAIN_FORM, openTestSeat, type TestSeat } from './test-seat';

let seat: TestSeat;
afterEach(async () => {
  await seat.close();
});

const MIN = 60_000;
const colors = (list: RuleBannerList, id: string) => list.banners.filter((b) => b.ticketId === id).map((b) => `${b.rule}:${b.color}`);

describe('SLA clocks on the seat', () => {
  it('raises the yellow, then the red banner when the injected clock passes 10 and 15 minutes unaccepted', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: PLAIN_FORM }, await seat.as('wang.fang'));
    expect(seat.node.rules!.scheduler.size).toBe(2);
    expect((await seat.call('rules.banners', {})).total).toBe(0);

    seat.setClock(10 * MIN);
    await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).join() === 'accept-10m:yellow');
    seat.setClock(5 * MIN);
    const red = await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).includes('accept-15m:red'));
    expect(red.banners[0]).toMatchObject({ ticketId: ticket.id, no: ticket.no, rule: 'accept-15m', label: '待受理超过 15 分钟', level: 'breach', color: 'red', dueAt: '2026-03-03T10:15:00+08:00', state: 'pending_acceptance' });
    const notice = await seat.waitFor('rules.notify', (n) => n.rule === 'accept-15m');
    expect(notice).toMatchObject({ ticketId: ticket.id, to: ['li.na', 'wang.fang'], id: 'accept-15m@v1/deadline/2026-03-03T02:00:00.000Z', body: '待受理超过 15 分钟，已超时（accept-15m）' });
    await seat.node.rules!.idle();
    const stored = (await seat.call('tickets.get', { id: ticket.id })).ticket;
    expect(Object.keys(stored.firings)).toContain('accept-15m@v1/deadline/2026-03-03T02:00:00.000Z');
    const why = await seat.call('tickets.explain', { id: ticket.id });
    expect(why.firings.filter((f) => f.label !== undefined).map((f) => [f.rule, f.label])).toEqual([['accept-10m', '待受理超过 10 分钟'], ['accept-15m', '待受理超过 15 分钟']]);
    expect(seat.node.rules!.scheduler.size).toBe(0);
  });

  it('drops the banner once the ticket is dispatched, and starts the dispatch clock', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: PLAIN_FORM }, await seat.as('wang.fang'));
    seat.setClock(16 * MIN);
    await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).includes('accept-15m:red'));
    await seat.node.rules!.idle();
    await seat.call('tickets.transition', { id: ticket.id, action: 'dispatch', input: { assignee: 'zhao.tech' } }, await seat.as('zhang.wei'));
    await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).length === 0);
    expect(seat.node.rules!.scheduler.peek()).toMatchObject({ ticket: ticket.id, rule: 'dispatch-30m', dueAt: Date.parse('2026-03-03T10:46:00+08:00') });
  });

  it('stops the clock while the ticket waits for information, and resumes it after', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const agent = await seat.as('wang.fang');
    const { ticket } = await seat.call('tickets.create', { form: PLAIN_FORM }, agent);
    seat.setClock(5 * MIN);
    await seat.call('tickets.transition', { id: ticket.id, action: 'return_for_info', input: { reason: '请补充设备编号照片', missing: ['device'] } }, agent);
    expect(seat.node.rules!.scheduler.size).toBe(0);
    const why = await seat.call('tickets.explain', { id: ticket.id });
    expect(why.deadlines.map((d) => [d.rule, d.dueAt, d.paused])).toEqual([['accept-10m', null, true], ['accept-15m', null, true]]);
    expect(why.deadlines.map((d) => d.label)).toEqual(['待受理超过 10 分钟', '待受理超过 15 分钟']);

    seat.setClock(60 * MIN);
    await new Promise((r) => setTimeout(r, 100));
    await seat.node.rules!.idle();
    expect((await seat.call('rules.banners', {})).total).toBe(0);

    await seat.call('tickets.transition', { id: ticket.id, action: 'supply_info', input: { form: { device: 'AC-12B' } } }, agent);
    expect(seat.node.rules!.scheduler.peek()).toMatchObject({ rule: 'accept-10m', dueAt: Date.parse('2026-03-03T11:10:00+08:00') });
    seat.setClock(6 * MIN); // 11:11: 10 minutes of clock, not counting the hour it waited
    await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).join() === 'accept-10m:yellow');
  });

  it('escalates a dispatched ticket to the area supervisor by SMS once, whichever evaluation sees it first', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    seat.setClock(31 * MIN);
    await seat.waitFor('tickets.changed', (e) => e.ids.includes(ticket.id));
    await seat.node.rules!.idle();
    await seat.call('tickets.comment', { id: ticket.id, text: '已电话催促' }, await seat.as('zhang.wei'));
    const t = (await seat.call('tickets.get', { id: ticket.id })).ticket;
    expect(Object.keys(t.outbox).filter((k) => k.includes('dispatch-30m'))).toEqual([
      'dispatch-30m@v1/deadline/2026-03-03T15:10:00.000Z/notify/sms/zhou.sup',
    ]);
  });

  it('keeps banners over a restart without re-firing, judged from rows', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: PLAIN_FORM }, await seat.as('wang.fang'));
    seat.setClock(20 * MIN);
    await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).includes('accept-15m:red'));
    await seat.node.rules!.idle();
    const pending = seat.node.store.pendingCount();
    await seat.reopen();
    const after = await seat.waitFor('rules.banners', (l) => colors(l, ticket.id).includes('accept-15m:red'));
    expect(after.banners.find((b) => b.rule === 'accept-15m')?.label).toBe('待受理超过 15 分钟');
    await seat.node.rules!.idle();
    expect(seat.node.store.pendingCount()).toBe(pending);
    expect(seat.node.store.liveDocs()).toBe(0);
  });
});
