import { describe, expect, it } from 'vitest';
import { NIGHT_BEARING, pack, ticket } from '../testing/fixtures';
import { parseInstant } from '../time/instant';
import { simulate } from './simulate';

const current = pack('routing:\n  - { id: all-general, then: { pool: 综合受理 } }\n');
const draft = pack(`${NIGHT_BEARING}\n  - { id: all-general, then: { pool: 综合受理 } }\n`);
const tickets = [
  ticket({ id: 'a', no: 'MX-1', title: '电机轴承异响', createdAt: '2026-03-03T23:10:00+08:00', assignee: 'wang.tech', pool: '综合受理', state: 'closed' }),
  ticket({ id: 'b', no: 'MX-2', title: '打印机卡纸', createdAt: '2026-03-04T10:00:00+08:00', pool: '综合受理', state: 'closed' }),
  ticket({ id: 'c', no: 'MX-3', title: '轴承异响', createdAt: '2026-01-01T23:00:00+08:00', state: 'closed' }),
];
const now = parseInstant('2026-03-10T00:00:00+08:00') as number;

describe('dry run of a draft pack', () => {
  it('shows ticket by ticket what the draft would change against the current pack', () => {
    const report = simulate(draft, tickets, { now, sinceMs: 30 * 86_400_000, current });
    expect(report.replayed).toBe(2);
    expect(report.changed).toMatchObject([{
      ticket: 'MX-1', createdAt: '2026-03-03T23:10:00+08:00', title: '电机轴承异响',
      changes: [
        'assignee: (none) → lin.chief (林师傅)', 'pool: 综合受理 → 紧急-机械类', 'priority: (none) → P1',
        'tags: +夜间直派', 'skip dispatch: false → true', 'notifications: 0 → 1',
      ],
      fired: ['night-bearing'],
    }]);
    expect(report.counts).toMatchObject({ assignee: 1, pool: 1, priority: 1 });
  });

  it('compares with what the tickets actually got when there is no current pack', () => {
    const report = simulate(draft, tickets, { now, sinceMs: 30 * 86_400_000 });
    expect(report.changed.map((c) => [c.ticket, c.changes.slice(0, 2)])).toEqual([
      ['MX-1', ['assignee: wang.tech (王建国) → lin.chief (林师傅)', 'pool: 综合受理 → 紧急-机械类']],
    ]);
  });
});

describe('dry run over the tickets’ lives', () => {
  const SLA = `
  - { id: all-general, then: { pool: 综合受理 } }
sla:
  - { id: accept-15m, state: pending_acceptance, after: 15m, level: breach, then: { banner: red, notify: [{ channel: desktop, to: { role: agent } }] } }
  - { id: dispatch-30m, state: dispatched, after: 30m, level: escalate, then: { notify: [{ channel: sms, to: { role: supervisor, area: ticket } }] } }
automations:
  - { id: erp-push, on: { transition: { to: pending_verification } }, then: { push: { connector: erp, payload: ticket } } }
`;
  const published = pack(`routing:${SLA}`);
  const withNight = pack(`${NIGHT_BEARING}${SLA}`);
  // Dispatched by a person 20 minutes after it came in, accepted 40 minutes later, resolved next morning.
  const lived = ticket({
    id: 'd', no: 'MX-4', title: '电机轴承异响', location: '1号楼', createdAt: '2026-03-05T23:00:00+08:00', state: 'closed',
    assignee: 'wang.tech', pool: '综合受理',
    milestones: { assigned: '2026-03-05T23:20:00+08:00', accepted: '2026-03-06T00:00:00+08:00', resolved: '2026-03-06T09:00:00+08:00', verified: '2026-03-06T10:00:00+08:00' },
  });

  it('counts the SLA breaches, firings and notifications each pack would have made', () => {
    const report = simulate(withNight, [lived], { now, sinceMs: 30 * 86_400_000, current: published });
    // Published: 20 min pending → accept-15m; 40 min dispatched → dispatch-30m. Draft: dispatched at 23:00, accepted at 00:00 → only dispatch-30m.
    expect(report.rules).toEqual([
      { rule: 'night-bearing', kind: 'routing', draft: 1, current: 0 },
      { rule: 'all-general', kind: 'routing', draft: 0, current: 1 },
      { rule: 'erp-push', kind: 'automation', draft: 1, current: 1 },
      { rule: 'accept-15m', kind: 'sla', draft: 0, current: 1 },
      { rule: 'dispatch-30m', kind: 'sla', draft: 1, current: 1 },
    ]);
    expect(report.notifications).toEqual({ desktop: { draft: 0, current: 2 }, sms: { draft: 2, current: 1 } });
    expect(report.breachedTickets).toEqual({ draft: 1, current: 1 });
    expect(report.changed[0]?.changes).toContain('sla: −accept-15m');
    expect(report.changed[0]?.differences).toContainEqual({ aspect: 'sla', before: ['accept-15m', 'dispatch-30m'], after: ['dispatch-30m'] });
  });

  it('keeps at most maxChanges tickets in the list but counts them all', () => {
    const many = Array.from({ length: 5 }, (_, i) => ticket({ id: `m${i}`, no: `MX-1${i}`, title: '轴承异响', createdAt: `2026-03-0${i + 2}T23:00:00+08:00` }));
    const report = simulate(withNight, many, { now, sinceMs: 30 * 86_400_000, current: published, maxChanges: 2 });
    expect(report.changed).toHaveLength(2);
    expect(report.changedTotal).toBe(5);
  });
});

describe('dry run of a daily automation', () => {
  const daily = pack('automations:\n  - { id: end-of-day, on: { schedule: daily }, then: { tags: [日终检查] } }\n');
  const fired = (t: ReturnType<typeof ticket>) => simulate(daily, [t], { now, sinceMs: 30 * 86_400_000, current: null }).rules.find((r) => r.rule === 'end-of-day')?.draft ?? 0;

  it('runs at the end of the creation day on a ticket still open then, as a seat does', () => {
    expect(fired(ticket({ id: 'open', createdAt: '2026-03-03T09:00:00+08:00', state: 'in_progress', milestones: { assigned: '2026-03-03T09:10:00+08:00', accepted: '2026-03-03T09:20:00+08:00' } }))).toBe(1);
    // Closed the next day: open at the end of its creation day.
    expect(fired(ticket({ id: 'late', createdAt: '2026-03-03T09:00:00+08:00', state: 'closed', milestones: { verified: '2026-03-04T09:00:00+08:00' } }))).toBe(1);
  });

  it('does not run on a ticket closed or cancelled before its creation day ended (a seat writes nothing to it)', () => {
    expect(fired(ticket({ id: 'closed', createdAt: '2026-03-03T09:00:00+08:00', state: 'closed', milestones: { verified: '2026-03-03T18:00:00+08:00' } }))).toBe(0);
    expect(fired(ticket({ id: 'cancelled', createdAt: '2026-03-03T09:00:00+08:00', state: 'cancelled', updatedAt: '2026-03-03T09:30:00+08:00' }))).toBe(0);
  });
});
