/** The shapes the metrics read and return (docs/metrics.md defines every figure). */
import type { Stage } from '../breakpoints';
import { DEFAULT_BREAKPOINTS, STAGES } from '../breakpoints';
import type { Milestone, TicketState } from '../ticket';

/**
 * What the metrics read of a ticket: present in the seat's TicketRow and in the plain JSON of
 * RULES-FORMAT.md alike. `returns` is a count (TicketRow) or the list of returns (plain JSON).
 */
export interface MetricTicket {
  readonly id: string;
  readonly no?: string | null;
  readonly state: TicketState;
  readonly createdAt: string;
  readonly location?: string | null;
  readonly device?: string | null;
  readonly category?: string | null;
  readonly milestones: Readonly<Partial<Record<Milestone, string | null>>>;
  readonly returns?: number | readonly unknown[] | null;
  readonly assignee?: string | null;
  readonly pool?: string | null;
}

export interface MetricsConfig {
  /** The site's IANA zone: periods and days are its calendar days. */
  readonly zone: string;
  /** Breakpoint threshold per stage, in ms. */
  readonly thresholds: Readonly<Record<Stage, number>>;
}

/** A config from a zone and (partial) thresholds in ms, e.g. a compiled pack's `breakpoints`. */
export function metricsConfig(zone = 'Asia/Shanghai', thresholds: Readonly<Record<string, number>> = {}): MetricsConfig {
  const t = {} as Record<Stage, number>;
  for (const s of STAGES) t[s] = thresholds[s] ?? DEFAULT_BREAKPOINTS[s];
  return { zone, thresholds: t };
}

/** Calendar days `from`..`to` (inclusive, `YYYY-MM-DD`) in the site's zone. */
export interface Period {
  readonly from: string;
  readonly to: string;
}

export interface DeviceCount {
  readonly device: string;
  readonly count: number;
}

export interface StageBreakpoints {
  readonly thresholdMinutes: number;
  /** Tickets whose stage exceeded the threshold: finishedLate + waitingLate. */
  readonly late: number;
  readonly finishedLate: number;
  /** Still in the stage at `now`, past the threshold. */
  readonly waitingLate: number;
  /** late by the day the stage started (site zone): every day of the period, and later days if any. */
  readonly byDay: Readonly<Record<string, number>>;
}

export type StageRecord<T> = Readonly<Record<Stage, T>>;

export interface PeriodMetrics {
  readonly period: { readonly from: string; readonly to: string; readonly zone: string; readonly now: string };
  readonly created: number;
  readonly firstResponse2hRate: number | null;
  readonly avgCloseHours: number | null;
  readonly avgCloseHoursByLocation: Readonly<Record<string, number>>;
  readonly topRepeatDevices: readonly DeviceCount[];
  readonly firstPassRate: number | null;
  /** Stage → tickets late in it (the count of breakpointDetails[stage].late). */
  readonly breakpoints: StageRecord<number>;
  /** Stage → day → late (breakpointDetails[stage].byDay). */
  readonly breakpointsByDay: StageRecord<Readonly<Record<string, number>>>;
  readonly breakpointDetails: StageRecord<StageBreakpoints>;
  /** The numerators and denominators behind the rates, for drill-downs. */
  readonly counts: {
    readonly firstResponse2h: { readonly within: number; readonly counted: number };
    readonly closed: number;
    readonly closedByLocation: Readonly<Record<string, number>>;
    readonly firstPass: number;
  };
}

/** Per-day series for trend charts: index i of every array is `days[i]`. */
export interface Trends {
  readonly days: readonly string[];
  readonly created: readonly number[];
  readonly firstResponse2hRate: readonly (number | null)[];
  readonly avgCloseHours: readonly (number | null)[];
  readonly firstPassRate: readonly (number | null)[];
  /** Late tickets per stage by the day the stage started (tickets created in the window). */
  readonly breakpoints: StageRecord<readonly number[]>;
}
