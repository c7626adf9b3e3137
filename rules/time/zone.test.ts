import { afterEach, describe, expect, it } from 'vitest';
import { dayNumber, formatHHMM } from './clock';
import { parseInstant } from './instant';
import { formatInZone, localParts, offsetAt, startOfLocalDay, toInstant } from './zone';

const at = (iso: string): number => parseInstant(iso) as number;
const day = (y: number, m: number, d: number): number => dayNumber({ year: y, month: m, day: d });

describe('site time zone helper', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it('reads 22:10 in Shanghai from a UTC instant', () => {
    const p = localParts('Asia/Shanghai', at('2026-02-18T14:10:00Z'));
    expect(p.day).toBe(day(2026, 2, 18));
    expect(formatHHMM(p.minute)).toBe('22:10');
    expect(p.weekday).toBe(3); // Wednesday
    expect(p.offset).toBe(480);
  });

  it('gives the same wall clock whatever zone the machine is in', () => {
    const instant = at('2026-02-18T22:10:00+08:00');
    process.env.TZ = 'America/Los_Angeles';
    const west = localParts('Asia/Shanghai', instant);
    process.env.TZ = 'Pacific/Kiritimati';
    const east = localParts('Asia/Shanghai', instant);
    expect(west).toEqual(east);
    expect(formatInZone('Asia/Shanghai', instant)).toBe('2026-02-18T22:10:00+08:00');
  });

  it('maps a Shanghai local time back to its instant', () => {
    expect(toInstant('Asia/Shanghai', day(2026, 2, 18), 22 * 60 + 40)).toBe(at('2026-02-18T22:40:00+08:00'));
  });

  it('follows Berlin across the spring-forward gap', () => {
    expect(offsetAt('Europe/Berlin', at('2026-03-29T00:59:00Z'))).toBe(60);
    expect(offsetAt('Europe/Berlin', at('2026-03-29T01:00:00Z'))).toBe(120);
    expect(formatInZone('Europe/Berlin', at('2026-03-29T01:30:00Z'))).toBe('2026-03-29T03:30:00+02:00');
    // 02:30 does not exist that night: it moves forward by the gap, to 03:30 CEST.
    expect(toInstant('Europe/Berlin', day(2026, 3, 29), 150)).toBe(at('2026-03-29T03:30:00+02:00'));
    expect(toInstant('Europe/Berlin', day(2026, 3, 29), 180)).toBe(at('2026-03-29T03:00:00+02:00'));
  });

  it('takes the earlier instant for a Berlin time repeated at fall-back', () => {
    expect(toInstant('Europe/Berlin', day(2026, 10, 25), 150)).toBe(at('2026-10-25T02:30:00+02:00'));
    expect(formatInZone('Europe/Berlin', at('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
    expect(toInstant('Europe/Berlin', day(2026, 10, 25), 4 * 60)).toBe(at('2026-10-25T04:00:00+01:00'));
  });

  it('finds the start of a local day (a 23-hour day in Berlin)', () => {
    expect(startOfLocalDay('Asia/Shanghai', at('2026-02-18T00:30:00+08:00'))).toBe(at('2026-02-18T00:00:00+08:00'));
    const start = startOfLocalDay('Europe/Berlin', at('2026-03-29T12:00:00+02:00'));
    expect(start).toBe(at('2026-03-29T00:00:00+01:00'));
    expect(startOfLocalDay('Europe/Berlin', at('2026-03-30T12:00:00+02:00')) - start).toBe(23 * 3_600_000);
  });

  it('formats negative offsets and seconds', () => {
    expect(formatInZone('America/New_York', at('2026-07-01T12:00:05Z'))).toBe('2026-07-01T08:00:05-04:00');
  });
});

describe('ISO instants', () => {
  it('requires an offset and a real date', () => {
    expect(parseInstant('2026-02-18T22:10:00+08:00')).toBe(Date.UTC(2026, 1, 18, 14, 10));
    expect(parseInstant('2026-02-18T22:10:00.250Z')).toBe(Date.UTC(2026, 1, 18, 22, 10, 0, 250));
    expect(parseInstant('2026-02-18T22:10:00')).toBeNull();
    expect(parseInstant('2026-02-30T22:10:00+08:00')).toBeNull();
    expect(parseInstant('2026-02-18T24:00:00+08:00')).toBeNull();
  });
});
