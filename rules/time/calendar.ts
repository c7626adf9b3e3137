/**
 * A site's business calendar: workdays, opening hours, holidays (days off) and make-up workdays
 * (调休). Answers "is this instant inside business hours", "when do we next open" and "what instant
 * is N business minutes after this one", across weekends, holidays and DST, in the site's zone.
 */
import { formatIsoDate } from './clock';
import { localParts, toInstant } from './zone';

export interface CalendarSpec {
  /** Weekday numbers, 0 = Sunday … 6 = Saturday. */
  readonly workdays: readonly number[];
  /** Opening hours as [from, to) minutes after midnight, sorted and disjoint. */
  readonly hours: readonly (readonly [number, number])[];
  /** Day numbers that are off although their weekday is a workday. */
  readonly holidays: ReadonlySet<number>;
  /** Day numbers that are worked although their weekday is not (or that are holidays). */
  readonly extraWorkdays: ReadonlySet<number>;
}

/** How far ahead a search for the next opening looks before giving up (two years). */
const SEARCH_DAYS = 2 * 366;

export type Interval = readonly [number, number];

export class BusinessCalendar {
  private readonly workdays: ReadonlySet<number>;

  constructor(readonly zone: string, readonly spec: CalendarSpec) {
    this.workdays = new Set(spec.workdays);
  }

  /** A make-up workday is worked even if also listed as a holiday. */
  isWorkday(day: number): boolean {
    if (this.spec.extraWorkdays.has(day)) return true;
    if (this.spec.holidays.has(day)) return false;
    return this.workdays.has((((day + 4) % 7) + 7) % 7);
  }

  describeDay(day: number): string {
    const date = formatIsoDate(day);
    if (this.spec.extraWorkdays.has(day)) return `${date} (make-up workday)`;
    if (this.spec.holidays.has(day)) return `${date} (holiday)`;
    return this.isWorkday(day) ? `${date} (workday)` : `${date} (day off)`;
  }

  /** Inside opening hours: [from, to) on a workday. */
  isBusinessTime(instant: number): boolean {
    const p = localParts(this.zone, instant);
    if (!this.isWorkday(p.day)) return false;
    for (const [from, to] of this.spec.hours) {
      if (p.minute >= from && p.minute < to) return true;
    }
    return false;
  }

  /** Business intervals from `instant` on, the first one clipped to start at `instant`. */
  *intervalsFrom(instant: number): Generator<Interval> {
    const first = localParts(this.zone, instant).day;
    for (let day = first - 1; day <= first + SEARCH_DAYS; day++) {
      if (!this.isWorkday(day)) continue;
      for (const [from, to] of this.spec.hours) {
        const end = toInstant(this.zone, day, to);
        if (end <= instant) continue;
        const start = Math.max(toInstant(this.zone, day, from), instant);
        if (start < end) yield [start, end];
      }
    }
  }

  /** `instant` itself when open, else the next opening; null if none within two years. */
  nextOpening(instant: number): number | null {
    for (const [start] of this.intervalsFrom(instant)) return start;
    return null;
  }

  /** The instant `ms` of business time after `instant`; null if the calendar never opens. */
  addBusinessTime(instant: number, ms: number): number | null {
    let left = ms;
    for (const [start, end] of this.intervalsFrom(instant)) {
      if (end - start >= left) return start + left;
      left -= end - start;
    }
    return null;
  }
}
