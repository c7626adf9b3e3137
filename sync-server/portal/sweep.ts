import type { SyncStorage } from '../storage/types';

/**
 * How long a photo sent through the portal may wait for its report (or follow-link addition)
 * before it is swept: a day covers a requester who photographs now and reports after a shift.
 * A constant, not a server option: nobody has needed another value yet.
 */
export const PORTAL_PHOTO_GRACE_MS = 24 * 3_600_000;
/** How often the server sweeps (and once at start). */
export const PORTAL_SWEEP_EVERY_MS = 3_600_000;

export interface PhotoSweepDeps {
  storage: Pick<SyncStorage, 'provisionalBlobs' | 'expireBlob' | 'appendAudit'>;
  now: () => Date;
  graceMs?: number;
  everyMs?: number;
  log?: (s: string) => void;
}

/**
 * Deletes portal photos (and their thumbnails, provisional on their own) that no report took
 * within the grace, so an anonymous phone cannot fill the server's disk with photos it never
 * reports. Which blobs may go is the storage's decision (expireBlob: still provisional, old enough,
 * recorded for no other site), checked atomically with any seat storing the same bytes; a blob a
 * seat uploaded or a ticket took is never provisional. Each deletion is audited
 * (`portal_photo_expired`, with its hash).
 */
export class PhotoSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: PhotoSweepDeps) {}

  start(): void {
    void this.runOnce();
    this.timer ??= setInterval(() => void this.runOnce(), this.deps.everyMs ?? PORTAL_SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sweeps once (joins a sweep under way); resolves to how many blobs were deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  private async sweep(): Promise<number> {
    const { storage, now } = this.deps;
    let deleted = 0;
    try {
      const before = new Date(now().getTime() - (this.deps.graceMs ?? PORTAL_PHOTO_GRACE_MS));
      for (const p of await storage.provisionalBlobs(before)) {
        if (!(await storage.expireBlob(p.hash, before))) continue;
        deleted++;
        await storage.appendAudit([{ at: now().toISOString(), kind: 'portal_photo_expired', hashes: [p.hash], detail: { hash: p.hash, sites: p.sites, uploadedAt: p.at.toISOString() } }]);
      }
    } catch (e) {
      this.deps.log?.(`portal photo sweep stopped (${(e as Error).message}); the next one continues`);
    }
    return deleted;
  }
}
