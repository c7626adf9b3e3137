import { z } from 'zod';
import { STAGES, type Stage, type TicketState } from '../../domain';
import type { Period, PeriodMetrics, StageRecord, Trends } from '../../domain/metrics';

/**
 * The supervisor view's calls (issue 6, docs/metrics.md), part of the one contract in ipc.ts.
 * Every figure is computed on the seat from its own rows, so it answers offline too; each answer
 * says as of when (`asOf`, the node's clock) and whether the seat is in sync (`online`,
 * `lastSyncAt`), so the console can mark figures "as of the last sync" while disconnected.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' });
const label = z.string().min(1).max(100);

export const metricsCalls = {
  /** Cards and breakpoints of days from..to (site zone; default today) against the period just before. */
  'metrics.overview': z.object({ from: day.optional(), to: day.optional() }),
  /** Per-day series over the last 30 or 90 days. */
  'metrics.trends': z.object({ days: z.union([z.literal(30), z.literal(90)]).default(30) }),
  /** Every open ticket by the stage it waits in; filters combine with AND. */
  'metrics.stuck': z.object({
    /** A person id, or null for tickets nobody is assigned to. */
    assignee: z.string().min(1).max(64).nullable().optional(),
    team: label.optional(),
    area: label.optional(),
    pool: label.optional(),
    stage: z.enum(STAGES).optional(),
  }),
  /** Drill-down: the tickets created in from..to (not cancelled) in a building or on a device. */
  'metrics.tickets': z.object({ from: day, to: day, building: label.optional(), device: label.optional() }),
} as const;

/** How fresh the figures are: the seat computes them from what it has. */
export interface MetricsFreshness {
  /** The node's clock when it answered (ISO). */
  asOf: string;
  /** The site's zone and its day of `asOf` (YYYY-MM-DD). */
  zone: string;
  today: string;
  /** Connected to the sync server now (false until sync is wired). */
  online: boolean;
  /** The last successful sync (ISO), or null if the seat never synced. */
  lastSyncAt: string | null;
}

export interface MetricsOverview extends MetricsFreshness {
  period: Period;
  /** The period of the same length just before `period`: the elimination rate's baseline. */
  previous: Period;
  metrics: PeriodMetrics;
  previousBreakpoints: StageRecord<number>;
  /** Per stage: 1 − late(period) / late(previous); null when the previous period had none late. */
  eliminationRate: StageRecord<number | null>;
  /** 今日待响应: open tickets with no first response yet, now. */
  waiting: { total: number; late: number; createdToday: number };
  /** Open tickets by the stage they wait in now (the stuck view's counts, unfiltered). */
  stuckNow: { total: number; late: number; byStage: Record<Stage | 'none', number> };
  /** The rulebook whose `breakpoints:` set the thresholds (null: the documented defaults). */
  rulebook: { version: number; name: string | null } | null;
}

export interface MetricsTrends extends MetricsFreshness {
  trends: Trends;
}

/** One open ticket in the stuck view. */
export interface StuckRow {
  id: string;
  no: string;
  title: string;
  state: TicketState;
  assignee: string | null;
  pool: string | null;
  location: string | null;
  /** The site area of the location (the rule pack's `site.areas`), or null. */
  area: string | null;
  device: string | null;
  urgency: string | null;
  /** The stage it waits in; null when its milestones show none (e.g. reopened after verification). */
  stage: Stage | null;
  /** When that stage started (ISO). */
  since: string | null;
  msInStage: number | null;
  thresholdMs: number | null;
  late: boolean;
}

export interface MetricsStuck extends MetricsFreshness {
  total: number;
  late: number;
  byStage: Record<Stage | 'none', number>;
  /** By stage (workflow order), longest in stage first. */
  rows: StuckRow[];
  /** What the filters can choose from. */
  options: { teams: string[]; areas: string[]; pools: string[] };
}

/** One ticket of a drill-down (a building's or a device's tickets). */
export interface DrillRow {
  id: string;
  no: string;
  title: string;
  state: TicketState;
  assignee: string | null;
  location: string | null;
  device: string | null;
  createdAt: string;
  verifiedAt: string | null;
  /** created → verified in hours, when verified by now. */
  closeHours: number | null;
}

export interface MetricsTickets extends MetricsFreshness {
  period: Period;
  /** Newest first. */
  rows: DrillRow[];
}

export interface MetricsCallOutputs {
  'metrics.overview': MetricsOverview;
  'metrics.trends': MetricsTrends;
  'metrics.stuck': MetricsStuck;
  'metrics.tickets': MetricsTickets;
}
