/**
 * Dry run: replays a draft pack over past tickets (replay.ts: creation, SLA clocks against the
 * times people really took, transitions, daily checks) and reports what it would have changed —
 * ticket by ticket against the current pack if one is given, otherwise against what the ticket
 * actually got — with firings per rule, SLA breaches and notifications for both sides.
 */
import type { Evaluation } from '../engine/output';
import { TicketHistory } from '../history/history';
import type { Ticket } from '../model/ticket';
import type { CompiledPack } from '../pack/types';
import { formatInZone } from '../time/zone';
import { packParts, replayTicket, type PackParts, type Replay } from './replay';

export interface SimulateOptions {
  readonly now: number;
  /** Replay tickets created in (now − sinceMs, now]. */
  readonly sinceMs: number;
  readonly current?: CompiledPack | null;
  /** Past tickets for `count` and repair pushes (default: the replayed tickets themselves). */
  readonly history?: TicketHistory | null;
  /** Keep at most this many changed tickets in `changed` (all are counted). */
  readonly maxChanges?: number;
}

/** One difference on one ticket: `before` is the current pack's (or the recorded) value. */
export interface Difference {
  readonly aspect: 'assignee' | 'pool' | 'priority' | 'tags' | 'skipDispatch' | 'notifications' | 'tasks' | 'pushes' | 'sla';
  readonly before: string | number | boolean | null | readonly string[];
  readonly after: string | number | boolean | null | readonly string[];
}

export interface TicketChange {
  /** The ticket's number (its id when it has none). */
  readonly ticket: string;
  /** Its id. */
  readonly id: string;
  readonly createdAt: string;
  readonly title: string;
  /** For people (English, as the command line prints it). */
  readonly changes: readonly string[];
  readonly differences: readonly Difference[];
  /** Routing rules and `on: created` automations the draft fires on it. */
  readonly fired: readonly string[];
}

export interface RuleTally {
  readonly rule: string;
  readonly kind: 'routing' | 'automation' | 'sla';
  readonly draft: number;
  /** null when compared with what the tickets got (no current pack). */
  readonly current: number | null;
}

export interface SideTally {
  readonly draft: number;
  readonly current: number | null;
}

export interface SimulationReport {
  readonly replayed: number;
  /** Changed tickets, oldest first (at most `maxChanges`). */
  readonly changed: readonly TicketChange[];
  /** How many tickets change in all. */
  readonly changedTotal: number;
  /** How many tickets change per aspect: assignee, pool, priority, tags, notifications, tasks, pushes, sla. */
  readonly counts: Readonly<Record<string, number>>;
  /** Firings per rule over the window, rules of both packs, draft order first. */
  readonly rules: readonly RuleTally[];
  /** Notifications per channel that would be sent (desktop included). */
  readonly notifications: Readonly<Record<string, SideTally>>;
  /** Tickets with at least one SLA breach or escalation. */
  readonly breachedTickets: SideTally;
}

type Baseline = Pick<Evaluation, 'assignee' | 'pool' | 'priority' | 'tags' | 'skipDispatch'> & {
  notifications: number; tasks: number; pushes: number; breaches: readonly string[] | null;
};

const shown = (v: string | null): string => v ?? '(none)';

function baselineOf(r: Replay): Baseline {
  const c = r.created;
  return {
    assignee: c.assignee, pool: c.pool, priority: c.priority, tags: c.tags, skipDispatch: c.skipDispatch,
    notifications: r.notifications.length, tasks: r.tasks, pushes: r.pushes, breaches: [...new Set(r.breaches.map((b) => b.rule))],
  };
}

function recorded(ticket: Ticket): Baseline {
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    assignee: ticket.assignee, pool: text(ticket.fields.pool), priority: text(ticket.fields.priority), tags: [...ticket.tags],
    skipDispatch: false, notifications: 0, tasks: 0, pushes: 0, breaches: null,
  };
}

function diff(draft: Replay, base: Baseline, againstPack: boolean, name: (id: string) => string): [Difference, string][] {
  const out: [Difference, string][] = [];
  const d = draft.created;
  for (const key of ['assignee', 'pool', 'priority'] as const) {
    const after = d[key];
    const before = base[key];
    if (after === before || (!againstPack && after === null)) continue;
    const label = (v: string | null): string => (key === 'assignee' && v ? `${v} (${name(v)})` : shown(v));
    out.push([{ aspect: key, before, after }, `${key}: ${label(before)} → ${label(after)}`]);
  }
  const added = d.tags.filter((t) => !base.tags.includes(t));
  const removed = againstPack ? base.tags.filter((t) => !d.tags.includes(t)) : [];
  if (added.length || removed.length) {
    out.push([{ aspect: 'tags', before: base.tags, after: d.tags }, `tags: ${[...added.map((t) => `+${t}`), ...removed.map((t) => `−${t}`)].join(' ')}`]);
  }
  if (againstPack && d.skipDispatch !== base.skipDispatch) {
    out.push([{ aspect: 'skipDispatch', before: base.skipDispatch, after: d.skipDispatch }, `skip dispatch: ${base.skipDispatch} → ${d.skipDispatch}`]);
  }
  const count = (aspect: 'notifications' | 'tasks' | 'pushes', after: number, before: number): void => {
    if (after !== before) out.push([{ aspect, before, after }, `${aspect}: ${before} → ${after}`]);
  };
  count('notifications', draft.notifications.length, base.notifications);
  count('tasks', draft.tasks, base.tasks);
  count('pushes', draft.pushes, base.pushes);
  if (base.breaches) {
    const after = [...new Set(draft.breaches.map((b) => b.rule))];
    const plus = after.filter((r) => !base.breaches?.includes(r));
    const minus = base.breaches.filter((r) => !after.includes(r));
    if (plus.length || minus.length) out.push([{ aspect: 'sla', before: base.breaches, after }, `sla: ${[...plus.map((r) => `+${r}`), ...minus.map((r) => `−${r}`)].join(' ')}`]);
  }
  return out;
}

/** A dry run fed one past ticket at a time (a seat yields between batches), then reported. */
export class Simulation {
  private readonly draft: PackParts;
  private readonly current: PackParts | null;
  private readonly counts: Record<string, number> = {};
  private readonly changed: TicketChange[] = [];
  private changedTotal = 0;
  private replayed = 0;
  private readonly tallies = new Map<string, { kind: RuleTally['kind']; draft: number; current: number }>();
  private readonly channels = new Map<string, { draft: number; current: number }>();
  private readonly breached = { draft: 0, current: 0 };

  constructor(draft: CompiledPack, private readonly options: SimulateOptions & { readonly history: TicketHistory | null }) {
    this.draft = packParts(draft);
    this.current = options.current ? packParts(options.current) : null;
    for (const p of [draft, options.current ?? null]) {
      if (!p) continue;
      for (const r of p.routing) this.tally(r.id, 'routing');
      for (const r of p.automations) this.tally(r.id, 'automation');
      for (const r of p.sla) this.tally(r.id, 'sla');
    }
  }

  /** Whether a ticket was created inside the window. */
  inWindow(createdAt: number): boolean {
    return createdAt > this.options.now - this.options.sinceMs && createdAt <= this.options.now;
  }

  add(past: Ticket): void {
    if (!this.inWindow(past.createdAt)) return;
    this.replayed++;
    const ctx = { now: this.options.now, history: this.options.history };
    const result = replayTicket(this.draft, past, ctx);
    const other = this.current ? replayTicket(this.current, past, ctx) : null;
    this.record(result, 'draft');
    if (other) this.record(other, 'current');
    const base = other ? baselineOf(other) : recorded(past);
    const changes = diff(result, base, other !== null, (id) => this.draft.full.directory.name(id));
    if (changes.length === 0) return;
    this.changedTotal++;
    for (const [d] of changes) this.counts[d.aspect] = (this.counts[d.aspect] ?? 0) + 1;
    if (this.changed.length >= (this.options.maxChanges ?? Infinity)) return;
    this.changed.push({
      ticket: typeof past.fields.no === 'string' ? past.fields.no : past.key,
      id: past.key,
      createdAt: formatInZone(this.draft.full.zone, past.createdAt),
      title: typeof past.fields.title === 'string' ? past.fields.title : '',
      changes: changes.map(([, text]) => text),
      differences: changes.map(([d]) => d),
      fired: result.created.fired,
    });
  }

  report(): SimulationReport {
    const against = this.current !== null;
    const side = (n: { draft: number; current: number }): SideTally => ({ draft: n.draft, current: against ? n.current : null });
    return {
      replayed: this.replayed,
      changed: this.changed,
      changedTotal: this.changedTotal,
      counts: { ...this.counts },
      rules: [...this.tallies].map(([rule, t]) => ({ rule, kind: t.kind, draft: t.draft, current: against ? t.current : null })),
      notifications: Object.fromEntries([...this.channels].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => [c, side(n)])),
      breachedTickets: side(this.breached),
    };
  }

  private tally(rule: string, kind: RuleTally['kind']) {
    let t = this.tallies.get(rule);
    if (!t) this.tallies.set(rule, (t = { kind, draft: 0, current: 0 }));
    return t;
  }

  private record(r: Replay, side: 'draft' | 'current'): void {
    for (const f of r.firings) this.tally(f.rule, f.kind)[side]++;
    for (const n of r.notifications) {
      let c = this.channels.get(n.channel);
      if (!c) this.channels.set(n.channel, (c = { draft: 0, current: 0 }));
      c[side]++;
    }
    if (r.breaches.some((b) => b.level !== 'warn')) this.breached[side]++;
  }
}

export function simulate(draft: CompiledPack, tickets: readonly Ticket[], options: SimulateOptions): SimulationReport {
  const simulation = new Simulation(draft, { ...options, history: options.history ?? new TicketHistory(tickets) });
  const replay = tickets.filter((t) => simulation.inWindow(t.createdAt)).sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : 1));
  for (const t of replay) simulation.add(t);
  return simulation.report();
}
