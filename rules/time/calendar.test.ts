import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCalendarFile } from '../calendars/calendar-file';
import { BusinessCalendar } from './calendar';
import { parseIsoDate } from './clock';
import { parseInstant } from './instant';
import { formatInZone } from './zone';

const cn2026 = parseCalendarFile(readFileSync(fileURLToPath(new URL('../calendars/cn-2026.yaml', import.meta.url)), 'utf8'), 'cn-2026.yaml');
const days = (list: readonly string[] | undefined): Set<number> => new Set((list ?? []).map((d) => parseIsoDate(d) as number));
const calendar = new BusinessCalendar('Asia/Shanghai', {
  workdays: [1, 2, 3, 4, 5],
  hours: [[8 * 60 + 30, 12 * 60], [13 * 60 + 30, 17 * 60 + 30]],
  holidays: days(cn2026.holidays),
  extraWorkdays: days(cn2026.extra_workdays),
});
const at = (iso: string): number => parseInstant(iso) as number;
const show = (ms: number | null): string | null => (ms === null ? null : formatInZone('Asia/Shanghai', ms));
const workday = (date: string): boolean => calendar.isWorkday(parseIsoDate(date) as number);

describe('cn-2026 calendar (国办发明电〔2025〕7号)', () => {
  it('lists 33 days off and 6 make-up workdays', () => {
    expect(cn2026.holidays).toHaveLength(33);
    expect(cn2026.extra_workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('treats the Spring Festival and National Day weekdays as days off', () => {
    expect(workday('2026-02-16')).toBe(false); // Monday, 春节
    expect(workday('2026-02-23')).toBe(false); // Monday, last day of 春节
    expect(workday('2026-10-07')).toBe(false); // Wednesday, 国庆
    expect(workday('2026-02-24')).toBe(true);
  });

  it('works the make-up Saturdays and Sundays', () => {
    expect(workday('2026-02-14')).toBe(true); // Saturday
    expect(workday('2026-09-20')).toBe(true); // Sunday
    expect(workday('2026-10-10')).toBe(true); // Saturday
    expect(workday('2026-10-11')).toBe(false); // an ordinary Sunday
  });
});

describe('business hours', () => {
  it('is open 08:30–12:00 and 13:30–17:30 on workdays, half-open', () => {
    expect(calendar.isBusinessTime(at('2026-03-02T08:30:00+08:00'))).toBe(true);
    expect(calendar.isBusinessTime(at('2026-03-02T11:59:59+08:00'))).toBe(true);
    expect(calendar.isBusinessTime(at('2026-03-02T12:00:00+08:00'))).toBe(false);
    expect(calendar.isBusinessTime(at('2026-03-07T10:00:00+08:00'))).toBe(false); // Saturday
    expect(calendar.isBusinessTime(at('2026-02-28T10:00:00+08:00'))).toBe(true); // make-up Saturday
  });

  it('adds business minutes across a weekend', () => {
    // Friday 17:00 + 60 business minutes = 30 min Friday + 30 min Monday from 08:30.
    expect(show(calendar.addBusinessTime(at('2026-03-06T17:00:00+08:00'), 60 * 60_000))).toBe('2026-03-09T09:00:00+08:00');
  });

  it('adds business minutes across the lunch break', () => {
    expect(show(calendar.addBusinessTime(at('2026-03-02T11:45:00+08:00'), 30 * 60_000))).toBe('2026-03-02T13:45:00+08:00');
  });

  it('skips the whole Spring Festival and opens on 24 February', () => {
    expect(show(calendar.nextOpening(at('2026-02-14T18:00:00+08:00')))).toBe('2026-02-24T08:30:00+08:00');
  });

  it('opens on a make-up Sunday after National Day prep', () => {
    expect(show(calendar.nextOpening(at('2026-09-19T09:00:00+08:00')))).toBe('2026-09-20T08:30:00+08:00');
  });

  it('gives no opening when the calendar never opens', () => {
    const never = new BusinessCalendar('Asia/Shanghai', { workdays: [], hours: [[540, 1020]], holidays: new Set(), extraWorkdays: new Set() });
    expect(never.nextOpening(at('2026-03-02T08:00:00+08:00'))).toBeNull();
  });
});
