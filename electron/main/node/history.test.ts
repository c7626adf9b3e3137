import * as Automerge from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../domain';
import { changeTicketDoc, newTicketDoc, toTicket } from '../store/ticket-doc';
import { T0, dispatched, makeTicket } from '../store/test-tickets';
import { changedPaths, ticketHistory } from './history';

const info = (by: string, seat: string, action: string, minutes: number) => ({ message: { by, seat, action }, at: T0 + minutes * 60_000 });

describe('ticket history', () => {
  it('shows each seat’s concurrent change with exactly its own effect', () => {
    const t = makeTicket(1);
    const base = newTicketDoc(t, info('wang.fang', 'AB', 'create', 0));
    const other = Automerge.clone(base);
    const here = changeTicketDoc(base, t, dispatched(t, 'lin.chief'), info('zhang.wei', 'AB', 'dispatch', 5));
    const there = changeTicketDoc(other, t, { ...t, tags: ['VIP'] }, info('li.na', 'CD', 'tag', 6));
    const merged = Automerge.merge(here, there);
    const history = ticketHistory(merged, DEMO_PEOPLE);
    expect(history).toHaveLength(3);
    const tag = history.find((h) => h.seat === 'CD')!;
    expect(tag).toMatchObject({ by: 'li.na', at: '2026-11-24T01:06:00.000Z', summary: '修改了 tags' });
    expect(tag.changes).toEqual([{ path: 'tags[0]', before: null, after: 'VIP' }]);
    const dispatch = history.find((h) => h.by === 'zhang.wei')!;
    expect(dispatch.summary).toBe('派单（待受理 → 已派单），处理人：林师傅');
    expect(dispatch.changes.some((c) => c.path.startsWith('tags'))).toBe(false);
    expect(toTicket(merged).tags).toEqual(['VIP']);
    Automerge.free(merged);
    Automerge.free(there);
  });

  it('lists changed paths with before and after, whole values where one side is missing', () => {
    expect(changedPaths({ a: 1, m: { x: 'p' }, l: [1] }, { a: 2, m: { x: 'p', y: 'q' }, l: [1, { k: 1 }] })).toEqual([
      { path: 'a', before: 1, after: 2 },
      { path: 'm.y', before: null, after: 'q' },
      { path: 'l[1]', before: null, after: { k: 1 } },
    ]);
  });
});
