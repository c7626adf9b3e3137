import { describe, expect, it } from 'vitest';
import type { TicketRow } from '../../../domain';
import { queueCounts } from './queues';

const row = (id: string, state: TicketRow['state'], assignee: string | null, pool: string | null): TicketRow => ({
  id, no: `MX-${id}`, site: 's', title: 't', category: '硬件', device: null, location: null, requesterName: null, requesterPhone: null,
  urgency: null, priority: null, tags: [], state, awaitingInfo: false, paused: false, assignee, pool,
  createdAt: '2026-03-03T01:00:00Z', updatedAt: '2026-03-03T01:00:00Z', stateEnteredAt: '2026-03-03T01:00:00Z', milestones: {}, returns: 0, search: '',
});

describe('workbench queue counts', () => {
  it('counts open tickets that are mine, unassigned, per pool (biggest first) and breaching; closed ones only in all', () => {
    const rows = [
      row('1', 'pending_acceptance', null, '紧急-机械类'),
      row('2', 'dispatched', 'lin.chief', '紧急-机械类'),
      row('3', 'in_progress', 'chen.tech', 'IT-网络'),
      row('4', 'closed', 'lin.chief', '紧急-机械类'),
      row('5', 'cancelled', null, null),
    ];
    expect(queueCounts(rows, 'lin.chief', new Set(['1', '4']))).toEqual({
      all: 5, open: 3, mine: 1, unassigned: 1, breaching: 1, conflicted: 0,
      pools: [{ pool: '紧急-机械类', count: 2 }, { pool: 'IT-网络', count: 1 }],
    });
  });

  it('counts tickets with an unsettled field conflict, closed ones too', () => {
    const conflicted = (r: ReturnType<typeof row>) => ({ ...r, conflicts: { assignee: ['chen.tech', 'zhao.tech'] } });
    const rows = [conflicted(row('1', 'dispatched', 'chen.tech', null)), conflicted(row('2', 'closed', 'zhao.tech', null)), { ...row('3', 'dispatched', null, null), conflicts: {} }];
    expect(queueCounts(rows, null, new Set()).conflicted).toBe(2);
  });

  it('counts nothing as mine when nobody is signed in', () => {
    expect(queueCounts([row('1', 'dispatched', 'lin.chief', null)], null, new Set()).mine).toBe(0);
  });
});
