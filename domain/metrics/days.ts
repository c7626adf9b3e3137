/**
 * Calendar days of a site's zone as integers (days since 1970-01-01 on the local calendar), so the
 * dashboard can bucket ~1.6 million instants a year without formatting each one. Offsets come from
 * `Intl` once per UTC day (twice, at its start and end); only a day on which the offset changes
 * (a DST switch) is resolved per quarter hour, where every real transition falls.
 */
import { zoneOffsetMinutes } from '../zone';
import { daysFromCivil } from './instant';

const DAY = 86_400_000;
const QUARTER = 900_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class ZoneDays {
  /** UTC day → offset in minutes for the whole day, or null when it changes during the day. */
  private readonly byUtcDay = new Map<number, number | null>();
  private readonly byQuarter = new Map<number, number>();
  private lastUtcDay = NaN;
  private lastOffset = 0;

  constructor(readonly zone: string) {
    zoneOffsetMinutes(0, zone); // throws RangeError on an unknown zone, here rather than later
  }

  /** The zone's offset from UTC at the instant, in minutes. */
  offsetAt(ms: number): number {
    const utcDay = Math.floor(ms / DAY);
    if (utcDay === this.lastUtcDay) return this.lastOffset;
    let whole = this.byUtcDay.get(utcDay);
    if (whole === undefined) {
      const start = zoneOffsetMinutes(utcDay * DAY, this.zone);
      whole = start === zoneOffsetMinutes(utcDay * DAY + DAY - 1, this.zone) ? start : null;
      this.byUtcDay.set(utcDay, whole);
    }
    if (whole !== null) {
      this.lastUtcDay = utcDay;
      this.lastOffset = whole;
      return whole;
    }
    const q = Math.floor(ms / QUARTER);
    let off = this.byQuarter.get(q);
    if (off === undefined) {
      off = zoneOffsetMinutes(q * QUARTER, this.zone);
      this.byQuarter.set(q, off);
    }
    return off;
  }

  /** The local calendar day of an instant. */
  dayOf(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms) * 60_000) / DAY);
  }
}

/** `YYYY-MM-DD` → day number; null when it is not a real calendar date. */
export function dayNumber(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = daysFromCivil(y, mo, d);
  return dayKey(n) === date ? n : null;
}

/** Day number → `YYYY-MM-DD`. */
export function dayKey(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Every `YYYY-MM-DD` from `from` to `to` inclusive. */
export function daysBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d++) out.push(dayKey(d));
  return out;
}
