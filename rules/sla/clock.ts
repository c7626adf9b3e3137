/**
 * SLA clocks: when is a ticket due, given when it entered its state, the target duration, the
 * pauses (waiting on the customer or parts) and, in business mode, the site's calendar. The clock
 * runs only in active time: outside pauses and, in business mode, inside opening hours — so in
 * business mode it starts at the next opening.
 */
import type { Pause } from '../model/ticket';
import type { BusinessCalendar, Interval } from '../time/calendar';

export interface ClockInput {
  /** When the ticket entered the state. */
  readonly start: number;
  readonly durationMs: number;
  readonly pauses: readonly Pause[];
  /** Business calendar for business mode, or null for wall-clock time. */
  readonly calendar: BusinessCalendar | null;
  readonly now: number;
}

export interface ClockReading {
  /** Epoch ms, or null while paused or when the calendar never opens. */
  readonly dueAt: number | null;
  readonly paused: boolean;
}

/** Pauses from `start` on, merged into sorted disjoint intervals; an open pause runs forever. */
function mergedPauses(pauses: readonly Pause[], start: number): Interval[] {
  const list = pauses
    .map((p): Interval => [Math.max(p.from, start), p.to ?? Infinity])
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of list) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

function* wallClock(start: number): Generator<Interval> {
  yield [start, Infinity];
}

/** Active intervals: `base` minus `pauses` (both sorted, disjoint). */
function* active(base: Iterable<Interval>, pauses: readonly Interval[]): Generator<Interval> {
  let p = 0;
  for (const [start, end] of base) {
    let cursor = start;
    while (p < pauses.length && (pauses[p] as Interval)[1] <= cursor) p++;
    for (let q = p; q < pauses.length && cursor < end; q++) {
      const [from, to] = pauses[q] as Interval;
      if (from >= end) break;
      if (from > cursor) yield [cursor, from];
      cursor = Math.max(cursor, to);
    }
    if (cursor < end) yield [cursor, end];
  }
}

export function isPaused(pauses: readonly Pause[], now: number): boolean {
  return pauses.some((p) => p.from <= now && (p.to === null || p.to > now));
}

export function readClock(input: ClockInput): ClockReading {
  if (isPaused(input.pauses, input.now)) return { dueAt: null, paused: true };
  const base = input.calendar ? input.calendar.intervalsFrom(input.start) : wallClock(input.start);
  let left = input.durationMs;
  for (const [start, end] of active(base, mergedPauses(input.pauses, input.start))) {
    if (end - start >= left) return { dueAt: start + left, paused: false };
    left -= end - start;
  }
  return { dueAt: null, paused: false };
}
