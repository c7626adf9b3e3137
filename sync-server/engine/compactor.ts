import * as A from '@automerge/automerge';
import { projectDoc } from '../protocol';
import type { SyncStorage } from '../storage/types';
import { docFromStored } from './tickets';

/**
 * Background compaction: tickets whose tail has grown (or whose row went stale because another
 * instance wrote concurrently) get a fresh `Automerge.save` snapshot and row, so a new seat's
 * bootstrap never saves documents on demand. It reads the ticket from storage (not the LRU), so
 * the snapshot holds exactly the stored changes up to the sequence it records; it never blocks
 * pushes, and yields between tickets.
 */
export class Compactor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly storage: SyncStorage,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Compacts up to `limit` candidates; resolves to how many were compacted. */
  runOnce(limit = 200): Promise<number> {
    this.running ??= this.compact(limit).finally(() => (this.running = null));
    return this.running;
  }

  private async compact(limit: number): Promise<number> {
    let done = 0;
    try {
      for (const id of await this.storage.compactionCandidates(limit)) {
        const t = await this.storage.loadTicket(id);
        if (!t) continue;
        const doc = docFromStored(t);
        try {
          const upto = t.tail.length > 0 ? t.tail[t.tail.length - 1]!.seq : t.snapSeq;
          await this.storage.writeSnapshot(id, A.save(doc), upto, projectDoc(doc));
          done += 1;
        } finally {
          A.free(doc);
        }
        await new Promise((r) => setImmediate(r));
      }
    } catch {
      // storage went away (shutdown); the next round retries
    }
    return done;
  }
}
