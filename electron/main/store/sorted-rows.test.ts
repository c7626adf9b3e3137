import { describe, expect, it } from 'vitest';
import type { TicketRow } from '../../../domain';
import { SortedRows } from './sorted-rows';

/** Rows with only what the order reads: an id and a created time (many equal, to test the tie-break). */
const row = (id: string, createdAt: string) => ({ id, createdAt }) as TicketRow;

/** A small seeded generator, so a failure names its case. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('rows in order', () => {
  it('inserts many at once in the same order as one by one, whatever the sizes and overlaps', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      const at = () => `2026-03-${String(1 + Math.floor(next() * 9)).padStart(2, '0')}T08:00:00Z`;
      const before = Array.from({ length: Math.floor(next() * 300) }, (_, i) => row(`a${i}`, at()));
      const added = Array.from({ length: Math.floor(next() * 600) }, (_, i) => row(`b${i}`, at()));
      const one = new SortedRows((r) => r.createdAt);
      const many = new SortedRows((r) => r.createdAt);
      one.reset(before);
      many.reset(before);
      for (const r of added) one.insert(r);
      many.insertMany(added);
      expect(many.items.map((r) => r.id), `seed ${seed}`).toEqual(one.items.map((r) => r.id));
    }
  });

  it('still finds, replaces and removes rows it took in a merge', () => {
    const rows = new SortedRows((r) => r.createdAt);
    rows.reset([row('a', '2026-03-02T00:00:00Z'), row('c', '2026-03-04T00:00:00Z')]);
    rows.insertMany(Array.from({ length: 40 }, (_, i) => row(`n${String(i).padStart(2, '0')}`, '2026-03-03T00:00:00Z')));
    expect(rows.length).toBe(42);
    expect(rows.items[0]!.id).toBe('a');
    expect(rows.items[41]!.id).toBe('c');
    expect(rows.remove(row('n07', '2026-03-03T00:00:00Z'))).toBe(true);
    rows.replace(row('n08', '2026-03-03T00:00:00Z'), row('n08', '2026-03-05T00:00:00Z'));
    expect(rows.items.at(-1)!.id).toBe('n08');
    expect(rows.length).toBe(41);
  });
});
