/**
 * What one pack would have done to one past ticket over its life, replayed from the times people
 * actually took (its milestones): routing and `on: created` automations when it was created (as it
 * was then: no assignee, pool, priority or tags, pending acceptance); an SLA breach wherever the
 * pack's clock for a state ran out before the ticket left that state; `on: transition` automations
 * at each recorded transition; `schedule: daily` automations at the end of its creation day (if it
 * was still open then). A routing `skip_dispatch` moves the start of the dispatch clock to the
 * creation time.
 */
import { evaluate } from '../engine/evaluate';
import type { Evaluation, FiringKind, Notification } from '../engine/output';
import type { TicketHistory } from '../history/history';
import type { Milestone, Ticket, TicketState } from '../model/ticket';
import { withChanges } from '../model/ticket';
import type { CompiledPack, SlaLevel } from '../pack/types';
import { parseInstant } from '../time/instant';
import { startOfLocalDay } from '../time/zone';

export interface ReplayedFiring {
  readonly rule: string;
  readonly kind: FiringKind;
}

export interface SlaBreach {
  readonly rule: string;
  readonly level: SlaLevel;
  readonly state: TicketState;
}

/** One pack's outcome for one past ticket. */
export interface Replay {
  /** Routing at creation (and `on: created` automations' tags). */
  readonly created: Evaluation;
  /** Every firing over the ticket's life, in order. */
  readonly firings: readonly ReplayedFiring[];
  /** Every notification (outgoing and desktop), one per rule, channel and person. */
  readonly notifications: readonly Notification[];
  readonly breaches: readonly SlaBreach[];
  readonly tasks: number;
  readonly pushes: number;
}

/** A pack cut down to what one kind of replay step evaluates (routing off, and so on). */
export interface PackParts {
  readonly full: CompiledPack;
  readonly sla: CompiledPack;
  readonly automations: CompiledPack;
  readonly slaStates: ReadonlySet<TicketState>;
  readonly transitionStates: ReadonlySet<TicketState>;
  readonly daily: boolean;
}

const NO_ROUTING = { routing: [], routingIndex: { byKeyword: [], always: [] } } as const;

export function packParts(pack: CompiledPack): PackParts {
  const transitionStates = new Set<TicketState>();
  for (const a of pack.automations) if (a.on.kind === 'transition') transitionStates.add(a.on.to);
  return {
    full: pack,
    sla: { ...pack, ...NO_ROUTING, automations: [] },
    automations: { ...pack, ...NO_ROUTING, sla: [] },
    slaStates: new Set(pack.sla.map((s) => s.state)),
    transitionStates,
    daily: pack.automations.some((a) => a.on.kind === 'daily'),
  };
}

/** The workflow's stays in order: the state, the milestone that entered it, the one that left it. */
const STAYS: readonly (readonly [TicketState, Milestone, Milestone])[] = [
  ['pending_acceptance', 'created', 'assigned'],
  ['dispatched', 'assigned', 'accepted'],
  ['in_progress', 'accepted', 'resolved'],
  ['pending_verification', 'resolved', 'verified'],
];
const HOUR = 3_600_000;

const instantOf = (v: unknown): number | null => (typeof v === 'string' ? parseInstant(v) : null);

export function replayTicket(parts: PackParts, past: Ticket, ctx: { readonly now: number; readonly history: TicketHistory | null }): Replay {
  const { history } = ctx;
  const fresh = withChanges(past, { assignee: null, pool: null, priority: null, tags: [], state: 'pending_acceptance', stateEnteredAt: past.createdAt });
  const created = evaluate(parts.full, { ...fresh, pauses: [] }, { now: past.createdAt, event: 'created', history });
  const firings: ReplayedFiring[] = [];
  const notifications: Notification[] = [];
  const breaches: SlaBreach[] = [];
  let tasks = 0;
  let pushes = 0;
  const take = (r: Evaluation, kinds: readonly FiringKind[]): void => {
    const rules = new Set<string>();
    for (const f of r.firings) {
      if (!kinds.includes(f.kind)) continue;
      firings.push({ rule: f.rule, kind: f.kind });
      rules.add(f.rule);
    }
    notifications.push(...r.notifications.filter((n) => rules.has(n.rule)));
    tasks += r.tasks.filter((x) => rules.has(x.rule)).length;
    pushes += r.pushes.filter((x) => rules.has(x.rule)).length;
  };
  take(created, ['routing', 'automation']);

  // The ticket as the pack routed it, with the pauses it really had.
  const routed: Ticket = {
    ...withChanges(past, { assignee: created.assignee, pool: created.pool, priority: created.priority, tags: created.tags }),
    pauses: past.pauses,
  };
  const skipped = created.state === 'dispatched';
  const updatedAt = instantOf(past.fields.updatedAt);
  const m = past.milestones;
  for (const [state, enteredBy, leftBy] of STAYS) {
    if (state === 'pending_acceptance' && skipped) continue;
    const entered = state === 'dispatched' && skipped ? past.createdAt : m[enteredBy];
    if (entered === undefined || entered > ctx.now) continue;
    const left = m[leftBy] ?? (past.state === state ? ctx.now : updatedAt);
    if (left === null || left === undefined || left <= entered) continue;
    if (state !== 'pending_acceptance' && !(state === 'dispatched' && skipped) && parts.transitionStates.has(state)) {
      take(evaluate(parts.automations, withChanges(routed, { state, stateEnteredAt: entered }), { now: entered, event: { kind: 'transition', to: state }, history }), ['automation']);
    }
    if (!parts.slaStates.has(state)) continue;
    // Still in the state now: breached when due by now; left it: breached when due before it left.
    const at = Math.min(left, ctx.now) - (left <= ctx.now && m[leftBy] !== undefined ? 1 : 0);
    const r = evaluate(parts.sla, withChanges(routed, { state, stateEnteredAt: entered }), { now: at, event: 'updated', history });
    take(r, ['sla']);
    for (const f of r.firings) {
      const rule = parts.full.sla.find((s) => s.id === f.rule);
      if (f.kind === 'sla' && rule) breaches.push({ rule: rule.id, level: rule.level, state });
    }
  }
  if (m.verified !== undefined && m.verified <= ctx.now && parts.transitionStates.has('closed')) {
    take(evaluate(parts.automations, withChanges(routed, { state: 'closed', stateEnteredAt: m.verified }), { now: m.verified, event: { kind: 'transition', to: 'closed' }, history }), ['automation']);
  }
  if (parts.daily) {
    const dayEnd = startOfLocalDay(parts.full.zone, startOfLocalDay(parts.full.zone, past.createdAt) + 36 * HOUR) - 1;
    // Closed (verified) or cancelled by the day's end: as on a seat, the daily check writes nothing to it.
    const ended = past.state === 'cancelled' ? updatedAt : (m.verified ?? null);
    if (dayEnd <= ctx.now && !(ended !== null && ended <= dayEnd)) take(evaluate(parts.automations, routed, { now: dayEnd, event: 'daily', history }), ['automation']);
  }
  return { created, firings, notifications, breaches, tasks, pushes };
}
