/**
 * The ticket as the rule engine sees it: plain JSON validated at the boundary (zod), then held
 * with its times as epoch milliseconds. Fields the engine does not know are kept and ignored.
 */
import { z } from 'zod';
import { INSTANT_EXPECTED, parseInstant } from '../time/instant';

export const TICKET_STATES = [
  'pending_acceptance', 'dispatched', 'in_progress', 'pending_verification', 'closed', 'cancelled',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const MILESTONES = [
  'created', 'assigned', 'accepted', 'firstResponse', 'arrived', 'resolved', 'verified', 'archived',
] as const;
export type Milestone = (typeof MILESTONES)[number];

const instant = z.string({ error: INSTANT_EXPECTED }).refine((s) => parseInstant(s) !== null, { error: INSTANT_EXPECTED });
const text = z.string().nullish();

export const ticketInputSchema = z.looseObject({
  id: z.string().nullish(),
  no: z.string().nullish(),
  site: text,
  title: text,
  description: text,
  category: text,
  device: text,
  location: text,
  urgency: text,
  priority: text,
  pool: text,
  assignee: text,
  requester: z.unknown().optional(),
  tags: z.array(z.string()).nullish(),
  form: z.record(z.string(), z.unknown()).nullish(),
  state: z.enum(TICKET_STATES).optional(),
  createdAt: instant.optional(),
  stateEnteredAt: instant.optional(),
  pauses: z.array(z.looseObject({ from: instant, to: instant.nullish() })).nullish(),
  returns: z.array(z.unknown()).nullish(),
  milestones: z.partialRecord(z.enum(MILESTONES), instant.nullish()).nullish(),
});
export type TicketInput = z.infer<typeof ticketInputSchema>;

export interface Pause {
  readonly from: number;
  /** null while the ticket is still paused. */
  readonly to: number | null;
}

/** A validated ticket. `fields` is the plain data conditions read; times are epoch ms. */
export interface Ticket {
  /** Stable key for deterministic picks and firing keys: `id`, else `no`, else "". */
  readonly key: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly state: TicketState;
  readonly createdAt: number;
  readonly stateEnteredAt: number;
  readonly pauses: readonly Pause[];
  readonly tags: readonly string[];
  readonly assignee: string | null;
  readonly milestones: Readonly<Partial<Record<Milestone, number>>>;
}

export class TicketError extends Error {
  override readonly name = 'TicketError';
}

function ms(text: string): number {
  return parseInstant(text) as number; // validated by the schema
}

export function formatZodPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Validates plain JSON into a Ticket; throws TicketError naming the source and the path. */
export function parseTicket(input: unknown, source = 'ticket'): Ticket {
  const parsed = ticketInputSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((issue) => {
      const where = issue.path.length ? formatZodPath(issue.path) : '(ticket)';
      return `${source}: ${where}: ${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message}`;
    });
    throw new TicketError(lines.join('\n'));
  }
  return fromInput(parsed.data, source);
}

/** Builds a Ticket from already validated input. */
export function fromInput(data: TicketInput, source = 'ticket'): Ticket {
  const milestones: Partial<Record<Milestone, number>> = {};
  for (const name of MILESTONES) {
    const value = data.milestones?.[name];
    if (value) milestones[name] = ms(value);
  }
  const createdText = data.createdAt ?? data.milestones?.created;
  if (!createdText) throw new TicketError(`${source}: createdAt: required (or milestones.created), ${INSTANT_EXPECTED}`);
  const createdAt = ms(createdText);
  return {
    key: data.id ?? data.no ?? '',
    fields: data,
    state: data.state ?? 'pending_acceptance',
    createdAt,
    stateEnteredAt: data.stateEnteredAt ? ms(data.stateEnteredAt) : createdAt,
    pauses: (data.pauses ?? []).map((p) => ({ from: ms(p.from), to: p.to ? ms(p.to) : null })),
    tags: data.tags ?? [],
    assignee: data.assignee ?? null,
    milestones: { created: createdAt, ...milestones },
  };
}

export interface TicketChanges {
  readonly assignee?: string | null;
  readonly pool?: string | null;
  readonly priority?: string | null;
  readonly tags?: readonly string[];
  readonly state?: TicketState;
  readonly stateEnteredAt?: number;
}

/** The ticket as it would be after the given changes (used to judge SLA `when:` after routing). */
export function withChanges(ticket: Ticket, changes: TicketChanges): Ticket {
  const fields: Record<string, unknown> = { ...ticket.fields };
  for (const key of ['assignee', 'pool', 'priority', 'tags', 'state'] as const) {
    if (changes[key] !== undefined) fields[key] = changes[key];
  }
  return {
    ...ticket,
    fields,
    state: changes.state ?? ticket.state,
    stateEnteredAt: changes.stateEnteredAt ?? ticket.stateEnteredAt,
    tags: changes.tags ?? ticket.tags,
    assignee: changes.assignee !== undefined ? changes.assignee : ticket.assignee,
  };
}
