import type { SnapshotTicket } from '../protocol';
import type { StoredTicket, SyncStorage } from '../storage/types';
import { feedTickets } from './hub';

/**
 * The catch-up and bootstrap streams of one connection, in pages sized by count and bytes, with
 * back-pressure (a slow seat makes the server wait, not buffer).
 */
export interface StreamTarget {
  readonly seatId: string;
  send(message: unknown): void;
  drain(): Promise<void>;
  readonly closed: boolean;
}

export interface SiteFeedState {
  live: boolean;
  lastSent: number;
  /** Highest sequence the hub offered while the site was catching up. */
  maxSeen: number;
  generation: number;
}

export const LOG_PAGE = 2_000;
export const TICKET_PAGE = 500;
export const PAGE_BYTES = 4 * 1024 * 1024;

export function snapshotTicket(t: StoredTicket): SnapshotTicket {
  return { id: t.id, snapshot: t.snapshot, changes: t.tail.map((x) => x.change), heads: t.heads, row: t.row };
}

const ticketBytes = (t: SnapshotTicket) => (t.snapshot?.byteLength ?? 0) + t.changes.reduce((n, c) => n + c.byteLength, 0) + 600;

/** Splits tickets into frames of at most PAGE_BYTES (a single huge ticket still gets its frame). */
export function byBytes<T>(items: readonly T[], size: (t: T) => number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const t of items) {
    const b = size(t);
    if (cur.length > 0 && bytes + b > PAGE_BYTES) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(t);
    bytes += b;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Everything after `seq`, then live: the hub's frames are taken from the moment nothing is left to read. */
export async function catchUp(storage: SyncStorage, to: StreamTarget, site: string, st: SiteFeedState, seq: number): Promise<void> {
  const generation = ++st.generation;
  st.live = false;
  // A cursor past the end of the log (the server's data was restored from a backup): the seat
  // takes the log's end as its cursor, so new entries reach it; anti-entropy repairs the rest.
  st.lastSent = Math.min(seq, await storage.lastSeq(site));
  st.maxSeen = 0;
  for (;;) {
    const entries = await storage.readLog(site, st.lastSent, LOG_PAGE);
    if (to.closed || st.generation !== generation) return;
    if (entries.length > 0) {
      for (const part of byBytes(entries, (e) => e.change.byteLength + 100)) {
        to.send({ t: 'changes', site, seq: part[part.length - 1]!.seq, tickets: feedTickets(part) });
      }
      st.lastSent = entries[entries.length - 1]!.seq;
      await to.drain();
      if (to.closed || st.generation !== generation) return;
    }
    if (entries.length < LOG_PAGE && st.maxSeen <= st.lastSent) {
      st.live = true;
      to.send({ t: 'caughtUp', site, seq: st.lastSent });
      return;
    }
  }
}

/** A new seat's first fill: every ticket of the site as snapshot + tail + row, with progress. */
export async function bootstrap(storage: SyncStorage, to: StreamTarget, site: string): Promise<void> {
  const seq = await storage.lastSeq(site);
  const total = await storage.countTickets(site);
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const page = await storage.readTickets(site, after, TICKET_PAGE);
    if (to.closed) return;
    if (page.length === 0) break;
    for (const part of byBytes(page.map(snapshotTicket), ticketBytes)) {
      done += part.length;
      to.send({ t: 'snapshots', site, tickets: part, done, total: Math.max(total, done) });
    }
    after = page[page.length - 1]!.id;
    await to.drain();
  }
  // Every change up to `seq` was stored before the pages were read, so it is in them.
  to.send({ t: 'bootstrapped', site, seq });
}
