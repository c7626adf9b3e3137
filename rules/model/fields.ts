/**
 * Ticket fields that rule conditions may name. A name outside this list is a pack error, so a
 * typo is caught when the pack is validated, not silently false at 3 a.m.
 */
import { MILESTONES } from './ticket';
import type { Milestone, Ticket } from './ticket';

const PLAIN_FIELDS = [
  'id', 'no', 'site', 'title', 'description', 'category', 'device', 'location', 'requester',
  'urgency', 'priority', 'tags', 'state', 'assignee', 'pool', 'createdAt', 'stateEnteredAt', 'returns',
] as const;

/** Fields that hold text a keyword can be found in. */
const TEXT_FIELDS = new Set(['title', 'description', 'tags', 'category', 'device', 'location', 'requester', 'pool']);

/** Fields whose value is a time (for the `time` leaf). `now` is the moment of evaluation. */
const TIME_FIELDS = new Set(['createdAt', 'stateEnteredAt', 'now', ...MILESTONES.map((m) => `milestones.${m}`)]);

const FORM_PREFIX = 'form.';
const FORM_KEY = /^[\p{L}\p{N}_-]{1,64}$/u;

export function isFieldName(name: string): boolean {
  if (name.startsWith(FORM_PREFIX)) return FORM_KEY.test(name.slice(FORM_PREFIX.length));
  if (name.startsWith('milestones.')) return TIME_FIELDS.has(name);
  return (PLAIN_FIELDS as readonly string[]).includes(name);
}

export function isTextField(name: string): boolean {
  return TEXT_FIELDS.has(name) || (name.startsWith(FORM_PREFIX) && isFieldName(name));
}

export function isTimeField(name: string): boolean {
  return TIME_FIELDS.has(name);
}

export const FIELD_HINT = `${PLAIN_FIELDS.join(', ')}, form.<answer>, milestones.<${MILESTONES.join('|')}>`;
export const TEXT_FIELD_HINT = `${[...TEXT_FIELDS].join(', ')}, form.<answer>`;
export const TIME_FIELD_HINT = [...TIME_FIELDS].join(', ');

/** The value of a ticket field; `returns` reads as the number of times the ticket bounced back. */
export function fieldValue(ticket: Ticket, name: string): unknown {
  if (name.startsWith(FORM_PREFIX)) {
    const form = ticket.fields.form;
    return form && typeof form === 'object' ? (form as Record<string, unknown>)[name.slice(FORM_PREFIX.length)] : undefined;
  }
  switch (name) {
    case 'tags': return ticket.tags;
    case 'state': return ticket.state;
    case 'assignee': return ticket.assignee;
    case 'returns': return Array.isArray(ticket.fields.returns) ? ticket.fields.returns.length : 0;
    default: return ticket.fields[name];
  }
}

/** A field's time in epoch ms, or null when the ticket has none. */
export function timeValue(ticket: Ticket, name: string, now: number): number | null {
  if (name === 'now') return now;
  if (name === 'createdAt') return ticket.createdAt;
  if (name === 'stateEnteredAt') return ticket.stateEnteredAt;
  return ticket.milestones[name.slice('milestones.'.length) as Milestone] ?? null;
}

/** Text of a field for keyword search; arrays are joined by a newline (keywords never hold one). */
export function fieldText(ticket: Ticket, name: string): string {
  const value = fieldValue(ticket, name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').join('\n');
  if (value && typeof value === 'object' && 'name' in value && typeof value.name === 'string') return value.name;
  return '';
}

/** Empty fields never match a `count` and fail `exists`. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
