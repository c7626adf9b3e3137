import { describe, expect, it } from 'vitest';
import type { Ticket } from '../model/ticket';
import { RepairLog, type RepairRecord } from './repair-log';

/** A resolved (or not) ticket of a device, with only what the repair log reads. */
function repair(id: string, device: string, resolvedAt: number | undefined, state: Ticket['state'] = 'closed'): Ticket {
  return {
    key: id, fields: { device, no: `NO-${id}`, title: `维修 ${id}` }, state, createdAt: 0, stateEnteredAt: 0,
    pauses: [], tags: [], assignee: null, milestones: resolvedAt === undefined ? {} : { resolved: resolvedAt },
  };
}

/** What `recent` means, written the plain way: every repair sorted, newest first. */
function naive(all: RepairRecord[], limit: number, now: number): string[] {
  return all
    .filter((r) => r.resolvedAt <= now)
    .sort((a, b) => b.resolvedAt - a.resolvedAt || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
    .map((r) => r.id);
}

describe('the repair log', () => {
  it("gives a device's last repairs newest first, ties by id, only those resolved by now", () => {
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 40; round++) {
      const tickets = Array.from({ length: 1 + Math.floor(rnd() * 120) }, (_, i) => repair(`t${String(i).padStart(3, '0')}`, 'CNC-07', Math.floor(rnd() * 30) * 1000));
      const log = new RepairLog(tickets);
      const records = tickets.map((t) => ({ id: t.key, resolvedAt: t.milestones.resolved! }) as RepairRecord);
      for (const limit of [0, 1, 3, 4, 200]) {
        const now = Math.floor(rnd() * 32) * 1000;
        expect(log.recent('CNC-07', limit, now).map((r) => r.id), `round ${round}, limit ${limit}`).toEqual(naive(records, limit, now));
      }
    }
  });

  it('leaves out unresolved and cancelled tickets, other devices, and a ticket that moved to another device', () => {
    const log = new RepairLog([repair('a', 'CNC-07', 3000), repair('b', 'CNC-07', undefined), repair('c', 'CNC-07', 5000, 'cancelled'), repair('d', 'PUMP-2', 4000)]);
    expect(log.recent('CNC-07', 3, 10_000).map((r) => r.id)).toEqual(['a']);
    log.upsert(repair('a', 'PUMP-2', 3000));
    expect(log.recent('CNC-07', 3, 10_000)).toEqual([]);
    expect(log.recent('PUMP-2', 3, 10_000).map((r) => [r.id, r.no, r.title])).toEqual([['d', 'NO-d', '维修 d'], ['a', 'NO-a', '维修 a']]);
    expect(log.recent('NONE', 3, 10_000)).toEqual([]);
  });
});
