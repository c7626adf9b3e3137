import type { SyncRow } from '../../../sync-server/protocol';

/**
 * What the sync client needs from the seat's local store. The client is storage-agnostic: the
 * PouchDB store implements this, tests and benchmark thin clients use `MemoryReplica`. The outbox
 * half matches the store's `pendingChanges` / `pendingCount` / `acknowledge`.
 *
 * Every method that writes resolves only once the write is durable.
 */
export interface PendingTicket {
  ticketId: string;
  /** The document's heads now: what the server holds after it acknowledges `changes`. */
  heads: readonly string[];
  /** Automerge changes the server has not acknowledged, in causal order. */
  changes: Uint8Array[];
}

/** A ticket arriving from the server. */
export interface RemoteTicket {
  id: string;
  /** New changes to merge. */
  changes: Uint8Array[];
  /** A whole document (`Automerge.save`), merged before `changes` (bootstrap, fetch). */
  snapshot?: Uint8Array | null;
  /** The server's heads for `snapshot` + `changes` (bootstrap, fetch): exact for a ticket the seat did not have. */
  heads?: readonly string[];
  /** The server's projection row: a hint, exact when the seat had no local changes of the ticket. */
  row?: SyncRow | null;
  /** Drop the local document and its outbox first (the server refused a local change); with nothing else, the ticket goes. */
  replace?: boolean;
}

export interface RemoteBatch {
  site: string;
  tickets: RemoteTicket[];
  /** Store this cursor for the site in the same durable write, after the tickets. */
  cursor?: number;
}

export interface SeatReplica {
  /** Tickets with local changes the server has not acknowledged, with those changes. */
  pendingChanges(opts?: { limit?: number }): Promise<PendingTicket[]>;
  /** How many local changes (or tickets with changes) wait for the server. */
  pendingCount(): number;
  /** The server durably holds the ticket up to `heads`: drop the changes they cover from the outbox. */
  acknowledge(ticketId: string, heads: readonly string[]): Promise<void>;
  /** Merges tickets from the server; returns the ids whose content changed. */
  applyRemote(batch: RemoteBatch): Promise<string[]>;
  /** The last sequence of the site's log this seat holds, or null before its first bootstrap. */
  cursor(site: string): Promise<number | null>;
  /** The ticket's heads, or null when the seat does not hold it. */
  heads(ticketId: string): Promise<readonly string[] | null>;
  /** The changes of a ticket after `heads` (heads the seat does not know are ignored); null if unknown. */
  changesSince(ticketId: string, heads: readonly string[]): Promise<Uint8Array[] | null>;
  /** 256 hex digests over the site's tickets (sync-server/protocol/digest.ts: `digestOf`, `DigestIndex`). */
  digest(site: string): Promise<string[]>;
  /** The heads of the seat's tickets of `site` that fall in `buckets`. */
  bucketHeads(site: string, buckets: readonly number[]): Promise<{ id: string; heads: readonly string[] }[]>;
  /** Called by the store when a local edit adds to the outbox (the client pushes soon after). */
  onLocalChange?(listener: () => void): () => void;
}
