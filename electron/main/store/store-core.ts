import * as Automerge from '@automerge/automerge';
import type { Heads } from '@automerge/automerge';
import { projectTicket, type Ticket, type TicketRow } from '../../../domain';
import { fieldConflicts } from '../../../sync-server/protocol';
import { DocCache } from './doc-cache';
import { covers, unacknowledged } from './outbox';
import type { TicketEntry, TicketRecord, TicketRecords } from './records';
import { RowIndex, type RowListener } from './row-index';
import { changeTicketDoc, encodeNewTicket, newTicketDoc, toTicket } from './ticket-doc';
import {
  StoreError,
  type ChangeInfo, type ImportOptions, type OutboxEntry, type RowQuery, type TicketDoc, type TicketEdit, type TicketStore,
} from './ticket-store';
import { WriteLock } from './write-lock';
import type { StoreOptions } from './open';

/**
 * The ticket store over a persistence backend: rows and indexes in memory, live documents in a
 * bounded cache, writes one at a time through a lock, each durable before memory changes.
 */
export class CoreTicketStore implements TicketStore {
  private readonly entries = new Map<string, TicketEntry>();
  private readonly index = new RowIndex();
  private readonly cache: DocCache<TicketDoc>;
  private readonly metaValues: Map<string, unknown>;
  private readonly lock = new WriteLock();
  private readonly withOutbox = new Set<string>();
  private pendingTotal = 0;
  private writesSinceCheckpoint: number;
  private checkpointing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly records: TicketRecords,
    private readonly opts: StoreOptions,
    entries: TicketEntry[],
    meta: Record<string, unknown>,
    replayed: number,
  ) {
    this.cache = new DocCache<TicketDoc>(opts.cacheSize ?? 500);
    this.metaValues = new Map(Object.entries(meta));
    for (const e of entries) this.remember(e);
    this.index.load(entries.map((e) => e.row));
    this.writesSinceCheckpoint = replayed;
  }

  get seat(): string {
    return this.opts.seat;
  }

  count(): number {
    return this.entries.size;
  }

  query(q: RowQuery): { rows: TicketRow[]; total: number } {
    return this.index.query(q);
  }

  row(id: string): TicketRow | undefined {
    return this.index.get(id);
  }

  rows(): readonly TicketRow[] { return this.index.inCreatedOrder(); }

  onRowChange(listener: RowListener): () => void { return this.index.listen(listener); }

  read(id: string): Promise<Ticket | null> {
    return this.withDoc(id, toTicket);
  }

  async withDoc<T>(id: string, use: (doc: TicketDoc) => T): Promise<T | null> {
    this.open();
    const cached = this.cache.get(id);
    if (cached) return use(cached);
    if (!this.entries.has(id)) return null;
    const bytes = await this.records.readDoc(id);
    // Load, cache and use in one synchronous step: no eviction can free the document in between.
    const again = this.cache.get(id);
    if (again) return use(again);
    if (!bytes) return null;
    const doc = Automerge.load<Record<string, unknown>>(bytes);
    this.cache.put(id, doc);
    return use(doc);
  }

  create(ticket: Ticket, change: ChangeInfo, opts: { meta?: Record<string, unknown> } = {}): Promise<Ticket> {
    return this.write(async () => {
      if (this.entries.has(ticket.id)) throw new StoreError('exists', `工单 ${ticket.no} 已存在`);
      const doc = newTicketDoc(ticket, change);
      const stored = toTicket(doc);
      const record = this.record(doc, projectTicket(stored), null, []);
      await this.commit([record], opts.meta, () => Automerge.free(doc));
      this.cache.put(ticket.id, doc);
      return stored;
    });
  }

  update(id: string, edit: (current: Ticket) => TicketEdit): Promise<Ticket | null> {
    return this.write(async () => {
      const entry = this.entries.get(id);
      if (!entry) return null;
      let doc = this.cache.take(id);
      if (!doc) {
        const bytes = await this.records.readDoc(id);
        if (!bytes) throw new StoreError('corrupt', `工单 ${entry.row.no} 的文档缺失`);
        doc = Automerge.load<Record<string, unknown>>(bytes);
      }
      const before = toTicket(doc);
      let next: TicketDoc;
      try {
        const e = edit(before);
        next = changeTicketDoc(doc, before, e.ticket, e);
      } catch (err) {
        this.cache.put(id, doc);
        throw err;
      }
      if (next === doc) {
        this.cache.put(id, doc);
        return before;
      }
      const stored = toTicket(next);
      const record = this.record(next, projectTicket(stored), entry.version, entry.acked);
      await this.commit([record], undefined, () => Automerge.free(next));
      this.cache.put(id, next);
      return stored;
    });
  }

  mergeDoc(bytes: Uint8Array): Promise<Ticket> {
    return this.write(async () => {
      const incoming = Automerge.load<Record<string, unknown>>(bytes);
      const id = toTicket(incoming).id;
      const entry = this.entries.get(id);
      const local = entry ? (this.cache.take(id) ?? Automerge.load<Record<string, unknown>>((await this.records.readDoc(id)) ?? bytes)) : null;
      const doc = local ? Automerge.merge(local, incoming) : incoming;
      if (local) Automerge.free(incoming);
      const stored = toTicket(doc);
      await this.commit([this.record(doc, projectTicket(stored), entry?.version ?? null, entry?.acked ?? [])], undefined, () => Automerge.free(doc));
      this.cache.put(id, doc);
      return stored;
    });
  }

  async importTickets(tickets: readonly Ticket[], change: ChangeInfo, opts: ImportOptions = {}): Promise<number> {
    const batchSize = opts.batchSize ?? 500;
    let imported = 0;
    for (let i = 0; i < tickets.length; i += batchSize) {
      const batch = tickets.slice(i, i + batchSize);
      imported += await this.write(async () => {
        const seen = new Set<string>();
        const records: TicketRecord[] = [];
        for (const t of batch) {
          if (this.entries.has(t.id) || seen.has(t.id)) continue;
          seen.add(t.id);
          const { bytes, change: first, heads } = encodeNewTicket(t, change);
          const entry: TicketEntry = { row: projectTicket(t), version: null, heads, acked: [], pending: 1 };
          records.push({ entry, doc: bytes, outbox: [first] });
        }
        if (records.length > 0) await this.commit(records);
        return records.length;
      });
      opts.onProgress?.(Math.min(i + batchSize, tickets.length), tickets.length);
    }
    if (imported > 0) await this.checkpoint();
    return imported;
  }

  async pendingChanges(opts: { limit?: number } = {}): Promise<OutboxEntry[]> {
    this.open();
    const out: OutboxEntry[] = [];
    for (const id of [...this.withOutbox].slice(0, opts.limit ?? Infinity)) {
      const entry = this.entries.get(id);
      if (!entry || entry.pending === 0) continue;
      out.push({ ticketId: id, acked: entry.acked, heads: entry.heads, changes: await this.records.readOutbox(id) });
    }
    return out;
  }

  pendingCount(): number {
    return this.pendingTotal;
  }

  acknowledge(ticketId: string, heads: Heads): Promise<void> {
    return this.write(async () => {
      const entry = this.entries.get(ticketId);
      if (!entry) return;
      const outbox = covers(heads, entry.heads) || entry.pending === 0 ? [] : unacknowledged(await this.records.readOutbox(ticketId), heads);
      await this.commit([{ entry: { ...entry, acked: [...heads], pending: outbox.length }, doc: null, outbox }]);
    });
  }

  meta<T>(key: string): T | undefined {
    // Meta records are written by the node through putMeta, which knows their shape.
    return this.metaValues.get(key) as T | undefined;
  }

  putMeta(key: string, value: unknown): Promise<void> {
    return this.write(async () => {
      await this.records.write([], { [key]: value });
      this.setMeta({ [key]: value });
    });
  }

  liveDocs(): number {
    return this.cache.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock.idle();
    await this.checkpointing;
    if (this.writesSinceCheckpoint > 0) await this.checkpoint();
    this.closed = true;
    this.cache.clear();
    await this.records.close();
  }

  /** Saves every entry so the next open reads a few snapshot records instead of every ticket. */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing;
    const run = async () => {
      const captured = await this.lock.run(async () => {
        const position = await this.records.position();
        const taken = this.writesSinceCheckpoint;
        // In list order, so the next open's sort runs over sorted input (linear for TimSort).
        const entries = this.index.inCreatedOrder().map((r) => this.entries.get(r.id)!);
        return { entries, position, taken };
      });
      await this.records.checkpoint(captured.entries, captured.position);
      this.writesSinceCheckpoint -= captured.taken;
    };
    this.checkpointing = run().finally(() => {
      this.checkpointing = null;
    });
    return this.checkpointing;
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    this.open();
    return this.lock.run(fn);
  }

  private open(): void {
    if (this.closed) throw new StoreError('closed', '工单库已关闭');
  }

  /** What to write for `doc`: a new document's one change is its whole outbox (measured ~6× cheaper to get). */
  private record(doc: TicketDoc, row: TicketRow, version: string | null, acked: Heads): TicketRecord {
    const first = version === null ? Automerge.getLastLocalChange(doc) : undefined;
    // A new local document has one linear change: nothing can conflict (7 lookups saved).
    if (!first) {
      const conflicts = fieldConflicts(doc);
      if (Object.keys(conflicts).length > 0) row = { ...row, conflicts };
    }
    const outbox = first ? [first] : Automerge.getChangesSince(doc, acked.filter((h) => Automerge.hasHeads(doc, [h])));
    const entry: TicketEntry = { row, version, heads: Automerge.getHeads(doc), acked: [...acked], pending: outbox.length };
    return { entry, doc: Automerge.save(doc), outbox };
  }

  /** Writes durably, then updates memory; on failure memory is re-read from the disk. */
  private async commit(records: TicketRecord[], meta?: Record<string, unknown>, onFail?: () => void): Promise<void> {
    let versions: Map<string, string>;
    try {
      versions = await this.records.write(records, meta);
    } catch (err) {
      onFail?.();
      await this.resync(records.map((r) => r.entry.row.id));
      throw err;
    }
    for (const r of records) {
      const version = versions.get(r.entry.row.id) ?? null;
      const entry = { ...r.entry, version };
      this.remember(entry);
      this.index.upsert(entry.row);
    }
    if (meta) this.setMeta(meta);
    this.writesSinceCheckpoint += records.length;
    if (this.writesSinceCheckpoint >= (this.opts.checkpointEvery ?? 2000) && !this.checkpointing) {
      void this.checkpoint().catch(() => undefined); // a failed checkpoint only makes the next open slower
    }
  }

  private async resync(ids: string[]): Promise<void> {
    for (const id of ids) {
      this.cache.drop(id);
      const entry = await this.records.readEntry(id).catch(() => null);
      if (entry) {
        this.remember(entry);
        this.index.upsert(entry.row);
      }
    }
  }

  private remember(entry: TicketEntry): void {
    const id = entry.row.id;
    this.pendingTotal += entry.pending - (this.entries.get(id)?.pending ?? 0);
    this.entries.set(id, entry);
    if (entry.pending > 0) this.withOutbox.add(id);
    else this.withOutbox.delete(id);
  }

  private setMeta(meta: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(meta)) {
      if (v === undefined) this.metaValues.delete(k);
      else this.metaValues.set(k, v);
    }
  }
}
