import { isOpen, type TicketRow } from '../../../domain';
import { evaluate, formatInZone, startOfLocalDay, type TicketHistory } from '../../../rules';
import type { TicketStore } from '../store';
import { fromRow } from './rule-ticket';
import type { Rulebook } from './rulebook';

/** The last site day whose daily check ran to its end (YYYY-MM-DD), kept across restarts. */
export const DAILY_META = 'rules.dailyClosed';
const HOUR = 3_600_000;

/**
 * The `schedule: daily` automations: once when the seat starts (the day so far) and at each local
 * midnight for the day that just ended (judged at 23:59:59.999, so `within: today` counts that
 * day). A day the seat was off for is closed when it starts again. Tickets looked at: the open
 * ones. A ticket closed or cancelled that day still counts for a `count` (it is in the history) but
 * is not written to: only a supervisor's reopen changes it, and the sync server refuses anything
 * else (a synced seat's daily check on such tickets was refused twice per ticket after a restart).
 * Judged on rows when the rules allow it, so only tickets that fire are loaded; firing keys
 * (`daily:YYYY-MM-DD`) keep a ticket from firing twice for one day.
 */
export class DailyRun {
  private next = Infinity;

  constructor(
    private readonly store: TicketStore,
    private readonly rulebook: Rulebook,
    private readonly history: TicketHistory,
    private readonly apply: (id: string, now: number) => void,
  ) {}

  /** When the next check is due (epoch ms). */
  nextAt(): number {
    return this.next;
  }

  start(now: number): void {
    const zone = this.rulebook.current().pack.zone;
    const today = startOfLocalDay(zone, now);
    const closed = this.store.meta<string>(DAILY_META);
    const yesterdayEnd = today - 1;
    const yesterday = formatInZone(zone, yesterdayEnd).slice(0, 10);
    if (closed === undefined) void this.store.putMeta(DAILY_META, yesterday).catch(() => undefined); // a new seat catches up nothing
    else if (closed < yesterday) this.run(yesterdayEnd, true);
    this.run(now, false);
    this.next = nextMidnight(zone, now);
  }

  /** At the timer: closes the day that ended at the last midnight. */
  wake(now: number): void {
    if (now < this.next) return;
    const zone = this.rulebook.current().pack.zone;
    this.run(this.next - 1, true);
    this.next = nextMidnight(zone, now);
  }

  /**
   * Tickets new to this seat (a bootstrap, tickets merged from other seats): today's check for
   * them, as the tickets it held had when it started — a seat that got its site by syncing would
   * otherwise leave them to its next start or midnight. Firing keys make it a no-op for a ticket
   * another seat already fired on.
   */
  arrived(ids: readonly string[], now: number): void {
    if (this.next === Infinity) return; // not started: start() looks at every row
    this.check(ids.flatMap((id) => this.store.row(id) ?? []), now);
  }

  private run(now: number, closing: boolean): void {
    const { pack } = this.rulebook.current();
    const day = formatInZone(pack.zone, now).slice(0, 10);
    this.check(this.store.rows(), now);
    if (closing) void this.store.putMeta(DAILY_META, day).catch(() => undefined);
  }

  private check(rows: Iterable<TicketRow>, now: number): void {
    const { views } = this.rulebook.current();
    if (views.daily.automations.length === 0) return;
    for (const row of rows) {
      if (!isOpen(row.state)) continue;
      if (views.dailyOnRows) {
        const r = evaluate(views.daily, fromRow(row), { now, event: 'daily', history: this.history });
        if (r.firings.every((f) => row.firings?.includes(f.key))) continue;
      }
      this.apply(row.id, now);
    }
  }
}

/** The next 00:00 in the site's zone after `now` (days of 23 or 25 hours included). */
export function nextMidnight(zone: string, now: number): number {
  return startOfLocalDay(zone, startOfLocalDay(zone, now) + 36 * HOUR);
}
