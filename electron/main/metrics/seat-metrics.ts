import type { TicketRow } from '../../../domain';
import {
  IncrementalDashboard, ZoneDays, areaMatcher, breakpointEliminationRate, dayKey, lastDays,
  type StuckFilter,
} from '../../../domain/metrics';
import type {
  MetricsFreshness, MetricsOverview, MetricsStuck, MetricsTickets, MetricsTrends,
} from '../../contract/metrics';
import type { TicketStore } from '../store';
import type { MetricsSettings } from './settings';
import { checkedPeriod, drillRows, previousPeriod, stuckRow, type DrillQuery } from './views';

export interface SeatMetricsDeps {
  store: Pick<TicketStore, 'rows' | 'onRowChange'>;
  /** The node's clock (epoch ms). */
  clock: () => number;
  /** The zone, thresholds and directory in force; read again after `settingsChanged()`. */
  settings: () => MetricsSettings;
  /** The seat's sync state (`node.status`). */
  sync: () => { online: boolean; lastSyncAt: string | null };
  log?: (message: string, error?: unknown) => void;
}

interface Built {
  dash: IncrementalDashboard<TicketRow>;
  settings: MetricsSettings;
  days: ZoneDays;
  areaOf: (location: string | null | undefined) => string | null;
  unsubscribe: () => void;
}

/**
 * The supervisor's dashboard on the seat (issue 6): an IncrementalDashboard over the store's
 * projection rows, built on first use (seats nobody opens the dashboard on pay nothing) and then
 * kept current by the store's row-change hook — each change hands it the row before and after, so
 * a change costs two rows read, not a pass over the site. A new rulebook (other thresholds, zone or
 * areas) or a fault in an update drops it, and the next question builds it again.
 */
export class SeatMetrics {
  private built: Built | null = null;

  constructor(private readonly deps: SeatMetricsDeps) {}

  /** Whether the dashboard is built (tests, diagnostics). */
  get ready(): boolean {
    return this.built !== null;
  }

  /** The rulebook changed: rebuild with its thresholds on the next question. */
  settingsChanged(): void {
    this.drop();
  }

  close(): void {
    this.drop();
  }

  overview(from?: string, to?: string): MetricsOverview {
    const b = this.build();
    const now = this.deps.clock();
    const period = checkedPeriod(from, to, this.today(b, now));
    const previous = previousPeriod(period);
    const metrics = b.dash.metrics({ from: period.from, to: period.to }, now);
    const before = b.dash.metrics(previous, now);
    const waiting = b.dash.waitingForResponse(now);
    const stuck = b.dash.stuck(now);
    return {
      ...this.freshness(b),
      period: { from: period.from, to: period.to },
      previous,
      metrics,
      previousBreakpoints: before.breakpoints,
      eliminationRate: breakpointEliminationRate(before.breakpoints, metrics.breakpoints),
      waiting: { total: waiting.total, late: waiting.late, createdToday: waiting.createdToday },
      stuckNow: { total: stuck.total, late: stuck.late, byStage: { ...stuck.byStage } },
      rulebook: b.settings.rulebook,
    };
  }

  trends(days: 30 | 90): MetricsTrends {
    const b = this.build();
    const now = this.deps.clock();
    const trends = b.dash.trends(lastDays(days, Math.max(now, b.dash.asOf), b.settings.config.zone), now);
    return { ...this.freshness(b), trends };
  }

  stuck(filter: StuckFilter = {}): MetricsStuck {
    const b = this.build();
    const now = this.deps.clock();
    const view = b.dash.stuck(now, filter, b.settings.directory);
    const pools = new Set<string>();
    for (const e of b.dash.stuck(now).entries) if (e.ticket.pool) pools.add(e.ticket.pool);
    const teams = new Set<string>();
    for (const p of b.settings.directory.people ?? []) for (const t of p.teams) teams.add(t);
    return {
      ...this.freshness(b),
      total: view.total,
      late: view.late,
      byStage: { ...view.byStage },
      rows: view.entries.map((e) => stuckRow(e, b.areaOf)),
      options: {
        teams: [...teams].sort(),
        areas: Object.keys(b.settings.directory.areas ?? {}).sort(),
        pools: [...pools].sort(),
      },
    };
  }

  tickets(q: DrillQuery): MetricsTickets {
    const b = this.build();
    const now = Math.max(this.deps.clock(), b.dash.asOf);
    const period = checkedPeriod(q.from, q.to, this.today(b, now));
    const query: DrillQuery = { from: period.from, to: period.to, building: q.building, device: q.device };
    return { ...this.freshness(b), period: { from: period.from, to: period.to }, rows: drillRows(this.deps.store.rows(), query, now, b.days) };
  }

  private build(): Built {
    if (this.built) return this.built;
    const settings = this.deps.settings();
    // Rows and the hook are taken in one synchronous step: no write can fall in between.
    const dash = new IncrementalDashboard<TicketRow>(this.deps.store.rows(), settings.config, this.deps.clock());
    const unsubscribe = this.deps.store.onRowChange((previous, next) => this.changed(previous, next));
    this.built = {
      dash, settings, unsubscribe,
      days: new ZoneDays(settings.config.zone),
      areaOf: areaMatcher(settings.directory.areas),
    };
    return this.built;
  }

  private changed(previous: TicketRow | undefined, next: TicketRow): void {
    const b = this.built;
    if (!b) return;
    try {
      b.dash.update(previous ?? null, next);
    } catch (e) {
      // The per-day totals may now be off: start again from the rows on the next question.
      this.drop();
      (this.deps.log ?? ((m: string, err?: unknown) => console.error(m, err)))('看板增量更新失败，将重新计算', e);
    }
  }

  private drop(): void {
    this.built?.unsubscribe();
    this.built = null;
  }

  private today(b: Built, now: number): string {
    return dayKey(b.days.dayOf(Math.max(now, b.dash.asOf)));
  }

  private freshness(b: Built): MetricsFreshness {
    const { online, lastSyncAt } = this.deps.sync();
    const asOf = b.dash.asOf;
    return { asOf: new Date(asOf).toISOString(), zone: b.settings.config.zone, today: dayKey(b.days.dayOf(asOf)), online, lastSyncAt };
  }
}
