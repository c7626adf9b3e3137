/** Turns a Tally into the figures people read: rates, averages in hours, top devices, breakpoints. */
import { STAGES } from '../breakpoints';
import type { Stage } from '../breakpoints';
import { formatInZone } from '../zone';
import { dayKey } from './days';
import type { Tally } from './tally';
import type { DeviceCount, MetricsConfig, PeriodMetrics, StageBreakpoints, StageRecord } from './types';

const HOUR = 3_600_000;
export const TOP_DEVICES = 5;
/** A device is a repeat-repair device from this many tickets in the period. */
export const REPEAT_AT_LEAST = 2;

/** numerator / denominator, or null when there is nothing to count. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Average of a sum of ms over n tickets, in hours; null when n is 0. */
export function hours(sumMs: number, n: number): number | null {
  return n === 0 ? null : sumMs / n / HOUR;
}

/** Devices with at least 2 tickets, most first, ties by device id (code-unit order), at most 5. */
export function topDevices(devices: ReadonlyMap<string, number>, limit = TOP_DEVICES): DeviceCount[] {
  const out: DeviceCount[] = [];
  for (const [device, count] of devices) if (count >= REPEAT_AT_LEAST) out.push({ device, count });
  out.sort((a, b) => b.count - a.count || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  return out.slice(0, limit);
}

const byKey = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));

/** Late per start day: zero for every day of the period, plus any other day with a late ticket. */
function byDay(late: ReadonlyMap<number, number>, from: number, to: number): Record<string, number> {
  const days = new Map<number, number>();
  for (let d = from; d <= to; d++) days.set(d, 0);
  for (const [d, n] of late) days.set(d, n);
  return Object.fromEntries([...days].sort((a, b) => a[0] - b[0]).map(([d, n]) => [dayKey(d), n]));
}

function stageRecord<T>(f: (stage: Stage, i: number) => T): StageRecord<T> {
  return Object.fromEntries(STAGES.map((s, i) => [s, f(s, i)])) as StageRecord<T>;
}

export function report(t: Tally, from: number, to: number, now: number, config: MetricsConfig): PeriodMetrics {
  const details = stageRecord<StageBreakpoints>((s, i) => {
    const finishedLate = t.finishedLate[i] as number;
    const waitingLate = t.waitingLate[i] as number;
    return {
      thresholdMinutes: config.thresholds[s] / 60_000,
      late: finishedLate + waitingLate,
      finishedLate,
      waitingLate,
      byDay: byDay(t.lateByDay[i] as Map<number, number>, from, to),
    };
  });
  const buildings = [...t.buildings];
  return {
    period: { from: dayKey(from), to: dayKey(to), zone: config.zone, now: formatInZone(now, config.zone) },
    created: t.created,
    firstResponse2hRate: rate(t.frWithin, t.frCounted),
    avgCloseHours: hours(t.closeSumMs, t.closed),
    avgCloseHoursByLocation: byKey(buildings.map(([k, [n, ms]]) => [k, ms / n / HOUR])),
    topRepeatDevices: topDevices(t.devices),
    firstPassRate: rate(t.firstPass, t.created),
    breakpoints: stageRecord((s) => details[s].late),
    breakpointsByDay: stageRecord((s) => details[s].byDay),
    breakpointDetails: details,
    counts: {
      firstResponse2h: { within: t.frWithin, counted: t.frCounted },
      closed: t.closed,
      closedByLocation: byKey(buildings.map(([k, [n]]) => [k, n])),
      firstPass: t.firstPass,
    },
  };
}

/**
 * The breakpoint-elimination rate per stage between an earlier period and a later one:
 * 1 − late(later) / late(earlier); null when the earlier period had none late (nothing to
 * eliminate). Negative when the later period is worse.
 */
export function breakpointEliminationRate(before: StageRecord<number>, after: StageRecord<number>): StageRecord<number | null> {
  return stageRecord((s) => (before[s] === 0 ? null : 1 - after[s] / before[s]));
}
