import { describe, expect, it } from 'vitest';
import { generateDemoTickets } from '../demo/generator';
import { seededRng } from '../demo/random';
import { projectTicket } from '../projection';
import type { TicketRow } from '../projection';
import { IncrementalDashboard, computeMetrics, computeTrends, lastDays, metricsConfig, stuckTickets, waitingForResponse } from './index';
import { RowStore, randomChange } from './testing/changes';

const config = metricsConfig('Asia/Shanghai');
const H = 3_600_000;
const start = Date.parse('2026-03-01T12:00:00+08:00');

describe('the incremental dashboard', () => {
  it('equals a full recompute after random changes (checked every 5th of 600) as the clock moves', () => {
    const rng = seededRng(42);
    const rows = new RowStore(generateDemoTickets({ count: 1500, seed: 3, now: start, perDay: 60 }).map(projectTicket));
    let now = start;
    const dash = new IncrementalDashboard(rows.list, config, now);
    const periods = [lastDays(1, now, config.zone), lastDays(7, now + 2 * 86_400_000, config.zone), lastDays(40, now, config.zone)];
    for (let step = 0; step < 600; step++) {
      const change = randomChange(rng, rows.list, now);
      rows.apply(change);
      dash.update(change.previous, change.next);
      now += Math.floor(rng() * 20) * 60_000;
      if (step % 5 !== 0) continue;
      const q = now;
      const all = rows.list;
      const period = periods[step % periods.length]!;
      expect(dash.metrics(period, q)).toEqual(computeMetrics(all, period, q, config));
      expect(dash.trends(period, q)).toEqual(computeTrends(all, period, q, config));
      expect(dash.stuck(q)).toEqual(stuckTickets(all, q, config));
      expect(dash.waitingForResponse(q)).toEqual(waitingForResponse(all, q, config));
    }
    expect(dash.size).toBe(rows.size);
  });

  it('settles tickets as time passes and stays equal', () => {
    const rows = generateDemoTickets({ count: 400, seed: 9, now: start, perDay: 40 }).map(projectTicket);
    const dash = new IncrementalDashboard(rows, config, start);
    const live = dash.liveCount;
    expect(live).toBeGreaterThan(0);
    const period = lastDays(12, start, config.zone);
    for (const later of [start + H, start + 3 * H, start + 80 * H]) {
      expect(dash.metrics(period, later)).toEqual(computeMetrics(rows, period, later, config));
    }
    expect(dash.liveCount).toBeLessThan(live);
  });

  it('adds, changes and deletes one ticket', () => {
    const [row] = generateDemoTickets({ count: 1, seed: 5, now: start }).map(projectTicket);
    const dash = new IncrementalDashboard<TicketRow>([], config, start);
    const month = lastDays(30, start, config.zone);
    dash.update(null, row!);
    expect(dash.metrics(month, start).created).toBe(1);
    const cancelled = { ...row!, state: 'cancelled' as const };
    dash.update(row!, cancelled);
    expect(dash.metrics(month, start).created).toBe(0);
    dash.update(cancelled, null);
    expect(dash.size).toBe(0);
    expect(dash.metrics(month, start)).toEqual(computeMetrics([], month, start, config));
  });

  it('never moves its clock back: an earlier now is taken as the latest one asked', () => {
    const rows = generateDemoTickets({ count: 300, seed: 4, now: start, perDay: 60 }).map(projectTicket);
    const dash = new IncrementalDashboard(rows, config, start);
    const week = lastDays(7, start, config.zone);
    dash.metrics(week, start + 5 * H);
    expect(dash.metrics(week, start + H)).toEqual(computeMetrics(rows, week, start + 5 * H, config));
    expect(dash.asOf).toBe(start + 5 * H);
  });
});
