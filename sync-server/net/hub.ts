import { encodeFrame, type FeedTicket } from '../protocol';
import type { LogEntry } from '../storage/types';

/** A live connection as the hub sees it. */
export interface Subscriber {
  readonly seatId: string;
  readonly sites: ReadonlySet<string>;
  /** A `changes` frame of `site` up to `seq`; the connection sends it if it is live on that site. */
  deliver(site: string, frame: Uint8Array, seq: number): void;
}

/** Groups log entries into feed tickets, keeping order; the last row of a ticket wins. */
export function feedTickets(entries: readonly LogEntry[]): FeedTicket[] {
  const byId = new Map<string, FeedTicket>();
  for (const e of entries) {
    let t = byId.get(e.ticketId);
    if (!t) {
      t = { id: e.ticketId, changes: [] };
      byId.set(e.ticketId, t);
    }
    t.changes.push(e.change);
    if (e.row !== undefined) t.row = e.row;
  }
  return [...byId.values()];
}

/**
 * Live fan-out: accepted entries (from this instance, or on PostgreSQL from any instance) go to
 * every live connection of their site except the seat that pushed them. A frame is encoded once
 * and the same bytes go to every receiver (100 seats cost one encode).
 */
export class Hub {
  private readonly subscribers = new Set<Subscriber>();

  add(s: Subscriber): void {
    this.subscribers.add(s);
  }

  remove(s: Subscriber): void {
    this.subscribers.delete(s);
  }

  get size(): number {
    return this.subscribers.size;
  }

  forEach(fn: (s: Subscriber) => void): void {
    for (const s of this.subscribers) fn(s);
  }

  publish(entries: readonly LogEntry[]): void {
    const bySite = new Map<string, LogEntry[]>();
    for (const e of entries) {
      const list = bySite.get(e.site);
      if (list) list.push(e);
      else bySite.set(e.site, [e]);
    }
    for (const [site, list] of bySite) {
      const seq = list[list.length - 1]!.seq;
      const origins = new Set(list.map((e) => e.seat));
      let shared: Uint8Array | null = null;
      for (const s of this.subscribers) {
        if (!s.sites.has(site)) continue;
        if (!origins.has(s.seatId)) {
          shared ??= encodeFrame({ t: 'changes', site, seq, tickets: feedTickets(list) });
          s.deliver(site, shared, seq);
          continue;
        }
        const others = list.filter((e) => e.seat !== s.seatId);
        if (others.length > 0) s.deliver(site, encodeFrame({ t: 'changes', site, seq, tickets: feedTickets(others) }), seq);
      }
    }
  }
}
