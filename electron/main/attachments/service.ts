import { checkAttachment, DEFAULT_MAX_ATTACHMENT_BYTES, sniffContent, type AttachmentRef, type Ticket } from '../../../domain';
import type { TicketStore } from '../store';
import type { BlobClient } from './blob-client';
import { ImageError, type ImageWorker } from '../../../sync-server/blobs/image-worker';
import { sha256, type SeatBlobs } from './seat-blobs';

/**
 * Attachments on the seat: a file is checked (size, type by content), an image is re-encoded
 * without metadata and given a thumbnail (in the image worker), the bytes are stored by hash and
 * kept, and the ticket document gets a reference. Attaching queues the blob for the sync server
 * for the ticket's site (the server serves a blob only to people of the sites it was uploaded for);
 * uploads run whenever the seat is online; another seat fetches a blob the first time someone opens
 * it and keeps it.
 */
export class AttachmentRefused extends Error {
  constructor(
    readonly code: 'too_large' | 'empty' | 'unsupported_type' | 'type_mismatch' | 'bad_image' | 'unavailable' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentRefused';
  }
}

export interface AttachmentServiceOptions {
  blobs: SeatBlobs;
  images: ImageWorker;
  store: TicketStore;
  /** The sync server's blob routes, or null when the node runs alone. */
  client: BlobClient | null;
  online: () => boolean;
  clock: () => number;
  log: (message: string, error?: unknown) => void;
  maxBytes?: number;
  /** How often the upload queue is looked at while nothing else triggers it (default 3 s). */
  flushEveryMs?: number;
  /** The most bytes of attachments the seat keeps (default 2 GB); beyond it, see `SeatBlobs.evict`. */
  cacheBytes?: number;
}

export const DEFAULT_ATTACHMENT_CACHE_BYTES = 2_000_000_000;

export interface Uploader {
  user: string;
  seat: string;
}

export class AttachmentService {
  readonly maxBytes: number;
  private flushing: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private uploaded = 0;
  private adopting: Promise<void> | null = null;
  private trimming: Promise<{ evicted: number; bytes: number }> | null = null;
  private trimmedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: AttachmentServiceOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  }

  start(): void {
    if (!this.opts.client || this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushEveryMs ?? 3_000);
    this.timer.unref();
    this.adopting = this.adoptSiteless().catch((e: unknown) => this.opts.log('附件上传队列的站点未能补全', e));
    this.trimSoon();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.adopting;
    await this.flushing;
    await this.trimming?.catch(() => undefined);
  }

  /**
   * Once per data folder: the upload queue of a version that did not record sites holds siteless
   * entries already on tickets; each is queued for the site of the tickets that have it (one pass
   * over the seat's tickets). Entries on no ticket stay siteless until they are attached.
   */
  private async adoptSiteless(): Promise<void> {
    const MARK = 'queue-sites-v1';
    if (await this.opts.blobs.marked(MARK)) return;
    const waiting = new Set((await this.opts.blobs.queued(100_000)).filter((q) => q.sites.length === 0).map((q) => q.hash));
    const at = new Date(this.opts.clock()).toISOString();
    for (const row of waiting.size > 0 ? [...this.opts.store.rows()] : []) {
      const t = await this.opts.store.read(row.id);
      for (const a of t?.attachments ?? []) {
        for (const h of [a.hash, a.thumb]) if (t && h && waiting.has(h)) await this.opts.blobs.queueFor(h, t.site, at);
      }
    }
    await this.opts.blobs.mark(MARK);
    this.kick();
  }

  /** Checks, cleans and stores a file; the reference is not on any ticket yet (see `attach`). */
  async add(name: string, bytes: Uint8Array, who: Uploader): Promise<{ ref: AttachmentRef; stored: boolean }> {
    const check = checkAttachment(name, bytes, { maxBytes: this.maxBytes });
    if (!check.ok) throw new AttachmentRefused(check.code, check.message);
    const at = new Date(this.opts.clock()).toISOString();
    const upload = { upload: this.opts.client !== null, at };
    let body = bytes;
    let mime = check.type.mime;
    let thumb: string | undefined;
    if (check.type.kind === 'image') {
      try {
        const img = await this.opts.images.process(bytes, mime);
        body = img.bytes;
        mime = img.mime;
        thumb = (await this.opts.blobs.put(img.thumb, 'image/webp', upload)).hash;
      } catch (e) {
        if (e instanceof ImageError) throw new AttachmentRefused('bad_image', `“${check.name}”：${e.message}`);
        throw e;
      }
    }
    const { hash, stored } = await this.opts.blobs.put(body, mime, upload);
    if (stored) this.kick();
    const ref: AttachmentRef = { hash, name: check.name, mime, size: body.length, at, by: who.user, ...(thumb ? { thumb } : {}) };
    return { ref, stored };
  }

  /**
   * Adds stored attachments to a ticket (one change); a hash the ticket already has is skipped.
   * The type, size and thumbnail come from what the seat stored, never from the caller.
   */
  async attach(ticketId: string, refs: readonly { hash: string; name: string; thumb?: string }[], who: Uploader): Promise<Ticket | null> {
    const at = new Date(this.opts.clock()).toISOString();
    const full: AttachmentRef[] = [];
    for (const r of refs) {
      const info = await this.opts.blobs.info(r.hash);
      if (!info) throw new AttachmentRefused('not_found', `本席位没有附件 ${r.hash.slice(0, 12)}…：请重新上传`);
      const thumb = r.thumb && (await this.opts.blobs.has(r.thumb)) ? r.thumb : undefined;
      full.push({ hash: r.hash, name: r.name, mime: info.mime, size: info.size, at, by: who.user, ...(thumb ? { thumb } : {}) });
    }
    const ticket = await this.opts.store.update(ticketId, (current) => {
      const have = new Set((current.attachments ?? []).map((a) => a.hash));
      const fresh = full.filter((r) => !have.has(r.hash) && have.add(r.hash));
      return {
        ticket: fresh.length === 0 ? current : { ...current, updatedAt: at, attachments: [...(current.attachments ?? []), ...fresh] },
        message: { by: who.user, seat: who.seat, action: 'attach' },
        at: this.opts.clock(),
      };
    });
    if (ticket && this.opts.client) {
      for (const r of full) for (const h of [r.hash, r.thumb]) if (h) await this.opts.blobs.queueFor(h, ticket.site, at);
      this.kick();
    }
    return ticket;
  }

  /** The bytes: from the seat, else from the sync server (checked against the hash, then kept). */
  async fetch(hash: string): Promise<{ bytes: Uint8Array; mime: string }> {
    const local = await this.opts.blobs.get(hash);
    if (local) {
      await this.opts.blobs.touch(hash, new Date(this.opts.clock()).toISOString()).catch((e: unknown) => this.opts.log('附件使用时间未能记录', e));
      return { bytes: local, mime: (await this.opts.blobs.info(hash))?.mime ?? 'application/octet-stream' };
    }
    const client = this.opts.client;
    if (!client || !this.opts.online()) throw new AttachmentRefused('unavailable', '附件尚未下载到本席位：请在联网后再打开');
    let bytes: Uint8Array | null;
    try {
      bytes = await client.get(hash);
    } catch (e) {
      throw new AttachmentRefused('unavailable', `附件下载失败：${(e as Error).message}`);
    }
    if (!bytes) throw new AttachmentRefused('not_found', '同步服务器上还没有这个附件（上传它的席位可能尚未联网）');
    if (sha256(bytes) !== hash) throw new AttachmentRefused('unavailable', '下载的附件内容与地址不符，已丢弃');
    const mime = sniffContent(bytes)?.mime ?? 'application/octet-stream';
    await this.opts.blobs.put(bytes, mime, { upload: false, remote: true, at: new Date(this.opts.clock()).toISOString() });
    this.trimSoon();
    return { bytes, mime };
  }

  /** Keeps the seat's blobs within `cacheBytes` (one pass at a time, after the seat stored more). */
  trim(): Promise<{ evicted: number; bytes: number }> {
    this.trimming ??= this.opts.blobs.evict(this.opts.cacheBytes ?? DEFAULT_ATTACHMENT_CACHE_BYTES).finally(() => (this.trimming = null));
    return this.trimming;
  }

  /**
   * A trim reads every blob's record: after a fetch or an upload pass it runs at most once a minute
   * (a gallery of 30 photos opened is one scan, not 30; the cache may run over by a minute's downloads).
   */
  private trimSoon(): void {
    if (performance.now() - this.trimmedAt < 60_000) return;
    this.trimmedAt = performance.now();
    void this.trim().then(
      (r) => r.evicted > 0 && this.opts.log(`附件缓存超出上限：删除了 ${r.evicted} 个较久未用的附件（服务器上仍有，打开时重新下载）`),
      (e: unknown) => this.opts.log('附件缓存清理失败', e),
    );
  }

  /** Uploads what the server lacks; one pass at a time. Resolves with how many were sent this pass. */
  flush(): Promise<number> {
    if (!this.opts.client || !this.opts.online()) return Promise.resolve(0);
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Blobs waiting for the server now (on a ticket, not uploaded for its site yet). */
  pending(): Promise<number> {
    return this.opts.blobs.queued(100_000).then((q) => q.filter((b) => b.sites.length > 0).length);
  }

  /** Uploads done since the node started. */
  uploadedCount(): number {
    return this.uploaded;
  }

  private kick(): void {
    if (this.opts.online()) void this.flush();
  }

  private async drain(): Promise<number> {
    const client = this.opts.client!;
    let sent = 0;
    for (;;) {
      // Siteless entries (staged, on no ticket yet) wait for `attach`.
      const batch = (await this.opts.blobs.queued(100_000)).filter((q) => q.sites.length > 0).slice(0, 50);
      if (batch.length === 0) return sent;
      for (const { hash, sites } of batch) {
        if (!this.opts.online()) return sent;
        const bytes = await this.opts.blobs.get(hash);
        if (!bytes) {
          await this.opts.blobs.sent(hash);
          continue;
        }
        let taken = true;
        for (const site of sites) {
          const r = await client.put(hash, bytes, site);
          if (r.result === 'retry') return sent;
          taken &&= r.result === 'stored';
          if (r.result === 'refused') this.opts.log(`同步服务器拒收附件 ${hash.slice(0, 12)}…（站点 ${site}）：${r.message}`);
          await this.opts.blobs.sent(hash, site);
          if (r.result === 'stored') {
            sent++;
            this.uploaded++;
          }
        }
        if (taken) await this.opts.blobs.onServer(hash);
      }
      if (sent > 0) this.trimSoon();
    }
  }
}
