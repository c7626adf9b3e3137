import type { Refusal } from '../../../sync-server/protocol';
import type { PendingTicket, SeatReplica } from './replica';

/**
 * The push side of the sync client: the outbox goes out in batches (by ticket count and bytes),
 * a few batches in flight, each ticket in one batch at a time; an ack acknowledges the heads a
 * ticket was pushed at. Refused tickets wait for a reset (the client fetches the server's
 * version); `missing_deps` makes the next push of that ticket carry its whole history.
 */
export interface PushIo {
  send(message: Record<string, unknown>): void;
  online(): boolean;
  /** Identifies the current connection: a batch is not sent on a connection that changed meanwhile. */
  connection(): unknown;
}

export interface PushLimits {
  maxTicketsPerPush?: number;
  maxBytesPerPush?: number;
  window?: number;
}

interface Batch {
  tickets: string[];
  /** Outbox tickets and the heads they were pushed at (repairs have none). */
  heads: Map<string, readonly string[]>;
}

export class OutboxPusher {
  private readonly inflight = new Map<number, Batch>();
  private readonly inflightTickets = new Set<string>();
  private readonly repairs = new Map<string, Uint8Array[]>();
  readonly resets = new Set<string>();
  private readonly fullHistory = new Set<string>();
  private batchId = 0;
  private pushing = false;
  private again = false;

  constructor(
    private readonly replica: SeatReplica,
    private readonly limits: PushLimits,
    private readonly io: PushIo,
  ) {}

  get busy(): boolean {
    return this.inflight.size > 0;
  }

  /** The connection is gone: batches in flight will never be acked (the outbox still has them). */
  clear(): void {
    this.inflight.clear();
    this.inflightTickets.clear();
  }

  /** Changes for the server outside the outbox (anti-entropy found the server lacks them). */
  repair(id: string, changes: Uint8Array[]): void {
    this.repairs.set(id, [...(this.repairs.get(id) ?? []), ...changes]);
  }

  release(batchId: number): Batch | undefined {
    const b = this.inflight.get(batchId);
    this.inflight.delete(batchId);
    for (const id of b?.tickets ?? []) this.inflightTickets.delete(id);
    return b;
  }

  /** Applies an ack; returns true when some tickets now wait for a reset. */
  async onAck(batchId: number, accepted: { id: string; hashes: string[] }[], refused: Refusal[]): Promise<boolean> {
    const batch = this.release(batchId);
    const refusedIds = new Set(refused.map((r) => r.ticketId));
    for (const a of accepted) {
      const heads = batch?.heads.get(a.id);
      if (heads && !refusedIds.has(a.id)) await this.replica.acknowledge(a.id, heads);
    }
    let reset = false;
    for (const r of refused) {
      if (r.code === 'missing_deps') this.fullHistory.add(r.ticketId);
      else {
        this.resets.add(r.ticketId);
        reset = true;
      }
    }
    return reset;
  }

  async loop(): Promise<void> {
    if (this.pushing) {
      this.again = true;
      return;
    }
    this.pushing = true;
    try {
      do {
        this.again = false;
        while (this.io.online() && this.inflight.size < (this.limits.window ?? 4)) {
          const conn = this.io.connection();
          const batch = await this.nextBatch();
          if (batch.length === 0 || conn !== this.io.connection()) break;
          const id = ++this.batchId;
          this.inflight.set(id, { tickets: batch.map((p) => p.ticketId), heads: new Map(batch.filter((p) => p.heads.length > 0).map((p) => [p.ticketId, p.heads])) });
          for (const p of batch) this.inflightTickets.add(p.ticketId);
          this.io.send({ t: 'push', batchId: id, tickets: batch.map((p) => ({ id: p.ticketId, changes: p.changes })) });
        }
      } while (this.again);
    } finally {
      this.pushing = false;
    }
  }

  private async nextBatch(): Promise<PendingTicket[]> {
    const max = this.limits.maxTicketsPerPush ?? 500;
    const maxBytes = this.limits.maxBytesPerPush ?? 4 * 1024 * 1024;
    const out: PendingTicket[] = [];
    const ids = new Set<string>();
    let bytes = 0;
    const add = (p: PendingTicket) => {
      const b = p.changes.reduce((n, c) => n + c.byteLength, 0);
      if (out.length >= max || (out.length > 0 && bytes + b > maxBytes)) return false;
      out.push(p);
      ids.add(p.ticketId);
      bytes += b;
      return true;
    };
    for (const [id, changes] of this.repairs) {
      if (this.inflightTickets.has(id) || !add({ ticketId: id, heads: [], changes })) continue;
      this.repairs.delete(id);
    }
    const pending = await this.replica.pendingChanges({ limit: max + this.inflightTickets.size + this.resets.size });
    for (const p of pending) {
      if (this.inflightTickets.has(p.ticketId) || this.resets.has(p.ticketId) || ids.has(p.ticketId)) continue;
      const full = this.fullHistory.delete(p.ticketId) ? await this.replica.changesSince(p.ticketId, []) : null;
      if (!add(full ? { ...p, changes: full } : p)) break;
    }
    return out;
  }
}
