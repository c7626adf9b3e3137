import { isOpen, type Ticket, type TicketState } from '../../../domain';
import { DeadlineScheduler, TicketHistory, evaluate, parseInstant, type Deadline } from '../../../rules';
import type { EventName, Events, RowSla } from '../../contract/ipc';
import type { TicketStore } from '../store';
import { BannerBoard } from './banner-board';
import { DailyRun } from './daily';
import { planOutcome, type Plan, type RunEvent } from './outcome';
import { fromRow, fromTicket } from './rule-ticket';
import type { Rulebook } from './rulebook';
import { REAL_TIMERS, WakeTimer, type Timers } from './wake-timer';

export interface RunnerOptions {
  store: TicketStore;
  rulebook: Rulebook;
  clock: () => number;
  emit: <E extends EventName>(event: E, payload: Events[E]) => void;
  /** The runner changed tickets on its own (a timer, a daily run): tell the consoles. */
  changed: (ids: string[]) => void;
  timers?: Timers;
  /** Longest a timer sleeps before looking at the clock again (default 60 s). */
  maxSleepMs?: number;
  /** Banner events are sent at most this often (default 200 ms). */
  bannerThrottleMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface Applied {
  ticket: Ticket | null;
  plan: Plan | null;
}

/**
 * The rule runner of one seat (DESIGN.md §4): evaluates a ticket when it is created or changed,
 * when one of its SLA deadlines falls due and once a day, and applies each outcome as one
 * Automerge change with the rule ids and versions. Knows every ticket from projection rows (counts,
 * deadlines) and parses a document only to change it. One real timer, armed for the earliest
 * deadline or the next local midnight: the work follows the tickets falling due.
 */
export class SeatRunner {
  readonly history = new TicketHistory();
  readonly scheduler = new DeadlineScheduler();
  readonly banners: BannerBoard;
  private readonly states = new Map<string, TicketState>();
  private readonly timer: WakeTimer;
  private readonly daily: DailyRun;
  private readonly queued = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private bannerTimer: unknown = null;
  private started = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: RunnerOptions) {
    const timers = o.timers ?? REAL_TIMERS;
    this.banners = new BannerBoard(() => this.bannersChanged());
    this.timer = new WakeTimer(o.clock, timers, () => this.wake(), o.maxSleepMs);
    this.daily = new DailyRun(o.store, o.rulebook, this.history, (id, now) => this.enqueueApply(id, [{ kind: 'daily' }], now));
    this.unsubscribe = o.rulebook.onChange(() => this.reload());
  }

  /** Indexes every row (counts, states), sets the SLA clocks of open tickets, runs today's daily check. */
  start(): void {
    this.started = true;
    for (const row of this.o.store.rows()) {
      this.history.upsert(fromRow(row));
      this.states.set(row.id, row.state);
    }
    this.scheduleAll();
    this.daily.start(this.o.clock());
    this.rearm();
  }

  /** After a ticket was created on this seat: routing and `on: created` automations, as one change. */
  async afterCreate(ticket: Ticket): Promise<Ticket> {
    this.history.upsert(fromTicket(ticket));
    return (await this.guard(ticket.id, [{ kind: 'created' }], false)) ?? ticket;
  }

  /** After a ticket changed on this seat (`before`: its state before the change). */
  async afterChange(before: TicketState, ticket: Ticket): Promise<Ticket> {
    this.history.upsert(fromTicket(ticket));
    const events: RunEvent[] = before === ticket.state ? [{ kind: 'updated' }] : [{ kind: 'transition', to: ticket.state }];
    return (await this.guard(ticket.id, events, false)) ?? ticket;
  }

  /**
   * Tickets changed elsewhere (imported, later merged from other seats): counts and SLA clocks
   * from their rows; a ticket that moved to another state runs that transition's automations here
   * too (keys make a firing the other seat already made a no-op).
   */
  ticketsChanged(ids: readonly string[]): void {
    const arrived: string[] = [];
    for (const id of ids) {
      const row = this.o.store.row(id);
      if (!row) continue;
      this.history.upsert(fromRow(row));
      const before = this.states.get(id);
      this.states.set(id, row.state);
      if (before === undefined) arrived.push(id);
      if (before !== undefined && before !== row.state) this.enqueueApply(id, [{ kind: 'transition', to: row.state }]);
      else this.enqueueSla(id);
    }
    if (this.started && arrived.length > 0) this.daily.arrived(arrived, this.o.clock());
  }

  /** The node's clock was set (a test clock): look at the deadlines again now. */
  clockChanged(): void {
    this.timer.stop();
    this.rearm();
  }

  /** Resolves when the queued work (timers, daily runs) is done. */
  idle(): Promise<void> {
    return this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.timer.stop();
    if (this.bannerTimer !== null) (this.o.timers ?? REAL_TIMERS).clearTimeout(this.bannerTimer);
    await this.chain;
  }

  /** Evaluates and applies the outcome as one change; keeps clocks, banners and counts current. */
  async apply(id: string, events: readonly RunEvent[], opts: { announce: boolean; at?: number }): Promise<Applied> {
    const active = this.o.rulebook.current();
    const now = opts.at ?? this.o.clock();
    let plan: Plan | null = null;
    const ticket = await this.o.store.update(id, (current) => {
      plan = planOutcome({ views: active.views, ticket: current, events, now, history: this.history, seat: this.o.store.seat });
      return { ticket: plan.ticket, message: plan.message, at: now, ...(plan.rewrite.length ? { rewrite: plan.rewrite } : {}) };
    });
    const done = plan as Plan | null;
    if (!ticket || !done) return { ticket, plan: null };
    this.history.upsert(fromTicket(ticket));
    this.states.set(id, ticket.state);
    if (done.deadlines) this.schedule(id, done.deadlines);
    if (done.banners && done.deadlines) this.banners.set(ticket, done.banners, done.deadlines, active.views.slaLabels);
    for (const n of done.desktop) {
      this.o.emit('rules.notify', { id: n.firing, ticketId: id, no: ticket.no, rule: n.rule, title: n.title, body: n.body, to: n.to, at: new Date(now).toISOString() });
    }
    if (done.changed && opts.announce) this.o.changed([id]);
    return { ticket, plan: done };
  }

  private async guard(id: string, events: readonly RunEvent[], announce: boolean): Promise<Ticket | null> {
    try {
      return (await this.apply(id, events, { announce })).ticket;
    } catch (e) {
      this.o.log?.(`规则执行失败（工单 ${id}）`, e);
      return null;
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((e: unknown) => this.o.log?.('规则执行失败', e));
  }

  private enqueueApply(id: string, events: readonly RunEvent[], at?: number): void {
    this.enqueue(async () => {
      if (!this.stopped) await this.apply(id, events, { announce: true, ...(at !== undefined ? { at } : {}) });
    });
  }

  /** An SLA look at one ticket, once however often it is asked for before it runs. */
  private enqueueSla(id: string): void {
    if (this.queued.has(id)) return;
    this.queued.add(id);
    this.enqueue(async () => {
      this.queued.delete(id);
      if (!this.stopped) await this.refreshSla(id);
    });
  }

  /** A ticket's SLA clock for a list row: its next open deadline, and whether it already breached. */
  slaOf(id: string): RowSla | null {
    const banners = this.banners.of(id);
    const breached = banners.some((b) => b.level !== 'warn');
    const next = this.scheduler.nextDueOf(id);
    if (next === null && banners.length === 0) return null;
    const overdue = banners.find((b) => b.level !== 'warn')?.dueAt ?? null;
    return { dueAt: breached ? overdue : next === null ? null : new Date(next).toISOString(), breached };
  }

  /** The tickets breaching now (a banner) or due within `soonMs` of the node's clock. */
  breachingIds(soonMs: number): Set<string> {
    const ids = this.scheduler.ticketsDueBy(this.o.clock() + soonMs);
    for (const id of this.banners.ticketIds()) ids.add(id);
    return ids;
  }

  /**
   * A ticket's SLA from its row: due times and banners of breaches already in its ledger need no
   * document; a new breach (or a rule the row cannot judge) is applied from the document.
   */
  private async refreshSla(id: string): Promise<void> {
    const row = this.o.store.row(id);
    if (!row || !isOpen(row.state)) {
      this.scheduler.removeTicket(id);
      this.banners.remove(id);
      this.rearm();
      return;
    }
    const { views } = this.o.rulebook.current();
    const r = evaluate(views.slaOnRows, fromRow(row), { now: this.o.clock(), event: 'updated', history: this.history });
    const ledger = row.firings;
    if (!ledger || new Set(row.tags).size !== row.tags.length || r.firings.some((f) => !ledger.includes(f.key) || !views.slaRowExact.has(f.rule))) {
      await this.apply(id, [{ kind: 'deadline' }], { announce: true });
      return;
    }
    this.schedule(id, r.deadlines);
    this.banners.set(row, r.banners, r.deadlines, views.slaLabels);
  }

  private schedule(id: string, deadlines: readonly Deadline[]): void {
    this.scheduler.removeTicket(id);
    for (const d of deadlines) {
      const dueAt = d.dueAt === null || d.breached ? null : parseInstant(d.dueAt);
      if (dueAt !== null) this.scheduler.upsert({ dueAt, ticket: id, rule: d.rule });
    }
    this.rearm();
  }

  /** Every open ticket's clocks from its row; breaches not yet handled are looked at right away. */
  private scheduleAll(): void {
    const { views } = this.o.rulebook.current();
    const now = this.o.clock();
    for (const row of this.o.store.rows()) {
      if (!isOpen(row.state)) continue;
      const r = evaluate(views.slaOnRows, fromRow(row), { now, event: 'updated', history: this.history });
      for (const d of r.deadlines) {
        const dueAt = d.dueAt === null ? null : parseInstant(d.dueAt);
        if (dueAt !== null) this.scheduler.upsert({ dueAt, ticket: row.id, rule: d.rule });
      }
    }
  }

  private reload(): void {
    if (!this.started) return;
    this.enqueue(async () => {
      while (this.scheduler.popDue(Infinity).length > 0) { /* emptied */ }
      this.banners.clear();
      this.scheduleAll();
      this.rearm();
    });
  }

  private wake(): void {
    if (this.stopped) return;
    const now = this.o.clock();
    this.daily.wake(now);
    for (const d of this.scheduler.popDue(now)) this.enqueueSla(d.ticket);
    this.rearm();
  }

  private rearm(): void {
    if (this.stopped || !this.started) return;
    const next = Math.min(this.scheduler.peek()?.dueAt ?? Infinity, this.daily.nextAt());
    if (this.timer.armedFor() !== next) this.timer.arm(Number.isFinite(next) ? next : null);
  }

  private bannersChanged(): void {
    if (this.bannerTimer !== null || this.stopped) return;
    const timers = this.o.timers ?? REAL_TIMERS;
    this.bannerTimer = timers.setTimeout(() => {
      this.bannerTimer = null;
      this.o.emit('rules.banners', this.banners.list());
    }, this.o.bannerThrottleMs ?? 200);
  }
}
