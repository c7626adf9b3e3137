/**
 * Dry run: replays a draft pack over past tickets, each as it was when created (no assignee, pool
 * or priority yet, pending acceptance, `now` = its creation time, the other tickets as history),
 * and reports what the draft would have changed — against the current pack if one is given,
 * otherwise against what the ticket actually got.
 */
import { evaluate } from '../engine/evaluate';
import type { Evaluation } from '../engine/output';
import { TicketHistory } from '../history/history';
import { withChanges } from '../model/ticket';
import type { Ticket } from '../model/ticket';
import type { CompiledPack } from '../pack/types';
import { formatInZone } from '../time/zone';

export interface SimulateOptions {
  readonly now: number;
  /** Replay tickets created in (now − sinceMs, now]. */
  readonly sinceMs: number;
  readonly current?: CompiledPack | null;
}

export interface TicketChange {
  readonly ticket: string;
  readonly createdAt: string;
  readonly title: string;
  readonly changes: readonly string[];
  readonly fired: readonly string[];
}

export interface SimulationReport {
  readonly replayed: number;
  readonly changed: readonly TicketChange[];
  /** How many tickets change per aspect: assignee, pool, priority, tags, notifications, tasks, pushes. */
  readonly counts: Readonly<Record<string, number>>;
}

type Baseline = Pick<Evaluation, 'assignee' | 'pool' | 'priority' | 'tags' | 'fired' | 'notifications' | 'tasks' | 'pushes' | 'skipDispatch'>;

const shown = (v: string | null): string => v ?? '(none)';

function recorded(ticket: Ticket): Baseline {
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    assignee: ticket.assignee, pool: text(ticket.fields.pool), priority: text(ticket.fields.priority), tags: [...ticket.tags],
    fired: [], notifications: [], tasks: [], pushes: [], skipDispatch: false,
  };
}

function diff(draft: Evaluation, base: Baseline, againstPack: boolean, name: (id: string) => string): [string, string][] {
  const changes: [string, string][] = [];
  for (const key of ['assignee', 'pool', 'priority'] as const) {
    const d = draft[key];
    const b = base[key];
    if (d === b || (!againstPack && d === null)) continue;
    const label = (v: string | null): string => (key === 'assignee' && v ? `${v} (${name(v)})` : shown(v));
    changes.push([key, `${key}: ${label(b)} → ${label(d)}`]);
  }
  const added = draft.tags.filter((t) => !base.tags.includes(t));
  const removed = againstPack ? base.tags.filter((t) => !draft.tags.includes(t)) : [];
  if (added.length || removed.length) changes.push(['tags', `tags: ${[...added.map((t) => `+${t}`), ...removed.map((t) => `−${t}`)].join(' ')}`]);
  if (againstPack && draft.skipDispatch !== base.skipDispatch) changes.push(['skipDispatch', `skip dispatch: ${base.skipDispatch} → ${draft.skipDispatch}`]);
  const count = (label: string, d: number, b: number): void => {
    if (d !== b) changes.push([label, `${label}: ${b} → ${d}`]);
  };
  count('notifications', draft.notifications.length, base.notifications.length);
  count('tasks', draft.tasks.length, base.tasks.length);
  count('pushes', draft.pushes.length, base.pushes.length);
  return changes;
}

export function simulate(draft: CompiledPack, tickets: readonly Ticket[], options: SimulateOptions): SimulationReport {
  const history = new TicketHistory(tickets);
  const replay = tickets
    .filter((t) => t.createdAt > options.now - options.sinceMs && t.createdAt <= options.now)
    .sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : 1));
  const counts: Record<string, number> = {};
  const changed: TicketChange[] = [];
  for (const past of replay) {
    const fresh = withChanges(past, {
      assignee: null, pool: null, priority: null, state: 'pending_acceptance', stateEnteredAt: past.createdAt,
    });
    const atCreation: Ticket = { ...fresh, pauses: [] };
    const run = (pack: CompiledPack): Evaluation => evaluate(pack, atCreation, { now: past.createdAt, event: 'created', history });
    const result = run(draft);
    const base = options.current ? run(options.current) : recorded(past);
    const changes = diff(result, base, Boolean(options.current), (id) => draft.directory.name(id));
    if (changes.length === 0) continue;
    for (const [aspect] of changes) counts[aspect] = (counts[aspect] ?? 0) + 1;
    changed.push({
      ticket: typeof past.fields.no === 'string' ? past.fields.no : past.key,
      createdAt: formatInZone(draft.zone, past.createdAt),
      title: typeof past.fields.title === 'string' ? past.fields.title : '',
      changes: changes.map(([, text]) => text),
      fired: result.fired,
    });
  }
  return { replayed: replay.length, changed, counts };
}
