import { encodeFrame, type FeedTicket } from '../protocol';
import type { LogEntry } from '../storage/types';

/** A live connection as the hub sees it. */
export interface Subscriber {
  readonly seatId: string;
  readonly sites: ReadonlySet<string>;
  /** A `changes` frame of `site` up to `seq`; the connection sends it if it is live on that site. */
  deliver(site: string, frame: Uint8Array, seq: number): void;
  /** Sends a frame of changes not yet durable if the connection is live on `site`; false when it is not (it gets them from the log). */
  relay(site: string, frame: Uint8Array): boolean;
}

/** Accepted changes of tickets the server already holds, before their commit (see `Hub.relay`). */
export interface RelayTicket {
  id: string;
  site: string;
  changes: readonly { hash: string; bytes: Uint8Array }[];
  row: FeedTicket['row'];
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
 *
 * Edits of tickets the server already holds are relayed as soon as the policy accepted them,
 * before their commit's fsync (`relay`); the commit's `publish` then skips the connections that
 * had them. A relayed frame carries the site's last *durable* sequence as its cursor, so a seat's
 * cursor never passes what a restarted server still has: if the server dies before the commit,
 * the pushing seat still holds the changes (unacknowledged) and pushes them again, and the seats
 * that had them take the redelivery as a no-op. New tickets wait for the commit (their number is
 * claimed in it). Measured on the 100-seat bench: the commit (fsync) was ~2 ms of the median and
 * most of the server's tail (bench/sync.ts).
 */
export class Hub {
  private readonly subscribers = new Set<Subscriber>();
  /** Per site, the highest sequence published (durable). */
  private readonly durable = new Map<string, number>();
  /** Change hash → the connections that had it relayed, until its commit publishes or fails. */
  private readonly relayed = new Map<string, Set<Subscriber>>();

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

  /** Sends accepted, not yet committed edits to the live connections of their sites except the pusher's. */
  relay(origin: string, tickets: readonly RelayTicket[]): void {
    const bySite = new Map<string, RelayTicket[]>();
    for (const t of tickets) bySite.set(t.site, [...(bySite.get(t.site) ?? []), t]);
    for (const [site, list] of bySite) {
      const durable = this.durable.get(site);
      const frame = encodeFrame({ t: 'changes', site, ...(durable !== undefined ? { seq: durable } : {}), tickets: list.map((t) => ({ id: t.id, changes: t.changes.map((c) => c.bytes), row: t.row })) });
      const to = new Set<Subscriber>();
      for (const s of this.subscribers) if (s.seatId !== origin && s.sites.has(site) && s.relay(site, frame)) to.add(s);
      for (const t of list) for (const c of t.changes) this.relayed.set(c.hash, to);
    }
  }

  /** Forgets relayed changes once their commit is over (published, or failed: the seat pushes them again). */
  settle(tickets: readonly RelayTicket[]): void {
    for (const t of tickets) for (const c of t.changes) this.relayed.delete(c.hash);
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
      if (seq > (this.durable.get(site) ?? 0)) this.durable.set(site, seq);
      const origins = new Set(list.map((e) => e.seat));
      const relays = new Set(list.flatMap((e) => [...(this.relayed.get(e.hash) ?? [])]));
      let shared: Uint8Array | null = null;
      for (const s of this.subscribers) {
        if (!s.sites.has(site)) continue;
        if (!origins.has(s.seatId) && !relays.has(s)) {
          shared ??= encodeFrame({ t: 'changes', site, seq, tickets: feedTickets(list) });
          s.deliver(site, shared, seq);
          continue;
        }
        const others = list.filter((e) => e.seat !== s.seatId && !this.relayed.get(e.hash)?.has(s));
        if (others.length > 0) s.deliver(site, encodeFrame({ t: 'changes', site, seq, tickets: feedTickets(others) }), seq);
      }
    }
  }
}
