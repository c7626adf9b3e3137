import * as A from '@automerge/automerge';
import { randomBytes } from 'node:crypto';
import type { Role } from '../../domain';
import type { PushResult, Pusher } from '../engine/push';
import { docFromStored } from '../engine/tickets';
import { plain, viewTicket } from '../protocol';
import type { DeliveryRecord } from '../storage/delivery-types';
import type { SyncStorage } from '../storage/types';

/**
 * Writing delivery status back to the tickets, so every seat sees "SMS sent 22:11": one Automerge
 * change per ticket, by the author `connector`, setting `status` and `statusAt` of its outbox
 * entries (fields the seats' outbox entries already have — no audit entry, no state change, so the
 * workflow policy judges it a plain edit). It is committed through the push pipeline like any
 * seat's change: logged, fanned out, merged. A ticket closed since the entry was written is
 * edited on the view the connector saw when it took the entry in (the policy judges a change on
 * its author's view, as for a seat that worked offline), so a late "sent" still reaches it.
 */
export const CONNECTOR_USER = 'connector';

/** The connector as the pipeline's pusher. */
export function connectorPusher(site: string, user = CONNECTOR_USER): Pusher {
  // The policy types a pusher's role as a sign-in role; the connector acts as the domain's
  // `automation` actor kind (a creator and a plain editor), which is not a sign-in role.
  return { user, role: 'automation' as unknown as Role, sites: [site], seatId: CONNECTOR_USER, seatCode: '', device: CONNECTOR_USER };
}

export type Push = (who: Pusher, tickets: { id: string; changes: Uint8Array[] }[]) => Promise<PushResult>;

const FINAL = new Set(['closed', 'cancelled']);

export function docStatus(d: DeliveryRecord): { status: 'pending' | 'sent' | 'failed' | 'unknown'; at: string | null } {
  if (d.state === 'sent') return { status: 'sent', at: d.sentAt ?? d.updatedAt };
  if (d.state === 'dead') return { status: d.outcome === 'unknown' ? 'unknown' : 'failed', at: d.updatedAt };
  return { status: 'pending', at: null };
}

const randomActor = () => randomBytes(16).toString('hex');

/** The change setting these deliveries' status in the ticket, or null when the document already shows it. */
export function statusChange(doc: A.Doc<unknown>, recs: readonly DeliveryRecord[], at: Date): Uint8Array | null {
  const view = viewTicket(doc);
  if (!view) return null;
  let heads = A.getHeads(doc);
  if (FINAL.has(view.state)) {
    const open = recs.map((r) => r.seenHeads).find((h) => h.length > 0 && A.hasHeads(doc, h) && !FINAL.has(viewTicket(A.view(doc, h))?.state ?? 'closed'));
    if (!open) return null;
    heads = open;
  }
  const base = A.view(doc, heads);
  const outbox = (base as unknown as { outbox?: Record<string, Record<string, unknown>> }).outbox;
  const todo = recs.filter((r) => {
    const e = outbox?.[r.key];
    const want = docStatus(r);
    return e !== undefined && (plain(e.status) !== want.status || plain(e.statusAt) !== want.at);
  });
  if (todo.length === 0) return null;
  const fork = A.clone(base, { actor: randomActor() });
  try {
    const message = JSON.stringify({ by: CONNECTOR_USER, seat: CONNECTOR_USER, action: 'delivery' });
    const next = A.change(fork, { message, time: Math.floor(at.getTime() / 1000) }, (d) => {
      const box = (d as unknown as { outbox: Record<string, Record<string, unknown>> }).outbox;
      for (const r of todo) {
        const want = docStatus(r);
        const e = box[r.key]!;
        e.status = new A.ImmutableString(want.status);
        e.statusAt = want.at === null ? null : new A.ImmutableString(want.at);
      }
    });
    return A.getLastLocalChange(next) ?? null;
  } finally {
    A.free(fork);
  }
}

export class StatusReporter {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly storage: SyncStorage,
    private readonly push: Push,
    private readonly now: () => Date,
    private readonly log: (s: string) => void,
    private readonly batch = 200,
  ) {}

  /** Writes pending statuses; calls made while one runs are folded into one more run. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.once()) === this.batch);
        } while (this.again);
      } catch (e) {
        this.log(`connectors: writing delivery status failed: ${(e as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** One batch; returns how many deliveries it looked at. */
  async once(): Promise<number> {
    const recs = await this.storage.listDeliveries({ reportPending: true, limit: this.batch });
    if (recs.length === 0) return 0;
    const byTicket = new Map<string, DeliveryRecord[]>();
    for (const r of recs) byTicket.set(r.ticket, [...(byTicket.get(r.ticket) ?? []), r]);
    const stored = await this.storage.loadTickets([...byTicket.keys()]);
    const at = this.now();
    const bySite = new Map<string, { id: string; changes: Uint8Array[] }[]>();
    const outcome = new Map<string, string | null>();
    for (const [id, list] of byTicket) {
      const t = stored.get(id);
      if (!t) {
        outcome.set(id, 'the ticket is not on this server');
        continue;
      }
      const doc = docFromStored(t);
      try {
        const change = statusChange(doc, list, at);
        if (!change) outcome.set(id, null);
        else bySite.set(t.site, [...(bySite.get(t.site) ?? []), { id, changes: [change] }]);
      } finally {
        A.free(doc);
      }
    }
    for (const [site, tickets] of bySite) {
      const r = await this.push(connectorPusher(site), tickets);
      for (const a of r.accepted) outcome.set(a.id, null);
      for (const x of r.refused) outcome.set(x.ticketId, `${x.code}: ${x.reason}`);
    }
    const clears: Promise<boolean>[] = [];
    for (const [id, list] of byTicket) {
      const error = outcome.get(id);
      if (error === undefined) continue;
      if (error) this.log(`connectors: the status of ${list.length} deliveries could not be written to ticket ${id}: ${error}`);
      // A delivery changed since it was read keeps reportPending (its version moved on): the next run writes it.
      for (const r of list) clears.push(this.storage.putDelivery({ ...r, reportPending: false, reportError: error }, r.version));
    }
    await Promise.all(clears);
    return recs.length;
  }
}
