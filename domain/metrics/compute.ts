/**
 * The metrics computed in one pass over every ticket: the reference definition (docs/metrics.md),
 * what the command line prints, and what the incremental dashboard must always equal.
 */
import { STAGES } from '../breakpoints';
import type { Stage } from '../breakpoints';
import { ZoneDays, dayKey, dayNumber } from './days';
import { FactReader } from './facts';
import { hours, rate, report } from './report';
import { Tally } from './tally';
import type { MetricTicket, MetricsConfig, Period, PeriodMetrics, Trends } from './types';

export class PeriodError extends Error {
  override readonly name = 'PeriodError';
}

/** A period's first and last day numbers; throws PeriodError for a bad date or from > to. */
export function periodDays(period: Period): { from: number; to: number } {
  const from = dayNumber(period.from);
  const to = dayNumber(period.to);
  if (from === null) throw new PeriodError(`from ${period.from}: expected a date YYYY-MM-DD`);
  if (to === null) throw new PeriodError(`to ${period.to}: expected a date YYYY-MM-DD`);
  if (from > to) throw new PeriodError(`from ${period.from} is after to ${period.to}`);
  return { from, to };
}

/** The `n` calendar days ending with the day of `now` in the zone (trends over 30 or 90 days). */
export function lastDays(n: number, now: number, zone: string): Period {
  const today = new ZoneDays(zone).dayOf(now);
  return { from: dayKey(today - n + 1), to: dayKey(today) };
}

export function computeMetrics(tickets: Iterable<MetricTicket>, period: Period, now: number, config: MetricsConfig): PeriodMetrics {
  const { from, to } = periodDays(period);
  const reader = new FactReader(config);
  const tally = new Tally();
  for (const t of tickets) {
    const f = reader.read(t);
    if (f.createdDay >= from && f.createdDay <= to) tally.add(f, now, 1, reader.thresholds);
  }
  return report(tally, from, to, now, config);
}

/** Per-day series from the tallies of each day and of the whole window. */
export function trendsFrom(dayTally: (day: number) => Tally | undefined, window: Tally, from: number, to: number): Trends {
  const days: string[] = [];
  const created: number[] = [];
  const fr: (number | null)[] = [];
  const close: (number | null)[] = [];
  const firstPass: (number | null)[] = [];
  const empty = new Tally();
  for (let d = from; d <= to; d++) {
    const t = dayTally(d) ?? empty;
    days.push(dayKey(d));
    created.push(t.created);
    fr.push(rate(t.frWithin, t.frCounted));
    close.push(hours(t.closeSumMs, t.closed));
    firstPass.push(rate(t.firstPass, t.created));
  }
  const breakpoints = Object.fromEntries(STAGES.map((s, i) => {
    const late = window.lateByDay[i] as Map<number, number>;
    const series: number[] = [];
    for (let d = from; d <= to; d++) series.push(late.get(d) ?? 0);
    return [s, series];
  })) as Record<Stage, number[]>;
  return { days, created, firstResponse2hRate: fr, avgCloseHours: close, firstPassRate: firstPass, breakpoints };
}

/** Trends: each day's cards as if the period were that one day, and breakpoints by start day. */
export function computeTrends(tickets: Iterable<MetricTicket>, period: Period, now: number, config: MetricsConfig): Trends {
  const { from, to } = periodDays(period);
  const reader = new FactReader(config);
  const byDay = new Map<number, Tally>();
  const window = new Tally();
  for (const t of tickets) {
    const f = reader.read(t);
    if (f.createdDay < from || f.createdDay > to) continue;
    let day = byDay.get(f.createdDay);
    if (!day) byDay.set(f.createdDay, (day = new Tally()));
    day.add(f, now, 1, reader.thresholds);
    window.add(f, now, 1, reader.thresholds);
  }
  return trendsFrom((d) => byDay.get(d), window, from, to);
}
