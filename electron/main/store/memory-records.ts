import { encodeChanges, decodeChanges } from './outbox';
import type { LoadedRecords, TicketEntry, TicketRecord, TicketRecords } from './records';

/** What an in-memory store keeps between "restarts": share one between opens to reopen it. */
export interface MemoryBacking {
  tickets: Map<string, { entry: TicketEntry; doc: Uint8Array; outbox: Uint8Array }>;
  meta: Map<string, unknown>;
  /** Set by a test to make the next write fail (nothing is written). */
  failNextWrite?: boolean;
}

export function memoryBacking(): MemoryBacking {
  return { tickets: new Map(), meta: new Map() };
}

/** Ticket records in a Map: the second implementation the acceptance suite runs on. */
export function memoryRecords(backing: MemoryBacking): TicketRecords {
  let version = 0;
  const copy = <T>(v: T): T => structuredClone(v);
  return {
    async load(): Promise<LoadedRecords> {
      const entries = [...backing.tickets.values()].map((t) => copy(t.entry));
      return { entries, meta: Object.fromEntries(copy([...backing.meta])), replayed: 0 };
    },
    async readEntry(id) {
      const t = backing.tickets.get(id);
      return t ? copy(t.entry) : null;
    },
    async readDoc(id) {
      return backing.tickets.get(id)?.doc.slice() ?? null;
    },
    async readOutbox(id) {
      const t = backing.tickets.get(id);
      return t ? decodeChanges(t.outbox.slice()) : [];
    },
    async write(tickets: readonly TicketRecord[], meta: Record<string, unknown> = {}, removed: readonly { id: string }[] = []) {
      if (backing.failNextWrite) {
        backing.failNextWrite = false;
        throw new Error('simulated write failure');
      }
      const versions = new Map<string, string>();
      for (const t of tickets) {
        const id = t.entry.row.id;
        const doc = t.doc ?? backing.tickets.get(id)?.doc;
        if (!doc) throw new Error(`no document for ${id}`);
        const v = String(++version);
        backing.tickets.set(id, { entry: copy({ ...t.entry, version: v }), doc: doc.slice(), outbox: encodeChanges(t.outbox) });
        versions.set(id, v);
      }
      for (const r of removed) backing.tickets.delete(r.id);
      for (const [k, v] of Object.entries(meta)) {
        if (v === undefined) backing.meta.delete(k);
        else backing.meta.set(k, copy(v));
      }
      return versions;
    },
    async position() {
      return version;
    },
    async checkpoint() {},
    async close() {},
  };
}
