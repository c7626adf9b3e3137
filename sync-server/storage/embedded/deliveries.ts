import type { ClassicLevel } from 'classic-level';
import { Mutex } from '../../util/mutex';
import { DELIVERY_STATES, byUpdatedDesc, type DeliveryQuery, type DeliveryRecord, type DeliveryState, type DeliveryStorage } from '../delivery-types';
import { END, SEP, pad, write, type Op } from './layout';

/**
 * Connector deliveries in the embedded store, in their own sublevels (one synced batch per change):
 *
 *   dl  id → record JSON        dq  nextAt␀id → '' (queued, by due time)     dsend id → ''
 *   drep id → '' (status not yet written to the ticket)                       dcur site → seq
 *
 * One mutex makes every compare-and-set and claim atomic (one process holds the database).
 */
type Db = ClassicLevel<string, Uint8Array>;

export class EmbeddedDeliveries implements DeliveryStorage {
  private readonly mutex = new Mutex();
  private readonly dl;
  private readonly dq;
  private readonly dsend;
  private readonly drep;
  private readonly dcur;

  constructor(private readonly db: Db) {
    this.dl = db.sublevel<string, DeliveryRecord>('dl', { valueEncoding: 'json' });
    this.dq = db.sublevel<string, string>('dq', { valueEncoding: 'utf8' });
    this.dsend = db.sublevel<string, string>('dsend', { valueEncoding: 'utf8' });
    this.drep = db.sublevel<string, string>('drep', { valueEncoding: 'utf8' });
    this.dcur = db.sublevel<string, number>('dcur', { valueEncoding: 'json' });
  }

  /** Waits for writes in flight (before the database closes). */
  idle(): Promise<void> {
    return this.mutex.run(async () => undefined);
  }

  private qKey = (r: DeliveryRecord) => pad(r.nextAt) + SEP + r.id;

  /** The index operations that take `prev` out and put `next` in. */
  private ops(prev: DeliveryRecord | null, next: DeliveryRecord): Op[] {
    const ops: Op[] = [];
    if (prev?.state === 'queued') ops.push({ type: 'del', sublevel: this.dq, key: this.qKey(prev) });
    if (prev?.state === 'sending' && next.state !== 'sending') ops.push({ type: 'del', sublevel: this.dsend, key: prev.id });
    if (prev?.reportPending && !next.reportPending) ops.push({ type: 'del', sublevel: this.drep, key: prev.id });
    ops.push({ type: 'put', sublevel: this.dl, key: next.id, value: next });
    if (next.state === 'queued') ops.push({ type: 'put', sublevel: this.dq, key: this.qKey(next), value: '' });
    if (next.state === 'sending') ops.push({ type: 'put', sublevel: this.dsend, key: next.id, value: '' });
    if (next.reportPending) ops.push({ type: 'put', sublevel: this.drep, key: next.id, value: '' });
    return ops;
  }

  addDeliveries(records: readonly DeliveryRecord[]): Promise<string[]> {
    return this.mutex.run(async () => {
      const fresh = new Map<string, DeliveryRecord>();
      for (const r of records) if (!fresh.has(r.id)) fresh.set(r.id, r);
      const ids = [...fresh.keys()];
      if (ids.length === 0) return [];
      const have = await this.dl.getMany(ids);
      const added = ids.filter((_, i) => have[i] === undefined);
      const ops = added.flatMap((id) => this.ops(null, fresh.get(id)!));
      if (ops.length > 0) await write(this.db, ops);
      return added;
    });
  }

  async getDelivery(id: string): Promise<DeliveryRecord | null> {
    return (await this.dl.get(id)) ?? null;
  }

  /** Compare-and-sets wait here and are written together: one synced batch for all that arrived meanwhile (group commit). */
  private puts: { next: DeliveryRecord; expect: number; done: (ok: boolean) => void; fail: (e: unknown) => void }[] = [];

  putDelivery(next: DeliveryRecord, expect: number): Promise<boolean> {
    return new Promise((done, fail) => {
      this.puts.push({ next, expect, done, fail });
      if (this.puts.length === 1) void this.mutex.run(() => this.writePuts());
    });
  }

  private async writePuts(): Promise<void> {
    const batch = this.puts.splice(0);
    try {
      const ids = [...new Set(batch.map((b) => b.next.id))];
      const have = await this.dl.getMany(ids);
      const current = new Map(ids.map((id, i) => [id, have[i] ?? null]));
      const ops: Op[] = [];
      const results = batch.map((b) => {
        const prev = current.get(b.next.id) ?? null;
        if (!prev || prev.version !== b.expect) return false;
        const rec = { ...b.next, version: b.expect + 1 };
        ops.push(...this.ops(prev, rec));
        current.set(rec.id, rec);
        return true;
      });
      if (ops.length > 0) await write(this.db, ops);
      batch.forEach((b, i) => b.done(results[i]!));
    } catch (e) {
      for (const b of batch) b.fail(e);
    }
  }

  claimDeliveries(owner: string, now: number, leaseMs: number, limit: number): Promise<DeliveryRecord[]> {
    return this.mutex.run(async () => {
      const ids: string[] = [];
      for await (const key of this.dq.keys({ lt: pad(now) + SEP + END, limit })) ids.push(key.slice(key.indexOf(SEP) + 1));
      if (ids.length === 0) return [];
      const recs = (await this.dl.getMany(ids)).filter((r): r is DeliveryRecord => r !== undefined && r.state === 'queued');
      const at = new Date(now).toISOString();
      const claimed = recs.map((r): DeliveryRecord => ({ ...r, state: 'sending', owner, leaseUntil: now + leaseMs, attempts: r.attempts + 1, updatedAt: at, version: r.version + 1 }));
      await write(this.db, claimed.flatMap((c, i) => this.ops(recs[i]!, c)));
      return claimed;
    });
  }

  async listDeliveries(q: DeliveryQuery): Promise<DeliveryRecord[]> {
    const index = q.reportPending ? this.drep : q.state === 'sending' ? this.dsend : q.state === 'queued' ? this.dq : null;
    if (index) {
      const ids: string[] = [];
      for await (const key of index.keys({ lt: END, limit: q.ticket ? -1 : q.limit })) ids.push(index === this.dq ? key.slice(key.indexOf(SEP) + 1) : key);
      const recs = (await this.dl.getMany(ids)).filter((r): r is DeliveryRecord => r !== undefined);
      return recs.filter((r) => (!q.state || r.state === q.state) && (!q.ticket || r.ticket === q.ticket)).sort(byUpdatedDesc).slice(0, q.limit);
    }
    const out: DeliveryRecord[] = [];
    for await (const r of this.dl.values()) if ((!q.state || r.state === q.state) && (!q.ticket || r.ticket === q.ticket) && (q.reportPending === undefined || r.reportPending === q.reportPending)) out.push(r);
    return out.sort(byUpdatedDesc).slice(0, q.limit);
  }

  async countDeliveries(): Promise<Record<DeliveryState, number>> {
    const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
    for await (const r of this.dl.values()) counts[r.state]++;
    return counts;
  }

  async connectorCursor(site: string): Promise<number> {
    return (await this.dcur.get(site)) ?? 0;
  }

  async setConnectorCursor(site: string, seq: number): Promise<void> {
    await this.mutex.run(() => write(this.db, [{ type: 'put', sublevel: this.dcur, key: site, value: seq }]));
  }
}
