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
    expect(report.changed).toEqual([{
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
