import { describe, expect, it } from 'vitest';
import { parseInstant } from '../time/instant';
import { fnv1a32, pickFor } from './pick';
import { onDuty } from './roster';
import type { Shift } from './roster';

const night: Shift = { user: 'lin.chief', days: new Set([1, 2, 3, 4, 5]), from: 20 * 60, to: 8 * 60 }; // Mon–Fri nights
const day: Shift = { user: 'wang.tech', days: new Set([1, 2, 3, 4, 5]), from: 8 * 60, to: 20 * 60 };
const on = (iso: string): string[] => onDuty([night, day], 'Asia/Shanghai', parseInstant(iso) as number);

describe('rosters', () => {
  it('treats a shift as half-open [from, to)', () => {
    expect(on('2026-03-03T07:59:00+08:00')).toEqual(['lin.chief']);
    expect(on('2026-03-03T08:00:00+08:00')).toEqual(['wang.tech']);
    expect(on('2026-03-03T19:59:59+08:00')).toEqual(['wang.tech']);
    expect(on('2026-03-03T20:00:00+08:00')).toEqual(['lin.chief']);
  });

  it("covers Saturday morning with Friday's night shift, but not Monday morning with Sunday's", () => {
    expect(on('2026-03-07T03:00:00+08:00')).toEqual(['lin.chief']); // Saturday, Friday's shift
    expect(on('2026-03-07T21:00:00+08:00')).toEqual([]); // Saturday night: no shift starts
    expect(on('2026-03-09T03:00:00+08:00')).toEqual([]); // Monday 03:00 belongs to Sunday: off
  });

  it('lists several people on duty sorted, each once', () => {
    const both = onDuty([day, { ...day, user: 'chen.it' }, day], 'Asia/Shanghai', parseInstant('2026-03-03T10:00:00+08:00') as number);
    expect(both).toEqual(['chen.it', 'wang.tech']);
  });
});

describe('deterministic picks', () => {
  it('hashes with FNV-1a', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
  });

  it('picks the same person for a ticket whatever the order of candidates', () => {
    expect(pickFor('t-1', ['c', 'a', 'b'])).toBe(pickFor('t-1', ['b', 'c', 'a']));
    expect(pickFor('t-1', [])).toBeNull();
  });
});
