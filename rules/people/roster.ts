/**
 * Rosters: who is on duty when. A shift is half-open, [from, to), may cross midnight (to ≤ from;
 * from = to is a 24-hour shift) and belongs to the day it starts on: a Friday 20:00–08:00 shift
 * covers Saturday 07:59 but not 08:00. Resolved at the moment a rule fires.
 */
import { weekdayOf } from '../time/clock';
import { localParts } from '../time/zone';

export interface Shift {
  readonly user: string;
  /** Weekdays the shift starts on, 0 = Sunday … 6 = Saturday. */
  readonly days: ReadonlySet<number>;
  readonly from: number; // minutes after midnight
  readonly to: number; // minutes after midnight, 1440 = midnight at the end of the day
}

export function shiftCovers(shift: Shift, day: number, minute: number): boolean {
  const startsToday = shift.days.has(weekdayOf(day));
  if (shift.from < shift.to) return startsToday && minute >= shift.from && minute < shift.to;
  const startedYesterday = shift.days.has(weekdayOf(day - 1));
  return (startsToday && minute >= shift.from) || (startedYesterday && minute < shift.to);
}

/** Ids of the people on duty at `now`, sorted, each once. */
export function onDuty(shifts: readonly Shift[], zone: string, now: number): string[] {
  const { day, minute } = localParts(zone, now);
  const people = new Set<string>();
  for (const shift of shifts) if (shiftCovers(shift, day, minute)) people.add(shift.user);
  return [...people].sort();
}
