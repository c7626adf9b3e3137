import type { DeliveryRecord } from '../storage/delivery-types';
import type { SyncStorage } from '../storage/types';
import { backoffMs, type Connector, type Verdict } from './channels';
import type { ConnectorsFile } from './config';

/**
 * The delivery worker. A delivery is claimed (durably `sending`, one more attempt) before its
 * request leaves, and settled after: sent; queued again after a backoff; or dead — `failed` when
 * the receiver refused or the attempts ran out, `unknown` when it may have been sent on a channel
 * that cannot honour the idempotency key. A `sending` delivery found after a crash (its lease run
 * out, or at start for this instance's own) is sent again only where the key makes that safe;
 * anywhere else it goes to the dead-letter list as `unknown` for a person to decide.
 */
export interface WorkerOptions {
  owner: string;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** The storage serves only this process (embedded): every `sending` delivery at start is an orphan. */
  exclusive: boolean;
}

export class DeliveryWorker {
  private running = false;
  private inflight = 0;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly settling = new Set<Promise<void>>();
  private lastRecovery = 0;

  constructor(
    private readonly storage: SyncStorage,
    private readonly connectors: ReadonlyMap<string, Connector>,
    private readonly file: ConnectorsFile,
    private readonly opts: WorkerOptions,
    private readonly now: () => Date,
    private readonly log: (s: string) => void,
    /** Called when a delivery reached a state the ticket should show. */
    private readonly settled: () => void,
  ) {}

  async start(): Promise<void> {
    await this.recover(true);
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    await Promise.all([...this.settling]);
  }

  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (Date.now() - this.lastRecovery > this.opts.leaseMs / 4) await this.recover(false);
        const room = this.opts.concurrency - this.inflight;
        const claimed = room > 0 ? await this.storage.claimDeliveries(this.opts.owner, this.now().getTime(), this.opts.leaseMs, room) : [];
        for (const d of claimed) this.dispatch(d);
        if (claimed.length > 0 && claimed.length === room) continue;
      } catch (e) {
        if (this.running) this.log(`connectors: claiming failed: ${(e as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.opts.pollMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
      // Let the settles that finish together free their room together: one claim for several.
      if (this.running) await new Promise((r) => setTimeout(r, 5));
    }
  }

  private dispatch(d: DeliveryRecord): void {
    this.inflight++;
    const p = this.attempt(d)
      .catch((e: Error) => this.log(`connectors: ${d.id} could not be settled: ${e.message}`))
      .finally(() => {
        this.inflight--;
        this.settling.delete(p);
        this.poke();
      });
    this.settling.add(p);
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    const c = d.connector ? this.connectors.get(d.connector) : undefined;
    let verdict: Verdict;
    if (!c) verdict = { kind: 'failed', error: `connector "${d.connector ?? ''}" is not configured` };
    else {
      const recipient = this.file.recipients?.[d.to] ?? null;
      try {
        verdict = await c.send({ ...d.vars, recipient }, d.id);
      } catch (e) {
        verdict = c.idempotent ? { kind: 'retry', error: (e as Error).message } : { kind: 'unknown', error: (e as Error).message };
      }
    }
    await this.settle(d, verdict, c?.retry.attempts ?? 1, c?.retry ?? { base: 1_000, max: 1_000 });
  }

  private async settle(d: DeliveryRecord, v: Verdict, attempts: number, retry: { base: number; max: number }): Promise<void> {
    const now = this.now();
    const at = now.toISOString();
    const base: DeliveryRecord = { ...d, owner: null, leaseUntil: null, updatedAt: at };
    let next: DeliveryRecord;
    if (v.kind === 'sent') next = { ...base, state: 'sent', outcome: null, sentAt: at, lastError: null, reportPending: true, reportError: null };
    else if (v.kind === 'retry' && d.attempts < attempts) next = { ...base, state: 'queued', nextAt: now.getTime() + backoffMs(d.attempts, retry), lastError: v.error };
    else {
      const error = v.kind === 'retry' ? `${v.error} (gave up after ${d.attempts} attempts)` : v.error;
      next = { ...base, state: 'dead', outcome: v.kind === 'unknown' ? 'unknown' : 'failed', lastError: error, reportPending: true, reportError: null };
    }
    if (!(await this.storage.putDelivery(next, d.version))) {
      this.log(`connectors: ${d.id} changed while it was being sent; its result (${v.kind}) was not recorded`);
      return;
    }
    if (next.reportPending) this.settled();
  }

  /**
   * `sending` deliveries nobody is finishing: at start this instance's own (and on exclusive
   * storage all of them), later those whose lease ran out.
   */
  async recover(atStart: boolean): Promise<number> {
    this.lastRecovery = Date.now();
    const now = this.now();
    let n = 0;
    for (let pass = 0; pass < 100; pass++) {
      const sending = await this.storage.listDeliveries({ state: 'sending', limit: 500 });
      const orphans = sending.filter((d) => (atStart && (this.opts.exclusive || d.owner === this.opts.owner)) || (d.leaseUntil ?? 0) < now.getTime());
      if (orphans.length === 0) return n;
      for (const d of orphans) {
        const c = d.connector ? this.connectors.get(d.connector) : undefined;
        const at = now.toISOString();
        const next: DeliveryRecord = c?.idempotent && d.attempts < c.retry.attempts
          ? { ...d, state: 'queued', owner: null, leaseUntil: null, nextAt: now.getTime(), updatedAt: at, lastError: 'the server stopped while sending; sent again with the same idempotency key' }
          : { ...d, state: 'dead', outcome: 'unknown', owner: null, leaseUntil: null, updatedAt: at, reportPending: true, lastError: 'outcome unknown: the server stopped between sending and recording (this channel cannot honour the idempotency key)' };
        if (await this.storage.putDelivery(next, d.version)) n++;
      }
      if (n > 0) this.settled();
      if (sending.length < 500) return n;
    }
    return n;
  }
}
