import WebSocket from 'ws';
import { CLOSE, DEFAULT_MAX_FRAME_BYTES, SYNC_PATH, decodeFrame, encodeFrame, type Refusal, type SiteRecord, type SnapshotTicket, type FeedTicket } from '../../../sync-server/protocol';
import type { SiteDocKind, SiteDocRecord } from '../../../sync-server/storage/site-doc-types';
import { antiEntropy, type AntiEntropyReport } from './anti-entropy';
import { backoffDelay, type BackoffOptions } from './backoff';
import { OutboxPusher, type PushLimits } from './outbox-pusher';
import type { RemoteTicket, SeatReplica } from './replica';
import { Emitter, type SyncStatus } from './status';
import { tlsProblem } from './tls-error';

/**
 * The seat's sync client: connects with its token, catches up (or bootstraps a new seat with
 * progress), pushes the outbox in batches with a few in flight, applies the live feed, leases
 * ticket numbers, runs anti-entropy, and reconnects with exponential backoff and jitter.
 */
export interface SyncClientOptions extends PushLimits {
  /** `http://host:port` of the sync server. */
  url: string;
  token: string;
  replica: SeatReplica;
  backoff?: BackoffOptions;
  /** Anti-entropy period while online (0: only after each catch-up). */
  antiEntropyMs?: number;
  /** false: never run anti-entropy (benchmark thin clients that keep no documents). */
  antiEntropy?: boolean;
  now?: () => Date;
  /** The plant CA (PEM) that issued the server's certificate, for `https://` servers; without it the system's CAs. */
  ca?: string;
}

type Msg = Record<string, unknown> & { t: string };
type ClientEvents = { siteDocs: { site: string; docs: SiteDocRecord[] }; status: SyncStatus; remote: { site: string; ids: string[] }; refused: Refusal[]; sites: SiteRecord[]; antiEntropy: AntiEntropyReport };

const HEARTBEAT_MS = 15_000;
/** Stop reading the socket when this many frames wait to be applied; read again at the lower mark. */
const BACKLOG_PAUSE = 8;
const BACKLOG_RESUME = 2;

export class SyncClient extends Emitter<ClientEvents> {
  private ws: WebSocket | null = null;
  private running = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private aeTimer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private backlog = 0;
  private rid = 0;
  private readonly requests = new Map<number, { resolve: (m: Msg) => void; reject: (e: Error) => void }>();
  private catchingUp = new Set<string>();
  private emittedAt = 0;
  private aeDue = false;
  private unsubscribe: (() => void) | null = null;
  sites: SiteRecord[] = [];
  readonly status: SyncStatus = { online: false, pending: 0, lastSyncAt: null, progress: null, error: null, seatCode: null };

  private readonly pusher: OutboxPusher;

  constructor(private readonly opts: SyncClientOptions) {
    super();
    this.pusher = new OutboxPusher(opts.replica, opts, { send: (m) => this.send(m), online: () => this.status.online, connection: () => this.ws });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.opts.replica.onLocalChange?.(() => this.nudge()) ?? null;
    this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of [this.timer, this.heartbeat, this.aeTimer]) if (t) clearTimeout(t);
    this.unsubscribe?.();
    this.unsubscribe = null;
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) await new Promise<void>((r) => (ws.once('close', () => r()), ws.close(1000, 'seat stopping')));
    await this.chain;
  }

  /** Cuts the connection as a network failure would (tests, chaos); the client reconnects. */
  drop(): void {
    this.ws?.terminate();
  }

  /** Pushes soon: the store calls this after a local edit (or the replica's onLocalChange does). */
  nudge(): void {
    this.update({ pending: this.opts.replica.pendingCount() });
    // In a microtask, not setImmediate: the push leaves as soon as the edit's own code is done,
    // not after whatever I/O the event loop has queued (frames of other seats, IPC).
    if (this.status.online) queueMicrotask(() => void this.pusher.loop());
  }

  lease(site: string, day: string, count: number): Promise<{ from: number; to: number }> {
    return this.request({ t: 'lease', site, day, count }).then((m) => ({ from: m.from as number, to: m.to as number }));
  }

  /** Publishes a version of a site document (the rulebook, forms); resolves when the server keeps it. */
  publishDoc(p: { site: string; kind: SiteDocKind; id: string; body: string; meta: Record<string, unknown>; at: string }): Promise<{ created: boolean }> {
    return this.request({ t: 'publishDoc', ...p }).then((m) => ({ created: m.created === true }));
  }

  /** The site's document versions whose ids are not in `have`. */
  siteDocs(site: string, have: readonly string[]): Promise<SiteDocRecord[]> {
    return this.request({ t: 'siteDocs', site, have }).then((m) => m.docs as SiteDocRecord[]);
  }

  /** Compares digests with the server for every site and repairs what differs. */
  async antiEntropy(): Promise<AntiEntropyReport[]> {
    const out: AntiEntropyReport[] = [];
    for (const s of this.sites) {
      const r = await antiEntropy(this.opts.replica, { request: (m) => this.request(m), repair: (id, ch) => this.pusher.repair(id, ch) }, s.id);
      this.emit('antiEntropy', r);
      out.push(r);
    }
    await this.pusher.loop();
    return out;
  }

  request(message: Record<string, unknown>, timeoutMs = 30_000): Promise<Msg> {
    if (!this.ws || !this.status.online) return Promise.reject(new Error('offline'));
    const rid = ++this.rid;
    return new Promise<Msg>((resolve, reject) => {
      const t = setTimeout(() => (this.requests.delete(rid), reject(new Error(`${String(message.t)} timed out`))), timeoutMs);
      this.requests.set(rid, { resolve: (m) => (clearTimeout(t), resolve(m)), reject: (e) => (clearTimeout(t), reject(e)) });
      this.send({ ...message, rid });
    });
  }

  private update(patch: Partial<SyncStatus>): void {
    this.emittedAt = performance.now();
    Object.assign(this.status, patch);
    this.emit('status', { ...this.status });
  }

  private send(m: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeFrame(m));
  }

  private connect(): void {
    if (!this.running) return;
    const url = new URL(SYNC_PATH, this.opts.url.replace(/^http/, 'ws'));
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.opts.token}` }, maxPayload: DEFAULT_MAX_FRAME_BYTES * 2, perMessageDeflate: false, ...(this.opts.ca ? { ca: this.opts.ca } : {}) });
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      let m: Msg;
      try {
        m = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as Msg;
      } catch {
        return;
      }
      // Frames are applied one at a time; while too many wait, stop reading the socket so that TCP
      // pushes back on the server (its send buffer fills and it drains) instead of decoded frames
      // piling up here (a bootstrap of 50,000 tickets is ~135 MB of frames).
      if (++this.backlog >= BACKLOG_PAUSE && !ws.isPaused) ws.pause();
      this.chain = this.chain
        .then(() => this.handle(m))
        .catch((e: unknown) => this.update({ error: `sync: ${(e as Error).message}` }))
        .finally(() => {
          if (--this.backlog <= BACKLOG_RESUME && ws.isPaused) ws.resume();
        });
    });
    ws.on('unexpected-response', (_req, res) => {
      this.update({ error: res.statusCode === 401 ? 'the seat’s token is not accepted: sign in again' : `the server answered ${res.statusCode}` });
      if (res.statusCode === 401) this.running = false;
      ws.terminate();
    });
    ws.on('error', (e) => {
      const tls = tlsProblem(e);
      if (tls) this.update({ error: tls });
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (this.ws !== ws) return;
    this.ws = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.aeTimer) clearInterval(this.aeTimer);
    for (const r of this.requests.values()) r.reject(new Error('connection lost'));
    this.requests.clear();
    this.pusher.clear();
    this.catchingUp = new Set();
    if (code === CLOSE.unauthenticated || code === CLOSE.revoked) {
      this.running = false;
      this.update({ online: false, progress: null, error: `the server closed the connection: ${reason}` });
      return;
    }
    this.update({ online: false, progress: null });
    if (!this.running) return;
    const delay = backoffDelay(this.attempt++, this.opts.backoff);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private async handle(m: Msg): Promise<void> {
    const re = m.re as number | undefined;
    if (re !== undefined && m.t !== 'snapshots') {
      const r = this.requests.get(re);
      this.requests.delete(re);
      if (m.t === 'error') r?.reject(Object.assign(new Error(String(m.message)), { code: String(m.code) }));
      else r?.resolve(m);
      return;
    }
    switch (m.t) {
      case 'welcome':
        return this.onWelcome(m);
      case 'changes':
        return this.onFeed(m.site as string, (m.tickets as FeedTicket[]).map((t) => ({ id: t.id, changes: t.changes, row: t.row ?? null })), m.seq as number | undefined);
      case 'snapshots':
        return this.onSnapshots(m);
      case 'bootstrapped':
        await this.opts.replica.applyRemote({ site: m.site as string, tickets: [], cursor: m.seq as number });
        this.send({ t: 'since', site: m.site, seq: m.seq });
        return;
      case 'caughtUp':
        await this.opts.replica.applyRemote({ site: m.site as string, tickets: [], cursor: m.seq as number });
        this.catchingUp.delete(m.site as string);
        this.update({ lastSyncAt: this.now(), ...(this.catchingUp.size === 0 ? { progress: null } : {}) });
        if (this.catchingUp.size === 0) this.antiEntropySoon();
        return;
      case 'siteDocs':
        return this.emit('siteDocs', { site: m.site as string, docs: m.docs as SiteDocRecord[] });
      case 'ack':
        return this.onAck(m.batchId as number, m.accepted as { id: string; hashes: string[] }[], m.refused as Refusal[]);
      case 'error':
        if (typeof m.batchId === 'number') this.pusher.release(m.batchId);
        this.update({ error: `${String(m.code)}: ${String(m.message)}` });
        return;
    }
  }

  private now(): string {
    return (this.opts.now?.() ?? new Date()).toISOString();
  }

  private async onWelcome(m: Msg): Promise<void> {
    this.attempt = 0;
    this.sites = m.sites as SiteRecord[];
    this.emit('sites', this.sites);
    this.update({ online: true, error: null, seatCode: (m.seat as { code: string }).code, pending: this.opts.replica.pendingCount() });
    this.heartbeat = setInterval(() => {
      this.request({ t: 'ping' }, 10_000).catch(() => this.ws?.terminate());
      void this.pusher.loop(); // a safety net: the outbox is pushed even if a nudge went missing
    }, HEARTBEAT_MS);
    if (this.opts.antiEntropyMs) this.aeTimer = setInterval(() => this.antiEntropySoon(), this.opts.antiEntropyMs);
    for (const site of this.sites) {
      this.catchingUp.add(site.id);
      const cursor = await this.opts.replica.cursor(site.id);
      if (cursor === null) {
        this.update({ progress: { site: site.id, phase: 'bootstrap', done: 0, total: 0 } });
        this.send({ t: 'bootstrap', site: site.id });
      } else this.send({ t: 'since', site: site.id, seq: cursor });
    }
    this.resetRefused();
    void this.pusher.loop();
  }

  private async onFeed(site: string, tickets: RemoteTicket[], seq?: number): Promise<void> {
    const ids = await this.opts.replica.applyRemote({ site, tickets, ...(seq !== undefined ? { cursor: seq } : {}) });
    // The live feed touches lastSyncAt with every frame: the status object has it at once, its
    // listeners hear of it at most once a second (a busy feed is tens of frames a second).
    this.status.lastSyncAt = this.now();
    if (performance.now() - this.emittedAt >= 1_000) this.update({});
    if (ids.length > 0) this.emit('remote', { site, ids });
  }

  private async onSnapshots(m: Msg): Promise<void> {
    const site = m.site as string;
    const tickets = (m.tickets as SnapshotTicket[]).map((t): RemoteTicket => {
      const replace = this.pusher.resets.delete(t.id);
      return { id: t.id, snapshot: t.snapshot, changes: t.changes, heads: t.heads, row: t.row, ...(replace ? { replace } : {}) };
    });
    await this.onFeed(site, tickets);
    if (m.re === undefined) this.update({ progress: { site, phase: 'bootstrap', done: m.done as number, total: m.total as number } });
    if (tickets.some((t) => t.replace)) this.update({ pending: this.opts.replica.pendingCount() });
  }

  private async onAck(batchId: number, accepted: { id: string; hashes: string[] }[], refused: Refusal[]): Promise<void> {
    if (await this.pusher.onAck(batchId, accepted, refused)) this.resetRefused();
    if (refused.length > 0) this.emit('refused', refused);
    this.update({ pending: this.opts.replica.pendingCount(), lastSyncAt: this.now() });
    if (this.aeDue) this.antiEntropySoon();
    void this.pusher.loop();
  }

  /** Anti-entropy once the outbox is empty (before that, the outbox itself is the difference). */
  private antiEntropySoon(): void {
    if (this.opts.antiEntropy === false) return;
    this.aeDue = this.opts.replica.pendingCount() > 0 || this.pusher.busy;
    if (!this.aeDue) void this.antiEntropy().catch(() => undefined);
  }

  /**
   * The seat takes the server's version of each ticket it was refused on (its refused edits go);
   * a ticket the server does not have at all (a refused creation) is dropped. Retried on reconnect.
   */
  private resetRefused(): void {
    const ids = [...this.pusher.resets];
    if (ids.length === 0 || !this.status.online) return;
    void this.request({ t: 'fetch', tickets: ids.map((id) => ({ id, have: [] })), reset: true })
      .then(async (m) => {
        const missing = (m.missing as string[]).filter((id) => this.pusher.resets.delete(id));
        if (missing.length > 0) await this.opts.replica.applyRemote({ site: this.sites[0]?.id ?? '', tickets: missing.map((id) => ({ id, changes: [], replace: true })) });
        this.nudge();
      })
      .catch(() => undefined);
  }
}
