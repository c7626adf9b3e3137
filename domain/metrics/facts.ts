/**
 * What one ticket contributes to the metrics, read from its row (again, to take it out, when it changes): times as epoch ms, days as
 * day numbers of the site's zone, the breakpoints it already broke and the stage it waits in.
 * Everything that depends on `now` is left to `now` (see Tally.add); `settleAt` says from when on
 * it no longer does, which is what lets the dashboard fold a ticket into per-day totals for good.
 * Written for speed: a seat reads 200,000 of these when it opens.
 */
import { STAGES } from '../breakpoints';
import { MILESTONES } from '../ticket';
import { ZoneDays } from './days';
import { instantMs } from './instant';
import type { MetricTicket, MetricsConfig } from './types';

export const TWO_HOURS = 2 * 3_600_000;
/** The building key of a ticket without a location. */
export const NO_LOCATION = '(none)';

export interface TicketFacts<T extends MetricTicket = MetricTicket> {
  readonly ticket: T;
  /** Cancelled tickets are left out of every figure. */
  readonly cancelled: boolean;
  readonly createdMs: number;
  readonly createdDay: number;
  /** NaN while not assigned. */
  readonly assignedMs: number;
  /** NaN while not verified. */
  readonly verifiedMs: number;
  /** Never returned for information. */
  readonly firstPass: boolean;
  readonly device: string | null;
  readonly building: string;
  /**
   * Finished stages that took longer than their threshold, packed in one integer so that reading
   * 200,000 tickets allocates nothing for them: bit s says stage s was late, bits 7 + 3s … 9 + 3s
   * hold the day it started minus createdDay (0–7); the others are in lateFar. Tally.add unpacks it.
   */
  readonly lateCode: number;
  /** Late stages that started before createdDay or 8+ days after it, as pairs [stage, day, …]; null if none. */
  readonly lateFar: readonly number[] | null;
  /** The stage the ticket waits in (index into STAGES), or −1. */
  readonly waitingStage: number;
  readonly waitingSince: number;
  readonly waitingDay: number;
  /** The first instant from which the ticket's contribution no longer changes with `now`. */
  readonly settleAt: number;
}

/** The building of a location: its first segment before `/` or white space (`3号楼/2单元/1203` → `3号楼`). */
export function buildingOf(location: string | null | undefined): string {
  if (!location) return NO_LOCATION;
  const text = location.trim();
  let end = 0;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 47 || c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000 || c === 0xa0) break;
    end++;
  }
  return end === 0 ? NO_LOCATION : end === text.length ? text : text.slice(0, end);
}

export function returnsCount(returns: MetricTicket['returns']): number {
  if (typeof returns === 'number') return returns;
  return Array.isArray(returns) ? returns.length : 0;
}

const STAGE_COUNT = STAGES.length;
const VERIFIED_ARCHIVED = STAGES.indexOf('verified_archived');
const OPEN = new Set<MetricTicket['state']>(['pending_acceptance', 'dispatched', 'in_progress', 'pending_verification']);

/** Reads TicketFacts for one zone and set of thresholds. */
export class FactReader {
  readonly days: ZoneDays;
  /** Threshold per stage index, in ms. */
  readonly thresholds: readonly number[];
  private readonly times = new Float64Array(MILESTONES.length);

  constructor(readonly config: MetricsConfig, days?: ZoneDays) {
    this.days = days ?? new ZoneDays(config.zone);
    this.thresholds = STAGES.map((s) => config.thresholds[s]);
  }

  read<T extends MetricTicket>(t: T): TicketFacts<T> {
    const times = this.times;
    const m = t.milestones;
    times[0] = m.created ? instantMs(m.created) : NaN;
    times[1] = m.assigned ? instantMs(m.assigned) : NaN;
    times[2] = m.accepted ? instantMs(m.accepted) : NaN;
    times[3] = m.firstResponse ? instantMs(m.firstResponse) : NaN;
    times[4] = m.arrived ? instantMs(m.arrived) : NaN;
    times[5] = m.resolved ? instantMs(m.resolved) : NaN;
    times[6] = m.verified ? instantMs(m.verified) : NaN;
    times[7] = m.archived ? instantMs(m.archived) : NaN;
    let lastSet = -1;
    for (let i = times.length - 1; i >= 0; i--) {
      if (!Number.isNaN(times[i])) {
        lastSet = i;
        break;
      }
    }
    const createdMs = m.created === t.createdAt && lastSet >= 0 ? (times[0] as number) : instantMs(t.createdAt);
    if (Number.isNaN(times[0])) times[0] = createdMs;
    if (lastSet < 0) lastSet = 0;
    const cancelled = t.state === 'cancelled';
    const assignedMs = times[1] as number;
    const verifiedMs = times[6] as number;
    const createdDay = this.days.dayOf(createdMs);
    let lateCode = 0;
    let lateFar: number[] | null = null;
    let waitingStage = -1;
    let waitingSince = NaN;
    let waitingDay = NaN;
    let settleAt = -Infinity;
    if (!cancelled) {
      const open = OPEN.has(t.state);
      // Stage s runs from milestone s to milestone s + 1.
      for (let s = 0; s < STAGE_COUNT; s++) {
        const start = times[s] as number;
        if (Number.isNaN(start)) continue;
        const end = times[s + 1] as number;
        const threshold = this.thresholds[s] as number;
        if (!Number.isNaN(end)) {
          if (end - start > threshold) {
            const day = this.days.dayOf(start);
            const offset = day - createdDay;
            if (offset >= 0 && offset < 8) lateCode |= (1 << s) | (offset << (7 + 3 * s));
            else (lateFar ??= []).push(s, day);
          }
        } else if (lastSet <= s && (s === VERIFIED_ARCHIVED ? t.state === 'closed' : open)) {
          // Waits here: verified→archived while closed, any other stage while open; never a skipped stage.
          waitingStage = s;
          waitingSince = start;
          waitingDay = this.days.dayOf(start);
          settleAt = start + threshold + 1;
        }
      }
      if (Number.isNaN(assignedMs)) settleAt = Math.max(settleAt, createdMs + TWO_HOURS + 1);
      if (!Number.isNaN(verifiedMs)) settleAt = Math.max(settleAt, verifiedMs);
    }
    const device = t.device ? t.device.trim() || null : null;
    return {
      ticket: t,
      cancelled,
      createdMs,
      createdDay,
      assignedMs,
      verifiedMs,
      firstPass: returnsCount(t.returns) === 0,
      device,
      building: buildingOf(t.location),
      lateCode,
      lateFar,
      waitingStage,
      waitingSince,
      waitingDay,
      settleAt,
    };
  }
}

