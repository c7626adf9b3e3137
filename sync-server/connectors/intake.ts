import * as A from '@automerge/automerge';
import { createHash } from 'node:crypto';
import { plain } from '../protocol';
import type { DeliveryRecord } from '../storage/delivery-types';
import type { SyncStorage } from '../storage/types';
import { docFromStored } from '../engine/tickets';

/**
 * Taking outbox entries in: the connectors follow each site's log with a durable cursor (so a
 * crash only means reading a stretch again), load the tickets whose changes touch an outbox, and
 * add one delivery per pending entry, keyed by the idempotency key — an entry written by several
 * seats, or read twice, is one delivery. Outbox keys are plain strings inside a change, so a
 * change that mentions neither `/notify/` nor `/push/` cannot add an entry and is skipped unread.
 */
export const OUTGOING = ['sms', 'wecom', 'email', 'webhook', 'push'] as const;

/** The idempotency key of an outbox entry: stable, ASCII, the same on every instance. */
export function deliveryId(ticket: string, key: string): string {
  return 'd' + createHash('sha256').update(ticket).update('\n').update(key).digest('hex').slice(0, 32);
}

const NOTIFY = Buffer.from('/notify/');
const PUSH = Buffer.from('/push/');

/** Whether a change may add an outbox entry (compressed changes are always read). */
export function mayTouchOutbox(change: Uint8Array): boolean {
  const b = Buffer.from(change.buffer, change.byteOffset, change.byteLength);
  return b[8] !== 1 || b.includes(NOTIFY) || b.includes(PUSH);
}

export interface OutboxItem {
  key: string;
  rule: string;
  channel: string;
  to: string;
  payload: Record<string, unknown>;
  createdAt: string;
  status: string;
}

type Raw = Record<string, unknown>;

export function outboxItems(doc: A.Doc<unknown>): OutboxItem[] {
  const outbox = (doc as unknown as Raw).outbox;
  if (!outbox || typeof outbox !== 'object') return [];
  const out: OutboxItem[] = [];
  for (const [key, v] of Object.entries(outbox as Raw)) {
    const e = plain(v) as Raw | null;
    if (!e || typeof e !== 'object') continue;
    out.push({
      key, rule: String(e.rule ?? ''), channel: String(e.channel ?? ''), to: String(e.to ?? ''),
      payload: e.payload && typeof e.payload === 'object' ? (e.payload as Record<string, unknown>) : {},
      createdAt: String(e.createdAt ?? ''), status: String(e.status ?? 'pending'),
    });
  }
  return out;
}

const TICKET_FIELDS = ['id', 'no', 'site', 'title', 'description', 'category', 'device', 'location', 'urgency', 'priority', 'state', 'assignee', 'pool', 'tags', 'createdAt', 'requester'] as const;

export function ticketVars(doc: A.Doc<unknown>): Record<string, unknown> {
  const d = doc as unknown as Raw;
  return Object.fromEntries(TICKET_FIELDS.map((f) => [f, plain(d[f]) ?? null]));
}

/** Which connector delivers an entry: pushes name theirs, notifications go by channel. */
export type ConnectorFor = (channel: string, to: string) => string | null;

export function newDelivery(doc: A.Doc<unknown>, item: OutboxItem, connectorFor: ConnectorFor, at: Date): DeliveryRecord {
  const ticket = ticketVars(doc);
  const id = deliveryId(String(ticket.id), item.key);
  const connector = connectorFor(item.channel, item.to);
  const iso = at.toISOString();
  const vars = {
    ticket, payload: item.payload, text: typeof item.payload.text === 'string' ? item.payload.text : '', rule: item.rule, key: item.key,
    idempotency_key: id, channel: item.channel, to: item.to, connector, created_at: item.createdAt,
  };
  return {
    id, ticket: String(ticket.id), site: String(ticket.site), no: String(ticket.no ?? ''), key: item.key, channel: item.channel, connector, to: item.to, vars,
    seenHeads: A.getHeads(doc), state: connector ? 'queued' : 'dead', outcome: connector ? null : 'failed', attempts: 0, nextAt: at.getTime(), owner: null, leaseUntil: null,
    lastError: connector ? null : item.channel === 'push' ? `no connector "${item.to}" in the connectors file` : `no connector for channel ${item.channel} (channels.${item.channel} in the connectors file)`,
    createdAt: iso, updatedAt: iso, sentAt: null, reportPending: !connector, reportError: null, version: 0,
  };
}

export class Intake {
  constructor(
    private readonly storage: SyncStorage,
    private readonly connectorFor: ConnectorFor,
    private readonly now: () => Date,
    private readonly pageSize = 500,
  ) {}

  /** Reads every site's log from the cursor to its end; returns how many deliveries were added. */
  async scan(): Promise<number> {
    let added = 0;
    for (const site of await this.storage.listSites()) added += await this.scanSite(site.id);
    return added;
  }

  async scanSite(site: string): Promise<number> {
    let added = 0;
    let cursor = await this.storage.connectorCursor(site);
    for (;;) {
      const page = await this.storage.readLog(site, cursor, this.pageSize);
      if (page.length === 0) return added;
      const ids = [...new Set(page.filter((e) => mayTouchOutbox(e.change)).map((e) => e.ticketId))];
      if (ids.length > 0) added += await this.takeIn(ids);
      cursor = page[page.length - 1]!.seq;
      await this.storage.setConnectorCursor(site, cursor);
    }
  }

  /** Adds the deliveries of these tickets' pending outbox entries. */
  async takeIn(ids: readonly string[]): Promise<number> {
    const stored = await this.storage.loadTickets(ids);
    const records: DeliveryRecord[] = [];
    const at = this.now();
    for (const t of stored.values()) {
      const doc = docFromStored(t);
      try {
        for (const item of outboxItems(doc)) {
          if (item.status !== 'pending' || !(OUTGOING as readonly string[]).includes(item.channel)) continue;
          records.push(newDelivery(doc, item, this.connectorFor, at));
        }
      } finally {
        A.free(doc);
      }
    }
    if (records.length === 0) return 0;
    const added = new Set(await this.storage.addDeliveries(records));
    // A pending entry of a delivery already done: another seat wrote the entry again concurrently
    // (offline, say) and its copy won the merge, so the document lost the status — write it again.
    for (const r of records) {
      if (added.has(r.id)) continue;
      const d = await this.storage.getDelivery(r.id);
      if (d && (d.state === 'sent' || d.state === 'dead') && !d.reportPending) await this.storage.putDelivery({ ...d, reportPending: true }, d.version);
    }
    return added.size;
  }
}
