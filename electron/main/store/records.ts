import type { Heads } from '@automerge/automerge';
import type { TicketRow } from '../../../domain';

/**
 * The persistence seam under the ticket store: what is written per ticket, atomically and
 * durably, and what is read back. PouchDB on disk in the app; a Map in tests.
 */
export interface TicketEntry {
  row: TicketRow;
  /** The backend's version token (PouchDB `_rev`), null before the first write. */
  version: string | null;
  heads: Heads;
  /** Heads the sync server acknowledged. */
  acked: Heads;
  /** How many changes wait in the outbox. */
  pending: number;
}

export interface TicketRecord {
  entry: TicketEntry;
  /** `Automerge.save` of the document; null keeps the stored one (an acknowledgement). */
  doc: Uint8Array | null;
  /** The changes since `entry.acked`. */
  outbox: readonly Uint8Array[];
}

export interface LoadedRecords {
  entries: TicketEntry[];
  meta: Record<string, unknown>;
  /** Writes replayed after the last checkpoint (a hint for when to take the next one). */
  replayed: number;
}

export interface TicketRecords {
  /** What opening needs: every entry (rows, no document) and the meta records. */
  load(): Promise<LoadedRecords>;
  /** The entry as stored now (to recover memory after a failed write). */
  readEntry(id: string): Promise<TicketEntry | null>;
  readDoc(id: string): Promise<Uint8Array | null>;
  readOutbox(id: string): Promise<Uint8Array[]>;
  /**
   * Writes tickets and meta records (`undefined` deletes one) in one atomic write, resolving once
   * durable with each ticket's new version token. Existing tickets carry their current version.
   * `removed` tickets (with their current version) go in the same write.
   */
  write(tickets: readonly TicketRecord[], meta?: Record<string, unknown>, removed?: readonly { id: string; version: string | null }[]): Promise<Map<string, string>>;
  /** Where the log stands now; taken inside the store's write lock. */
  position(): Promise<number | string>;
  /** Saves the entries as of `position`, so the next load reads them in one go. */
  checkpoint(entries: readonly TicketEntry[], position: number | string): Promise<void>;
  close(): Promise<void>;
}
