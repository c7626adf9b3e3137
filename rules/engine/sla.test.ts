import { describe, expect, it } from 'vitest';
import { pack, ticket } from '../testing/fixtures';
import { evaluate } from './evaluate';

const SLA = `
sla:
  - id: accept-10m
    state: pending_acceptance
    after: 10m
    level: warn
    then: { banner: yellow }
  - id: accept-15m
    state: pending_acceptance
    after: 15m
    level: breach
    then: { banner: red, notify: [{ channel: desktop, to: { role: agent } }] }
  - id: dispatch-30m
    state: dispatched
    after: 30m
    level: escalate
    then: { notify: [{ channel: sms, to: { role: supervisor, area: ticket } }] }
  - id: p1-fast
    state: dispatched
    when: { field: { name: priority, eq: P1 } }
    after: 10m
    level: escalate
  - id: respond-4h
    state: in_progress
    after: 4h
    business: true
    level: breach
    then: { banner: orange, notify: [{ channel: desktop, to: assignee }] }
`;
const p = pack(SLA, { calendar: true });
const created = '2026-03-02T10:00:00+08:00'; // a Monday

describe('SLA clocks', () => {
  it('counts from the time the ticket entered its state, before any level is reached', () => {
    const out = evaluate(p, ticket({ createdAt: created }), { now: '2026-03-02T10:05:00+08:00' });
    expect(out.deadlines).toEqual([
      { rule: 'accept-10m', state: 'pending_acceptance', level: 'warn', dueAt: '2026-03-02T10:10:00+08:00', breached: false },
      { rule: 'accept-15m', state: 'pending_acceptance', level: 'breach', dueAt: '2026-03-02T10:15:00+08:00', breached: false },
    ]);
    expect(out.banners).toEqual([]);
  });

  it('raises the warn level at exactly its due time (now ≥ dueAt)', () => {
    const out = evaluate(p, ticket({ createdAt: created }), { now: '2026-03-02T10:10:00+08:00' });
    expect(out.deadlines.map((d) => d.breached)).toEqual([true, false]);
    expect(out.banners).toEqual([{ rule: 'accept-10m', level: 'warn', color: 'yellow' }]);
  });

  it('breaches at 15 minutes with a red banner and a desktop notification to every agent', () => {
    const out = evaluate(p, ticket({ createdAt: created }), { now: '2026-03-02T10:15:00+08:00' });
    expect(out.banners).toEqual([
      { rule: 'accept-10m', level: 'warn', color: 'yellow' },
      { rule: 'accept-15m', level: 'breach', color: 'red' },
    ]);
    expect(out.notifications).toEqual([
      { rule: 'accept-15m', channel: 'desktop', to: 'sun.agent' },
      { rule: 'accept-15m', channel: 'desktop', to: 'zhao.agent' },
    ]);
    expect(out.firings.map((f) => f.key)).toEqual([
      'accept-10m@v1/deadline/2026-03-02T02:00:00.000Z',
      'accept-15m@v1/deadline/2026-03-02T02:00:00.000Z',
    ]);
  });

  it('escalates a dispatched ticket after 30 minutes by SMS to the area supervisor', () => {
    const t = ticket({ createdAt: created, state: 'dispatched', stateEnteredAt: '2026-03-02T10:20:00+08:00', location: '1号楼', assignee: 'wang.tech' });
    const out = evaluate(p, t, { now: '2026-03-02T10:50:00+08:00', event: 'updated' });
    expect(out.deadlines).toEqual([{ rule: 'dispatch-30m', state: 'dispatched', level: 'escalate', dueAt: '2026-03-02T10:50:00+08:00', breached: true }]);
    expect(out.notifications).toEqual([{ rule: 'dispatch-30m', channel: 'sms', to: 'zhou.sup' }]);
  });

  it('judges SLA when: on the ticket after routing', () => {
    const q = pack(`routing:\n  - { id: urgent, then: { assign: { user: lin.chief }, priority: P1, skip_dispatch: true } }\n${SLA}`, { calendar: true });
    const out = evaluate(q, ticket({ createdAt: created }), { now: '2026-03-02T10:03:00+08:00' });
    expect(out.state).toBe('dispatched');
    expect(out.deadlines).toEqual([
      { rule: 'dispatch-30m', state: 'dispatched', level: 'escalate', dueAt: '2026-03-02T10:33:00+08:00', breached: false },
      { rule: 'p1-fast', state: 'dispatched', level: 'escalate', dueAt: '2026-03-02T10:13:00+08:00', breached: false },
    ]);
  });

  it('stops the clock during pauses and shows no due time while paused', () => {
    const t = (pauses: unknown[]) => ticket({ createdAt: created, pauses });
    const resumed = evaluate(p, t([{ from: '2026-03-02T10:05:00+08:00', to: '2026-03-02T10:25:00+08:00' }]), { now: '2026-03-02T10:26:00+08:00' });
    expect(resumed.deadlines.map((d) => d.dueAt)).toEqual(['2026-03-02T10:30:00+08:00', '2026-03-02T10:35:00+08:00']);
    expect(resumed.banners).toEqual([]);
    const paused = evaluate(p, t([{ from: '2026-03-02T10:05:00+08:00' }]), { now: '2026-03-02T11:00:00+08:00' });
    expect(paused.deadlines.map((d) => [d.dueAt, d.breached])).toEqual([[null, false], [null, false]]);
    expect(paused.banners).toEqual([]);
  });

  it('ignores pauses from before the ticket entered its state and merges overlapping ones', () => {
    const t = ticket({
      createdAt: created,
      pauses: [
        { from: '2026-03-02T09:00:00+08:00', to: '2026-03-02T10:02:00+08:00' },
        { from: '2026-03-02T10:04:00+08:00', to: '2026-03-02T10:08:00+08:00' },
        { from: '2026-03-02T10:06:00+08:00', to: '2026-03-02T10:09:00+08:00' },
      ],
    });
    // 2 min paused at the start (10:00–10:02) plus 10:04–10:09: 7 minutes stopped.
    expect(evaluate(p, t, { now: '2026-03-02T10:10:00+08:00' }).deadlines[0]?.dueAt).toBe('2026-03-02T10:17:00+08:00');
  });

  it('counts only business hours in business mode, starting at the next opening', () => {
    const inProgress = (enteredAt: string, extra: Record<string, unknown> = {}) =>
      ticket({ createdAt: created, state: 'in_progress', stateEnteredAt: enteredAt, assignee: 'wang.tech', ...extra });
    // Friday 16:00 + 4 business hours: 1h30 Friday, then Monday 08:30–11:00.
    const friday = evaluate(p, inProgress('2026-03-06T16:00:00+08:00'), { now: '2026-03-06T16:00:00+08:00', event: 'updated' });
    expect(friday.deadlines).toEqual([{ rule: 'respond-4h', state: 'in_progress', level: 'breach', dueAt: '2026-03-09T11:00:00+08:00', breached: false }]);
    // Entered Saturday night: the clock starts Monday 08:30 and crosses lunch.
    const weekend = evaluate(p, inProgress('2026-03-07T22:00:00+08:00'), { now: '2026-03-07T22:00:00+08:00', event: 'updated' });
    expect(weekend.deadlines[0]?.dueAt).toBe('2026-03-09T14:00:00+08:00');
    // 30 Sep 16:30 + 4h: 1h on 30 Sep, 1 Oct is a holiday, then 3h on Friday 2 Oct from 08:30.
    const holiday = evaluate(p, inProgress('2026-09-30T16:30:00+08:00'), { now: '2026-09-30T16:30:00+08:00', event: 'updated' });
    expect(holiday.deadlines[0]?.dueAt).toBe('2026-10-02T11:30:00+08:00');
  });

  it('fires the business-mode breach with its banner and a desktop notice to the assignee', () => {
    const t = ticket({ createdAt: created, state: 'in_progress', stateEnteredAt: '2026-03-02T08:30:00+08:00', assignee: 'wang.tech' });
    const out = evaluate(p, t, { now: '2026-03-02T14:00:00+08:00', event: 'updated' });
    expect(out.deadlines[0]).toEqual({ rule: 'respond-4h', state: 'in_progress', level: 'breach', dueAt: '2026-03-02T14:00:00+08:00', breached: true });
    expect(out.banners).toEqual([{ rule: 'respond-4h', level: 'breach', color: 'orange' }]);
    expect(out.notifications).toEqual([{ rule: 'respond-4h', channel: 'desktop', to: 'wang.tech' }]);
  });

  it('has no deadlines for a closed ticket', () => {
    expect(evaluate(p, ticket({ createdAt: created, state: 'closed' }), { now: '2026-03-02T12:00:00+08:00', event: 'updated' }).deadlines).toEqual([]);
  });
});
