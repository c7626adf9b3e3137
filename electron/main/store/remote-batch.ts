import * as Automerge from '@automerge/automerge';
import type { Heads } from '@automerge/automerge';
import { concatBytes, sameHeads } from '../../../sync-server/protocol';
import type { TicketRow } from '../../../domain';
import type { RemoteTicket } from '../sync/replica';
import type { TicketEntry, TicketRecord } from './records';
import type { TicketDoc } from './ticket-store';

/**
 * What a batch from the sync server turns into before it is written (store-core.ts `applyRemote`):
 * per ticket the record to write and the live document to cache, the tickets to remove, and
 * which tickets changed. Nothing is written here; on a failure every document made is freed.
 */
export interface StagedTicket {
  record: TicketRecord;
  /** The merged document to cache after the write; null for a ticket stored as sent. */
  doc: TicketDoc | null;
}

export interface StagedBatch {
  staged: Map<string, StagedTicket>;
  /** Ticket id → its current version, for the tickets the server refused the creation of. */
  removed: Map<string, string | null>;
  changed: Set<string>;
}

export interface RemotePort {
  entry(id: string): TicketEntry | undefined;
  /** The ticket's live document, taken out of the cache (or loaded); the caller owns it. */
  takeDoc(id: string): Promise<TicketDoc>;
  /** Puts back a document that did not change. */
  keepDoc(id: string, doc: TicketDoc): void;
  /** Frees the cached document of a ticket the server's version replaces. */
  dropDoc(id: string): void;
  /** The record for `doc` (row, conflicts, the outbox kept as it was). */
  record(doc: TicketDoc, prior: TicketEntry | undefined, acked?: Heads): Promise<TicketRecord>;
}

export async function stageRemote(tickets: readonly RemoteTicket[], port: RemotePort): Promise<StagedBatch> {
  const out: StagedBatch = { staged: new Map(), removed: new Map(), changed: new Set() };
  const { staged, removed, changed } = out;
  try {
    for (const t of tickets) {
      const parts = [...(t.snapshot ? [t.snapshot] : []), ...t.changes];
      const known = port.entry(t.id);
      let prior: TicketEntry | undefined = staged.get(t.id)?.record.entry ?? (removed.has(t.id) ? undefined : known);
      let doc: TicketDoc | null = staged.get(t.id)?.doc ?? null;
      if (t.replace && prior) {
        // The server refused a local change: the seat takes the server's version (or drops a refused creation).
        if (doc) free(doc);
        else port.dropDoc(t.id);
        staged.delete(t.id);
        doc = null;
        prior = undefined;
        changed.add(t.id);
        if (parts.length === 0) {
          if (known) removed.set(t.id, known.version);
          continue;
        }
      }
      if (parts.length === 0) continue;
      removed.delete(t.id);
      const version = known?.version ?? null;
      if (!prior) {
        const bytes = concatBytes(parts);
        if (t.heads && t.row && !staged.has(t.id)) {
          // A ticket the seat did not have, with the server's heads and row: stored as sent, parsed only when opened.
          const entry: TicketEntry = { row: withoutEmptyConflicts(t.row), version, heads: [...t.heads], acked: [...t.heads], pending: 0 };
          staged.set(t.id, { record: { entry, doc: bytes, outbox: [] }, doc: null });
        } else {
          const loaded = Automerge.load<Record<string, unknown>>(bytes);
          const record = await port.record(loaded, undefined, Automerge.getHeads(loaded));
          staged.set(t.id, { record: { ...record, entry: { ...record.entry, version } }, doc: loaded });
        }
        changed.add(t.id);
        continue;
      }
      doc ??= await port.takeDoc(t.id);
      const before = Automerge.getHeads(doc);
      let next = doc;
      if (t.snapshot) next = Automerge.loadIncremental(next, t.snapshot);
      if (t.changes.length > 0) next = Automerge.applyChanges(next, t.changes)[0];
      if (sameHeads(Automerge.getHeads(next), before)) {
        const s = staged.get(t.id);
        if (s) s.doc = next;
        else port.keepDoc(t.id, next);
        continue;
      }
      staged.set(t.id, { record: await port.record(next, prior), doc: next });
      changed.add(t.id);
    }
  } catch (err) {
    for (const s of staged.values()) free(s.doc);
    throw err;
  }
  return out;
}

const free = (doc: TicketDoc | null) => doc && Automerge.free(doc);

function withoutEmptyConflicts(row: TicketRow): TicketRow {
  if (!row.conflicts || Object.keys(row.conflicts).length > 0) return row;
  const { conflicts: _none, ...rest } = row;
  return rest;
}
