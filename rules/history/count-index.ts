/**
 * The in-memory index behind the `count` leaf: for each `same` field list a pack uses, tickets
 * grouped by site + those fields' values, each group a sorted list of creation times. A count is
 * two binary searches in one group — never a scan of all tickets. Cancelled tickets and tickets
 * with an empty `same` field are not indexed. Views for a field list are built on first use.
 */
import type { CountQuery } from '../conditions/registry';
import { fieldText } from '../model/fields';
import type { Ticket } from '../model/ticket';
import { insertSorted, lowerBound, removeSorted, upperBound } from './sorted';

interface Entry {
  readonly group: string;
  readonly at: number;
}

interface View {
  readonly same: readonly string[];
  readonly groups: Map<string, number[]>;
  readonly entries: Map<string, Entry>;
}

const SEPARATOR = '\u0001';

/** The group of a ticket for `same`, or null when one of the fields is empty. */
function groupOf(ticket: Ticket, same: readonly string[]): string | null {
  const site = typeof ticket.fields.site === 'string' ? ticket.fields.site : '';
  const parts = [site];
  for (const field of same) {
    const value = fieldText(ticket, field).trim();
    if (value === '') return null;
    parts.push(value);
  }
  return parts.join(SEPARATOR);
}

export class CountIndex {
  private readonly tickets = new Map<string, Ticket>();
  private readonly views = new Map<string, View>();
  private anonymous = 0;

  constructor(tickets: Iterable<Ticket> = []) {
    for (const ticket of tickets) this.upsert(ticket);
  }

  get size(): number {
    return this.tickets.size;
  }

  /** Adds a ticket or replaces the indexed version of it (a new state or new fields). */
  upsert(ticket: Ticket): void {
    const key = ticket.key || `#${++this.anonymous}`;
    if (this.tickets.has(key)) this.remove(key);
    this.tickets.set(key, ticket);
    for (const view of this.views.values()) this.addTo(view, key, ticket);
  }

  remove(key: string): void {
    if (!this.tickets.delete(key)) return;
    for (const view of this.views.values()) {
      const entry = view.entries.get(key);
      if (!entry) continue;
      view.entries.delete(key);
      const list = view.groups.get(entry.group);
      if (list) {
        removeSorted(list, entry.at);
        if (list.length === 0) view.groups.delete(entry.group);
      }
    }
  }

  /** How many tickets share `query.same` with `ticket` in the window; `ticket` itself counted once. */
  count(ticket: Ticket, query: CountQuery): number {
    const group = groupOf(ticket, query.same);
    if (group === null) return 0;
    const view = this.view(query.same);
    const inWindow = (at: number): boolean => (query.fromInclusive ? at >= query.from : at > query.from) && at <= query.to;
    const list = view.groups.get(group);
    let n = 0;
    if (list) {
      const start = query.fromInclusive ? lowerBound(list, query.from) : upperBound(list, query.from);
      n = Math.max(0, upperBound(list, query.to) - start);
    }
    const indexed = ticket.key ? view.entries.get(ticket.key) : undefined;
    if (indexed && indexed.group === group && inWindow(indexed.at)) n--;
    if (ticket.state !== 'cancelled' && inWindow(ticket.createdAt)) n++;
    return n;
  }

  private view(same: readonly string[]): View {
    const signature = same.join(SEPARATOR);
    let view = this.views.get(signature);
    if (!view) {
      view = { same: [...same], groups: new Map(), entries: new Map() };
      for (const [key, ticket] of this.tickets) this.addTo(view, key, ticket);
      this.views.set(signature, view);
    }
    return view;
  }

  private addTo(view: View, key: string, ticket: Ticket): void {
    if (ticket.state === 'cancelled') return;
    const group = groupOf(ticket, view.same);
    if (group === null) return;
    let list = view.groups.get(group);
    if (!list) {
      list = [];
      view.groups.set(group, list);
    }
    insertSorted(list, ticket.createdAt);
    view.entries.set(key, { group, at: ticket.createdAt });
  }
}
