/**
 * evaluate(pack, ticket, { now, event, history }) → the outcome of the rules for one ticket:
 * routing (on created/updated), then automations for the event, then the SLA deadlines of the
 * state the ticket is in afterwards. Pure: same pack, ticket, history and `now` → same result on
 * every seat.
 */
import type { TicketHistory } from '../history/history';
import { eventName, firingKeyWith, firingSuffix, parseEvent } from '../ledger/firing';
import type { EvalEvent } from '../ledger/firing';
import { withChanges } from '../model/ticket';
import type { Ticket } from '../model/ticket';
import type { CompiledPack } from '../pack/types';
import { formatIsoDate } from '../time/clock';
import { parseInstant } from '../time/instant';
import { localParts } from '../time/zone';
import { runAutomations } from './automations';
import { runDeadlines } from './deadlines';
import { emptyEvaluation } from './output';
import type { Evaluation } from './output';
import { runRouting } from './routing';
import { TicketScope } from './scope';

export interface EvaluateOptions {
  /** The moment of evaluation: epoch ms, or ISO-8601 with an offset. */
  readonly now: number | string;
  /** Default `created`. Also `updated`, `daily`, `{kind: 'transition', to}` or "transition:STATE". */
  readonly event?: EvalEvent | string;
  /** Past tickets for `count` and repair pushes. */
  readonly history?: TicketHistory | null;
}

export class EvaluateError extends Error {
  override readonly name = 'EvaluateError';
}

function toNow(now: number | string): number {
  const ms = typeof now === 'number' ? now : parseInstant(now);
  if (ms === null || !Number.isFinite(ms)) throw new EvaluateError(`now: expected an ISO-8601 time with an offset, got ${String(now)}`);
  return ms;
}

function toEvent(event: EvalEvent | string | undefined): EvalEvent {
  if (event === undefined) return { kind: 'created' };
  if (typeof event !== 'string') return event;
  const parsed = parseEvent(event);
  if (!parsed) throw new EvaluateError(`event: expected created, updated, daily or transition:STATE, got ${event}`);
  return parsed;
}

export function evaluate(pack: CompiledPack, ticket: Ticket, options: EvaluateOptions): Evaluation {
  const now = toNow(options.now);
  const event = toEvent(options.event);
  const history = options.history ?? null;
  const out = emptyEvaluation(ticket.state);
  const keyEvent = event.kind === 'daily' ? `daily:${formatIsoDate(localParts(pack.zone, now).day)}` : eventName(event);
  const suffix = firingSuffix(keyEvent, ticket.stateEnteredAt);

  if (event.kind === 'created' || event.kind === 'updated') {
    for (const rule of runRouting(pack, new TicketScope(pack, ticket, now, history), out)) {
      out.firings.push({ rule: rule.id, kind: 'routing', key: firingKeyWith(rule.id, rule.version, suffix) });
    }
  }

  let state = ticket.state;
  let enteredAt = ticket.stateEnteredAt;
  if (out.skipDispatch) {
    const assignee = ticket.assignee ?? out.assignee;
    if (state !== 'pending_acceptance') {
      out.skipDispatch = false;
      out.explain.push(`skip_dispatch: the ticket is already ${state}; nothing to skip`);
    } else if (!assignee) {
      out.skipDispatch = false;
      out.explain.push('skip_dispatch: no assignee, so the ticket stays pending_acceptance');
    } else {
      state = 'dispatched';
      enteredAt = now;
    }
  }
  out.state = state;
  const routed = withChanges(ticket, {
    assignee: ticket.assignee ?? out.assignee,
    ...(out.pool !== null ? { pool: out.pool } : {}),
    ...(out.priority !== null ? { priority: out.priority } : {}),
    tags: [...new Set([...ticket.tags, ...out.tags])],
    state,
    stateEnteredAt: enteredAt,
  });
  const afterRouting = new TicketScope(pack, routed, now, history);
  for (const rule of runAutomations(pack, afterRouting, event, out, history)) {
    out.firings.push({ rule: rule.id, kind: 'automation', key: firingKeyWith(rule.id, rule.version, suffix) });
  }
  runDeadlines(pack, afterRouting, out);
  return out;
}
