import { openPouchRecords } from './pouch-records';
import { memoryRecords, type MemoryBacking } from './memory-records';
import type { TicketRecords } from './records';
import { CoreTicketStore } from './store-core';
import { StoreError, type TicketStore } from './ticket-store';

export interface StoreOptions {
  seat: string;
  /** Live Automerge documents kept in memory (LRU, default 500). */
  cacheSize?: number;
  /** Take a checkpoint of the rows after this many ticket writes (default 2,000). */
  checkpointEvery?: number;
}

export interface OpenStoreOptions extends StoreOptions {
  /** The seat's data folder: the database is `<dataDir>/tickets`, its row checkpoint beside it. */
  dataDir: string;
}

const SEAT = /^[A-Z]{2}$/;

/** Opens a ticket store over a persistence backend: reads rows and meta, never a document. */
export async function openTicketStore(records: TicketRecords, opts: StoreOptions): Promise<TicketStore> {
  if (!SEAT.test(opts.seat)) throw new RangeError(`座席代码应为 2 个大写字母：${opts.seat}`);
  const loaded = await records.load();
  const store = new CoreTicketStore(records, opts, loaded.entries, loaded.meta, loaded.replayed);
  const seat = loaded.meta.seat;
  if (seat === undefined) await store.putMeta('seat', opts.seat);
  else if (seat !== opts.seat) {
    await records.close();
    throw new StoreError('seat_mismatch', `数据目录属于座席 ${String(seat)}，不是 ${opts.seat}`);
  }
  return store;
}

/** The seat's ticket store on disk (PouchDB, leveldb, synced writes). */
export async function openPouchTicketStore(opts: OpenStoreOptions): Promise<TicketStore> {
  const records = await openPouchRecords(opts.dataDir);
  return openTicketStore(records, opts);
}

/** A ticket store in memory (tests); reopen it by passing the same backing. */
export function openMemoryTicketStore(backing: MemoryBacking, opts: StoreOptions): Promise<TicketStore> {
  return openTicketStore(memoryRecords(backing), opts);
}
