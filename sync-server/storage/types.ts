import type { Role } from '../../domain';
import type { SiteRecord, SyncRow } from '../protocol';
import type { DeliveryStorage } from './delivery-types';
import type { SiteDocStorage } from './site-doc-types';
import type { BlobStorage } from './blob-types';

/**
 * What the sync server keeps, behind one interface with two implementations: embedded
 * (classic-level, no setup) and PostgreSQL (several server instances on one database). Both run
 * the acceptance suite in `acceptance.ts`.
 */
export interface UserRecord {
  id: string;
  name: string;
  role: Role;
  sites: string[];
  /** `scrypt$N$r$p$salt$hash` (auth/passwords.ts). */
  password: string;
  disabled: boolean;
  createdAt: string;
}

export interface SeatRecord {
  id: string;
  user: string;
  device: string;
  /** Two letters, unique on the server: the offline ticket numbers' seat code. */
  code: string;
  /** SHA-256 (hex) of the seat's token; the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
  lastSeen: string;
  revoked: boolean;
}

/** One accepted change in a site's log. */
export interface LogEntry {
  site: string;
  seq: number;
  ticketId: string;
  hash: string;
  change: Uint8Array;
  /** The seat that pushed it (fan-out skips that seat). */
  seat: string;
  /** The ticket's row after the commit, when the writer knows it (fan-out hint, not stored). */
  row?: SyncRow | null;
}

export interface NewChange {
  hash: string;
  deps: string[];
  bytes: Uint8Array;
}

export interface CommitTicket {
  id: string;
  site: string;
  /** The ticket number (creations only): claimed uniquely per site. */
  no?: string;
  changes: NewChange[];
  row: SyncRow | null;
  /** The heads the writer's document had before these changes. */
  basedOn: string[];
}

export interface AuditLine {
  at: string;
  /** accept, refuse, login, login_failed, auth_failed, frame_rejected, seat_revoked, user_added… */
  kind: string;
  user?: string;
  device?: string;
  seat?: string;
  site?: string;
  ticket?: string;
  hashes?: string[];
  reason?: string;
  detail?: Record<string, unknown>;
  /** The hash chain (audit-chain.ts): set by the storage when the line is stored, never by callers. */
  seal?: string;
}

export interface CommitBatch {
  seat: string;
  tickets: CommitTicket[];
  audit: AuditLine[];
}

export interface CommittedTicket {
  id: string;
  heads: string[];
  /** True when the stored heads held changes the writer's document lacked (another instance). */
  merged: boolean;
}

export interface CommitResult {
  tickets: CommittedTicket[];
  entries: LogEntry[];
}

/** A ticket as stored: snapshot plus the changes appended since (the tail), read consistently. */
export interface StoredTicket {
  id: string;
  site: string;
  no: string;
  snapshot: Uint8Array | null;
  snapSeq: number;
  tail: { seq: number; change: Uint8Array }[];
  heads: string[];
  row: SyncRow | null;
}

export type AdminEvent =
  | { kind: 'seat_revoked'; seat: string }
  | { kind: 'user_disabled'; user: string }
  /** New site document versions (by id): every instance sends them to its own seats of the site. */
  | { kind: 'site_docs'; site: string; ids: string[] };

export interface DirectoryStorage {
  putSite(site: SiteRecord): Promise<void>;
  getSite(id: string): Promise<SiteRecord | null>;
  listSites(): Promise<SiteRecord[]>;
  putUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** The seat of (user, device) that is not revoked, if any. */
  findSeat(user: string, device: string): Promise<SeatRecord | null>;
  /** A new seat with a server-unique two-letter code; throws when all 676 are taken. */
  createSeat(seat: Omit<SeatRecord, 'code'>): Promise<SeatRecord>;
  updateSeat(id: string, patch: Partial<Pick<SeatRecord, 'tokenHash' | 'lastSeen' | 'revoked'>>): Promise<void>;
  getSeat(id: string): Promise<SeatRecord | null>;
  seatByTokenHash(tokenHash: string): Promise<SeatRecord | null>;
  listSeats(): Promise<SeatRecord[]>;
}

export interface TicketStorage {
  /** Atomic and durable before it resolves: log entries (per-site sequence), tails, heads, digests, rows, audit. */
  commit(batch: CommitBatch): Promise<CommitResult>;
  loadTicket(id: string): Promise<StoredTicket | null>;
  /** The stored tickets among `ids` (unknown ids are absent from the map). */
  loadTickets(ids: readonly string[]): Promise<Map<string, StoredTicket>>;
  /** Which of these ticket numbers of the site are held, and by which ticket. */
  ticketIdsByNo(site: string, nos: readonly string[]): Promise<Map<string, string>>;
  readLog(site: string, afterSeq: number, limit: number): Promise<LogEntry[]>;
  lastSeq(site: string): Promise<number>;
  /** A page of a site's tickets ordered by id, each read consistently. */
  readTickets(site: string, afterId: string | null, limit: number): Promise<StoredTicket[]>;
  countTickets(site: string): Promise<number>;
  /** Tickets whose tail has grown past the storage's `compactAfter` changes, or whose row is stale. */
  compactionCandidates(limit: number): Promise<string[]>;
  /** Replaces the snapshot and drops the tail up to `uptoSeq`; ignored if a newer snapshot exists. */
  writeSnapshot(id: string, snapshot: Uint8Array, uptoSeq: number, row: SyncRow | null): Promise<void>;
  /** 256 hex digests (protocol/digest.ts). */
  digest(site: string): Promise<string[]>;
  bucketHeads(site: string, buckets: readonly number[]): Promise<{ id: string; heads: string[] }[]>;
}

export interface LeaseBlock {
  from: number;
  to: number;
  seat: string;
}

export interface LeaseStorage {
  /** The next `count` numbers of (site, day), atomically, recorded as leased to `seat`. */
  lease(site: string, day: string, count: number, seat: string): Promise<{ from: number; to: number }>;
  /** The blocks leased so far for (site, day). */
  leaseBlocks(site: string, day: string): Promise<LeaseBlock[]>;
  /** Makes the next number handed out for (site, day) at least `next` (demo seeding). */
  raiseLeaseFloor(site: string, day: string, next: number): Promise<void>;
}

export interface AuditStorage {
  appendAudit(lines: AuditLine[]): Promise<void>;
  readAudit(afterId: number, limit: number): Promise<{ id: number; line: AuditLine }[]>;
  /** Retention (ops/retention.ts): removes the lines with id ≤ `throughId` once they are archived and anchored; returns how many. */
  pruneAudit(throughId: number): Promise<number>;
}

export interface FeedStorage {
  /** Accepted entries of every site in sequence order per site — from this process and, on PostgreSQL, from the others. */
  onAppend(listener: (entries: LogEntry[]) => void): () => void;
  onAdmin(listener: (event: AdminEvent) => void): () => void;
  publishAdmin(event: AdminEvent): Promise<void>;
}

/**
 * Online backup (ops/backup.ts): every record of the store read from one consistent snapshot, in
 * the storage's own encoding (embedded: raw key/value pairs; PostgreSQL: rows of the cl_ tables),
 * restored by the same implementation with the servers stopped.
 */
export interface BackupStorage {
  backupRecords(): AsyncIterable<Uint8Array[]>;
}

export interface SyncStorage extends DirectoryStorage, TicketStorage, LeaseStorage, AuditStorage, FeedStorage, BackupStorage, DeliveryStorage, SiteDocStorage, BlobStorage {
  readonly kind: 'embedded' | 'postgres';
  close(): Promise<void>;
}

/** Heads after appending `changes` to a ticket whose stored heads are `stored`. */
export function mergeHeads(stored: readonly string[], changes: readonly { hash: string; deps: readonly string[] }[]): string[] {
  const depended = new Set<string>();
  for (const c of changes) for (const d of c.deps) depended.add(d);
  const out = new Set<string>();
  for (const h of stored) if (!depended.has(h)) out.add(h);
  for (const c of changes) if (!depended.has(c.hash)) out.add(c.hash);
  return [...out].sort();
}

export const SEAT_CODES: readonly string[] = Array.from({ length: 26 * 26 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)),
);

export type { DeliveryQuery, DeliveryRecord, DeliveryState, DeliveryStorage } from './delivery-types';
export type { SiteDocKind, SiteDocRecord, SiteDocStorage } from './site-doc-types';
export type { BlobStorage } from './blob-types';

/** The seat a restore leases the numbers to that may have been handed out after the backup was taken. */
export const RESTORED_LEASE_SEAT = 'restored-from-backup';
