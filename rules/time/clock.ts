/**
 * Wall-clock arithmetic on local calendar days: "HH:MM" minutes, day numbers (days since
 * 1970-01-01 of a local date) and weekdays. Pure and zone-free; see zone.ts for instants.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Minutes after midnight of "HH:MM" (00:00–23:59; "24:00" only when `allowEnd`), or null. */
export function parseHHMM(text: string, allowEnd = false): number | null {
  const m = HHMM.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60 || (minutes === 24 * 60 && !allowEnd)) return null;
  return minutes;
}

export function formatHHMM(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export interface LocalDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
}

/** Day number of a valid ISO date "YYYY-MM-DD", or null (2026-02-30 is null). */
export function parseIsoDate(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const n = dayNumber({ year, month, day });
  const back = fromDayNumber(n);
  return back.year === year && back.month === month && back.day === day ? n : null;
}

export function dayNumber(date: LocalDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

export function fromDayNumber(n: number): LocalDate {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function weekdayName(day: number): Weekday {
  return WEEKDAYS[weekdayOf(day)] ?? 'sun';
}

export function formatIsoDate(day: number): string {
  const d = fromDayNumber(day);
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}
