import { describe, expect, it } from 'vitest';
import { evaluate } from '../../engine/evaluate';
import { TicketHistory } from '../../history/history';
import { pack, ticket } from '../../testing/fixtures';

function firesAt(when: string, createdAt: string): boolean {
  const p = pack(`routing:\n  - id: r\n    when: ${when}\n    then: { tags: [hit] }\n`);
  return evaluate(p, ticket({ createdAt }), { now: createdAt }).fired.includes('r');
}

const timePack = (when: string) => pack(`routing:\n  - id: r\n    when: ${when}\n    then: { tags: [hit] }\n`);

const NIGHT = '{ time: { between: ["20:00", "07:59"] } }';

describe('time leaf', () => {
  it('includes 07:59 and excludes 08:00 at minute precision', () => {
    expect(firesAt(NIGHT, '2026-02-18T07:59:59+08:00')).toBe(true);
    expect(firesAt(NIGHT, '2026-02-18T08:00:00+08:00')).toBe(false);
    expect(firesAt(NIGHT, '2026-02-18T19:59:59+08:00')).toBe(false);
    expect(firesAt(NIGHT, '2026-02-18T20:00:00+08:00')).toBe(true);
  });

  it('crosses midnight', () => {
    expect(firesAt(NIGHT, '2026-02-18T23:59:00+08:00')).toBe(true);
    expect(firesAt(NIGHT, '2026-02-19T00:00:00+08:00')).toBe(true);
  });

  it("puts Saturday 02:00 in Friday's 20:00–07:59", () => {
    const friday = '{ time: { between: ["20:00", "07:59"], days: [fri] } }';
    expect(firesAt(friday, '2026-03-07T02:00:00+08:00')).toBe(true); // Saturday
    expect(firesAt(friday, '2026-03-06T02:00:00+08:00')).toBe(false); // Friday early morning = Thursday's night
    expect(firesAt(friday, '2026-03-06T21:00:00+08:00')).toBe(true);
    const p = timePack(friday);
    expect(evaluate(p, ticket({ createdAt: '2026-03-07T02:00:00+08:00' }), { now: '2026-03-07T02:00:00+08:00' }).explain[0])
      .toBe("r: Sat 02:00 within Fri's 20:00–07:59 on fri → tags hit");
  });

  it('reads the clock in the site zone, not the offset the ticket was written with', () => {
    expect(firesAt(NIGHT, '2026-02-18T14:10:00Z')).toBe(true); // 22:10 in Shanghai
    expect(firesAt(NIGHT, '2026-02-18T22:10:00-08:00')).toBe(false); // 14:10 in Shanghai the next day
  });

  it('judges another time field or now', () => {
    const p = timePack('{ time: { field: now, between: ["08:00", "17:59"] } }');
    const t = ticket({ createdAt: '2026-02-18T22:10:00+08:00' });
    expect(evaluate(p, t, { now: '2026-02-19T09:00:00+08:00' }).fired).toEqual(['r']);
    expect(evaluate(p, t, { now: '2026-02-19T19:00:00+08:00' }).fired).toEqual([]);
  });
});

describe('time leaf with a business calendar', () => {
  const cal = pack(`routing:
  - id: r
    when: { time: { business: false } }
    then: { tags: [after-hours] }
  - id: w
    when: { time: { days: [workday] } }
    then: { tags: [workday] }
`, { calendar: true });
  const tags = (createdAt: string): string[] => evaluate(cal, ticket({ createdAt }), { now: createdAt }).tags;

  it('knows holidays, make-up days and opening hours', () => {
    expect(tags('2026-09-30T10:00:00+08:00')).toEqual(['workday']);
    expect(tags('2026-09-30T12:30:00+08:00')).toEqual(['after-hours', 'workday']);
    expect(tags('2026-10-01T10:00:00+08:00')).toEqual(['after-hours']); // holiday
    expect(tags('2026-10-10T10:00:00+08:00')).toEqual(['workday']); // make-up Saturday
  });
});

describe('count leaf', () => {
  const p = pack(`automations:
  - id: repeat
    on: created
    when: { count: { same: [device, category], at_least: 3, within: 7d } }
    then: { tags: [红色预警] }
  - id: busy-today
    on: { schedule: daily }
    when: { count: { same: [device], at_least: 4, within: today } }
    then: { tags: [当日多次] }
`);
  const past = (id: string, createdAt: string, extra: Record<string, unknown> = {}) =>
    ticket({ id, createdAt, device: 'M-07', category: '硬件', ...extra });
  const now = '2026-03-10T10:00:00+08:00';
  const current = past('t-new', now);
  const fires = (history: ReturnType<typeof past>[], t = current, at = now, event = 'created'): string[] =>
    evaluate(p, t, { now: at, event, history: new TicketHistory(history) }).fired;

  it('fires on the third ticket of the same device and category in 7 days', () => {
    expect(fires([past('a', '2026-03-05T09:00:00+08:00'), past('b', '2026-03-09T09:00:00+08:00')])).toEqual(['repeat']);
    expect(fires([past('a', '2026-03-05T09:00:00+08:00')])).toEqual([]);
  });

  it('excludes the window start and includes now: (now − 7d, now]', () => {
    const edge = past('a', '2026-03-03T10:00:00+08:00'); // exactly now − 7d
    const inside = past('a', '2026-03-03T10:00:01+08:00');
    const b = past('b', '2026-03-09T09:00:00+08:00');
    expect(fires([edge, b])).toEqual([]);
    expect(fires([inside, b])).toEqual(['repeat']);
    expect(fires([past('a', '2026-03-10T10:00:01+08:00'), b])).toEqual([]); // after now
  });

  it('never counts cancelled tickets, other devices or other categories', () => {
    const b = past('b', '2026-03-09T09:00:00+08:00');
    expect(fires([past('a', '2026-03-08T09:00:00+08:00', { state: 'cancelled' }), b])).toEqual([]);
    expect(fires([past('a', '2026-03-08T09:00:00+08:00', { device: 'M-08' }), b])).toEqual([]);
    expect(fires([past('a', '2026-03-08T09:00:00+08:00', { category: '网络' }), b])).toEqual([]);
  });

  it('never counts when a same field is empty', () => {
    const noDevice = (id: string, at: string) => ticket({ id, createdAt: at, category: '硬件' });
    expect(fires([noDevice('a', '2026-03-08T09:00:00+08:00'), noDevice('b', '2026-03-09T09:00:00+08:00')], noDevice('t-new', now))).toEqual([]);
  });

  it('counts this ticket once even when the history holds it', () => {
    const b = past('b', '2026-03-09T09:00:00+08:00');
    expect(fires([current, b])).toEqual([]);
    expect(fires([current, b, past('c', '2026-03-08T09:00:00+08:00')])).toEqual(['repeat']);
  });

  it('counts `today` on the site calendar day from 00:00 inclusive', () => {
    const late = '2026-03-10T23:00:00+08:00';
    const today = ['2026-03-10T00:00:00+08:00', '2026-03-10T08:00:00+08:00', '2026-03-10T12:00:00+08:00']
      .map((at, i) => past(`d${i}`, at));
    const t = past('t-new', '2026-03-10T20:00:00+08:00');
    expect(fires(today, t, late, 'daily')).toEqual(['busy-today']);
    const yesterday = [past('d0', '2026-03-09T23:59:59+08:00'), ...today.slice(1)];
    expect(fires(yesterday, t, late, 'daily')).toEqual([]);
  });
});
