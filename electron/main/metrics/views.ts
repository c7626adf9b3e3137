import type { TicketRow } from '../../../domain';
import {
  buildingOf, dayKey, instantMs, periodDays, PeriodError,
  type Period, type StuckEntry, type ZoneDays,
} from '../../../domain/metrics';
import { ContractError } from '../../contract/ipc';
import type { DrillRow, StuckRow } from '../../contract/metrics';

/** The longest period the overview and drill-downs take (a year and a day). */
export const MAX_PERIOD_DAYS = 366;
const HOUR = 3_600_000;

/** A period from the console's dates (default: today), checked; errors name the field, for people. */
export function checkedPeriod(from: string | undefined, to: string | undefined, today: string): Period & { days: number } {
  const period = { from: from ?? to ?? today, to: to ?? from ?? today };
  let bounds: { from: number; to: number };
  try {
    bounds = periodDays(period);
  } catch (e) {
    if (!(e instanceof PeriodError)) throw e;
    const field = e.message.startsWith('to ') ? 'to' : 'from';
    throw new ContractError({ code: 'bad_request', message: `统计区间有误：${e.message}`, field });
  }
  const days = bounds.to - bounds.from + 1;
  if (days > MAX_PERIOD_DAYS) {
    throw new ContractError({ code: 'bad_request', message: `统计区间最长 ${MAX_PERIOD_DAYS} 天（现为 ${days} 天）`, field: 'from' });
  }
  return { ...period, days };
}

/** The period of the same length that ends the day before `period` starts. */
export function previousPeriod(period: Period): Period {
  const { from, to } = periodDays(period);
  const n = to - from + 1;
  return { from: dayKey(from - n), to: dayKey(from - 1) };
}

export function stuckRow(e: StuckEntry<TicketRow>, areaOf: (location: string | null) => string | null): StuckRow {
  const t = e.ticket;
  return {
    id: t.id, no: t.no, title: t.title, state: t.state, assignee: t.assignee, pool: t.pool,
    location: t.location, area: areaOf(t.location), device: t.device, urgency: t.urgency,
    stage: e.stage, since: e.since === null ? null : new Date(e.since).toISOString(),
    msInStage: e.msInStage, thresholdMs: e.thresholdMs, late: e.late,
  };
}

export interface DrillQuery extends Period {
  building?: string | undefined;
  device?: string | undefined;
}

/**
 * The tickets behind a card's figure: created in the period (site zone, `createdAt`), not
 * cancelled, in the building (as `avgCloseHoursByLocation` keys it) and/or on the device. Newest first.
 */
export function drillRows(rows: readonly TicketRow[], q: DrillQuery, now: number, days: ZoneDays): DrillRow[] {
  const { from, to } = periodDays(q);
  const out: DrillRow[] = [];
  for (const t of rows) {
    if (t.state === 'cancelled') continue;
    if (q.device !== undefined && t.device !== q.device) continue;
    if (q.building !== undefined && buildingOf(t.location) !== q.building) continue;
    const created = instantMs(t.createdAt || t.milestones.created || '');
    const d = days.dayOf(created);
    if (!(d >= from && d <= to)) continue;
    const verified = t.milestones.verified ? instantMs(t.milestones.verified) : NaN;
    const closed = verified <= now;
    out.push({
      id: t.id, no: t.no, title: t.title, state: t.state, assignee: t.assignee, location: t.location, device: t.device,
      createdAt: t.createdAt, verifiedAt: t.milestones.verified ?? null, closeHours: closed ? (verified - created) / HOUR : null,
    });
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? -1 : 1));
}
