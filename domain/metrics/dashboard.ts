/**
 * The seat's dashboard over its ticket rows, kept up to date one ticket at a time.
 *
 * Every ticket's contribution is folded into the Tally of the day it was created, once it no longer
 * depends on `now` (it is "settled": assigned or older than 2 h, verified in the past, and any stage
 * it waits in already past its threshold). The few tickets still "live" are kept and evaluated at
 * each query, and so are the open tickets (for the stuck view). Nothing else is kept per ticket:
 * a change is `update(previous row, next row)` — the previous row's contribution is computed again
 * and taken out, the next one's added — with no pass over the other rows and no index of 200,000
 * ids. A period's figures are the sum of its days' tallies plus the live tickets created in it, and
 * equal computeMetrics over the same rows exactly (integer counts and ms sums).
 *
 * The dashboard is live: its clock only moves forward. A `now` earlier than one already asked (a
 * seat clock stepping back) is taken as that later one; figures as of an earlier moment come from
 * computeMetrics over the rows.
 */
import { periodDays, trendsFrom } from './compute';
import { FactReader } from './facts';
import type { TicketFacts } from './facts';
import { report } from './report';
import { stuckFrom, waitingFrom, isOpenTicket } from './stuck';
import type { SiteDirectory, StuckFilter, StuckView, WaitingView } from './stuck';
import { Tally } from './tally';
import type { MetricTicket, MetricsConfig, Period, PeriodMetrics, Trends } from './types';

export class IncrementalDashboard<T extends MetricTicket = MetricTicket> {
  private readonly reader: FactReader;
  private readonly buckets = new Map<number, Tally>();
  /** Tickets whose contribution still changes with `now`: not in any bucket. */
  private readonly live = new Map<string, TicketFacts<T>>();
  private readonly open = new Map<string, TicketFacts<T>>();
  private clock: number;
  private count = 0;

  /** Builds the per-day totals over every row, as of `now`. Rows are not mutated afterwards: a change is a new row. */
  constructor(rows: Iterable<T>, readonly config: MetricsConfig, now: number) {
    this.reader = new FactReader(config);
    this.clock = now;
    for (const row of rows) this.add(row);
  }

  /** How many tickets the dashboard holds. */
  get size(): number {
    return this.count;
  }

  /** The latest `now` the dashboard has been asked about. */
  get asOf(): number {
    return this.clock;
  }

  /** How many tickets are still evaluated at each query (their figures depend on `now`). */
  get liveCount(): number {
    return this.live.size;
  }

  /**
   * One ticket changed: `previous` is the row the dashboard was last given for it (null for a new
   * ticket), `next` its new row (null when it is deleted). O(1): two rows read, two contributions.
   */
  update(previous: T | null, next: T | null): void {
    if (previous) this.drop(previous);
    if (next) this.add(next);
  }

  private add(row: T): void {
    const f = this.reader.read(row);
    this.count++;
    if (isOpenTicket(row)) this.open.set(row.id, f);
    if (f.settleAt <= this.clock) this.bucket(f.createdDay).add(f, Infinity, 1, this.reader.thresholds);
    else this.live.set(row.id, f);
  }

  private drop(row: T): void {
    this.count--;
    this.open.delete(row.id);
    if (this.live.delete(row.id)) return;
    const f = this.reader.read(row);
    const b = this.bucket(f.createdDay);
    b.add(f, Infinity, -1, this.reader.thresholds);
    if (b.isEmpty()) this.buckets.delete(f.createdDay);
  }

  metrics(period: Period, now: number): PeriodMetrics {
    now = this.advance(now);
    const { from, to } = periodDays(period);
    const tally = new Tally();
    for (let d = from; d <= to; d++) {
      const b = this.buckets.get(d);
      if (b) tally.merge(b);
    }
    for (const f of this.live.values()) {
      if (f.createdDay >= from && f.createdDay <= to) tally.add(f, now, 1, this.reader.thresholds);
    }
    return report(tally, from, to, now, this.config);
  }

  /** Per-day series over the period (e.g. lastDays(30 | 90, now, zone)). */
  trends(period: Period, now: number): Trends {
    now = this.advance(now);
    const { from, to } = periodDays(period);
    const overlay = new Map<number, Tally>();
    for (const f of this.live.values()) {
      if (f.createdDay < from || f.createdDay > to) continue;
      let t = overlay.get(f.createdDay);
      if (!t) {
        t = new Tally();
        const b = this.buckets.get(f.createdDay);
        if (b) t.merge(b);
        overlay.set(f.createdDay, t);
      }
      t.add(f, now, 1, this.reader.thresholds);
    }
    const dayTally = (d: number): Tally | undefined => overlay.get(d) ?? this.buckets.get(d);
    const window = new Tally();
    for (let d = from; d <= to; d++) {
      const t = dayTally(d);
      if (t) window.merge(t);
    }
    return trendsFrom(dayTally, window, from, to);
  }

  stuck(now: number, filter: StuckFilter = {}, directory: SiteDirectory = {}): StuckView<T> {
    return stuckFrom(this.open.values(), this.advance(now), this.config, filter, directory);
  }

  waitingForResponse(now: number): WaitingView<T> {
    return waitingFrom(this.open.values(), this.advance(now), this.config, this.reader.days);
  }

  private bucket(day: number): Tally {
    let b = this.buckets.get(day);
    if (!b) this.buckets.set(day, (b = new Tally()));
    return b;
  }

  /** Moves the clock to `now` (never back), folding the tickets settled by then; returns the clock. */
  private advance(now: number): number {
    if (now <= this.clock) return this.clock;
    this.clock = now;
    for (const [id, f] of this.live) {
      if (f.settleAt > now) continue;
      this.live.delete(id);
      this.bucket(f.createdDay).add(f, Infinity, 1, this.reader.thresholds);
    }
    return now;
  }
}
