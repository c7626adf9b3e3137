import { ClassicLevel } from 'classic-level';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteRecord, SyncRow } from '../../protocol';
import { SEAT_CODES, type AdminEvent, type LeaseBlock, type AuditLine, type CommitBatch, type LogEntry, type SeatRecord, type SyncStorage, type UserRecord } from '../types';
import { Mutex, SEP, END, pad, sublevels, write, type Op, type Sublevels } from './layout';
import { embeddedRecords } from './backup';
import { EmbeddedTickets } from './tickets';
import { EmbeddedDeliveries } from './deliveries';
import { EmbeddedSiteDocs } from './site-docs';
import { EmbeddedBlobs } from './blobs';
import type { SiteDocKind, SiteDocRecord } from '../site-doc-types';
import type { DeliveryQuery, DeliveryRecord } from '../delivery-types';

export interface EmbeddedOptions {
  /** The data folder; the database lives in `<dir>/db`. */
  dir: string;
  /** Compact a ticket's snapshot once this many changes have piled up after it. */
  compactAfter?: number;
}

/** Thrown when another process (a running server) holds the database. */
export class StorageLockedError extends Error {}

/** The embedded store: one LevelDB, writes synced (`sync: true`) before anything is acknowledged. */
export class EmbeddedStorage implements SyncStorage {
  readonly kind = 'embedded' as const;
  private readonly tickets: EmbeddedTickets;
  private readonly deliveries: EmbeddedDeliveries;
  private readonly siteDocs: EmbeddedSiteDocs;
  private readonly blobs: EmbeddedBlobs;
  private readonly adminListeners = new Set<(e: AdminEvent) => void>();
  private readonly mutex = new Mutex();

  private constructor(
    private readonly db: ClassicLevel<string, Uint8Array>,
    private readonly s: Sublevels,
    compactAfter: number,
    dir: string,
  ) {
    this.blobs = new EmbeddedBlobs(dir, db);
    this.tickets = new EmbeddedTickets(db, s, this.mutex, compactAfter);
    this.deliveries = new EmbeddedDeliveries(db);
    this.siteDocs = new EmbeddedSiteDocs(db);
  }

  static async open(opts: EmbeddedOptions): Promise<EmbeddedStorage> {
    mkdirSync(opts.dir, { recursive: true });
    const db = new ClassicLevel<string, Uint8Array>(join(opts.dir, 'db'), { valueEncoding: 'view' });
    try {
      await db.open();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new StorageLockedError(`${opts.dir} is in use by a running sync server`);
      throw e;
    }
    return new EmbeddedStorage(db, sublevels(db), opts.compactAfter ?? 16, opts.dir);
  }

  async close(): Promise<void> {
    await this.deliveries.idle();
    await this.siteDocs.idle();
    await this.mutex.run(() => this.db.close());
  }

  // Directory
  async putSite(site: SiteRecord): Promise<void> {
    await this.s.sites.put(site.id, site);
  }
  async getSite(id: string): Promise<SiteRecord | null> {
    return ((await this.s.sites.get(id)) as SiteRecord | undefined) ?? null;
  }
  async listSites(): Promise<SiteRecord[]> {
    return (await this.s.sites.values().all()) as SiteRecord[];
  }
  async putUser(user: UserRecord): Promise<void> {
    await write(this.db, [{ type: 'put', sublevel: this.s.users, key: user.id, value: user }]);
  }
  async getUser(id: string): Promise<UserRecord | null> {
    return ((await this.s.users.get(id)) as UserRecord | undefined) ?? null;
  }
  async listUsers(): Promise<UserRecord[]> {
    return (await this.s.users.values().all()) as UserRecord[];
  }
  async findSeat(user: string, device: string): Promise<SeatRecord | null> {
    const id = await this.s.seatDev.get(user + SEP + device);
    const seat = id === undefined ? null : await this.getSeat(id);
    return seat && !seat.revoked ? seat : null;
  }
  createSeat(seat: Omit<SeatRecord, 'code'>): Promise<SeatRecord> {
    return this.mutex.run(async () => {
      const used = new Set(await this.s.seatCode.keys().all());
      const code = SEAT_CODES.find((c) => !used.has(c));
      if (!code) throw new Error('all 676 seat codes have been used (codes are never reused, so offline ticket numbers stay unique)');
      const rec: SeatRecord = { ...seat, code };
      await write(this.db, [
        { type: 'put', sublevel: this.s.seats, key: rec.id, value: rec },
        { type: 'put', sublevel: this.s.seatTok, key: rec.tokenHash, value: rec.id },
        { type: 'put', sublevel: this.s.seatDev, key: rec.user + SEP + rec.device, value: rec.id },
        { type: 'put', sublevel: this.s.seatCode, key: code, value: rec.id },
      ]);
      return rec;
    });
  }
  updateSeat(id: string, patch: Partial<Pick<SeatRecord, 'tokenHash' | 'lastSeen' | 'revoked'>>): Promise<void> {
    return this.mutex.run(async () => {
      const seat = await this.getSeat(id);
      if (!seat) throw new Error(`no seat ${id}`);
      const next = { ...seat, ...patch };
      const ops: Op[] = [{ type: 'put', sublevel: this.s.seats, key: id, value: next }];
      if (patch.tokenHash !== undefined && patch.tokenHash !== seat.tokenHash) {
        ops.push({ type: 'del', sublevel: this.s.seatTok, key: seat.tokenHash });
        ops.push({ type: 'put', sublevel: this.s.seatTok, key: next.tokenHash, value: id });
      }
      await write(this.db, ops, patch.lastSeen === undefined);
    });
  }
  async getSeat(id: string): Promise<SeatRecord | null> {
    return ((await this.s.seats.get(id)) as SeatRecord | undefined) ?? null;
  }
  async seatByTokenHash(tokenHash: string): Promise<SeatRecord | null> {
    const id = await this.s.seatTok.get(tokenHash);
    return id === undefined ? null : this.getSeat(id);
  }
  async listSeats(): Promise<SeatRecord[]> {
    return (await this.s.seats.values().all()) as SeatRecord[];
  }

  // Tickets
  commit(batch: CommitBatch) {
    return this.tickets.commit(batch);
  }
  loadTicket(id: string) {
    return this.tickets.loadTicket(id);
  }
  loadTickets(ids: readonly string[]) {
    return this.tickets.loadTickets(ids);
  }
  ticketIdsByNo(site: string, nos: readonly string[]) {
    return this.tickets.ticketIdsByNo(site, nos);
  }
  readLog(site: string, afterSeq: number, limit: number) {
    return this.tickets.readLog(site, afterSeq, limit);
  }
  lastSeq(site: string) {
    return this.mutex.run(() => this.tickets.lastSeq(site));
  }
  readTickets(site: string, afterId: string | null, limit: number) {
    return this.tickets.readTickets(site, afterId, limit);
  }
  countTickets(site: string) {
    return this.tickets.countTickets(site);
  }
  compactionCandidates(limit: number) {
    return this.tickets.compactionCandidates(limit);
  }
  writeSnapshot(id: string, snapshot: Uint8Array, uptoSeq: number, row: SyncRow | null) {
    return this.tickets.writeSnapshot(id, snapshot, uptoSeq, row);
  }
  digest(site: string) {
    return this.mutex.run(() => this.tickets.digest(site));
  }
  bucketHeads(site: string, buckets: readonly number[]) {
    return this.tickets.bucketHeads(site, buckets);
  }

  // Leases
  lease(site: string, day: string, count: number, seat: string): Promise<{ from: number; to: number }> {
    return this.mutex.run(async () => {
      const key = site + SEP + day;
      const from = (await this.s.lease.get(key)) ?? 1;
      const to = from + count - 1;
      if (to > 99_999) throw new Error(`no numbers left for ${site} on ${day}`);
      await write(this.db, [
        { type: 'put', sublevel: this.s.lease, key, value: to + 1 },
        { type: 'put', sublevel: this.s.lblk, key: key + SEP + pad(from, 6), value: { to, seat } },
      ]);
      return { from, to };
    });
  }
  async leaseBlocks(site: string, day: string): Promise<LeaseBlock[]> {
    const prefix = site + SEP + day + SEP;
    const out: LeaseBlock[] = [];
    for await (const [key, blk] of this.s.lblk.iterator({ gt: prefix, lt: prefix + END })) out.push({ from: Number(key.slice(prefix.length)), to: blk.to, seat: blk.seat });
    return out;
  }
  raiseLeaseFloor(site: string, day: string, next: number): Promise<void> {
    return this.mutex.run(async () => {
      const key = site + SEP + day;
      if (((await this.s.lease.get(key)) ?? 1) < next) await write(this.db, [{ type: 'put', sublevel: this.s.lease, key, value: next }]);
    });
  }

  // Audit
  appendAudit(lines: AuditLine[]): Promise<void> {
    return this.mutex.run(async () => {
      const audit = await this.tickets.sealAudit(lines);
      await write(this.db, audit.ops);
      audit.stored();
    });
  }
  pruneAudit(throughId: number): Promise<number> {
    return this.mutex.run(async () => {
      let n = 0;
      for (;;) {
        const keys = await this.s.audit.keys({ lte: pad(throughId), limit: 1000 }).all();
        if (keys.length === 0) return n;
        await write(this.db, keys.map((key): Op => ({ type: 'del', sublevel: this.s.audit, key })));
        n += keys.length;
      }
    });
  }
  async readAudit(afterId: number, limit: number): Promise<{ id: number; line: AuditLine }[]> {
    const out: { id: number; line: AuditLine }[] = [];
    for await (const [key, line] of this.s.audit.iterator({ gt: pad(afterId), lt: END, limit })) out.push({ id: Number(key), line: line as AuditLine });
    return out;
  }

  // Backup
  backupRecords(): AsyncIterable<Uint8Array[]> {
    return embeddedRecords(this.db, this.blobs);
  }

  // Feed
  onAppend(listener: (entries: LogEntry[]) => void): () => void {
    this.tickets.listeners.add(listener);
    return () => this.tickets.listeners.delete(listener);
  }
  onAdmin(listener: (event: AdminEvent) => void): () => void {
    this.adminListeners.add(listener);
    return () => this.adminListeners.delete(listener);
  }
  async publishAdmin(event: AdminEvent): Promise<void> {
    for (const l of this.adminListeners) l(event);
  }

  // Site documents: rulebook and form versions (site-docs.ts)
  putSiteDoc(doc: SiteDocRecord) {
    return this.siteDocs.putSiteDoc(doc);
  }
  listSiteDocs(site: string, kind?: SiteDocKind) {
    return this.siteDocs.listSiteDocs(site, kind);
  }

  // Attachment blobs: files under <dir>/blobs, their sites in sublevel `bsite` (blobs.ts)
  putBlob(hash: string, bytes: Uint8Array, site?: string) {
    return this.blobs.putBlob(hash, bytes, site);
  }
  blobSites(hash: string) {
    return this.blobs.blobSites(hash);
  }
  getBlob(hash: string) {
    return this.blobs.getBlob(hash);
  }
  hasBlob(hash: string) {
    return this.blobs.hasBlob(hash);
  }
  deleteBlob(hash: string) {
    return this.blobs.deleteBlob(hash);
  }
  putProvisionalBlob(hash: string, bytes: Uint8Array, site: string, at: Date) {
    return this.blobs.putProvisionalBlob(hash, bytes, site, at);
  }
  keepBlob(hash: string) {
    return this.blobs.keepBlob(hash);
  }
  provisionalBlobs(before: Date) {
    return this.blobs.provisionalBlobs(before);
  }
  expireBlob(hash: string, before: Date) {
    return this.blobs.expireBlob(hash, before);
  }

  // Connector deliveries (deliveries.ts)
  addDeliveries(records: readonly DeliveryRecord[]) {
    return this.deliveries.addDeliveries(records);
  }
  getDelivery(id: string) {
    return this.deliveries.getDelivery(id);
  }
  putDelivery(next: DeliveryRecord, expect: number) {
    return this.deliveries.putDelivery(next, expect);
  }
  claimDeliveries(owner: string, now: number, leaseMs: number, limit: number) {
    return this.deliveries.claimDeliveries(owner, now, leaseMs, limit);
  }
  listDeliveries(query: DeliveryQuery) {
    return this.deliveries.listDeliveries(query);
  }
  countDeliveries() {
    return this.deliveries.countDeliveries();
  }
  connectorCursor(site: string) {
    return this.deliveries.connectorCursor(site);
  }
  setConnectorCursor(site: string, seq: number) {
    return this.deliveries.setConnectorCursor(site, seq);
  }
}
