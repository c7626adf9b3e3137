import type { Doc, Heads } from '@automerge/automerge';
import type { Ticket, TicketRow, TicketState } from '../../../domain';
import type { SeatReplica } from '../sync/replica';

/**
 * The seat's ticket store (DESIGN.md §3): each ticket's Automerge document, its projection row
 * written in the same write, the outbox of local changes the sync server has not acknowledged,
 * and a few meta records. Lists are served from rows held in memory; a document is parsed only
 * when a ticket is opened or changed. Every implementation runs `runTicketStoreTests`.
 *
 * It is also the sync client's replica (electron/main/sync/replica.ts): the server's changes are
 * merged with `applyRemote` (never joining the outbox), the cursor is written in the same write.
 */
export interface TicketStore extends SeatReplica {
  /** The seat this data folder belongs to (2 uppercase letters). */
  readonly seat: string;
  /** How many tickets the store holds. */
  count(): number;
  /** A page of rows matching the query, and how many match in all. */
  query(q: RowQuery): { rows: TicketRow[]; total: number };
  row(id: string): TicketRow | undefined;
  /** Every row, oldest first: the store's own list, to be read synchronously and not kept. */
  rows(): readonly TicketRow[];
  /**
   * Calls `listener(previous, next)` synchronously after every row change (a write, a merge, an
   * import), once memory holds the new row; `previous` is undefined for a new ticket. Returns the
   * unsubscribe. Keeps the seat's dashboard current without a pass over the other rows.
   */
  onRowChange(listener: (previous: TicketRow | undefined, next: TicketRow) => void): () => void;
  /** The ticket as a plain object, or null when there is no such ticket. */
  read(id: string): Promise<Ticket | null>;
  /**
   * Runs `use` on the live Automerge document (loaded if needed). `use` must be synchronous and
   * must not keep the document: the cache may free it afterwards.
   */
  withDoc<T>(id: string, use: (doc: TicketDoc) => T): Promise<T | null>;
  /** Writes a new ticket as one Automerge change; resolves once durable. */
  create(ticket: Ticket, change: ChangeInfo, opts?: { meta?: Record<string, unknown> }): Promise<Ticket>;
  /**
   * Changes a ticket: `edit` runs inside the store's write lock on the current ticket and returns
   * the next state (or throws, and then nothing is written). The difference becomes one Automerge
   * change. Resolves with the stored ticket once durable, or null when there is no such ticket.
   */
  update(id: string, edit: (current: Ticket) => TicketEdit): Promise<Ticket | null>;
  /**
   * Merges a ticket's Automerge document from elsewhere (another seat's `Automerge.save` bytes): a
   * ticket the store lacks is taken whole, one it has is merged with it. One durable write; the
   * merged-in changes join the outbox (redelivery to the server is harmless: changes are
   * content-addressed). Resolves with the ticket as merged. Until the sync client lands, this is
   * how tests and tools carry tickets between seats.
   */
  mergeDoc(bytes: Uint8Array): Promise<Ticket>;
  /** Imports plain tickets in batches (fast path for seeding); ids already present are skipped. */
  importTickets(tickets: readonly Ticket[], change: ChangeInfo, opts?: ImportOptions): Promise<number>;
  /** Tickets with local changes the sync server has not acknowledged, with those changes. */
  pendingChanges(opts?: { limit?: number }): Promise<OutboxEntry[]>;
  /** How many local changes wait for the sync server, over all tickets. */
  pendingCount(): number;
  /** The sync server has these heads of the ticket: drop the changes they cover from the outbox. */
  acknowledge(ticketId: string, heads: readonly string[]): Promise<void>;
  /** Called after every local write that adds to the outbox (the sync client pushes soon after). */
  onLocalChange(listener: () => void): () => void;
  meta<T>(key: string): T | undefined;
  /** Writes a meta record (seat settings, number leases, session); `undefined` deletes it. */
  putMeta(key: string, value: unknown): Promise<void>;
  /** Live documents held in memory right now (bounded by the cache size). */
  liveDocs(): number;
  close(): Promise<void>;
}

/** The Automerge document of a ticket. Strings are stored as immutable scalars (last writer wins). */
export type TicketDoc = Doc<Record<string, unknown>>;

/** Who made a change and why: stored as the Automerge change message (JSON). */
export interface ChangeMessage {
  by: string;
  seat: string;
  action: string;
}

export interface ChangeInfo {
  message: ChangeMessage;
  /** When (epoch ms); Automerge records seconds. */
  at: number;
}

export interface TicketEdit extends ChangeInfo {
  ticket: Ticket;
  /**
   * Top-level fields to write even when their value is unchanged: writing a field again is what
   * settles a conflict (the new value supersedes every concurrent one).
   */
  rewrite?: readonly string[];
}

export interface ImportOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface OutboxEntry {
  ticketId: string;
  /** Heads the sync server acknowledged (empty: it has nothing of this ticket). */
  acked: Heads;
  /** The document's heads now. */
  heads: Heads;
  /** Automerge changes since `acked`, in causal order. */
  changes: Uint8Array[];
}

export type RowSort = 'createdAt_desc' | 'createdAt_asc' | 'updatedAt_desc';

/** The list query (the contract's `tickets.list` input after defaults). */
export interface RowQuery {
  states?: readonly TicketState[] | undefined;
  /** A person id, or null for unassigned tickets. */
  assignee?: string | null | undefined;
  pool?: string | undefined;
  awaitingInfo?: boolean | undefined;
  text?: string | undefined;
  /** Only these tickets (e.g. the ones breaching their SLA). */
  ids?: ReadonlySet<string> | undefined;
  /** Only tickets with an unsettled field conflict (row.conflicts). */
  conflicted?: boolean | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
  sort?: RowSort | undefined;
}

/** Why the store refused to open or write, for people. */
export class StoreError extends Error {
  constructor(
    readonly code: 'seat_mismatch' | 'exists' | 'corrupt' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
