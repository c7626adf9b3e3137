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
    search: [t.no, t.title, t.description.slice(0, 500), t.device, t.requester?.phone, t.requester?.name, t.location]
      .filter(Boolean)
      .join('\u0001')
      .normalize('NFKC')
      .toLowerCase(),
  };
}
