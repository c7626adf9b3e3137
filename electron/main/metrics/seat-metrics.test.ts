import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, applyTransition, generateDemoTickets, type TicketRow } from '../../../domain';
import {
  breakpointEliminationRate, computeMetrics, computeTrends, lastDays, metricsConfig, stuckTickets, waitingForResponse,
} from '../../../domain/metrics';
import { memoryBacking, openMemoryTicketStore, type TicketStore } from '../store';
import { SeatMetrics } from './seat-metrics';
import { metricsSettings, type MetricsSettings } from './settings';

const NOW = Date.parse('2026-03-10T15:00:00+08:00');
const DIRECTORY = { people: DEMO_PEOPLE.map((p) => ({ id: p.id, teams: p.teams })), areas: { east: ['1号楼', '2号楼', '3号楼'], west: ['4号楼', '5号楼', '6号楼'] } };
const settingsOf = (thresholds: Record<string, number> = {}): MetricsSettings => ({
  config: metricsConfig('Asia/Shanghai', thresholds), directory: DIRECTORY, rulebook: { version: 0, name: 'seed' },
});
const change = (action: string, by: string, at: number) => ({ message: { by, seat: 'AB', action }, at });

describe('the seat metrics service', () => {
  let store: TicketStore;
  let now = NOW;
  let settings = settingsOf();
  let metrics: SeatMetrics;
  const rows = () => store.rows() as TicketRow[];

  beforeEach(async () => {
    now = NOW;
    settings = settingsOf();
    store = await openMemoryTicketStore(memoryBacking(), { seat: 'AB' });
    await store.importTickets(generateDemoTickets({ count: 400, seed: 5, now: NOW, perDay: 40 }), change('import', 'demo', NOW));
    metrics = new SeatMetrics({ store, clock: () => now, settings: () => settings, sync: () => ({ online: false, lastSyncAt: null }) });
  });
  afterEach(async () => {
    metrics.close();
    await store.close();
  });

  it('answers the same figures as computeMetrics over the store rows, with the previous period and elimination rate', () => {
    expect(metrics.ready).toBe(false); // built on first use
    const o = metrics.overview('2026-03-04', '2026-03-10');
    const config = settings.config;
    expect(o.metrics).toEqual(computeMetrics(rows(), { from: '2026-03-04', to: '2026-03-10' }, now, config));
    expect(o.previous).toEqual({ from: '2026-02-25', to: '2026-03-03' });
    const before = computeMetrics(rows(), o.previous, now, config);
    expect(o.previousBreakpoints).toEqual(before.breakpoints);
    expect(o.eliminationRate).toEqual(breakpointEliminationRate(before.breakpoints, o.metrics.breakpoints));
    const waiting = waitingForResponse(rows(), now, config);
    expect(o.waiting).toEqual({ total: waiting.total, late: waiting.late, createdToday: waiting.createdToday });
    expect(o.metrics.created).toBeGreaterThan(100);
    expect(o).toMatchObject({ asOf: new Date(NOW).toISOString(), today: '2026-03-10', zone: 'Asia/Shanghai', online: false, lastSyncAt: null });
  });

  it('defaults to today and names a bad period in the error', () => {
    expect(metrics.overview().period).toEqual({ from: '2026-03-10', to: '2026-03-10' });
    expect(() => metrics.overview('2026-03-10', '2026-03-01')).toThrow(/统计区间有误/);
    expect(() => metrics.overview('2025-01-01', '2026-03-01')).toThrow(/最长 366 天/);
  });

  it('lists every open ticket where it is stuck, filtered like stuckTickets', () => {
    const all = metrics.stuck();
    const expected = stuckTickets(rows(), now, settings.config);
    expect(all.total).toBe(expected.total);
    expect(all.rows.map((r) => [r.id, r.stage, r.msInStage, r.late])).toEqual(expected.entries.map((e) => [e.ticket.id, e.stage, e.msInStage, e.late]));
    expect(all.options.areas).toEqual(['east', 'west']);
    expect(all.options.teams).toContain('mechanical');
    const east = metrics.stuck({ area: 'east', stage: 'created_assigned' });
    expect(east.rows.length).toBe(stuckTickets(rows(), now, settings.config, { area: 'east', stage: 'created_assigned' }, DIRECTORY).total);
    expect(east.rows.every((r) => r.area === 'east' && r.stage === 'created_assigned')).toBe(true);
  });

  it('follows a transition through the store’s row-change hook, and equals a full recompute after it', async () => {
    const before = metrics.stuck({ stage: 'created_assigned' });
    const target = before.rows[0]!;
    now += 60_000;
    await store.update(target.id, (cur) => {
      const next = structuredClone(cur);
      applyTransition(next, 'dispatch', { user: 'zhang.wei', kind: 'dispatcher' }, { assignee: 'lin.chief' }, new Date(now).toISOString());
      return { ticket: next, ...change('dispatch', 'zhang.wei', now) };
    });
    const after = metrics.stuck({ stage: 'created_assigned' });
    expect(after.total).toBe(before.total - 1);
    expect(metrics.stuck({ stage: 'assigned_accepted' }).rows.find((r) => r.id === target.id)).toMatchObject({ assignee: 'lin.chief', msInStage: 0 });
    const period = lastDays(30, now, 'Asia/Shanghai');
    expect(metrics.overview(period.from, period.to).metrics).toEqual(computeMetrics(rows(), period, now, settings.config));
    expect(metrics.trends(30).trends).toEqual(computeTrends(rows(), period, now, settings.config));
  });

  it('rebuilds with the thresholds of a new rulebook', () => {
    const first = metrics.overview('2026-03-01', '2026-03-10');
    settings = settingsOf({ created_assigned: 30 * 60_000 });
    metrics.settingsChanged();
    const second = metrics.overview('2026-03-01', '2026-03-10');
    expect(second.metrics.breakpointDetails.created_assigned.thresholdMinutes).toBe(30);
    expect(second.metrics.breakpoints.created_assigned).toBeGreaterThan(first.metrics.breakpoints.created_assigned);
  });

  it('drills down to the tickets of a building and of a device, newest first', () => {
    const o = metrics.overview('2026-03-01', '2026-03-10');
    const [building, closed] = Object.entries(o.metrics.counts.closedByLocation)[0]!;
    const byBuilding = metrics.tickets({ from: '2026-03-01', to: '2026-03-10', building });
    expect(byBuilding.rows.filter((r) => r.closeHours !== null)).toHaveLength(closed);
    const mean = byBuilding.rows.reduce((s, r) => s + (r.closeHours ?? 0), 0) / closed;
    expect(mean).toBeCloseTo(o.metrics.avgCloseHoursByLocation[building]!, 9);
    const top = o.metrics.topRepeatDevices[0];
    if (top) expect(metrics.tickets({ from: '2026-03-01', to: '2026-03-10', device: top.device }).rows).toHaveLength(top.count);
    const times = byBuilding.rows.map((r) => r.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });
});

describe('metrics settings', () => {
  it('use the defaults and the site zone without a rulebook', () => {
    const s = metricsSettings(null, { timezone: 'Asia/Shanghai', people: DEMO_PEOPLE });
    expect(s.config).toEqual(metricsConfig('Asia/Shanghai'));
    expect(s.rulebook).toBeNull();
  });
});
