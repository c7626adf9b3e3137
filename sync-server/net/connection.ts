import type { RawData, WebSocket } from 'ws';
import { clientMessage, decodeFrame, encodeFrame, FrameError, type ClientMessage, type ServerMessage } from '../protocol';
import type { Session } from '../auth/sessions';
import type { AuditLine, SyncStorage } from '../storage/types';
import type { PushPipeline } from '../engine/push';
import type { SiteDocs } from '../site-docs/service';
import { remoteAdmin, type RemoteAdmin } from '../admin/remote';
import type { Hub, Subscriber } from './hub';
import { CLOSE } from '../protocol';
import { bootstrap, catchUp, snapshotTicket, type SiteFeedState, type StreamTarget } from './streams';

export interface ConnectionDeps {
  storage: SyncStorage;
  pipeline: PushPipeline;
  hub: Hub;
  now: () => Date;
  /** The rulebook and form versions (sync-server/site-docs); without it those requests are refused. */
  siteDocs?: SiteDocs;
  /** Admin commands from admins' consoles (sync-server/admin/remote.ts); without it they are refused. */
  admin?: RemoteAdmin;
}

const HIGH_WATER = 8 * 1024 * 1024;

export function rawBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) {
    const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
    let at = 0;
    for (const b of data) {
      out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
      at += b.byteLength;
    }
    return out;
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** One authenticated seat on one WebSocket: its requests, its catch-up, its share of the fan-out. */
export class SeatConnection implements Subscriber, StreamTarget {
  readonly seatId: string;
  readonly sites: ReadonlySet<string>;
  private readonly feeds = new Map<string, SiteFeedState>();
  private chain: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    private readonly ws: WebSocket,
    readonly session: Session,
    private readonly deps: ConnectionDeps,
  ) {
    this.seatId = session.seat.id;
    this.sites = new Set(session.user.sites);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', (e) => {
      this.audit({ kind: 'frame_rejected', reason: e.message });
      this.dispose();
    });
    deps.hub.add(this);
  }

  private dispose(): void {
    this.closed = true;
    this.deps.hub.remove(this);
  }

  close(code: number, reason: string): void {
    this.dispose();
    this.ws.close(code, reason);
  }

  send(message: ServerMessage | Record<string, unknown>): void {
    if (!this.closed) this.ws.send(encodeFrame(message));
  }

  async drain(): Promise<void> {
    while (!this.closed && this.ws.bufferedAmount > HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
  }

  deliver(site: string, frame: Uint8Array, seq: number): void {
    const st = this.feeds.get(site);
    if (!st) return;
    if (st.live) {
      if (seq > st.lastSent) st.lastSent = seq;
      if (!this.closed) this.ws.send(frame);
    } else if (seq > st.maxSeen) st.maxSeen = seq;
  }

  private audit(line: Omit<AuditLine, 'at' | 'user' | 'device' | 'seat'>): void {
    const { seat, user } = this.session;
    void this.deps.storage.appendAudit([{ at: this.deps.now().toISOString(), user: user.id, device: seat.device, seat: seat.id, ...line }]).catch(() => undefined);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let msg: ClientMessage;
    try {
      if (!isBinary) throw new FrameError('text frames are not part of the protocol');
      const parsed = clientMessage.safeParse(decodeFrame(rawBytes(data)));
      if (!parsed.success) throw new FrameError(`bad message: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
      msg = parsed.data;
    } catch (e) {
      const reason = e instanceof FrameError ? e.message : 'unreadable frame';
      this.audit({ kind: 'frame_rejected', reason });
      this.send({ t: 'error', code: 'bad_frame', message: reason });
      this.close(CLOSE.badFrame, reason.slice(0, 120));
      return;
    }
    // Requests are handled in order; long streams (catch-up, bootstrap) run beside them.
    this.chain = this.chain.then(() => this.handle(msg)).catch((e: unknown) => {
      this.send({ t: 'error', code: 'internal', message: (e as Error).message ?? 'internal error' });
    });
  }

  private siteAllowed(site: string, what: string, rid?: number): boolean {
    if (this.sites.has(site)) return true;
    this.audit({ kind: 'refuse', site, reason: `${what} for a site the user does not work for` });
    this.send({ t: 'error', code: 'wrong_site', message: `${this.session.user.id} does not work for site ${site}`, ...(rid !== undefined ? { re: rid } : {}) });
    return false;
  }

  private feed(site: string): SiteFeedState {
    let st = this.feeds.get(site);
    if (!st) {
      st = { live: false, lastSent: 0, maxSeen: 0, generation: 0 };
      this.feeds.set(site, st);
    }
    return st;
  }

  private async handle(msg: ClientMessage): Promise<void> {
    const { storage, pipeline } = this.deps;
    switch (msg.t) {
      case 'hello':
        return; // already authenticated: a repeated hello is ignored
      case 'ping':
        return this.send({ t: 'pong', ...(msg.rid !== undefined ? { re: msg.rid } : {}) });
      case 'push': {
        const { seat, user } = this.session;
        try {
          const res = await pipeline.push({ user: user.id, role: user.role, sites: user.sites, seatId: seat.id, seatCode: seat.code, device: seat.device }, msg.tickets);
          return this.send({ t: 'ack', batchId: msg.batchId, accepted: res.accepted, refused: res.refused });
        } catch (e) {
          // Nothing of the batch was written: the seat keeps its outbox and pushes again.
          return this.send({ t: 'error', code: 'push_failed', batchId: msg.batchId, message: (e as Error).message });
        }
      }
      case 'since':
        if (!this.siteAllowed(msg.site, 'catch-up')) return;
        void catchUp(storage, this, msg.site, this.feed(msg.site), msg.seq).catch((e: unknown) => this.send({ t: 'error', code: 'internal', message: String(e) }));
        return;
      case 'bootstrap':
        if (!this.siteAllowed(msg.site, 'bootstrap')) return;
        this.feed(msg.site).live = false;
        void bootstrap(storage, this, msg.site).catch((e: unknown) => this.send({ t: 'error', code: 'internal', message: String(e) }));
        return;
      case 'lease': {
        if (!this.siteAllowed(msg.site, 'lease', msg.rid)) return;
        const block = await storage.lease(msg.site, msg.day, msg.count, this.seatId);
        this.audit({ kind: 'lease', site: msg.site, detail: { day: msg.day, ...block } });
        return this.send({ t: 'leased', re: msg.rid, site: msg.site, day: msg.day, ...block });
      }
      case 'digest':
        if (!this.siteAllowed(msg.site, 'digest', msg.rid)) return;
        return this.send({ t: 'digest', re: msg.rid, site: msg.site, buckets: await storage.digest(msg.site) });
      case 'bucket':
        if (!this.siteAllowed(msg.site, 'bucket heads', msg.rid)) return;
        return this.send({ t: 'bucketHeads', re: msg.rid, site: msg.site, tickets: await storage.bucketHeads(msg.site, msg.buckets) });
      case 'fetch':
        return this.fetch(msg);
      case 'publishDoc':
      case 'siteDocs':
        return this.siteDoc(msg);
      case 'admin':
        return remoteAdmin(this.deps.admin, this.session, msg, (m) => this.send(m));
    }
  }

  /** A site document request (site-docs/service.ts): a publication, or the versions the seat lacks. */
  private async siteDoc(msg: Extract<ClientMessage, { t: 'publishDoc' | 'siteDocs' }>): Promise<void> {
    const docs = this.deps.siteDocs;
    if (!docs) return this.send({ t: 'error', code: 'unsupported', message: 'this server keeps no site documents', re: msg.rid });
    if (msg.t === 'siteDocs') {
      if (!this.siteAllowed(msg.site, 'site documents', msg.rid)) return;
      return this.send({ t: 'siteDocs', re: msg.rid, site: msg.site, docs: await docs.missing(msg.site, msg.have) });
    }
    const { seat, user } = this.session;
    const r = await docs.publish({ user: user.id, role: user.role, sites: user.sites, seat: seat.id, device: seat.device }, msg);
    if (r.ok) return this.send({ t: 'published', re: msg.rid, id: msg.id, created: r.created });
    return this.send({ t: 'error', re: msg.rid, code: r.code, message: r.reason });
  }

  /** Tickets a seat asks for by id: whole (reset, or unknown to it) or the changes after its heads. */
  private async fetch(msg: Extract<ClientMessage, { t: 'fetch' }>): Promise<void> {
    const { storage, pipeline } = this.deps;
    const missing: string[] = [];
    for (const want of msg.tickets) {
      if (msg.reset || want.have.length === 0) {
        const t = await storage.loadTicket(want.id);
        if (t && this.sites.has(t.site)) this.send({ t: 'snapshots', site: t.site, tickets: [snapshotTicket(t)], done: 0, total: 0, re: msg.rid });
        else missing.push(want.id);
        continue;
      }
      const r = await pipeline.docs.changesSince(want.id, want.have);
      if (!r || !this.sites.has(r.site)) missing.push(want.id);
      else if (r.changes.length > 0) this.send({ t: 'changes', site: r.site, tickets: [{ id: want.id, changes: r.changes }] });
      await this.drain();
    }
    // Tickets the server does not have (or the seat may not see): a refused creation, for one.
    this.send({ t: 'fetched', re: msg.rid, missing });
  }
}
