import { describe, expect, it } from 'vitest';
import { TicketHistory } from '../history/history';
import { outboxEntries } from '../ledger/outbox';
import { pack, ticket } from '../testing/fixtures';
import { evaluate } from './evaluate';

const p = pack(`
automations:
  - id: repeat-device
    on: created
    when: { count: { same: [device, category], at_least: 3, within: 7d } }
    then:
      tags: [红色预警]
      task: { to: { role: supervisor, area: ticket }, title: 安排技术拜访 }
      push: { connector: crm, payload: ticket }
  - id: erp-push
    on: { transition: { to: pending_verification } }
    then:
      push: { connector: erp, payload: device_recent_repairs, limit: 3 }
  - id: machine-daily
    on: { schedule: daily }
    when: { count: { same: [device], at_least: 4, within: today } }
    then:
      task: { to: { role: supervisor, area: ticket }, title: 设备当日报修超过3次 }
      push: { connector: mes }
`);

const repair = (id: string, resolved: string) => ticket({
  id, no: `MX-${id}`, title: `维修 ${id}`, device: 'M-07', category: '硬件', state: 'closed',
  createdAt: '2026-01-01T09:00:00+08:00', milestones: { created: '2026-01-01T09:00:00+08:00', resolved },
});

describe('automations', () => {
  it('tags the third fault of a device in 7 days, tasks the area supervisor and pushes to the CRM', () => {
    const past = ['2026-03-04T09:00:00+08:00', '2026-03-08T09:00:00+08:00'].map((at, i) =>
      ticket({ id: `p${i}`, createdAt: at, device: 'M-07', category: '硬件', location: '2号楼' }));
    const t = ticket({ id: 't-9', createdAt: '2026-03-10T10:00:00+08:00', device: 'M-07', category: '硬件', location: '2号楼' });
    const out = evaluate(p, t, { now: '2026-03-10T10:00:00+08:00', history: new TicketHistory(past) });
    expect(out.tags).toEqual(['红色预警']);
    expect(out.tasks).toEqual([{ rule: 'repeat-device', to: 'zhou.sup', title: '安排技术拜访' }]);
    expect(out.pushes).toEqual([{ rule: 'repeat-device', connector: 'crm', payload: 'ticket', ticket: 't-9' }]);
    expect(out.explain).toContain('repeat-device: 3 tickets with device M-07, category 硬件 in 7d (at least 3) → tags 红色预警, task 安排技术拜访 → 周主管, push ticket to crm');
  });

  it("pushes the device's last 3 repairs to the ERP on the transition to pending_verification", () => {
    const history = new TicketHistory([
      repair('r1', '2026-01-05T10:00:00+08:00'), repair('r2', '2026-02-01T10:00:00+08:00'),
      repair('r3', '2026-02-20T10:00:00+08:00'), repair('r4', '2026-01-20T10:00:00+08:00'),
    ]);
    const t = ticket({
      id: 't-5', no: 'MX-t5', title: '主轴异响', device: 'M-07', category: '硬件', state: 'pending_verification',
      createdAt: '2026-03-01T09:00:00+08:00', stateEnteredAt: '2026-03-01T15:00:00+08:00',
      milestones: { resolved: '2026-03-01T15:00:00+08:00' },
    });
    const out = evaluate(p, t, { now: '2026-03-01T15:00:00+08:00', event: 'transition:pending_verification', history });
    expect(out.fired).toEqual(['erp-push']);
    expect(out.pushes).toEqual([{
      rule: 'erp-push', connector: 'erp', payload: 'device_recent_repairs', ticket: 't-5', device: 'M-07',
      records: [
        { id: 't-5', no: 'MX-t5', title: '主轴异响', category: '硬件', resolvedAt: '2026-03-01T15:00:00+08:00' },
        { id: 'r3', no: 'MX-r3', title: '维修 r3', category: '硬件', resolvedAt: '2026-02-20T10:00:00+08:00' },
        { id: 'r2', no: 'MX-r2', title: '维修 r2', category: '硬件', resolvedAt: '2026-02-01T10:00:00+08:00' },
      ],
    }]);
    expect(evaluate(p, t, { now: '2026-03-01T15:00:00+08:00', event: 'transition:closed', history }).pushes).toEqual([]);
  });

  it('runs the daily threshold only on the daily event, for a machine with more than 3 tickets today', () => {
    const today = ['08:00', '09:30', '11:00'].map((hm, i) => ticket({ id: `d${i}`, device: 'CNC-3', location: '1号楼', createdAt: `2026-03-10T${hm}:00+08:00` }));
    const t = ticket({ id: 'd9', device: 'CNC-3', location: '1号楼', createdAt: '2026-03-10T15:00:00+08:00' });
    const history = new TicketHistory(today);
    expect(evaluate(p, t, { now: '2026-03-10T23:50:00+08:00', event: 'created', history }).fired).toEqual([]);
    const daily = evaluate(p, t, { now: '2026-03-10T23:50:00+08:00', event: 'daily', history });
    expect(daily.fired).toEqual(['machine-daily']);
    expect(daily.tasks).toEqual([{ rule: 'machine-daily', to: 'zhou.sup', title: '设备当日报修超过3次' }]);
    expect(daily.pushes).toEqual([{ rule: 'machine-daily', connector: 'mes', payload: 'ticket', ticket: 'd9' }]);
    expect(daily.firings[0]?.key).toBe('machine-daily@v1/daily:2026-03-10/2026-03-10T07:00:00.000Z');
    // the next day, yesterday's tickets no longer count
    expect(evaluate(p, t, { now: '2026-03-11T23:50:00+08:00', event: 'daily', history }).fired).toEqual([]);
  });

  it('turns outgoing effects into outbox entries with deterministic keys; desktop stays on the seat', () => {
    const q = pack(`routing:
  - id: r
    then: { assign: { user: lin.chief }, notify: [{ channel: sms, to: assignee }, { channel: desktop, to: assignee }, { channel: wecom, to: { user: zhou.sup } }] }
automations:
  - { id: a, on: created, then: { push: { connector: crm } } }
`);
    const out = evaluate(q, ticket({ id: 't-7' }), { now: '2026-02-18T22:10:00+08:00' });
    expect(outboxEntries(out, 't-7')).toEqual([
      { key: 'r@v1/created/2026-02-18T14:10:00.000Z/notify/sms/lin.chief', kind: 'notify', rule: 'r', ticket: 't-7', channel: 'sms', to: 'lin.chief' },
      { key: 'r@v1/created/2026-02-18T14:10:00.000Z/notify/wecom/zhou.sup', kind: 'notify', rule: 'r', ticket: 't-7', channel: 'wecom', to: 'zhou.sup' },
      { key: 'a@v1/created/2026-02-18T14:10:00.000Z/push/crm', kind: 'push', rule: 'a', ticket: 't-7', connector: 'crm', payload: 'ticket' },
    ]);
    expect(outboxEntries(evaluate(q, ticket({ id: 't-7' }), { now: '2026-02-18T22:11:00+08:00' }), 't-7').map((e) => e.key))
      .toEqual(outboxEntries(out, 't-7').map((e) => e.key));
  });
});
