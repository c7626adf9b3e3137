import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../engine/evaluate';
import { TicketHistory } from '../history/history';
import { loadPackFile } from '../node/load';
import { ticket } from '../testing/fixtures';
import { DEMO_AREAS, DEMO_PEOPLE } from '../../domain/demo-site';
import { packToData } from '../pack/to-data';

const seed = loadPackFile(fileURLToPath(new URL('./seed.yaml', import.meta.url)));
const run = (fields: Record<string, unknown>, now: string, event = 'created') =>
  evaluate(seed, ticket({ createdAt: now, ...fields }), { now, event });

describe('seed pack', () => {
  it('routes a bearing ticket at 23:10 to the night chief with SMS, skip dispatch, P1 and 夜间直派', () => {
    const out = run({ title: '2号线减速机异响', description: '轴承温度偏高', location: '2号楼/1单元/101' }, '2026-03-03T23:10:00+08:00');
    expect(out).toMatchObject({
      assignee: 'lin.chief', pool: '紧急-机械类', skipDispatch: true, priority: 'P1', tags: ['夜间直派'],
      fired: ['night-bearing'], notifications: [{ rule: 'night-bearing', channel: 'sms', to: 'lin.chief' }],
      deadlines: [{ rule: 'dispatch-30m', state: 'dispatched', level: 'escalate', dueAt: '2026-03-03T23:40:00+08:00', breached: false }],
    });
    expect(out.explain[0]).toBe('night-bearing: keyword 轴承 in description; 23:10 within 20:00–07:59 → 林师傅');
  });

  it('sends a daytime bearing ticket on a workday to the mechanical team as P2', () => {
    const out = run({ id: 'a-1', title: '风机皮带打滑', location: '3号楼' }, '2026-03-03T10:00:00+08:00');
    expect(out.fired).toEqual(['day-mechanical', 'default-pool']);
    expect(['lin.chief', 'chen.tech']).toContain(out.assignee);
    expect(out).toMatchObject({ pool: '紧急-机械类', priority: 'P2', skipDispatch: false });
  });

  it('treats a Spring Festival morning as outside business hours', () => {
    const out = run({ title: '风机皮带打滑' }, '2026-02-18T10:00:00+08:00');
    expect(out).toMatchObject({ assignee: null, pool: '综合受理', priority: 'P3', fired: ['default-pool'] });
  });

  it('puts a network ticket into the IT pool with whoever of IT is on duty', () => {
    const out = run({ id: 'n-1', title: '办公室无法上网', category: '网络', urgency: '立即处理' }, '2026-03-03T09:00:00+08:00');
    expect(out.fired).toEqual(['network-it', 'urgent-now', 'default-pool']);
    expect(['liu.tech', 'he.tech']).toContain(out.assignee);
    expect(out).toMatchObject({ pool: 'IT-网络', priority: 'P2', tags: ['IT'] });
    const night = run({ id: 'n-1', title: '办公室无法上网', category: '网络' }, '2026-03-03T21:00:00+08:00');
    expect(night.assignee).toBeNull();
  });

  it('shows the 15-minute acceptance breach to the agents', () => {
    const t = ticket({ title: '打印机卡纸', createdAt: '2026-03-03T10:00:00+08:00' });
    const out = evaluate(seed, t, { now: '2026-03-03T10:16:00+08:00', event: 'updated' });
    expect(out.banners.map((b) => b.color)).toEqual(['yellow', 'red']);
    expect(out.notifications.filter((n) => n.rule === 'accept-15m').map((n) => n.to)).toEqual(['li.na', 'wang.fang']);
  });

  it('escalates 30 minutes in dispatched by SMS to the supervisor of the ticket’s area', () => {
    const t = ticket({ location: '5号楼 2单元', state: 'dispatched', assignee: 'chen.tech', createdAt: '2026-03-03T10:00:00+08:00', stateEnteredAt: '2026-03-03T10:05:00+08:00' });
    const out = evaluate(seed, t, { now: '2026-03-03T10:35:00+08:00', event: 'updated' });
    expect(out.notifications.filter((n) => n.rule === 'dispatch-30m')).toEqual([{ rule: 'dispatch-30m', channel: 'sms', to: 'wu.sup' }]);
  });

  it('raises 红色预警 on the third fault of a device in 7 days', () => {
    const past = ['2026-03-01T09:00:00+08:00', '2026-03-02T09:00:00+08:00'].map((at, i) =>
      ticket({ id: `h${i}`, device: 'PUMP-12', category: '硬件', location: '1号楼/2单元/302', createdAt: at }));
    const t = ticket({ id: 'h9', device: 'PUMP-12', category: '硬件', location: '1号楼/2单元/302', createdAt: '2026-03-03T09:00:00+08:00' });
    const out = evaluate(seed, t, { now: '2026-03-03T09:00:00+08:00', history: new TicketHistory(past) });
    expect(out.tags).toContain('红色预警');
    expect(out.tasks).toEqual([{ rule: 'repeat-device', to: 'zhou.sup', title: '安排技术拜访' }]);
    expect(out.pushes.map((p) => p.connector)).toEqual(['crm']);
  });

  it('names exactly the demo site people and areas', () => {
    const data = packToData(seed) as { people: { id: string; name: string }[]; site: { areas: Record<string, string[]> } };
    const site = DEMO_PEOPLE.filter((p) => p.role !== 'admin').map((p) => [p.id, p.name]);
    expect(data.people.map((p) => [p.id, p.name])).toEqual(site);
    expect(data.site.areas).toEqual(DEMO_AREAS);
  });
});
