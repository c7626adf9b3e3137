import { isOpen, type Ticket } from '../../../domain';
import { evaluate, type Banner, type CompiledPack, type Deadline, type EvalEvent, type TicketHistory } from '../../../rules';
import type { ChangeMessage } from '../store';
import { applyEvaluation, type DesktopNotice } from './apply-evaluation';
import { RULE_ACTOR, ruleAction, type FiredRule } from './message';
import { fromTicket } from './rule-ticket';
import type { PackViews } from './pack-views';

/** What makes the runner evaluate a ticket: the engine's events, or an SLA timer (`deadline`). */
export type RunEvent = EvalEvent | { readonly kind: 'deadline' };

export interface PlanInput {
  views: PackViews;
  /** The current ticket; left untouched. */
  ticket: Ticket;
  events: readonly RunEvent[];
  now: number;
  history: TicketHistory | null;
  seat: string;
}

export interface Plan {
  /** The ticket after the outcome: a new object when `changed`, else the input. */
  ticket: Ticket;
  changed: boolean;
  /**
   * Fields written whole: `tags` when the rules changed the list. Seats that fire the same rule
   * write equal lists, and a merge keeps one of them (appending would leave the tag twice).
   */
  rewrite: string[];
  /** The firings new to the ledger, with their rule versions. */
  fired: FiredRule[];
  /** The change message naming every rule and version behind the change. */
  message: ChangeMessage;
  /** The ticket's banners now, or null when no SLA was evaluated (a daily run). */
  banners: Banner[] | null;
  /** The SLA deadlines of the ticket's state now, or null when no SLA was evaluated. */
  deadlines: Deadline[] | null;
  desktop: DesktopNotice[];
  /** Every explain line of the evaluations, in order. */
  explain: string[];
}

function viewFor(views: PackViews, event: RunEvent, t: Ticket): CompiledPack {
  switch (event.kind) {
    case 'created':
    case 'transition':
      return views.full;
    case 'updated':
      // Routing decides where a ticket nobody has had yet goes (e.g. nobody was on duty when it came
      // in). Once it was dispatched — even if declined since — the dispatcher decides, not rules.
      return t.state === 'pending_acceptance' && !t.assignee && !t.milestones.assigned ? views.full : views.noRouting;
    case 'daily':
      return views.daily;
    case 'deadline':
      return views.sla;
  }
}

/**
 * The outcome of the rules for one ticket as one change (pure: same ticket, rulebook, history and
 * `now` → same plan on every seat). Events are evaluated in order on the ticket as the previous
 * ones left it. A `created` event is judged at the ticket's creation time, so seats that evaluate
 * the same new ticket write identical values. Closed and cancelled tickets get no SLA.
 */
export function planOutcome(input: PlanInput): Plan {
  const t = structuredClone(input.ticket);
  const fired: FiredRule[] = [];
  const desktop: DesktopNotice[] = [];
  const explain: string[] = [];
  let banners: Banner[] | null = null;
  let deadlines: Deadline[] | null = null;
  let at = input.now;
  for (const event of input.events) {
    const pack = viewFor(input.views, event, t);
    const now = event.kind === 'created' ? Date.parse(t.createdAt) : input.now;
    at = Math.max(at, now);
    const r = evaluate(pack, fromTicket(t), { now, event: event.kind === 'deadline' ? 'updated' : event, history: input.history });
    const applied = applyEvaluation(t, r, input.views, { nowIso: new Date(now).toISOString(), seat: input.seat, fill: event.kind !== 'created' });
    fired.push(...applied.fresh.map((f) => ({ rule: f.rule, version: f.version })));
    desktop.push(...applied.desktop);
    explain.push(...r.explain, ...applied.notes);
    if (pack !== input.views.daily) {
      // The engine's deadlines are those of the state after its own routing; if the seat could not
      // make that move (a refused dispatch), judge the SLA again on the ticket as it is.
      const sla = r.state === t.state ? r : evaluate(input.views.sla, fromTicket(t), { now, event: 'updated', history: input.history });
      banners = isOpen(t.state) ? sla.banners : [];
      deadlines = isOpen(t.state) ? sla.deadlines : [];
    }
  }
  const tags = ruleTags(t);
  const retag = !sameList(tags, input.ticket.tags);
  const changed = fired.length > 0 || retag;
  if (changed) {
    t.tags = tags;
    t.updatedAt = new Date(Math.max(Date.parse(t.updatedAt), at)).toISOString();
  }
  const message: ChangeMessage = { by: RULE_ACTOR, seat: input.seat, action: ruleAction(fired) };
  return { ticket: changed ? t : input.ticket, changed, rewrite: retag ? ['tags'] : [], fired, message, banners, deadlines, desktop, explain };
}

/**
 * The tag list after the rules: each tag once (lists written before this rule, or merged from
 * seats that appended concurrently, may hold one twice), and every tag a firing in the ledger
 * added (a concurrent whole-list write of another seat may have replaced the list it was in).
 */
export function ruleTags(t: Ticket): string[] {
  const tags = new Set(t.tags);
  for (const key of Object.keys(t.firings).sort()) for (const tag of t.firings[key]?.tags ?? []) tags.add(tag);
  return [...tags];
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
