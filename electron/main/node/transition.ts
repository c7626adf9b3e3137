import { applyTransition, type ActionId, type Actor, type Ticket, type TransitionInput } from '../../../domain';

/** The ticket after an allowed transition, as a new object (the current one is left as it is). */
export function applyTransitionTo(current: Ticket, action: ActionId, actor: Actor, input: TransitionInput, now: number): Ticket {
  const next = structuredClone(current);
  applyTransition(next, action, actor, stripUndefined(input), new Date(now).toISOString());
  return next;
}

function stripUndefined(input: TransitionInput): TransitionInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as TransitionInput;
}
