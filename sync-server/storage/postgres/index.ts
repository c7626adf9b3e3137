import pg from 'pg';
import type { SiteRecord, SyncRow } from '../../protocol';
import { SEAT_CODES, type AdminEvent, type LeaseBlock, type AuditLine, type CommitBatch, type LogEntry, type SeatRecord, type SyncStorage, type UserRecord } from '../types';
import { insertAudit } from './audit';
import { postgresRecords } from './backup';
import { Follower } from './follower';
import { PostgresDeliveries } from './deliveries';
import { PostgresSiteDocs } from './site-docs';
import { PostgresBlobs } from './blobs';
import { migrateAll } from './migrations';
import type { SiteDocKind, SiteDocRecord } from '../site-doc-types';
import type { DeliveryQuery, DeliveryRecord } from '../delivery-types';
import { COMPACT_AFTER } from './schema';
import { commitBatch, loadTicket, loadTickets, readLog, readTickets, siteDigest } from './tickets';

export interface PostgresOptions {
  url: string;
  poolSize?: number;
}

interface SeatRowDb {
  id: string;
  user_id: string;
  device: string;
  code: string;
  token_hash: string;
  created_at: string;
  last_seen: string;
  revoked: boolean;
}
const toSeat = (r: SeatRowDb): SeatRecord => ({
  id: r.id, user: r.user_id, device: r.device, code: r.code, tokenHash: r.token_hash, createdAt: r.created_at, lastSeen: r.last_seen, revoked: r.revoked,
});

/** PostgreSQL storage: several server instances share one database and fan out through LISTEN/NOTIFY. */
export class PostgresStorage implements SyncStorage {
  readonly kind = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly listen: pg.Client,
    private readonly follower: Follower,
  ) {}

  static async open(opts: PostgresOptions): Promise<PostgresStorage> {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 8 });
    pool.on('error', () => undefined); // an idle client lost its connection; the pool replaces it
    await migrateAll(pool);
    const listen = new pg.Client({ connectionString: opts.url });
    listen.on('error', () => undefined);
    await listen.connect();
    const follower = new Follower(pool, listen);
    await follower.start();
    return new PostgresStorage(pool, listen, follower);
  }

  async close(): Promise<void> {
    await this.follower.idle();
    await this.listen.end().catch(() => undefined);
    await this.pool.end();
  }

  // Directory
  async putSite(site: SiteRecord): Promise<void> {
    await this.pool.query('INSERT INTO cl_sites (id, rec) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET rec = EXCLUDED.rec', [site.id, site]);
  }
  async getSite(id: string): Promise<SiteRecord | null> {
    return (await this.pool.query<{ rec: SiteRecord }>('SELECT rec FROM cl_sites WHERE id = $1', [id])).rows[0]?.rec ?? null;
  }
  async listSites(): Promise<SiteRecord[]> {
    return (await this.pool.query<{ rec: SiteRecord }>('SELECT rec FROM cl_sites ORDER BY id')).rows.map((r) => r.rec);
  }
  async putUser(user: UserRecord): Promise<void> {
    await this.pool.query('INSERT INTO cl_users (id, rec) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET rec = EXCLUDED.rec', [user.id, user]);
  }
  async getUser(id: string): Promise<UserRecord | null> {
    return (await this.pool.query<{ rec: UserRecord }>('SELECT rec FROM cl_users WHERE id = $1', [id])).rows[0]?.rec ?? null;
  }
  async listUsers(): Promise<UserRecord[]> {
    return (await this.pool.query<{ rec: UserRecord }>('SELECT rec FROM cl_users ORDER BY id')).rows.map((r) => r.rec);
  }
  async findSeat(user: string, device: string): Promise<SeatRecord | null> {
    const r = await this.pool.query<SeatRowDb>('SELECT * FROM cl_seats WHERE user_id = $1 AND device = $2 AND NOT revoked ORDER BY created_at DESC LIMIT 1', [user, device]);
    return r.rows[0] ? toSeat(r.rows[0]) : null;
  }
  async createSeat(seat: Omit<SeatRecord, 'code'>): Promise<SeatRecord> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const used = new Set((await this.pool.query<{ code: string }>('SELECT code FROM cl_seats')).rows.map((r) => r.code));
      const code = SEAT_CODES.find((c) => !used.has(c));
      if (!code) throw new Error('all 676 seat codes have been used (codes are never reused, so offline ticket numbers stay unique)');
      try {
        await this.pool.query(
          'INSERT INTO cl_seats (id, user_id, device, code, token_hash, created_at, last_seen, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [seat.id, seat.user, seat.device, code, seat.tokenHash, seat.createdAt, seat.lastSeen, seat.revoked],
        );
        return { ...seat, code };
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e; // another instance took the code: try the next one
      }
    }
    throw new Error('could not allocate a seat code');
  }
  async updateSeat(id: string, patch: Partial<Pick<SeatRecord, 'tokenHash' | 'lastSeen' | 'revoked'>>): Promise<void> {
    await this.pool.query(
      'UPDATE cl_seats SET token_hash = COALESCE($2, token_hash), last_seen = COALESCE($3, last_seen), revoked = COALESCE($4, revoked) WHERE id = $1',
      [id, patch.tokenHash ?? null, patch.lastSeen ?? null, patch.revoked ?? null],
    );
  }
  async getSeat(id: string): Promise<SeatRecord | null> {
    const r = await this.pool.query<SeatRowDb>('SELECT * FROM cl_seats WHERE id = $1', [id]);
    return r.rows[0] ? toSeat(r.rows[0]) : null;
  }
  async seatByTokenHash(tokenHash: string): Promise<SeatRecord | null> {
    const r = await this.pool.query<SeatRowDb>('SELECT * FROM cl_seats WHERE token_hash = $1', [tokenHash]);
    return r.rows[0] ? toSeat(r.rows[0]) : null;
  }
  async listSeats(): Promise<SeatRecord[]> {
    return (await this.pool.query<SeatRowDb>('SELECT * FROM cl_seats ORDER BY created_at, id')).rows.map(toSeat);
  }

  // Tickets
  async commit(batch: CommitBatch) {
    const res = await commitBatch(this.pool, batch);
    for (const site of new Set(batch.tickets.map((t) => t.site))) this.follower.poke(site);
    return res;
  }
  loadTicket(id: string) {
    return loadTicket(this.pool, id);
  }
  loadTickets(ids: readonly string[]) {
    return loadTickets(this.pool, ids);
  }
  async ticketIdsByNo(site: string, nos: readonly string[]): Promise<Map<string, string>> {
    const r = await this.pool.query<{ id: string; no: string }>('SELECT id, no FROM cl_tickets WHERE site = $1 AND no = ANY($2)', [site, [...nos]]);
    return new Map(r.rows.map((x) => [x.no, x.id]));
  }
  readLog(site: string, afterSeq: number, limit: number) {
    return readLog(this.pool, site, afterSeq, limit);
  }
  async lastSeq(site: string): Promise<number> {
    return Number((await this.pool.query<{ seq: string }>('SELECT seq FROM cl_site_seq WHERE site = $1', [site])).rows[0]?.seq ?? 0);
  }
  readTickets(site: string, afterId: string | null, limit: number) {
    return readTickets(this.pool, site, afterId, limit);
  }
  async countTickets(site: string): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM cl_tickets WHERE site = $1 AND last_seq > 0', [site])).rows[0]!.n);
  }
  async compactionCandidates(limit: number): Promise<string[]> {
    const r = await this.pool.query<{ id: string }>(`SELECT id FROM cl_tickets WHERE tail >= ${COMPACT_AFTER} OR stale LIMIT $1`, [limit]);
    return r.rows.map((x) => x.id);
  }
  async writeSnapshot(id: string, snapshot: Uint8Array, uptoSeq: number, row: SyncRow | null): Promise<void> {
    await this.pool.query(
      `UPDATE cl_tickets SET snapshot = $2, snap_seq = $3,
         tail = (SELECT count(*) FROM cl_log WHERE ticket = $1 AND seq > $3),
         row = CASE WHEN $4::jsonb IS NOT NULL AND (last_seq <= $3 OR stale) THEN $4::jsonb ELSE row END,
         stale = stale AND last_seq > $3
       WHERE id = $1 AND (snap_seq < $3 OR stale)`,
      [id, Buffer.from(snapshot), uptoSeq, row ? JSON.stringify(row) : null],
    );
  }
  digest(site: string) {
    return siteDigest(this.pool, site);
  }
  async bucketHeads(site: string, buckets: readonly number[]): Promise<{ id: string; heads: string[] }[]> {
    const r = await this.pool.query<{ id: string; heads: string[] }>('SELECT id, heads FROM cl_tickets WHERE site = $1 AND bucket = ANY($2) AND last_seq > 0 ORDER BY id', [site, [...buckets]]);
    return r.rows.map((x) => ({ id: x.id, heads: [...x.heads].sort() }));
  }

  // Leases
  async lease(site: string, day: string, count: number, seat: string): Promise<{ from: number; to: number }> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await c.query<{ next: number }>(
        'INSERT INTO cl_lease (site, day, next) VALUES ($1, $2, 1 + $3) ON CONFLICT (site, day) DO UPDATE SET next = cl_lease.next + $3 RETURNING next',
        [site, day, count],
      );
      const to = r.rows[0]!.next - 1;
      const from = to - count + 1;
      if (to > 99_999) throw new Error(`no numbers left for ${site} on ${day}`);
      await c.query('INSERT INTO cl_lease_block (site, day, from_no, to_no, seat) VALUES ($1, $2, $3, $4, $5)', [site, day, from, to, seat]);
      await c.query('COMMIT');
      return { from, to };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }
  async leaseBlocks(site: string, day: string): Promise<LeaseBlock[]> {
    const r = await this.pool.query<{ from_no: number; to_no: number; seat: string }>('SELECT from_no, to_no, seat FROM cl_lease_block WHERE site = $1 AND day = $2 ORDER BY from_no', [site, day]);
    return r.rows.map((x) => ({ from: x.from_no, to: x.to_no, seat: x.seat }));
  }
  async raiseLeaseFloor(site: string, day: string, next: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO cl_lease (site, day, next) VALUES ($1, $2, $3) ON CONFLICT (site, day) DO UPDATE SET next = GREATEST(cl_lease.next, $3)',
      [site, day, next],
    );
  }

  // Audit
  async appendAudit(lines: AuditLine[]): Promise<void> {
    if (lines.length === 0) return;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await insertAudit(c, lines);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }
  async pruneAudit(throughId: number): Promise<number> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query("SET LOCAL closeloop.prune_audit = 'on'"); // the append-only trigger lets this transaction delete
      const r = await c.query('DELETE FROM cl_audit WHERE id <= $1', [throughId]);
      await c.query('COMMIT');
      return r.rowCount ?? 0;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }
  async readAudit(afterId: number, limit: number): Promise<{ id: number; line: AuditLine }[]> {
    const r = await this.pool.query<{ id: string; line: AuditLine }>('SELECT id, line FROM cl_audit WHERE id > $1 ORDER BY id LIMIT $2', [afterId, limit]);
    return r.rows.map((x) => ({ id: Number(x.id), line: x.line }));
  }

  // Backup
  backupRecords(): AsyncIterable<Uint8Array[]> {
    return postgresRecords(this.pool);
  }

  // Feed
  onAppend(listener: (entries: LogEntry[]) => void): () => void {
    this.follower.listeners.add(listener);
    return () => this.follower.listeners.delete(listener);
  }
  onAdmin(listener: (event: AdminEvent) => void): () => void {
    this.follower.adminListeners.add(listener);
    return () => this.follower.adminListeners.delete(listener);
  }
  async publishAdmin(event: AdminEvent): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', ['closeloop_admin', JSON.stringify(event)]);
  }

  // Attachment blobs: the cl_blobs table, their sites in cl_blob_sites (blobs.ts)
  private blobStore: PostgresBlobs | null = null;
  private get blobs(): PostgresBlobs {
    return (this.blobStore ??= new PostgresBlobs(this.pool));
  }
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

  // Site documents: rulebook and form versions (site-docs.ts)
  private siteDocStore: PostgresSiteDocs | null = null;
  putSiteDoc(doc: SiteDocRecord) {
    return (this.siteDocStore ??= new PostgresSiteDocs(this.pool)).putSiteDoc(doc);
  }
  listSiteDocs(site: string, kind?: SiteDocKind) {
    return (this.siteDocStore ??= new PostgresSiteDocs(this.pool)).listSiteDocs(site, kind);
  }

  // Connector deliveries (deliveries.ts)
  private deliveriesStore: PostgresDeliveries | null = null;
  private get deliveries(): PostgresDeliveries {
    return (this.deliveriesStore ??= new PostgresDeliveries(this.pool));
  }
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
