/**
 * Events that trigger rules and the deterministic keys of firings. A firing's key is rule id +
 * version + event + the time the ticket entered its state, so two seats that fire the same rule
 * write the same ledger entry (it merges into one), and re-entering a state can fire again.
 */
import { TICKET_STATES } from '../model/ticket';
import type { TicketState } from '../model/ticket';

export type EvalEvent =
  | { readonly kind: 'created' }
  | { readonly kind: 'updated' }
  | { readonly kind: 'transition'; readonly to: TicketState }
  | { readonly kind: 'daily' };

export const EVENT_EXPECTED = `expected created, updated, daily or transition:STATE (STATE one of ${TICKET_STATES.join(', ')})`;

/** `created`, `updated`, `daily` or `transition:STATE`; null when not one of those. */
export function parseEvent(text: string): EvalEvent | null {
  if (text === 'created' || text === 'updated' || text === 'daily') return { kind: text };
  const m = /^transition:(.+)$/.exec(text);
  const to = m?.[1];
  if (to && (TICKET_STATES as readonly string[]).includes(to)) return { kind: 'transition', to: to as TicketState };
  return null;
}

export function eventName(event: EvalEvent): string {
  return event.kind === 'transition' ? `transition:${event.to}` : event.kind;
}

export interface FiringKeyParts {
  readonly rule: string;
  readonly version: number;
  /** `created`, `updated`, `transition:STATE`, `daily:YYYY-MM-DD` or `deadline` (an SLA breach). */
  readonly event: string;
  /** When the ticket entered its current state, epoch ms. */
  readonly stateEnteredAt: number;
}

/** e.g. `night-bearing@v1/created/2026-02-18T14:10:00.000Z`. */
export function firingKey(parts: FiringKeyParts): string {
  return firingKeyWith(parts.rule, parts.version, `/${parts.event}/${new Date(parts.stateEnteredAt).toISOString()}`);
}

/** The trigger part of firing keys (`/event/stateEnteredAt`), shared by every firing of one evaluation. */
export function firingSuffix(event: string, stateEnteredAt: number): string {
  return `/${event}/${new Date(stateEnteredAt).toISOString()}`;
}

export function firingKeyWith(rule: string, version: number, suffix: string): string {
  return `${rule}@v${version}${suffix}`;
}
