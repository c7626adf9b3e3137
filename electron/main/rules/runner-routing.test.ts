import { afterEach, describe, expect, it } from 'vitest';
import { BEARING_FORM, PLAIN_FORM, openTestSeat, type TestSeat } from './test-seat';

let seat: TestSeat;
afterEach(async () => {
  await seat.close();
});

const NIGHT_KEY = 'night-bearing@v1/created/2026-03-03T15:10:00.000Z';

describe('the seat runner on create', () => {
  it('routes a bearing ticket created at 23:10 straight to the night chief, as one automated change', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const agent = await seat.as('wang.fang');
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, agent);
    expect(ticket).toMatchObject({ state: 'dispatched', assignee: 'lin.chief', pool: '紧急-机械类', priority: 'P1' });
    expect(ticket.tags).toEqual(['夜间直派']);
    expect(ticket.milestones.assigned).toBe('2026-03-03T15:10:00.000Z');
    expect(ticket.audit.at(-1)).toMatchObject({ action: 'dispatch', kind: 'automation', by: 'rule:night-bearing', rule: 'night-bearing@v1' });
    expect(ticket.firings[NIGHT_KEY]).toMatchObject({ rule: 'night-bearing', version: 1, event: 'created', seat: 'AB' });
    expect(ticket.firings[NIGHT_KEY]?.summary).toContain('night-bearing: keyword 轴承 in description; 23:10 within 20:00–07:59 → 林师傅');
    expect(ticket.outbox).toEqual({
      [`${NIGHT_KEY}/notify/sms/lin.chief`]: expect.objectContaining({ rule: 'night-bearing', channel: 'sms', to: 'lin.chief', status: 'pending' }),
    });
    const history = await seat.call('tickets.history', { id: ticket.id });
    expect(history.map((h) => h.summary)).toEqual([`创建工单 ${ticket.no}`, '自动规则 night-bearing@v1：待受理 → 已派单，处理人：林师傅']);
    expect(history[1]).toMatchObject({ by: 'automation', seat: 'AB' });
    expect(seat.node.store.row(ticket.id)?.firings).toEqual([NIGHT_KEY]);
  });

  it('adds nothing when the same evaluation runs again', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    const pending = seat.node.store.pendingCount();
    const again = await seat.node.rules!.apply(ticket.id, [{ kind: 'created' }, { kind: 'updated' }, { kind: 'deadline' }], { announce: true });
    expect(again.plan?.changed).toBe(false);
    expect(again.ticket).toEqual(ticket);
    expect(seat.node.store.pendingCount()).toBe(pending);
    expect((await seat.call('tickets.history', { id: ticket.id })).length).toBe(2);
  });

  it('routes by day to the mechanical pool without skipping dispatch, and keeps what a dispatcher chose', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    expect(ticket).toMatchObject({ state: 'pending_acceptance', pool: '紧急-机械类', priority: 'P2' });
    expect(['lin.chief', 'chen.tech']).toContain(ticket.assignee);
    expect(Object.keys(ticket.firings).sort()).toEqual([
      'day-mechanical@v1/created/2026-03-03T02:00:00.000Z', 'default-pool@v1/created/2026-03-03T02:00:00.000Z', 'urgent-now@v1/created/2026-03-03T02:00:00.000Z',
    ]);
    seat.now += 60_000;
    const done = await seat.call('tickets.transition', { id: ticket.id, action: 'dispatch', input: { assignee: 'zhao.tech' } }, await seat.as('zhang.wei'));
    expect(done.ticket).toMatchObject({ state: 'dispatched', assignee: 'zhao.tech', pool: '紧急-机械类' });
  });

  it('does not route a declined ticket back to who declined it: the dispatcher decides', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    seat.now += 60_000;
    const declined = await seat.call('tickets.transition', { id: ticket.id, action: 'decline', input: { reason: '不在厂区' } }, await seat.as('lin.chief'));
    expect(declined.ticket).toMatchObject({ state: 'pending_acceptance', assignee: null });
    seat.now += 60_000;
    const after = await seat.call('tickets.comment', { id: ticket.id, text: '请调度改派' }, await seat.as('wang.fang'));
    expect(after.ticket).toMatchObject({ state: 'pending_acceptance', assignee: null });
    expect(Object.keys(after.ticket.firings)).toEqual([NIGHT_KEY]);
  });

  it('runs the repeat-device automation on the third ticket of a device in 7 days', async () => {
    seat = await openTestSeat({ now: '2026-03-03T10:00:00+08:00' });
    const agent = await seat.as('wang.fang');
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push((await seat.call('tickets.create', { form: PLAIN_FORM }, agent)).ticket);
      seat.now += 3_600_000;
    }
    expect(made.map((t) => t.tags.includes('红色预警'))).toEqual([false, false, true]);
    const third = made[2]!;
    const key = 'repeat-device@v1/created/2026-03-03T04:00:00.000Z';
    expect(third.firings[key]?.tasks).toEqual([{ to: 'zhou.sup', title: '安排技术拜访' }]);
    expect(Object.keys(third.outbox)).toEqual([`${key}/push/crm`]);
    const tasks = seat.events.filter((e) => e.name === 'rules.notify').map((e) => e.payload);
    expect(tasks).toContainEqual(expect.objectContaining({ id: key, to: ['zhou.sup'], body: '新任务：安排技术拜访' }));
  });

  it('pushes the device’s recent repairs to the ERP when the technician resolves', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    const tech = await seat.as('lin.chief');
    for (const [action, input] of [['accept', {}], ['first_response', { note: '已联系' }], ['arrive', {}], ['resolve', { note: '更换轴承' }]] as const) {
      seat.now += 60_000;
      await seat.call('tickets.transition', { id: ticket.id, action, input }, tech);
    }
    const resolved = (await seat.call('tickets.get', { id: ticket.id })).ticket;
    const push = Object.entries(resolved.outbox).find(([k]) => k.endsWith('/push/erp'));
    expect(push?.[0]).toMatch(/^erp-push@v1\/transition:pending_verification\//);
    expect(push?.[1].payload).toMatchObject({ kind: 'device_recent_repairs', device: 'CNC-07', records: [expect.objectContaining({ id: ticket.id })] });
  });

  it('explains why in Chinese with people’s names', async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const { ticket } = await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    const why = await seat.call('tickets.explain', { id: ticket.id });
    expect(why.firings).toHaveLength(1);
    expect(why.firings[0]).toMatchObject({ rule: 'night-bearing', version: 1, kind: 'routing', event: 'created', at: '2026-03-03T15:10:00.000Z' });
    expect(why.firings[0]?.lines[0]).toBe('描述含“轴承”；23:10 在 20:00–07:59 内 → 林师傅');
    expect(why.firings[0]?.lines).toContain('另外：工单池 紧急-机械类, 优先级 P1, 跳过人工派单, 标签 夜间直派, 短信 → 林师傅');
    expect(why.firings[0]?.outbox).toEqual([{ key: `${NIGHT_KEY}/notify/sms/lin.chief`, channel: 'sms', to: 'lin.chief', status: 'pending', statusAt: null }]);
    expect(why.deadlines).toEqual([{ rule: 'dispatch-30m', label: '已派单 30 分钟未接单', state: 'dispatched', level: 'escalate', dueAt: '2026-03-03T23:40:00+08:00', breached: false, paused: false, banner: null }]);
  });
});
