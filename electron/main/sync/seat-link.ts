import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { hashPassword, verifyPassword } from '../../../sync-server/auth/passwords';
import type { SyncLinkStatus } from '../../contract/ipc';
import type { TicketStore } from '../store';
import { SyncClient, type SyncClientOptions } from './client';
import { LoginError, login } from './login';
import type { SyncStatus } from './status';
import type { SiteDocKind, SiteDocRecord } from '../../../sync-server/storage/site-doc-types';

/** A versioned site document the seat keeps (the rulebook, forms), as the link replicates it. */
export interface SiteDocPort {
  kind: SiteDocKind;
  /** Ids of every version the seat holds. */
  ids(): string[];
  /** Versions from other seats; returns how many were new. */
  absorb(docs: readonly SiteDocRecord[]): Promise<number>;
  /** Versions published here that the server has not confirmed. */
  unsent(): { id: string; body: string; meta: Record<string, unknown>; at: string }[];
  /** The server kept it (or refused it for good). */
  sent(id: string): Promise<void>;
  onPublished(listener: () => void): () => void;
}

/**
 * The local node's link to the sync server: signs the seat in (and, with the network down, lets a
 * person who signed in here before sign in again against a local verifier), keeps the account in
 * the store's meta records so a restart stays connected, runs the sync client over the store, and
 * leases ticket numbers ahead of time while online.
 */
export interface SeatLinkOptions {
  /** `http://host:port` of the sync server. */
  server: string;
  /** The plant CA (PEM) the server's certificate must chain to (https servers). */
  ca?: string;
  store: TicketStore;
  /** Merged tickets from the server: the node tells consoles and the rule runner. */
  remote: (ids: string[]) => void;
  /** The link's status changed (online, progress, error). */
  statusChanged: () => void;
  /** Number blocks the seat should lease now, and where to put a leased block. */
  numbers?: { wanted(now: number): { day: string; count: number }[]; addLease(l: { day: string; from: number; to: number }, now: number): Promise<void> };
  site: string;
  clock: () => number;
  log: (message: string, error?: unknown) => void;
  /** Site documents to replicate (the rulebook, forms). */
  docs?: readonly SiteDocPort[];
  /** Client tuning for tests (backoff, anti-entropy period). */
  client?: Partial<Omit<SyncClientOptions, 'url' | 'token' | 'replica'>>;
}

/** What the seat keeps of its sign-in at the server (the store's meta record `sync.account`). */
export interface SyncAccount {
  server: string;
  user: string;
  token: string;
  seatCode: string;
  /** scrypt verifier of the person's password: offline sign-in on this seat only. */
  verifier: string;
}

export const ACCOUNT_META = 'sync.account';
export const DEVICE_META = 'sync.device';
/** Refill number leases this often while online (and after every create). */
const LEASE_EVERY_MS = 10 * 60_000;

/** The server refused a site document version (not an admin, invalid, not the next form version). */
export class SiteDocRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SiteDocRefused';
  }
}

export type SignInResult = { ok: true; offline: boolean } | { ok: false; reason: 'bad_password' | 'unreachable' | 'refused'; message: string };

export class SeatLink {
  private client: SyncClient | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private leasing: Promise<void> | null = null;
  private lastError: string | null = null;
  private docSync: Promise<void> | null = null;
  private docSyncAgain = false;

  constructor(private readonly opts: SeatLinkOptions) {
    for (const port of opts.docs ?? []) port.onPublished(() => void this.syncDocs());
  }

  /** Starts syncing with the saved account, if any (a restart stays connected). */
  start(): void {
    const account = this.account();
    if (account) this.connect(account);
  }

  get seatCode(): string | null {
    return this.client?.status.seatCode ?? this.account()?.seatCode ?? null;
  }

  /** The device id this data folder signs in as (made once, kept in meta). */
  async device(): Promise<string> {
    const saved = this.opts.store.meta<string>(DEVICE_META);
    if (saved) return saved;
    const id = `${hostname()}-${randomUUID().slice(0, 8)}`;
    await this.opts.store.putMeta(DEVICE_META, id);
    return id;
  }

  /**
   * Signs `user` in at the server and syncs as them from now on. With the server unreachable, a
   * person who signed in on this seat before is let in against the local verifier (offline).
   */
  async signIn(user: string, password: string): Promise<SignInResult> {
    let result;
    try {
      result = await login(this.opts.server, { user, password, device: await this.device() }, this.opts.ca ? { ca: this.opts.ca } : {});
    } catch (e) {
      if (!(e instanceof LoginError)) throw e;
      if (e.status === 401 || e.status === 403) return { ok: false, reason: 'bad_password', message: '用户名或密码错误' };
      if (e.status !== 0) return { ok: false, reason: 'refused', message: `同步服务器拒绝登录：${e.message}` };
      const saved = this.account();
      if (saved?.user === user && (await verifyPassword(saved.verifier, password))) {
        if (!this.client) this.connect(saved);
        return { ok: true, offline: true };
      }
      return { ok: false, reason: 'unreachable', message: `同步服务器无法连接（${e.message}），且本机没有该用户的离线登录凭据` };
    }
    const account: SyncAccount = { server: this.opts.server, user, token: result.token, seatCode: result.seat.code, verifier: await hashPassword(password) };
    await this.opts.store.putMeta(ACCOUNT_META, account);
    await this.disconnect();
    this.connect(account);
    return { ok: true, offline: false };
  }

  /** Stops syncing as the signed-in person and forgets the token (the outbox stays for the next sign-in). */
  async signOut(): Promise<void> {
    await this.disconnect();
    await this.opts.store.putMeta(ACCOUNT_META, undefined);
    this.opts.statusChanged();
  }

  status(): SyncLinkStatus {
    const s: SyncStatus | null = this.client?.status ?? null;
    return {
      server: this.opts.server,
      user: this.account()?.user ?? null,
      online: s?.online ?? false,
      progress: s?.progress ? { phase: s.progress.phase, done: s.progress.done, total: s.progress.total } : null,
      error: s?.error ?? this.lastError,
      seatCode: this.seatCode,
    };
  }

  lastSyncAt(): string | null {
    return this.client?.status.lastSyncAt ?? null;
  }

  /**
   * Publishes a site document version now, online only (form versions must be the server's next
   * number). Throws `SiteDocRefused` when the server refuses it, `Error` when the seat is offline.
   */
  async publishNow(kind: SiteDocKind, v: { id: string; body: string; meta: Record<string, unknown>; at: string }): Promise<void> {
    const client = this.client;
    if (!client?.status.online) throw new Error('offline');
    try {
      await client.publishDoc({ site: this.opts.site, kind, ...v });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code) throw new SiteDocRefused(code, (e as Error).message);
      throw e;
    }
  }

  /** A local create used a number: top the leases up soon. */
  numberUsed(): void {
    if (this.client?.status.online) void this.lease();
  }

  async stop(): Promise<void> {
    await this.disconnect();
  }

  /** The client (tests: drop the connection, wait for anti-entropy). */
  get syncClient(): SyncClient | null {
    return this.client;
  }

  private account(): SyncAccount | null {
    const a = this.opts.store.meta<SyncAccount>(ACCOUNT_META);
    return a && a.server === this.opts.server ? a : null;
  }

  private connect(account: SyncAccount): void {
    const client = new SyncClient({
      url: this.opts.server,
      token: account.token,
      replica: this.opts.store,
      antiEntropyMs: 10 * 60_000,
      now: () => new Date(this.opts.clock()),
      ...(this.opts.ca ? { ca: this.opts.ca } : {}),
      ...this.opts.client,
    });
    let wasOnline = false;
    client.on('status', (s) => {
      if (s.online && !wasOnline) {
        void this.lease();
        void this.syncDocs();
      }
      wasOnline = s.online;
      this.opts.statusChanged();
    });
    client.on('remote', ({ ids }) => this.opts.remote(ids));
    client.on('siteDocs', ({ docs }) => void this.absorb(docs).catch((e: unknown) => this.opts.log('站点文档合并失败', e)));
    client.on('refused', (refusals) => {
      this.opts.log(`同步服务器拒绝了 ${refusals.length} 项更改：${refusals.map((r) => `${r.ticketId} ${r.reason}`).join('；')}`);
    });
    this.client = client;
    this.lastError = null;
    client.start();
    this.leaseTimer = setInterval(() => void this.lease(), LEASE_EVERY_MS);
    this.leaseTimer.unref?.();
  }

  private async disconnect(): Promise<void> {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    const c = this.client;
    this.client = null;
    await this.leasing?.catch(() => undefined);
    await c?.stop();
  }

  /**
   * Brings the site documents level with the server: takes the versions the seat lacks, then sends
   * the ones published here while offline. A refusal (not an admin, a pack the server cannot
   * compile) is final and logged; a lost connection leaves them for the next time online.
   */
  private syncDocs(): Promise<void> {
    if (!this.opts.docs?.length) return Promise.resolve();
    if (this.docSync) {
      this.docSyncAgain = true;
      return this.docSync;
    }
    const run = async () => {
      const client = this.client;
      if (!client?.status.online) return;
      const ports = this.opts.docs!;
      await this.absorb(await client.siteDocs(this.opts.site, ports.flatMap((p) => p.ids())));
      for (const port of ports) {
        for (const v of port.unsent()) {
          try {
            await client.publishDoc({ site: this.opts.site, kind: port.kind, ...v });
          } catch (e) {
            const code = (e as { code?: string }).code;
            if (!code) throw e; // offline or timed out: try again when online
            this.opts.log(`同步服务器拒绝了${port.kind === 'rulebook' ? '规则' : '表单'}版本 ${v.id}：${(e as Error).message}`);
          }
          await port.sent(v.id);
        }
      }
    };
    this.docSync = run()
      .catch((e: unknown) => this.opts.log('站点文档同步失败（联网后重试）', e))
      .finally(() => {
        this.docSync = null;
        if (this.docSyncAgain) {
          this.docSyncAgain = false;
          void this.syncDocs();
        }
      });
    return this.docSync;
  }

  private async absorb(docs: readonly SiteDocRecord[]): Promise<void> {
    for (const port of this.opts.docs ?? []) {
      const mine = docs.filter((d) => d.kind === port.kind && d.site === this.opts.site);
      if (mine.length > 0) await port.absorb(mine);
    }
  }

  /** Leases number blocks for today and tomorrow while they run low (one run at a time). */
  private lease(): Promise<void> {
    const numbers = this.opts.numbers;
    if (!numbers || this.leasing) return this.leasing ?? Promise.resolve();
    const run = async () => {
      for (const want of numbers.wanted(this.opts.clock())) {
        const client = this.client;
        if (!client?.status.online) return;
        const block = await client.lease(this.opts.site, want.day, want.count);
        await numbers.addLease({ day: want.day, ...block }, this.opts.clock());
      }
    };
    this.leasing = run()
      .catch((e: unknown) => this.opts.log('租用工单号失败（离线时使用座席编号）', e))
      .finally(() => {
        this.leasing = null;
      });
    return this.leasing;
  }
}
