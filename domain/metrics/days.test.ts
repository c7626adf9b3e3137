import { describe, expect, it } from 'vitest';
import { localDate } from '../zone';
import { ZoneDays, dayKey, dayNumber } from './days';
import { instantMs } from './instant';

describe('instants', () => {
  it('reads ISO-8601 instants like Date.parse', () => {
    for (const s of ['2026-02-18T23:50:00+08:00', '2026-02-18T15:50:00Z', '2026-02-18T15:50:00.5Z', '2026-02-18T15:50:00.123456-03:30',
      '1969-12-31T23:59:59Z', '2000-02-29T12:00:00+14:00', '2026-02-18T23:50+08:00']) {
      expect(instantMs(s)).toBe(Date.parse(s));
    }
    expect(instantMs('not a time')).toBeNaN();
  });
});

describe('zone days', () => {
  it('agrees with localDate in Shanghai and across DST switches in New York and Sydney', () => {
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Australia/Sydney', 'Asia/Kathmandu']) {
      const days = new ZoneDays(zone);
      const start = Date.parse('2026-03-07T00:00:00Z');
      for (let t = start; t < start + 40 * 86_400_000; t += 7 * 60_000 + 13_000) {
        expect(dayKey(days.dayOf(t))).toBe(localDate(t, zone));
      }
      for (const t of [Date.parse('2026-03-08T06:59:59Z'), Date.parse('2026-03-08T07:00:00Z'), Date.parse('2026-11-01T05:00:00Z'), Date.parse('2026-04-04T15:00:00Z')]) {
        expect(dayKey(days.dayOf(t))).toBe(localDate(t, zone));
      }
    }
  });

  it('turns dates into day numbers and back, refusing dates that do not exist', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayKey(dayNumber('2026-02-28')! + 1)).toBe('2026-03-01');
    expect(dayNumber('2026-02-29')).toBeNull();
    expect(dayNumber('2026-2-1')).toBeNull();
  });

  it('refuses an unknown zone', () => {
    expect(() => new ZoneDays('Mars/Olympus')).toThrow(RangeError);
  });
});
