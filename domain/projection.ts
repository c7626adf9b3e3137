import type { Milestone, Ticket, TicketState } from './ticket';

/**
 * The summary row of a ticket: what lists, queues and dashboards need, so that opening the app
 * never parses every Automerge document. Kept next to the document and rebuilt on every change.
 */
export interface TicketRow {
  id: string;
  no: string;
  site: string;
  title: string;
  category: string;
  device: string | null;
  location: string | null;
  requesterName: string | null;
  requesterPhone: string | null;
  urgency: string | null;
  priority: string | null;
  tags: string[];
  state: TicketState;
  awaitingInfo: boolean;
  paused: boolean;
  assignee: string | null;
  pool: string | null;
  createdAt: string;
  updatedAt: string;
  stateEnteredAt: string;
  milestones: Partial<Record<Milestone, string>>;
  returns: number;
  /**
   * SLA pauses (waiting on the customer or parts), so a seat can set its SLA clocks from rows
   * without parsing documents. Optional: rows written before it existed lack it.
   */
  pauses?: { from: string; to: string | null }[];
  /** Keys of the rule firing ledger, so a seat knows which firings a ticket already carries. */
  firings?: string[];
  /**
   * Watched fields (assignee, state, …) that two seats set concurrently, with each value, until
   * someone sets the field again. Filled by the seat store from the Automerge document.
   */
  conflicts?: Record<string, unknown[]>;
  /** Lower-cased text the search box matches: number, title, description, device, phone, location. */
  search: string;
}

export function projectTicket(t: Ticket): TicketRow {
  return {
    id: t.id,
    no: t.no,
    site: t.site,
    title: t.title,
    category: t.category,
    device: t.device,
    location: t.location,
    requesterName: t.requester?.name ?? null,
    requesterPhone: t.requester?.phone ?? null,
    urgency: t.urgency,
    priority: t.priority,
    tags: [...t.tags],
    state: t.state,
    awaitingInfo: t.awaitingInfo,
    paused: t.pauses.some((p) => p.to === null),
    assignee: t.assignee,
    pool: t.pool,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    stateEnteredAt: t.stateEnteredAt,
    milestones: { ...t.milestones },
    returns: t.returns.length,
    pauses: t.pauses.map((p) => ({ from: p.from, to: p.to })),
    firings: Object.keys(t.firings),
    search: [t.no, t.title, t.description.slice(0, 500), t.device, t.requester?.phone, t.requester?.name, t.location]
      .filter(Boolean)
      .join('\u0001')
      .normalize('NFKC')
      .toLowerCase(),
  };
}
