import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import PouchDB from 'pouchdb';
import type { Heads } from '@automerge/automerge';
import type { TicketRow } from '../../../domain';
import { durableLeveldown } from './durable-leveldown';
import { decodeChanges, encodeChanges } from './outbox';
import type { LoadedRecords, TicketEntry, TicketRecord, TicketRecords } from './records';
import { readCheckpoint, removeStaleCheckpoints, writeCheckpoint } from './row-checkpoint';
import { StoreError } from './ticket-store';

/**
 * Tickets in PouchDB (leveldb, synced writes). One PouchDB document per ticket, `t/<id>`, holds the
 * projection row, heads, acknowledged heads and outbox count, with the Automerge document
 * (`doc`) and the outbox changes (`outbox`) as binary attachments: one document write keeps all
 * of them in step. Attachments are not read when listing, so rows load without document bytes.
 * Meta records are `m/<key>`; the row checkpoint is a file beside the database (row-checkpoint.ts).
 */
interface TicketDocBody {
  row: TicketRow;
  heads: Heads;
  acked: Heads;
  pending: number;
}
interface MetaBody {
  value: unknown;
}
type Stored = PouchDB.Core.ExistingDocument<Partial<TicketDocBody & MetaBody>>;

const TICKET = 't/';
const META = 'm/';
const BINARY = 'application/octet-stream';

const toBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export async function openPouchRecords(dataDir: string): Promise<TicketRecords> {
  mkdirSync(dataDir, { recursive: true });
  // `db` (a leveldown factory) is a documented option of the leveldb adapter the typings lack.
  // `deterministic_revs: false`: a revision is a random id instead of the MD5 of the document's
  // JSON, which PouchDB makes with the attachments' bytes in it as arrays of numbers (a sixth of a
  // 50,000-ticket bootstrap's CPU). Nothing here replicates PouchDB to PouchDB, where it matters.
  const options = { adapter: 'leveldb', db: durableLeveldown, auto_compaction: true, revs_limit: 20, deterministic_revs: false } as PouchDB.Configuration.LocalDatabaseConfiguration;
  const db = new PouchDB<Partial<TicketDocBody & MetaBody>>(join(dataDir, 'tickets'), options);
  await db.info(); // opens LevelDB now, so a locked or broken folder fails here
  const checkpoint = join(dataDir, 'rows.checkpoint.json');
  await removeStaleCheckpoints(checkpoint);
  return new PouchRecords(db, checkpoint);
}

class PouchRecords implements TicketRecords {
  private readonly metaRevs = new Map<string, string>();

  constructor(
    private readonly db: PouchDB.Database<Partial<TicketDocBody & MetaBody>>,
    private readonly checkpointFile: string,
  ) {}

  async load(): Promise<LoadedRecords> {
    const [meta, checkpoint] = await Promise.all([this.loadMeta(), readCheckpoint(this.checkpointFile)]);
    const entries = new Map<string, TicketEntry>();
    for (const e of checkpoint?.entries ?? []) entries.set(e.row.id, e);
    const replayed = await this.replay(entries, checkpoint?.seq ?? 0);
    const info = await this.db.info();
    if (info.doc_count !== entries.size + this.metaRevs.size) {
      // The checkpoint does not add up with the database: rebuild from every ticket document.
      entries.clear();
      const all = await this.replay(entries, 0);
      return { entries: [...entries.values()], meta, replayed: all };
    }
    return { entries: [...entries.values()], meta, replayed };
  }

  async readEntry(id: string): Promise<TicketEntry | null> {
    const doc = await this.db.get(TICKET + id).catch(notFound);
    return doc ? entryOf(doc) : null;
  }

  async readDoc(id: string): Promise<Uint8Array | null> {
    return this.attachment(id, 'doc');
  }

  async readOutbox(id: string): Promise<Uint8Array[]> {
    const blob = await this.attachment(id, 'outbox');
    return blob ? decodeChanges(blob) : [];
  }

  async write(tickets: readonly TicketRecord[], meta: Record<string, unknown> = {}, removed: readonly { id: string; version: string | null }[] = []): Promise<Map<string, string>> {
    const docs: PouchDB.Core.PutDocument<Partial<TicketDocBody & MetaBody>>[] = [];
    for (const t of tickets) docs.push(await this.ticketDoc(t));
    for (const r of removed) if (r.version) docs.push({ _id: TICKET + r.id, _rev: r.version, _deleted: true });
    for (const [key, value] of Object.entries(meta)) {
      const rev = this.metaRevs.get(key);
      if (value === undefined && !rev) continue;
      docs.push({ _id: META + key, ...(rev ? { _rev: rev } : {}), ...(value === undefined ? { _deleted: true } : { value }) });
    }
    if (docs.length === 0) return new Map();
    const results = await this.db.bulkDocs(docs);
    const versions = new Map<string, string>();
    const failures: string[] = [];
    results.forEach((r, i) => {
      const id = docs[i]!._id!;
      if ('error' in r && r.error) return failures.push(`${id}: ${r.message ?? r.name ?? 'error'}`);
      const rev = (r as PouchDB.Core.Response).rev;
      if (id.startsWith(TICKET)) {
        if (!(docs[i] as { _deleted?: boolean })._deleted) versions.set(id.slice(TICKET.length), rev);
      }
      else if ((docs[i] as { _deleted?: boolean })._deleted) this.metaRevs.delete(id.slice(META.length));
      else this.metaRevs.set(id.slice(META.length), rev);
    });
    if (failures.length > 0) throw new StoreError('corrupt', `写入失败：${failures.join('；')}`);
    return versions;
  }

  async position(): Promise<number | string> {
    return (await this.db.info()).update_seq;
  }

  checkpoint(entries: readonly TicketEntry[], position: number | string): Promise<void> {
    return writeCheckpoint(this.checkpointFile, entries, position);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async ticketDoc(t: TicketRecord): Promise<PouchDB.Core.PutDocument<Partial<TicketDocBody>>> {
    const { row, heads, acked, pending, version } = t.entry;
    const attachments: PouchDB.Core.Attachments = {};
    if (t.doc) attachments.doc = { content_type: BINARY, data: toBuffer(t.doc) };
    else {
      const current = await this.db.get(TICKET + row.id);
      const stub = current._attachments?.doc;
      if (!stub) throw new StoreError('corrupt', `工单 ${row.no} 的文档缺失`);
      attachments.doc = stub;
    }
    if (t.outbox.length > 0) attachments.outbox = { content_type: BINARY, data: toBuffer(encodeChanges(t.outbox)) };
    return { _id: TICKET + row.id, ...(version ? { _rev: version } : {}), row, heads, acked, pending, _attachments: attachments };
  }

  private async attachment(id: string, name: string): Promise<Uint8Array | null> {
    const data = await this.db.getAttachment(TICKET + id, name).catch(notFound);
    if (!data) return null;
    // In Node, PouchDB hands attachments back as Buffers (a Uint8Array).
    return data as unknown as Uint8Array;
  }

  private async loadMeta(): Promise<Record<string, unknown>> {
    const res = await this.db.allDocs({ startkey: META, endkey: META + '\uffff', include_docs: true });
    const meta: Record<string, unknown> = {};
    this.metaRevs.clear();
    for (const r of res.rows) {
      if (!r.doc) continue;
      const key = r.id.slice(META.length);
      meta[key] = r.doc.value;
      this.metaRevs.set(key, r.doc._rev);
    }
    return meta;
  }

  /** Applies the ticket documents written after `since` to `entries`; returns how many. */
  private async replay(entries: Map<string, TicketEntry>, since: number | string): Promise<number> {
    const feed = await this.db.changes({ since, include_docs: true, return_docs: true });
    let n = 0;
    for (const c of feed.results) {
      if (!c.id.startsWith(TICKET)) continue;
      n++;
      const id = c.id.slice(TICKET.length);
      if (c.deleted || !c.doc) entries.delete(id);
      else entries.set(id, entryOf(c.doc as Stored));
    }
    return n;
  }
}

function entryOf(doc: Stored): TicketEntry {
  if (!doc.row || !doc.heads || !doc.acked || doc.pending === undefined) throw new StoreError('corrupt', `记录 ${doc._id} 不完整`);
  return { row: doc.row, version: doc._rev, heads: doc.heads, acked: doc.acked, pending: doc.pending };
}

function notFound(err: unknown): null {
  if ((err as { status?: number }).status === 404) return null;
  throw err;
}
