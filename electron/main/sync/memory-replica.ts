import * as A from '@automerge/automerge';
import type { Ticket } from '../../../domain';
import { bucketOf, changeMeta, concatBytes, digestOf, headsOf, plain, projectDoc, toAutomerge, type SyncRow } from '../../../sync-server/protocol';
import type { PendingTicket, RemoteBatch, SeatReplica } from './replica';

/**
 * A seat replica held in memory: used by tests, the chaos run and the benchmark's thin clients.
 * Like the real store it keeps at most `docCapacity` documents live (the rest as saved bytes), and
 * takes a ticket it did not have as bytes + the server's heads and row, without parsing it.
 */
type AnyDoc = A.Doc<Record<string, unknown>>;

interface Entry {
  site: string;
  /**
   * The document as bytes while it is not live: a save or a first batch, then the changes the feed
   * appended, kept as parts until the document is loaded (one copy then, not one per frame).
   */
  bytes: Uint8Array[] | null;
  heads: string[];
  /** Local changes the server has not acknowledged, in the order they were made (like the store's outbox). */
  outbox: { hash: string; deps: string[]; bytes: Uint8Array }[];
  row: SyncRow | null;
  /** The latest hashes that were heads before (see `followServer`). */
  earlier?: string[];
}

const EARLIER = 8;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h) => b.includes(h));


export class MemoryReplica implements SeatReplica {
  private readonly entries = new Map<string, Entry>();
  private readonly live = new Map<string, AnyDoc>();
  private readonly cursors = new Map<string, number>();
  /** Tickets with an outbox, in the order they got one. */
  private readonly pending = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /** Hashes of the changes this seat made itself (the chaos run checks none is lost). */
  readonly authored = new Set<string>();

  constructor(private readonly opts: { docCapacity?: number } = {}) {}

  // --- local edits (what the seat's console would do) ---

  createTicket(ticket: Ticket, message = 'create'): string {
    const doc = A.change(A.init<Record<string, unknown>>(), { message }, (d) => Object.assign(d, toAutomerge(ticket)));
    this.entries.set(ticket.id, { site: ticket.site, bytes: null, heads: [], outbox: [], row: null });
    this.store(ticket.id, doc, true);
    return ticket.id;
  }

  /** One local change; `fn` edits the Automerge draft (strings may be plain: they become text). */
  change(id: string, fn: (draft: Record<string, unknown>) => void, message = 'edit'): void {
    const before = this.doc(id);
    const heads = A.getHeads(before);
    const next = A.change(before, { message }, fn);
    if (sameSet(A.getHeads(next), heads)) {
      this.live.set(id, next);
      return;
    }
    this.store(id, next, true);
  }

  /** Loads a ticket's document (as opening it in the console does); false when the seat lacks it. */
  open(id: string): boolean {
    if (!this.entries.has(id)) return false;
    this.doc(id);
    return true;
  }

  ticket(id: string): Ticket | null {
    return this.entries.has(id) ? (plain(A.toJS(this.doc(id))) as Ticket) : null;
  }

  row(id: string): SyncRow | null {
    return this.entries.get(id)?.row ?? null;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  headsNow(id: string): string[] {
    return [...(this.entries.get(id)?.heads ?? [])];
  }

  /** Every change hash of a ticket (tests: nothing lost). */
  changeHashes(id: string): string[] {
    return this.entries.has(id) ? A.getAllChanges(this.doc(id)).map((c) => changeMeta(c).hash) : [];
  }

  hasPending(id: string): boolean {
    return this.pending.has(id);
  }

  // --- SeatReplica ---

  async pendingChanges(opts: { limit?: number } = {}): Promise<PendingTicket[]> {
    const out: PendingTicket[] = [];
    for (const id of this.pending) {
      if (out.length >= (opts.limit ?? Infinity)) break;
      const e = this.entries.get(id)!;
      out.push({ ticketId: id, heads: [...e.heads], changes: e.outbox.map((c) => c.bytes) });
    }
    return out;
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** Drops from the outbox every change `heads` covers (the change itself or an ancestor of it). */
  async acknowledge(ticketId: string, heads: readonly string[]): Promise<void> {
    const e = this.entries.get(ticketId);
    if (!e) return;
    const byHash = new Map(e.outbox.map((c) => [c.hash, c]));
    const covered = new Set<string>();
    const stack = heads.filter((h) => byHash.has(h));
    while (stack.length > 0) {
      const h = stack.pop()!;
      if (covered.has(h)) continue;
      covered.add(h);
      for (const d of byHash.get(h)!.deps) if (byHash.has(d)) stack.push(d);
    }
    e.outbox = e.outbox.filter((c) => !covered.has(c.hash));
    if (e.outbox.length === 0) this.pending.delete(ticketId);
  }

  async applyRemote(batch: RemoteBatch): Promise<string[]> {
    const changed: string[] = [];
    for (const t of batch.tickets) {
      let e = this.entries.get(t.id);
      if (e && t.replace) {
        this.drop(t.id);
        e = undefined;
        changed.push(t.id);
      }
      const parts = [...(t.snapshot ? [t.snapshot] : []), ...t.changes];
      if (parts.length === 0) continue;
      if (!e) {
        // A ticket the seat did not have: keep the bytes as they are, parse nothing.
        const heads = t.heads ? [...t.heads].sort() : t.snapshot ? null : headsOf(t.changes.map(changeMeta));
        this.entries.set(t.id, { site: batch.site, bytes: [concatBytes(parts)], heads: heads ?? [], outbox: [], row: t.row ?? null });
        if (!heads || !t.row) this.store(t.id, this.doc(t.id), false);
        changed.push(t.id);
        continue;
      }
      const fast = !t.snapshot && t.row && e.outbox.length === 0 ? this.followServer(t.id, e, t.changes, t.row) : null;
      if (fast !== null) {
        if (fast) changed.push(t.id);
        continue;
      }
      let doc = this.doc(t.id);
      const before = A.getHeads(doc);
      if (t.snapshot) doc = A.loadIncremental(doc, t.snapshot);
      if (t.changes.length > 0) doc = A.applyChanges(doc, t.changes)[0];
      if (sameSet(A.getHeads(doc), before)) {
        this.live.set(t.id, doc); // nothing new, but the previous version object is outdated now
        continue;
      }
      this.store(t.id, doc, false);
      changed.push(t.id);
    }
    if (batch.cursor !== undefined) this.cursors.set(batch.site, batch.cursor);
    return changed;
  }

  async cursor(site: string): Promise<number | null> {
    return this.cursors.get(site) ?? null;
  }

  async heads(ticketId: string): Promise<readonly string[] | null> {
    return this.entries.get(ticketId)?.heads ?? null;
  }

  async changesSince(ticketId: string, heads: readonly string[]): Promise<Uint8Array[] | null> {
    if (!this.entries.has(ticketId)) return null;
    const doc = this.doc(ticketId);
    return A.getChangesSince(doc, heads.filter((h) => A.hasHeads(doc, [h])));
  }

  async digest(site: string): Promise<string[]> {
    return digestOf([...this.entries].filter(([, e]) => e.site === site).map(([id, e]) => ({ id, heads: e.heads })));
  }

  async bucketHeads(site: string, buckets: readonly number[]): Promise<{ id: string; heads: readonly string[] }[]> {
    const want = new Set(buckets);
    return [...this.entries].filter(([id, e]) => e.site === site && want.has(bucketOf(id))).map(([id, e]) => ({ id, heads: [...e.heads] }));
  }

  onLocalChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The live feed's common case, without parsing the document: every change builds on the seat's
   * heads (a linear follow-up) and the seat has nothing unacknowledged, so the server's row is this
   * seat's row too. A document that is not live keeps its bytes with the changes appended (what
   * `load` reads back); a live one applies them. Null when the changes are not such a follow-up
   * (the caller merges them the general way); false when the seat had every change already.
   */
  private followServer(id: string, e: Entry, changes: readonly Uint8Array[], row: SyncRow): boolean | null {
    const heads = new Set(e.heads);
    // Hashes the document holds that are no longer heads: a local change may name one again as a
    // dependency (Automerge does, after applying remote changes to the document it edits).
    const held = new Set(e.earlier);
    const fresh: Uint8Array[] = [];
    for (const bytes of changes) {
      let meta: { hash: string; deps: string[] };
      try {
        meta = changeMeta(bytes);
      } catch {
        return null;
      }
      if (heads.has(meta.hash) || held.has(meta.hash)) continue;
      if (meta.deps.length === 0 || !meta.deps.some((d) => heads.has(d)) || !meta.deps.every((d) => heads.has(d) || held.has(d))) return null;
      for (const d of meta.deps) {
        if (heads.delete(d)) held.add(d);
      }
      heads.add(meta.hash);
      fresh.push(bytes);
    }
    if (fresh.length === 0) return false;
    const live = this.live.get(id);
    if (live) this.live.set(id, A.applyChanges(live, fresh)[0]);
    else if (e.bytes) e.bytes.push(...fresh.map((b) => b.slice())); // copies: the frame's buffer is not kept alive
    else return null;
    e.heads = [...heads].sort();
    e.earlier = [...held].slice(-EARLIER);
    e.row = row;
    return true;
  }

  // --- documents ---

  private doc(id: string): AnyDoc {
    const live = this.live.get(id);
    if (live) {
      this.live.delete(id);
      this.live.set(id, live);
      return live;
    }
    const e = this.entries.get(id);
    if (!e?.bytes) throw new Error(`ticket ${id} is not in this replica`);
    const doc = A.load<Record<string, unknown>>(e.bytes.length === 1 ? e.bytes[0]! : concatBytes(e.bytes));
    this.live.set(id, doc);
    this.evict();
    return doc;
  }

  private store(id: string, doc: AnyDoc, local: boolean): void {
    const e = this.entries.get(id)!;
    if (local) {
      for (const bytes of A.getChangesSince(doc, e.heads)) {
        const meta = changeMeta(bytes);
        this.authored.add(meta.hash);
        e.outbox.push({ ...meta, bytes });
      }
      this.pending.add(id);
    }
    this.live.delete(id);
    this.live.set(id, doc);
    e.earlier = [...(e.earlier ?? []), ...e.heads].slice(-EARLIER);
    e.heads = A.getHeads(doc).sort();
    e.row = projectDoc(doc);
    e.bytes = null;
    this.evict();
    if (local) for (const l of this.listeners) l();
  }

  private evict(): void {
    const cap = this.opts.docCapacity ?? Infinity;
    while (this.live.size > cap) {
      const [id, doc] = this.live.entries().next().value as [string, AnyDoc];
      this.live.delete(id);
      const e = this.entries.get(id);
      if (e) e.bytes = [A.save(doc)];
      A.free(doc);
    }
  }

  private drop(id: string): void {
    const doc = this.live.get(id);
    this.live.delete(id);
    if (doc) A.free(doc);
    this.entries.delete(id);
    this.pending.delete(id);
  }
}
