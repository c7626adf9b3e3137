import { describe, expect, it } from 'vitest';
import type { TicketRow } from '../../../domain';
import { Directory } from '../../../rules/people/directory';
import type { Shift } from '../../../rules/people/roster';
import type { RoutingRule } from '../../../rules';
import { onDutyNow, openLoad, rosterAt } from './on-duty';

const ALL = new Set([0, 1, 2, 3, 4, 5, 6]);
const night: Shift = { user: 'lin.chief', days: ALL, from: 20 * 60, to: 8 * 60 };
const day: Shift = { user: 'liu.tech', days: new Set([1, 2, 3, 4, 5]), from: 8 * 60, to: 17 * 60 + 30 };
const at = (iso: string) => Date.parse(iso);

describe('rosterAt', () => {
  it('puts the night chief on duty across midnight until 08:00 the next morning', () => {
    expect(rosterAt([night], 'Asia/Shanghai', at('2026-03-03T23:10:00+08:00'))).toEqual([
      { user: 'lin.chief', shift: '20:00–08:00', until: at('2026-03-04T08:00:00+08:00') },
    ]);
    expect(rosterAt([night], 'Asia/Shanghai', at('2026-03-04T03:00:00+08:00'))).toEqual([
      { user: 'lin.chief', shift: '20:00–08:00', until: at('2026-03-04T08:00:00+08:00') },
    ]);
  });

  it('hands over at 08:00: 07:59 is the night shift, 08:00 the day shift', () => {
    const shifts = [night, { ...day, from: 8 * 60 }];
    expect(rosterAt(shifts, 'Asia/Shanghai', at('2026-03-03T07:59:00+08:00')).map((d) => d.user)).toEqual(['lin.chief']);
    expect(rosterAt(shifts, 'Asia/Shanghai', at('2026-03-03T08:00:00+08:00')).map((d) => d.user)).toEqual(['liu.tech']);
  });

  it("reads shifts on the site's clock, not the machine's", () => {
    // 01:00 UTC is 09:00 in Shanghai (day shift) but 21:00 the evening before in New York (night shift).
    const instant = at('2026-03-03T01:00:00Z');
    expect(rosterAt([night, day], 'Asia/Shanghai', instant).map((d) => d.user)).toEqual(['liu.tech']);
    expect(rosterAt([night, day], 'America/New_York', instant).map((d) => d.user)).toEqual(['lin.chief']);
  });

  it('lists a person once, with the covering shift that ends last', () => {
    const late: Shift = { user: 'lin.chief', days: ALL, from: 22 * 60, to: 10 * 60 };
    expect(rosterAt([night, late], 'Asia/Shanghai', at('2026-03-03T23:00:00+08:00'))).toEqual([
      { user: 'lin.chief', shift: '22:00–10:00', until: at('2026-03-04T10:00:00+08:00') },
    ]);
  });

  it('is empty when nobody is on duty (Saturday daytime for a weekday roster)', () => {
    expect(rosterAt([day], 'Asia/Shanghai', at('2026-03-07T10:00:00+08:00'))).toEqual([]);
  });
});

const row = (id: string, assignee: string | null, state: TicketRow['state']) => ({ id, assignee, state }) as TicketRow;

describe('onDutyNow', () => {
  it('counts open tickets per assignee, leaving closed and cancelled ones out', () => {
    const load = openLoad([row('1', 'a', 'dispatched'), row('2', 'a', 'in_progress'), row('3', 'a', 'closed'), row('4', 'b', 'cancelled'), row('5', null, 'pending_acceptance')]);
    expect(Object.fromEntries(load)).toEqual({ a: 2 });
  });

  it("lists each roster with its pools and who is on duty, their name, shift end in the site's zone and load", () => {
    const people = [{ id: 'lin.chief', name: '林师傅', roles: ['technician'], teams: [], areas: [] }];
    const rosters = new Map([['night-chief', [night]], ['it-day', [day]]]);
    const routing = [
      { id: 'night', assign: { kind: 'roster', roster: 'night-chief' }, pool: '紧急-机械类' },
      { id: 'other', assign: null, pool: '综合受理' },
    ] as unknown as RoutingRule[]; // only assign and pool are read
    const pack = { zone: 'Asia/Shanghai', rosters, routing, directory: new Directory(people, new Map(), rosters, 'Asia/Shanghai') };
    const rows = [row('1', 'lin.chief', 'dispatched'), row('2', 'lin.chief', 'closed')];
    expect(onDutyNow(pack, rows, at('2026-03-03T23:10:00+08:00'))).toEqual([
      { roster: 'night-chief', pools: ['紧急-机械类'], people: [{ id: 'lin.chief', name: '林师傅', shift: '20:00–08:00', until: '2026-03-04T08:00:00+08:00', load: 1 }] },
      { roster: 'it-day', pools: [], people: [] },
    ]);
  });
});
