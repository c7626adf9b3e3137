import type { CallContext, Session } from '../../contract/ipc';
import type { TicketStore } from '../store';
import { ACCOUNT_META, type SyncAccount } from '../sync/seat-link';
import { BlobClient } from './blob-client';
import { attachmentHandlers } from './handlers';
import { ImageWorker } from '../../../sync-server/blobs/image-worker';
import { SeatBlobs } from './seat-blobs';
import { AttachmentService } from './service';

export { AttachmentService, AttachmentRefused } from './service';
export { ImageWorker, ImageError } from '../../../sync-server/blobs/image-worker';
export { SeatBlobs, sha256 } from './seat-blobs';

/** Tuning of the seat's attachments (LocalNodeOptions.attachments). */
export interface AttachmentOptions {
  /** Largest file accepted (default 15 MB). */
  maxBytes?: number;
  /** How often the upload queue is looked at (default 3 s). */
  flushEveryMs?: number;
  /** The most bytes of attachments the seat keeps (default 2 GB): the least recently opened ones the server has go first. */
  cacheBytes?: number;
}

export interface SeatAttachments {
  service: AttachmentService;
  handlers(deps: { requireSession: (ctx: CallContext) => Session; changed: (ids: string[]) => void }): ReturnType<typeof attachmentHandlers>;
  start(): void;
  close(): Promise<void>;
}

/** The seat's attachments: the blob database, the image worker, the server's blob routes. */
export async function openSeatAttachments(opts: AttachmentOptions & {
  dataDir: string;
  store: TicketStore;
  clock: () => number;
  log: (message: string, error?: unknown) => void;
  online: () => boolean;
  sync?: { server: string; ca?: string | undefined } | undefined;
}): Promise<SeatAttachments> {
  const blobs = await SeatBlobs.open(opts.dataDir);
  const images = new ImageWorker();
  const sync = opts.sync;
  const token = () => {
    const a = opts.store.meta<SyncAccount>(ACCOUNT_META);
    return a && sync && a.server === sync.server ? a.token : null;
  };
  const client = sync ? new BlobClient({ server: sync.server, token, ...(sync.ca ? { ca: sync.ca } : {}) }) : null;
  const service = new AttachmentService({
    blobs, images, client, store: opts.store, clock: opts.clock, log: opts.log,
    online: () => opts.online() && token() !== null,
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    ...(opts.flushEveryMs ? { flushEveryMs: opts.flushEveryMs } : {}),
    ...(opts.cacheBytes ? { cacheBytes: opts.cacheBytes } : {}),
  });
  let closed = false;
  return {
    service,
    handlers: (deps) => attachmentHandlers({ service, clock: opts.clock, ...deps }),
    start: () => service.start(),
    async close() {
      // A node may be closed twice (test harnesses): the second close has nothing to do.
      if (closed) return;
      closed = true;
      await service.stop();
      await images.close();
      await blobs.close();
    },
  };
}
