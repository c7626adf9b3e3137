import { z } from 'zod';
import type { SyncRow } from './ticket-view';
import { SITE_DOC_KINDS, type SiteDocRecord } from '../storage/site-doc-types';
import { ADMIN_ARG_NAME, MAX_ADMIN_ARG_CHARS, MAX_ADMIN_ARGS, REMOTE_ADMIN_COMMANDS } from '../admin/remote-commands';

/**
 * The sync feed's messages (docs/sync.md). Every frame is `encodeFrame(message)`; `t` names the
 * message. Requests that expect one answer carry `rid`, echoed as `re` in the answer.
 */
export const PROTOCOL_VERSION = 1;
export const SYNC_PATH = '/sync';
/** Largest frame either side sends by default; the server refuses bigger ones (1009). */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
export const MAX_TICKETS_PER_PUSH = 2_000;
export const MAX_LEASE = 1_000;
/** Largest site document (a rule pack's YAML) accepted, in characters. */
export const MAX_SITE_DOC_CHARS = 4_000_000;

const bytes = z.instanceof(Uint8Array);
export const ticketId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/);
const siteId = z.string().min(1).max(64);
const hash = z.string().regex(/^[0-9a-f]{64}$/);
const heads = z.array(hash).max(1_000);
const rid = z.number().int().nonnegative().optional();

export const clientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), token: z.string().min(1).max(200), version: z.number().int().optional() }),
  z.object({
    t: z.literal('push'),
    batchId: z.number().int().nonnegative(),
    tickets: z.array(z.object({ id: ticketId, changes: z.array(bytes).min(1).max(100_000) })).min(1).max(MAX_TICKETS_PER_PUSH),
  }),
  z.object({ t: z.literal('since'), site: siteId, seq: z.number().int().nonnegative() }),
  z.object({ t: z.literal('bootstrap'), site: siteId }),
  z.object({ t: z.literal('lease'), rid, site: siteId, day: z.string().regex(/^\d{8}$/), count: z.number().int().min(1).max(MAX_LEASE) }),
  z.object({ t: z.literal('digest'), rid, site: siteId }),
  z.object({ t: z.literal('bucket'), rid, site: siteId, buckets: z.array(z.number().int().min(0).max(255)).min(1).max(256) }),
  z.object({ t: z.literal('fetch'), rid, tickets: z.array(z.object({ id: ticketId, have: heads })).min(1).max(MAX_TICKETS_PER_PUSH), reset: z.boolean().optional() }),
  z.object({ t: z.literal('ping'), rid }),
  /** Publishes a version of a site document (only admins); redelivery is harmless. */
  z.object({
    t: z.literal('publishDoc'), rid, site: siteId, kind: z.enum(SITE_DOC_KINDS),
    id: z.string().min(1).max(200).regex(/^[^\u0000-\u001f]+$/), body: z.string().min(1).max(MAX_SITE_DOC_CHARS),
    meta: z.record(z.string(), z.unknown()), at: z.string().datetime({ offset: true }),
  }),
  /** Asks for the site's document versions the seat does not have (by id). */
  z.object({ t: z.literal('siteDocs'), rid, site: siteId, have: z.array(z.string().max(200)).max(100_000) }),
  /** An admin command from the console (sync-server/admin/remote.ts): admins only, whitelisted commands. */
  z.object({
    t: z.literal('admin'), rid, cmd: z.enum(REMOTE_ADMIN_COMMANDS),
    args: z.record(z.string().regex(ADMIN_ARG_NAME), z.string().max(MAX_ADMIN_ARG_CHARS)).refine((a) => Object.keys(a).length <= MAX_ADMIN_ARGS, `at most ${MAX_ADMIN_ARGS} arguments`),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export interface SeatInfo {
  id: string;
  code: string;
  device: string;
}
export interface UserInfo {
  id: string;
  name: string;
  role: string;
  sites: string[];
}
export interface SiteRecord {
  id: string;
  name: string;
  prefix: string;
  timezone: string;
}

/** A ticket in a feed frame: its new changes, and the server's row when it knows it. */
export interface FeedTicket {
  id: string;
  changes: Uint8Array[];
  row?: SyncRow | null;
}
/** A ticket as a whole: snapshot (Automerge.save) plus the changes not yet compacted into it. */
export interface SnapshotTicket {
  id: string;
  snapshot: Uint8Array | null;
  changes: Uint8Array[];
  heads: string[];
  row: SyncRow | null;
}
export interface Refusal {
  ticketId: string;
  hashes: string[];
  code: RefusalCode;
  reason: string;
}
export type RefusalCode = 'malformed' | 'wrong_site' | 'not_allowed' | 'closed' | 'depends_on_refused' | 'missing_deps' | 'number' | 'internal';

export type ServerMessage =
  | { t: 'welcome'; version: number; seat: SeatInfo; user: UserInfo; sites: SiteRecord[]; serverTime: string }
  | { t: 'ack'; batchId: number; accepted: { id: string; hashes: string[] }[]; refused: Refusal[] }
  | { t: 'changes'; site: string; seq?: number; tickets: FeedTicket[] }
  | { t: 'caughtUp'; site: string; seq: number }
  | { t: 'snapshots'; site: string; tickets: SnapshotTicket[]; done: number; total: number; re?: number }
  | { t: 'bootstrapped'; site: string; seq: number }
  | { t: 'leased'; re?: number; site: string; day: string; from: number; to: number }
  | { t: 'digest'; re?: number; site: string; buckets: string[] }
  | { t: 'bucketHeads'; re?: number; site: string; tickets: { id: string; heads: string[] }[] }
  | { t: 'fetched'; re?: number; missing: string[] }
  | { t: 'pong'; re?: number }
  /** Site document versions: the answer to `siteDocs` (with `re`), or a new publication fanned out (without). */
  | { t: 'siteDocs'; re?: number; site: string; docs: SiteDocRecord[] }
  | { t: 'published'; re?: number; id: string; created: boolean }
  /** The answer to an `admin` command: what the admin CLI would print. */
  | { t: 'admin'; re?: number; result: unknown }
  | { t: 'error'; re?: number; code: string; message: string };

/** WebSocket close codes the server uses (4xxx: application). */
export const CLOSE = {
  unauthenticated: 4401,
  revoked: 4403,
  badFrame: 4400,
  authTimeout: 4408,
  shuttingDown: 1001,
  tooLarge: 1009,
} as const;
