/**
 * A small pure time-zone helper over `Intl.DateTimeFormat`: an instant → the site's wall-clock
 * parts, and a local date + minute → the instant. The machine's own zone never matters.
 * DST follows Temporal's "compatible" rule: a time skipped by a spring-forward gap moves forward
 * by the gap, a time repeated by a fall-back overlap takes the earlier instant.
 */
import { dayNumber, fromDayNumber, weekdayOf } from './clock';

export interface LocalParts {
  /** Local calendar day as a day number (days since 1970-01-01). */
  readonly day: number;
  /** Minutes after local midnight, 0–1439 (seconds dropped). */
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** UTC offset in minutes (east positive), e.g. 480 for Asia/Shanghai. */
  readonly offset: number;
}

const MINUTE_MS = 60_000;
const BUCKET_MS = 15 * MINUTE_MS; // zone transitions fall on quarter hours
const MAX_CACHE = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone this runtime knows. */
export function isValidZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function computeOffset(zone: string, instant: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1,
    fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0,
  );
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return Math.round((asUtc - whole) / MINUTE_MS);
}

/** UTC offset of `zone` at `instant`, in minutes. Memoised per quarter hour (pure: same in, same out). */
export function offsetAt(zone: string, instant: number): number {
  let perZone = offsets.get(zone);
  if (!perZone) {
    perZone = new Map();
    offsets.set(zone, perZone);
  }
  const bucket = Math.floor(instant / BUCKET_MS);
  let offset = perZone.get(bucket);
  if (offset === undefined) {
    offset = computeOffset(zone, bucket * BUCKET_MS);
    if (perZone.size >= MAX_CACHE) perZone.clear();
    perZone.set(bucket, offset);
  }
  return offset;
}

export function localParts(zone: string, instant: number): LocalParts {
  const offset = offsetAt(zone, instant);
  const shifted = instant + offset * MINUTE_MS;
  const day = Math.floor(shifted / 86_400_000);
  const msOfDay = shifted - day * 86_400_000;
  return {
    day,
    minute: Math.floor(msOfDay / MINUTE_MS),
    second: Math.floor((msOfDay % MINUTE_MS) / 1000),
    weekday: weekdayOf(day),
    offset,
  };
}

/** The instant at which the wall clock of `zone` shows local `day` at `minute` (may be 1440). */
export function toInstant(zone: string, day: number, minute: number): number {
  const asUtc = day * 86_400_000 + minute * MINUTE_MS;
  const before = offsetAt(zone, asUtc - 86_400_000);
  const after = offsetAt(zone, asUtc + 86_400_000);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = asUtc - offset * MINUTE_MS;
    if (offsetAt(zone, candidate) === offset && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return best;
  return asUtc - before * MINUTE_MS; // in a gap: move forward by the gap
}

/** Start of the local day that contains `instant`. */
export function startOfLocalDay(zone: string, instant: number): number {
  return toInstant(zone, localParts(zone, instant).day, 0);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DDTHH:mm:ss±hh:mm` in the site's zone. */
export function formatInZone(zone: string, instant: number): string {
  const p = localParts(zone, instant);
  const d = fromDayNumber(p.day);
  const sign = p.offset < 0 ? '-' : '+';
  const abs = Math.abs(p.offset);
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(Math.floor(p.minute / 60))}:${pad(p.minute % 60)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export { dayNumber };
