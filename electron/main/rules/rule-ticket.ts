import type { Ticket, TicketRow } from '../../../domain';
import { fromInput, type Ticket as RuleTicket, type TicketInput } from '../../../rules';

/**
 * The rule engine's view of a ticket, from the whole ticket (a document the seat has loaded) or
 * from its projection row (starting up, timers, counts: no document parsed). A row lacks the
 * description and the form answers; everything else rules read is there.
 */
export function fromTicket(t: Ticket): RuleTicket {
  // A domain ticket is valid rule input by construction (checked at the contract boundary).
  return fromInput(t as unknown as TicketInput, t.no);
}

export function fromRow(row: TicketRow): RuleTicket {
  const pauses = row.pauses ?? (row.paused ? [{ from: row.stateEnteredAt, to: null }] : []);
  const input: TicketInput = {
    id: row.id,
    no: row.no,
    site: row.site,
    title: row.title,
    category: row.category,
    device: row.device,
    location: row.location,
    urgency: row.urgency,
    priority: row.priority,
    pool: row.pool,
    assignee: row.assignee,
    requester: row.requesterName === null ? null : { name: row.requesterName, phone: row.requesterPhone ?? '' },
    tags: row.tags,
    state: row.state,
    createdAt: row.createdAt,
    stateEnteredAt: row.stateEnteredAt,
    pauses,
    returns: Array.from({ length: row.returns }, () => null),
    milestones: row.milestones,
  };
  // Rows hold instants the store wrote itself (toISOString), so Date.parse reads them exactly, at a
  // quarter of the strict parser's cost: a seat builds one of these per ticket when it starts.
  const milestones: Record<string, number> = {};
  for (const [name, at] of Object.entries(row.milestones)) if (at) milestones[name] = Date.parse(at);
  const createdAt = Date.parse(row.createdAt);
  return {
    key: row.id,
    fields: input,
    state: row.state,
    createdAt,
    stateEnteredAt: Date.parse(row.stateEnteredAt),
    pauses: pauses.map((p) => ({ from: Date.parse(p.from), to: p.to ? Date.parse(p.to) : null })),
    tags: row.tags,
    assignee: row.assignee,
    milestones: { ...milestones, created: createdAt },
  };
}
