import { describe, expect, it } from 'vitest';
import { editLatencies, percentile } from './stats';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
  it('is null for no values', () => {
    expect(percentile([], 50)).toBeNull();
  });
});

describe('editLatencies', () => {
  it('matches each edit to the first sighting on every other seat, before the next edit of the ticket', () => {
    const edits = [
      { ticket: 't1', seat: 'a', at: 100 },
      { ticket: 't1', seat: 'b', at: 200 },
    ];
    const seen = [
      { ticket: 't1', seat: 'b', at: 104 },
      { ticket: 't1', seat: 'c', at: 109 },
      { ticket: 't1', seat: 'c', at: 203 },
      { ticket: 't1', seat: 'a', at: 250 },
    ];
    const r = editLatencies(edits, seen, ['a', 'b', 'c']);
    expect(r.latencies.sort((x, y) => x - y)).toEqual([3, 4, 9, 50]);
    expect(r.missing).toBe(0);
    expect(r.first).toEqual([4, 3]);
    expect(r.last).toEqual([9, 50]);
  });
  it('ends an edit’s window at the next edit of the ticket also when that one is reported apart', () => {
    const warm = [{ ticket: 't1', seat: 'a', at: 100 }];
    const timed = [{ ticket: 't1', seat: 'a', at: 200 }];
    // Seat b missed the warm-up frame: its sighting at 205 belongs to the timed edit.
    const seen = [{ ticket: 't1', seat: 'b', at: 205 }];
    expect(editLatencies(warm, seen, ['a', 'b'], timed)).toEqual({ latencies: [], missing: 1, first: [], last: [] });
    expect(editLatencies(timed, seen, ['a', 'b'], warm).latencies).toEqual([5]);
  });
  it('counts a seat that never saw an edit as missing', () => {
    const r = editLatencies([{ ticket: 't1', seat: 'a', at: 100 }], [{ ticket: 't1', seat: 'b', at: 90 }], ['a', 'b']);
    expect(r).toEqual({ latencies: [], missing: 1, first: [], last: [] });
  });
});
