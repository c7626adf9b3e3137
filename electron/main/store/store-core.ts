import * as Automerge from '@automerge/automerge';
import type { Heads } from '@automerge/automerge';
import { projectTicket, type Ticket, type TicketRow } from '../../../domain';
import { fieldConflicts } from '../../../sync-server/protocol';
import { stageRemote } from './remote-batch';
import { SiteDigests } from './site-digests';
import type { RemoteBatch } from '../sync/replica';
import { DocCache } from './doc-cache';
import { unacknowledged } from './outbox';
import type { TicketEntry, TicketRecord, TicketRecords } from './records';
import { RowIndex, type RowListener } from './row-index';
import { CheckpointSchedule } from './checkpoint-schedule';
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
  private readonly checkpoints: CheckpointSchedule;
  private closed = false;
  private readonly localListeners = new Set<() => void>();
  /** Anti-entropy digests per site, built on first use and kept up to date by `remember`. */
  private readonly digests = new SiteDigests(this.entries);

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
    this.checkpoints = new CheckpointSchedule(replayed, opts.checkpointEvery ?? 2000, () => void this.checkpoint().catch(() => undefined)); // a failed checkpoint only makes the next open slower
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
      const record = await this.record(doc, stored, undefined, [Automerge.getLastLocalChange(doc)!], { linear: true });
      await this.commit([record], opts.meta, () => Automerge.free(doc));
      this.cache.put(ticket.id, doc);
      this.localChanged();
      return stored;
    });
  }

  update(id: string, edit: (current: Ticket) => TicketEdit): Promise<Ticket | null> {
    return this.write(async () => {
      const entry = this.entries.get(id);
      if (!entry) return null;
      const doc = await this.takeDoc(id);
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
      const record = await this.record(next, stored, entry, [Automerge.getLastLocalChange(next)!]);
      await this.commit([record], undefined, () => Automerge.free(next));
      this.cache.put(id, next);
      this.localChanged();
      return stored;
    });
  }

  mergeDoc(bytes: Uint8Array): Promise<Ticket> {
    return this.write(async () => {
      const incoming = Automerge.load<Record<string, unknown>>(bytes);
      const id = toTicket(incoming).id;
      const entry = this.entries.get(id);
      const local = entry ? (this.cache.take(id) ?? Automerge.load<Record<string, unknown>>((await this.records.readDoc(id)) ?? bytes)) : null;
      const before = local ? Automerge.getHeads(local) : [];
      const doc = local ? Automerge.merge(local, incoming) : incoming;
      if (local) Automerge.free(incoming);
      const stored = toTicket(doc);
      const added = Automerge.getChangesSince(doc, before);
      await this.commit([await this.record(doc, stored, entry, added)], undefined, () => Automerge.free(doc));
      this.cache.put(id, doc);
      if (added.length > 0) this.localChanged();
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
    if (imported > 0) {
      await this.checkpoint();
      this.localChanged();
    }
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

  acknowledge(ticketId: string, heads: readonly string[]): Promise<void> {
    return this.write(async () => {
      const entry = this.entries.get(ticketId);
      if (!entry || entry.pending === 0) return;
      const outbox = unacknowledged(await this.records.readOutbox(ticketId), [...heads]);
      if (outbox.length === entry.pending) return;
      await this.commit([{ entry: { ...entry, acked: [...heads], pending: outbox.length }, doc: null, outbox }]);
    });
  }

  applyRemote(batch: RemoteBatch): Promise<string[]> {
    return this.write(async () => {
      const { staged, removed, changed } = await stageRemote(batch.tickets, {
        entry: (id) => this.entries.get(id),
        takeDoc: (id) => this.takeDoc(id),
        keepDoc: (id, doc) => this.cache.put(id, doc),
        dropDoc: (id) => this.cache.drop(id),
        record: (doc, prior, acked) => this.record(doc, toTicket(doc), prior, [], acked ? { acked } : {}),
      });
      const meta = batch.cursor !== undefined ? { [cursorKey(batch.site)]: batch.cursor } : undefined;
      const records = [...staged.values()].map((s) => s.record);
      if (records.length === 0 && removed.size === 0 && !meta) return [];
      const freeAll = () => staged.forEach((s) => s.doc && Automerge.free(s.doc));
      await this.commit(records, meta, freeAll, [...removed].map(([id, version]) => ({ id, version })));
      for (const [id, s] of staged) if (s.doc) this.cache.put(id, s.doc);
      return [...changed];
    });
  }

  async cursor(site: string): Promise<number | null> {
    return this.meta<number>(cursorKey(site)) ?? null;
  }

  async heads(ticketId: string): Promise<readonly string[] | null> {
    return this.entries.get(ticketId)?.heads ?? null;
  }

  changesSince(ticketId: string, heads: readonly string[]): Promise<Uint8Array[] | null> {
    return this.withDoc(ticketId, (doc) => Automerge.getChangesSince(doc, heads.filter((h) => Automerge.hasHeads(doc, [h]))));
  }

  async digest(site: string): Promise<string[]> {
    return this.digests.hex(site);
  }

  async bucketHeads(site: string, buckets: readonly number[]): Promise<{ id: string; heads: readonly string[] }[]> {
    return this.digests.bucketHeads(site, buckets);
  }

  onLocalChange(listener: () => void): () => void {
    this.localListeners.add(listener);
    return () => this.localListeners.delete(listener);
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
    this.checkpoints.stop();
    await this.checkpoints.current;
    if (this.checkpoints.written > 0) await this.checkpoint();
    this.closed = true;
    this.cache.clear();
    await this.records.close();
  }

  /** Saves every entry so the next open reads a few snapshot records instead of every ticket. */
  checkpoint(): Promise<void> {
    return this.checkpoints.run(async () => {
      const captured = await this.lock.run(async () => {
        const position = await this.records.position();
        const covered = this.checkpoints.written;
        // In list order, so the next open's sort runs over sorted input (linear for TimSort).
        const entries = this.index.inCreatedOrder().map((r) => this.entries.get(r.id)!);
        return { entries, position, covered };
      });
      await this.records.checkpoint(captured.entries, captured.position);
      return captured.covered;
    });
  }

  /** The ticket's live document taken out of the cache, or loaded: the caller owns it. */
  private async takeDoc(id: string): Promise<TicketDoc> {
    const cached = this.cache.take(id);
    if (cached) return cached;
    const bytes = await this.records.readDoc(id);
    if (!bytes) throw new StoreError('corrupt', `工单 ${this.entries.get(id)?.row.no ?? id} 的文档缺失`);
    return Automerge.load<Record<string, unknown>>(bytes);
  }

  private write<T>(fn: () => Promise<T>): Promise<T> {
    this.open();
    return this.lock.run(fn);
  }

  private open(): void {
    if (this.closed) throw new StoreError('closed', '工单库已关闭');
  }

  /**
   * What to write for `doc`: the row (with any field conflicts), and the outbox — the changes still
   * waiting from before plus `added`, the local ones just made. Changes from the server never
   * join the outbox. `linear`: a new local document of one change, which cannot conflict.
   */
  private async record(doc: TicketDoc, ticket: Ticket, prior: TicketEntry | undefined, added: readonly Uint8Array[], opts: { linear?: boolean; acked?: Heads } = {}): Promise<TicketRecord> {
    let row = projectTicket(ticket);
    if (!opts.linear) {
      const conflicts = fieldConflicts(doc);
      if (Object.keys(conflicts).length > 0) row = { ...row, conflicts };
    }
    const waiting = prior && prior.pending > 0 ? await this.records.readOutbox(row.id) : [];
    const outbox = added.length > 0 ? [...waiting, ...added] : waiting;
    const entry: TicketEntry = { row, version: prior?.version ?? null, heads: Automerge.getHeads(doc), acked: [...(opts.acked ?? prior?.acked ?? [])], pending: outbox.length };
    return { entry, doc: Automerge.save(doc), outbox };
  }

  private localChanged(): void {
    for (const l of this.localListeners) {
      try {
        l();
      } catch {
        // a listener's fault must not fail the write that already happened
      }
    }
  }

  /** Writes durably, then updates memory; on failure memory is re-read from the disk. */
  private async commit(records: TicketRecord[], meta?: Record<string, unknown>, onFail?: () => void, removed: { id: string; version: string | null }[] = []): Promise<void> {
    let versions: Map<string, string>;
    try {
      versions = await this.records.write(records, meta, removed);
    } catch (err) {
      onFail?.();
      await this.resync([...records.map((r) => r.entry.row.id), ...removed.map((r) => r.id)]);
      throw err;
    }
    for (const r of removed) this.forget(r.id);
    const rows: TicketRow[] = [];
    for (const r of records) {
      const version = versions.get(r.entry.row.id) ?? null;
      const entry = { ...r.entry, version };
      this.remember(entry);
      rows.push(entry.row);
    }
    this.index.upsertMany(rows);
    if (meta) this.setMeta(meta);
    this.checkpoints.wrote(records.length + removed.length, this.entries.size);
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
    const old = this.entries.get(id);
    this.pendingTotal += entry.pending - (old?.pending ?? 0);
    this.digests.changed(old, entry);
    this.entries.set(id, entry);
    if (entry.pending > 0) this.withOutbox.add(id);
    else this.withOutbox.delete(id);
  }

  /** A ticket the seat no longer holds (the server refused its creation). */
  private forget(id: string): void {
    const old = this.entries.get(id);
    if (!old) return;
    this.pendingTotal -= old.pending;
    this.digests.removed(old);
    this.entries.delete(id);
    this.withOutbox.delete(id);
    this.cache.drop(id);
    this.index.remove(id);
  }

  private setMeta(meta: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(meta)) {
      if (v === undefined) this.metaValues.delete(k);
      else this.metaValues.set(k, v);
    }
  }
}

/** The meta record holding the last sequence of a site's log this seat has applied. */
export const cursorKey = (site: string) => `sync.cursor.${site}`;
