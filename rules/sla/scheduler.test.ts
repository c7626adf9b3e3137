import { describe, expect, it } from 'vitest';
import { DeadlineScheduler } from './scheduler';

describe('SLA scheduler keyed by due time', () => {
  it('pops the deadlines that are due, earliest first, and leaves the rest', () => {
    const s = new DeadlineScheduler();
    s.upsert({ dueAt: 300, ticket: 'c', rule: 'r' });
    s.upsert({ dueAt: 100, ticket: 'a', rule: 'r' });
    s.upsert({ dueAt: 200, ticket: 'b', rule: 'r' });
    s.upsert({ dueAt: 100, ticket: 'a', rule: 'q' });
    expect(s.popDue(200).map((d) => `${d.ticket}/${d.rule}@${d.dueAt}`)).toEqual(['a/q@100', 'a/r@100', 'b/r@200']);
    expect(s.size).toBe(1);
    expect(s.peek()).toEqual({ dueAt: 300, ticket: 'c', rule: 'r' });
    expect(s.popDue(299)).toEqual([]);
  });

  it('moves a deadline when it is upserted again (a pause, a new state)', () => {
    const s = new DeadlineScheduler();
    s.upsert({ dueAt: 100, ticket: 'a', rule: 'r' });
    s.upsert({ dueAt: 150, ticket: 'b', rule: 'r' });
    s.upsert({ dueAt: 500, ticket: 'a', rule: 'r' });
    expect(s.size).toBe(2);
    expect(s.popDue(200).map((d) => d.ticket)).toEqual(['b']);
    s.upsert({ dueAt: 50, ticket: 'a', rule: 'r' });
    expect(s.popDue(60).map((d) => d.dueAt)).toEqual([50]);
  });

  it("tells a ticket's next deadline and which tickets fall due by a time (the workbench's clocks)", () => {
    const s = new DeadlineScheduler();
    s.upsert({ dueAt: 300, ticket: 'a', rule: 'resolve-4h' });
    s.upsert({ dueAt: 100, ticket: 'a', rule: 'accept-15m' });
    s.upsert({ dueAt: 200, ticket: 'b', rule: 'accept-15m' });
    expect(s.nextDueOf('a')).toBe(100);
    expect(s.nextDueOf('nobody')).toBeNull();
    expect([...s.ticketsDueBy(200)].sort()).toEqual(['a', 'b']);
    expect([...s.ticketsDueBy(99)]).toEqual([]);
  });

  it('removes one deadline or all of a ticket', () => {
    const s = new DeadlineScheduler();
    s.upsert({ dueAt: 1, ticket: 'a', rule: 'x' });
    s.upsert({ dueAt: 2, ticket: 'a', rule: 'y' });
    s.upsert({ dueAt: 3, ticket: 'b', rule: 'x' });
    expect(s.remove('b', 'x')).toBe(true);
    expect(s.remove('b', 'x')).toBe(false);
    expect(s.removeTicket('a')).toBe(2);
    expect(s.size).toBe(0);
  });

  it('stays a valid heap under many random operations', () => {
    let seed = 42;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const s = new DeadlineScheduler();
    const model = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const ticket = `t${Math.floor(rand() * 300)}`;
      const op = rand();
      if (op < 0.6) {
        const dueAt = Math.floor(rand() * 10_000);
        s.upsert({ dueAt, ticket, rule: 'r' });
        model.set(ticket, dueAt);
      } else if (op < 0.8) {
        expect(s.remove(ticket, 'r')).toBe(model.delete(ticket));
      } else {
        const now = Math.floor(rand() * 3000);
        const expected = [...model].filter(([, d]) => d <= now).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
        expect(s.popDue(now).map((d) => [d.ticket, d.dueAt])).toEqual(expected);
        for (const [t] of expected) model.delete(t);
      }
      expect(s.size).toBe(model.size);
    }
  });
});
