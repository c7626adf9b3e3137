import { describe, expect, it } from 'vitest';
import { breakpointEliminationRate, computeMetrics, computeTrends, metricsConfig, PeriodError, IncrementalDashboard } from './index';
import { NOW, PERIOD, SITE, ticket } from './testing/fixture';

const config = metricsConfig('Asia/Shanghai');
const now = Date.parse(NOW);
const at = (iso: string) => Date.parse(iso);

describe('metrics over the hand-made site (numbers worked out by hand in the fixture comments)', () => {
  const m = computeMetrics(SITE, PERIOD, now, config);

  it('counts the tickets created in the period in Shanghai days, without cancelled ones', () => {
    // A B D F I J K; C cancelled; G is 23:59 on the 17th; E is on the 20th. F is 16:30 UTC on the 17th.
    expect(m.created).toBe(7);
    expect(m.period).toEqual({ from: '2026-02-18', to: '2026-02-19', zone: 'Asia/Shanghai', now: '2026-02-20T10:00:00+08:00' });
  });

  it('2-hour rate: assigned within 2 h (exactly 2 h counts), never-assigned old tickets miss', () => {
    // within: A (50 min, across midnight), B (exactly 2 h), I (30 min), J (30 min), K (70 min); miss: F (2 h 30), D (never, 18 h old)
    expect(m.counts.firstResponse2h).toEqual({ within: 5, counted: 7 });
    expect(m.firstResponse2hRate).toBeCloseTo(5 / 7, 12);
  });

  it('average close time: created → verified, verified by now; by building', () => {
    // A 12 h (3号楼), F 8 h (1号楼); J is verified after now
    expect(m.avgCloseHours).toBe(10);
    expect(m.avgCloseHoursByLocation).toEqual({ '1号楼': 8, '3号楼': 12 });
    expect(m.counts.closed).toBe(2);
  });

  it('top repeat devices: 2 or more, ties by device id, cancelled and out-of-period tickets left out', () => {
    expect(m.topRepeatDevices).toEqual([{ device: 'AC-3F-02', count: 2 }, { device: 'M-07', count: 2 }]);
  });

  it('first-pass rate: the share never returned for information', () => {
    expect(m.firstPassRate).toBeCloseTo(6 / 7, 12);
    expect(m.counts.firstPass).toBe(6);
  });

  it('breakpoints: finished late or waiting past the threshold, by the day the stage started', () => {
    expect(m.breakpoints).toEqual({
      created_assigned: 2, assigned_accepted: 3, accepted_firstResponse: 1, firstResponse_arrived: 2,
      arrived_resolved: 0, resolved_verified: 0, verified_archived: 0,
    });
    expect(m.breakpointsByDay.created_assigned).toEqual({ '2026-02-18': 1, '2026-02-19': 1 }); // F done, D waiting
    expect(m.breakpointsByDay.assigned_accepted).toEqual({ '2026-02-18': 1, '2026-02-19': 1, '2026-02-20': 1 }); // B, A (after midnight), K
    expect(m.breakpointsByDay.accepted_firstResponse).toEqual({ '2026-02-18': 1, '2026-02-19': 0 }); // B waiting
    expect(m.breakpointsByDay.firstResponse_arrived).toEqual({ '2026-02-18': 0, '2026-02-19': 1, '2026-02-20': 1 }); // I, K waiting
    expect(m.breakpointsByDay.verified_archived).toEqual({ '2026-02-18': 0, '2026-02-19': 0 }); // A waits 22 h 10 < 72 h
    expect(m.breakpointDetails.created_assigned).toMatchObject({ thresholdMinutes: 120, late: 2, finishedLate: 1, waitingLate: 1 });
    expect(m.breakpointDetails.firstResponse_arrived).toMatchObject({ thresholdMinutes: 240, finishedLate: 0, waitingLate: 2 });
  });

  it('the incremental dashboard gives the same figures', () => {
    expect(new IncrementalDashboard(SITE, config, now).metrics(PERIOD, now)).toEqual(m);
  });

  it('uses the thresholds it is given (a pack’s breakpoints)', () => {
    const loose = metricsConfig('Asia/Shanghai', { assigned_accepted: 3_600_000 });
    expect(computeMetrics(SITE, PERIOD, now, loose).breakpoints.assigned_accepted).toBe(0);
    expect(computeMetrics(SITE, PERIOD, now, loose).breakpointDetails.assigned_accepted.thresholdMinutes).toBe(60);
  });
});

describe('metric edge cases', () => {
  it('selects whole Shanghai days even when they start mid-day in UTC', () => {
    const ts = ['2026-02-17T15:59:59Z', '2026-02-17T16:00:00Z', '2026-02-18T15:59:59Z', '2026-02-18T16:00:00Z']
      .map((created, i) => ticket(`t${i}`, 'pending_acceptance', { created }));
    expect(computeMetrics(ts, { from: '2026-02-18', to: '2026-02-18' }, at('2026-02-19T00:00:00Z'), config).created).toBe(2);
  });

  it('leaves an unassigned ticket out of the 2-hour rate until it is more than 2 h old', () => {
    const ts = [ticket('y', 'pending_acceptance', { created: '18 10:00' })];
    const rateAt = (iso: string) => computeMetrics(ts, { from: '2026-02-18', to: '2026-02-18' }, at(iso), config).firstResponse2hRate;
    expect(rateAt('2026-02-18T11:59:00+08:00')).toBeNull();
    expect(rateAt('2026-02-18T12:00:00+08:00')).toBeNull(); // could still be assigned at exactly 2 h
    expect(rateAt('2026-02-18T12:00:00.001+08:00')).toBe(0);
  });

  it('counts a young ticket already assigned', () => {
    const ts = [ticket('y', 'dispatched', { created: '18 10:00', assigned: '18 10:30' })];
    expect(computeMetrics(ts, { from: '2026-02-18', to: '2026-02-18' }, at('2026-02-18T10:45:00+08:00'), config).firstResponse2hRate).toBe(1);
  });

  it('an empty period has zero counts and null rates', () => {
    const m = computeMetrics(SITE, { from: '2026-03-01', to: '2026-03-02' }, now, config);
    expect(m).toMatchObject({ created: 0, firstResponse2hRate: null, avgCloseHours: null, avgCloseHoursByLocation: {}, topRepeatDevices: [], firstPassRate: null });
    expect(m.breakpointsByDay.created_assigned).toEqual({ '2026-03-01': 0, '2026-03-02': 0 });
    expect(Object.values(m.breakpoints).every((n) => n === 0)).toBe(true);
  });

  it('a cancelled ticket counts nowhere, even late and returned', () => {
    const c = ticket('c', 'cancelled', { created: '18 10:00', assigned: '18 15:00' }, { device: 'X', returns: 2, location: '1号楼' });
    const m = computeMetrics([c, c], PERIOD, now, config);
    expect(m.created).toBe(0);
    expect(m.topRepeatDevices).toEqual([]);
    expect(m.breakpoints.created_assigned).toBe(0);
  });

  it('keeps at most 5 repeat devices, most first', () => {
    const ts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].flatMap((d, i) =>
      Array.from({ length: i === 6 ? 1 : 2 + (i % 3) }, (_, k) => ticket(`${d}${k}`, 'pending_acceptance', { created: '18 10:00' }, { device: d })));
    // a 2, b 3, c 4, d 2, e 3, f 4, g 1
    expect(computeMetrics(ts, PERIOD, now, config).topRepeatDevices).toEqual([
      { device: 'c', count: 4 }, { device: 'f', count: 4 }, { device: 'b', count: 3 }, { device: 'e', count: 3 }, { device: 'a', count: 2 },
    ]);
  });

  it('rejects a period whose start is after its end, or a date that does not exist', () => {
    expect(() => computeMetrics([], { from: '2026-02-19', to: '2026-02-18' }, now, config)).toThrow(PeriodError);
    expect(() => computeMetrics([], { from: '2026-02-30', to: '2026-03-01' }, now, config)).toThrow(/expected a date/);
  });
});

describe('breakpoint-elimination rate', () => {
  it('is 1 − later/earlier per stage, null where the earlier period had none, negative when worse', () => {
    const zero = { created_assigned: 0, assigned_accepted: 0, accepted_firstResponse: 0, firstResponse_arrived: 0, arrived_resolved: 0, resolved_verified: 0, verified_archived: 0 };
    const r = breakpointEliminationRate({ ...zero, created_assigned: 4, assigned_accepted: 2 }, { ...zero, created_assigned: 1, assigned_accepted: 3, arrived_resolved: 5 });
    expect(r).toMatchObject({ created_assigned: 0.75, assigned_accepted: -0.5, arrived_resolved: null, verified_archived: null });
  });
});

describe('trends', () => {
  it('gives each day its own cards and the breakpoints by start day inside the window', () => {
    const t = computeTrends(SITE, PERIOD, now, config);
    expect(t.days).toEqual(['2026-02-18', '2026-02-19']);
    expect(t.created).toEqual([3, 4]); // A B F | D I J K
    expect(t.firstResponse2hRate).toEqual([2 / 3, 3 / 4]);
    expect(t.avgCloseHours).toEqual([10, null]);
    expect(t.firstPassRate).toEqual([2 / 3, 1]);
    expect(t.breakpoints.created_assigned).toEqual([1, 1]);
    expect(t.breakpoints.assigned_accepted).toEqual([1, 1]); // K's (the 20th) is outside the window
    expect(t.breakpoints.accepted_firstResponse).toEqual([1, 0]);
    expect(t.breakpoints.firstResponse_arrived).toEqual([0, 1]);
    expect(new IncrementalDashboard(SITE, config, now).trends(PERIOD, now)).toEqual(t);
  });
});
