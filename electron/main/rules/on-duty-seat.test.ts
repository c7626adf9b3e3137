import { afterEach, describe, expect, it } from 'vitest';
import { BEARING_FORM, openTestSeat, type TestSeat } from './test-seat';

let seat: TestSeat;
afterEach(async () => {
  await seat.close();
});

describe('rules.onDuty on a seat', () => {
  it("routes a bearing ticket at 23:10 to the night chief, who is then on duty with one open ticket", async () => {
    seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00' });
    const me = await seat.as('zhang.wei');
    const before = await seat.call('rules.onDuty', {}, me);
    expect(before.at).toBe('2026-03-03T23:10:00+08:00');
    expect(before.timezone).toBe('Asia/Shanghai');
    const night = before.rosters.find((r) => r.roster === 'night-chief');
    expect(night?.people).toEqual([{ id: 'lin.chief', name: '林师傅', shift: '20:00–08:00', until: '2026-03-04T08:00:00+08:00', load: 0 }]);
    expect(night?.pools).toContain('紧急-机械类');
    expect(before.rosters.find((r) => r.roster === 'it-day')?.people).toEqual([]);

    await seat.call('tickets.create', { form: BEARING_FORM }, await seat.as('wang.fang'));
    const after = await seat.call('rules.onDuty', {}, me);
    expect(after.rosters.find((r) => r.roster === 'night-chief')?.people[0]?.load).toBe(1);
  });

  it('hands over to the IT day shift at 08:30 on a weekday morning', async () => {
    seat = await openTestSeat({ now: '2026-03-04T08:30:00+08:00' });
    const view = await seat.call('rules.onDuty', {}, await seat.as('zhang.wei'));
    expect(view.rosters.find((r) => r.roster === 'night-chief')?.people).toEqual([]);
    expect(view.rosters.find((r) => r.roster === 'it-day')?.people.map((p) => [p.id, p.until])).toEqual([
      ['he.tech', '2026-03-04T17:30:00+08:00'], ['liu.tech', '2026-03-04T17:30:00+08:00'],
    ]);
  });

  it('asks who is calling', async () => {
    seat = await openTestSeat({ now: '2026-03-04T08:30:00+08:00' });
    await expect(seat.call('rules.onDuty', {})).rejects.toMatchObject({ body: { code: 'not_signed_in' } });
  });
});
