import { checkAttachment, DEFAULT_MAX_ATTACHMENT_BYTES, sniffContent, type AttachmentRef, type Ticket } from '../../../domain';
import type { TicketStore } from '../store';
import type { BlobClient } from './blob-client';
import { ImageError, type ImageWorker } from '../../../sync-server/blobs/image-worker';
import { sha256, type SeatBlobs } from './seat-blobs';

/**
 * Attachments on the seat: a file is checked (size, type by content), an image is re-encoded
 * without metadata and given a thumbnail (in the image worker), the bytes are stored by hash and
 * queued for the sync server, and the ticket document gets a reference. Uploads run whenever the
 * seat is online; another seat fetches a blob the first time someone opens it and keeps it.
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
}

export interface Uploader {
  user: string;
  seat: string;
}

export class AttachmentService {
  readonly maxBytes: number;
  private flushing: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private uploaded = 0;

  constructor(private readonly opts: AttachmentServiceOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  }

  start(): void {
    if (!this.opts.client || this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushEveryMs ?? 3_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing;
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
    return this.opts.store.update(ticketId, (current) => {
      const have = new Set((current.attachments ?? []).map((a) => a.hash));
      const fresh = full.filter((r) => !have.has(r.hash) && have.add(r.hash));
      return {
        ticket: fresh.length === 0 ? current : { ...current, updatedAt: at, attachments: [...(current.attachments ?? []), ...fresh] },
        message: { by: who.user, seat: who.seat, action: 'attach' },
        at: this.opts.clock(),
      };
    });
  }

  /** The bytes: from the seat, else from the sync server (checked against the hash, then kept). */
  async fetch(hash: string): Promise<{ bytes: Uint8Array; mime: string }> {
    const local = await this.opts.blobs.get(hash);
    if (local) return { bytes: local, mime: (await this.opts.blobs.info(hash))?.mime ?? 'application/octet-stream' };
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
    await this.opts.blobs.put(bytes, mime, { upload: false, at: new Date(this.opts.clock()).toISOString() });
    return { bytes, mime };
  }

  /** Uploads what the server lacks; one pass at a time. Resolves with how many were sent this pass. */
  flush(): Promise<number> {
    if (!this.opts.client || !this.opts.online()) return Promise.resolve(0);
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Blobs waiting for the server now. */
  pending(): Promise<number> {
    return this.opts.blobs.queued().then((q) => q.length);
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
      const batch = await this.opts.blobs.queued(50);
      if (batch.length === 0) return sent;
      let progress = false;
      for (const hash of batch) {
        if (!this.opts.online()) return sent;
        const bytes = await this.opts.blobs.get(hash);
        if (!bytes) {
          await this.opts.blobs.sent(hash);
          continue;
        }
        const r = await client.put(hash, bytes);
        if (r.result === 'retry') return sent;
        if (r.result === 'refused') this.opts.log(`同步服务器拒收附件 ${hash.slice(0, 12)}…：${r.message}`);
        await this.opts.blobs.sent(hash);
        if (r.result === 'stored') {
          sent++;
          this.uploaded++;
        }
        progress = true;
      }
      if (!progress) return sent;
    }
  }
}
