import { describe, expect, it } from 'vitest';
import { NIGHT_BEARING, pack, ticket } from '../testing/fixtures';
import { evaluate } from './evaluate';

const bearing = (fields: Record<string, unknown> = {}) =>
  ticket({ title: '3号线传送带', description: '电机轴承有异响', location: '1号楼 3单元', ...fields });

describe('routing', () => {
  const p = pack(`${NIGHT_BEARING}
  - id: mech-pool
    when: { keywords: { any: [轴承] } }
    then: { pool: 机械类, priority: P3, tags: [机械] }
`);

  it('routes a bearing ticket at 22:10 to the night chief, as in the contract', () => {
    const out = evaluate(p, bearing(), { now: '2026-02-18T22:10:00+08:00' });
    expect(out).toMatchObject({
      assignee: 'lin.chief', pool: '紧急-机械类', skipDispatch: true, priority: 'P1', tags: ['夜间直派'],
      fired: ['night-bearing'], notifications: [{ rule: 'night-bearing', channel: 'sms', to: 'lin.chief' }],
      banners: [], pushes: [], tasks: [], state: 'dispatched',
    });
    expect(out.explain[0]).toBe('night-bearing: keyword 轴承 in description; 22:10 within 20:00–07:59 → 林师傅');
  });

  it('routes a bearing ticket at 23:10 to the night chief', () => {
    const out = evaluate(p, bearing({ createdAt: '2026-02-18T23:10:00+08:00' }), { now: '2026-02-18T23:10:00+08:00' });
    expect(out.assignee).toBe('lin.chief');
  });

  it('stops after a rule with stop: true', () => {
    const out = evaluate(p, bearing(), { now: '2026-02-18T22:10:00+08:00' });
    expect(out.fired).not.toContain('mech-pool');
    expect(out.explain).toContain('night-bearing: stop (later routing rules not evaluated)');
  });

  it('lets a daytime bearing ticket fall through to the next rule', () => {
    const out = evaluate(p, bearing({ createdAt: '2026-02-18T10:00:00+08:00' }), { now: '2026-02-18T10:00:00+08:00' });
    expect(out).toMatchObject({ assignee: null, pool: '机械类', priority: 'P3', skipDispatch: false, tags: ['机械'], fired: ['mech-pool'], state: 'pending_acceptance' });
  });

  it('keeps the first scalar and unions tags in firing order', () => {
    const q = pack(`routing:
  - { id: a, when: { keywords: { any: [网络] } }, then: { pool: IT, tags: [IT, 网络] } }
  - { id: b, then: { pool: 综合, priority: P3, tags: [网络, 待分派] } }
  - { id: c, then: { priority: P1, tags: [IT] } }
`);
    const out = evaluate(q, ticket({ title: '网络中断' }), { now: '2026-02-18T10:00:00+08:00' });
    expect(out).toMatchObject({ pool: 'IT', priority: 'P3', tags: ['IT', '网络', '待分派'], fired: ['a', 'b', 'c'] });
  });

  it('never replaces an assignee the ticket already has', () => {
    const out = evaluate(p, bearing({ assignee: 'wang.tech' }), { now: '2026-02-18T22:10:00+08:00' });
    expect(out.assignee).toBeNull();
    expect(out.notifications).toEqual([{ rule: 'night-bearing', channel: 'sms', to: 'wang.tech' }]);
    expect(out.explain).toContain('night-bearing: the ticket already has assignee 王建国; kept');
    expect(out.state).toBe('dispatched');
  });

  it('assigns nobody when nobody is on duty, says so, and does not skip dispatch', () => {
    const q = pack(`routing:
  - id: day-chief
    when: { keywords: { any: [轴承] } }
    then: { assign: { roster: night-chief }, skip_dispatch: true, notify: [{ channel: sms, to: assignee }] }
`);
    const out = evaluate(q, bearing({ createdAt: '2026-02-18T10:00:00+08:00' }), { now: '2026-02-18T10:00:00+08:00' });
    expect(out).toMatchObject({ assignee: null, skipDispatch: false, notifications: [], state: 'pending_acceptance' });
    expect(out.explain).toContain('day-chief: nobody on duty in roster night-chief at 10:00; assign does nothing');
    expect(out.explain).toContain('day-chief: sms to the assignee: nobody, no notification');
    expect(out.explain).toContain('skip_dispatch: no assignee, so the ticket stays pending_acceptance');
  });

  it('resolves the roster at now, not at creation', () => {
    const out = evaluate(p, bearing({ createdAt: '2026-02-18T07:50:00+08:00' }), { now: '2026-02-18T08:05:00+08:00' });
    expect(out.fired).toEqual(['night-bearing']);
    expect(out.assignee).toBeNull();
  });

  it('picks a team member deterministically by ticket id', () => {
    const q = pack('routing:\n  - { id: mech, then: { assign: { team: mechanical } } }\n');
    const pick = (id: string) => evaluate(q, ticket({ id }), { now: '2026-02-18T10:00:00+08:00' }).assignee;
    expect(pick('t-1')).toBe(pick('t-1'));
    const picks = new Set(Array.from({ length: 30 }, (_, i) => pick(`ticket-${i}`)));
    expect(picks).toEqual(new Set(['lin.chief', 'wang.tech', 'zhang.tech']));
  });

  it('runs routing on updated but not on transitions', () => {
    expect(evaluate(p, bearing(), { now: '2026-02-18T22:10:00+08:00', event: 'updated' }).fired).toEqual(['night-bearing']);
    expect(evaluate(p, bearing(), { now: '2026-02-18T22:10:00+08:00', event: 'transition:in_progress' }).fired).toEqual([]);
  });

  it('notifies each recipient once, to a person id, and says when a role resolves to nobody', () => {
    const q = pack(`routing:
  - id: fan-out
    then:
      notify:
        - { channel: desktop, to: { role: agent } }
        - { channel: desktop, to: { user: zhao.agent } }
        - { channel: sms, to: { role: supervisor, area: ticket } }
`);
    const east = evaluate(q, ticket({ location: '2号楼 5层' }), { now: '2026-02-18T10:00:00+08:00' });
    expect(east.notifications).toEqual([
      { rule: 'fan-out', channel: 'desktop', to: 'sun.agent' },
      { rule: 'fan-out', channel: 'desktop', to: 'zhao.agent' },
      { rule: 'fan-out', channel: 'sms', to: 'zhou.sup' },
    ]);
    const west = evaluate(q, ticket({ location: '3号楼' }), { now: '2026-02-18T10:00:00+08:00' });
    expect(west.notifications.filter((n) => n.channel === 'sms')).toEqual([]);
    expect(west.explain).toContain('fan-out: sms to supervisor of area west: nobody, no notification');
    const nowhere = evaluate(q, ticket({ location: '11号楼' }), { now: '2026-02-18T10:00:00+08:00' });
    expect(nowhere.explain).toContain("fan-out: sms to supervisor of the ticket's area (location 11号楼 is in no area): nobody, no notification");
  });

  it('gives every firing a deterministic ledger key', () => {
    const out = evaluate(p, bearing(), { now: '2026-02-18T22:10:00+08:00' });
    expect(out.firings).toEqual([{ rule: 'night-bearing', kind: 'routing', key: 'night-bearing@v1/created/2026-02-18T14:10:00.000Z' }]);
  });
});
