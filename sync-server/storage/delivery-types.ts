/**
 * Connector deliveries as the server keeps them (sync-server/connectors): one record per ticket
 * outbox entry, keyed by its idempotency key, so an entry seen twice (several seats wrote it, the
 * log was rescanned after a crash) is delivered once. Every change is a compare-and-set on
 * `version`, so two workers (or a worker and an admin's retry) never both win.
 */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface DeliveryRecord {
  /** The idempotency key: `d` + 32 hex of SHA-256(ticket id, outbox key). */
  id: string;
  ticket: string;
  site: string;
  /** The ticket number, for people. */
  no: string;
  /** The outbox entry's key in the ticket document. */
  key: string;
  /** The outbox entry's channel: sms, wecom, email, webhook or push. */
  channel: string;
  /** The connector (from the connectors file) that delivers it, or null when none is configured. */
  connector: string | null;
  /** A person id (notifications) or the connector name (pushes). */
  to: string;
  /** The values templates may use, fixed when the entry was first seen (retries send the same). */
  vars: Record<string, unknown>;
  /** The ticket's heads when the entry was first seen: delivery status is written on that view if the ticket closed since. */
  seenHeads: string[];
  state: DeliveryState;
  /** For dead deliveries: `failed` (the receiver refused, or retries ran out) or `unknown` (it may have been sent). */
  outcome: 'failed' | 'unknown' | null;
  attempts: number;
  /** Epoch ms of the next attempt (queued). */
  nextAt: number;
  /** The instance that holds a sending delivery, and until when (epoch ms). */
  owner: string | null;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  /** True while the ticket document does not yet show the delivery's status. */
  reportPending: boolean;
  /** Why the status could not be written to the ticket, if it could not. */
  reportError: string | null;
  version: number;
}

export interface DeliveryQuery {
  state?: DeliveryState;
  reportPending?: boolean;
  ticket?: string;
  limit: number;
}

export interface DeliveryStorage {
  /** Adds the deliveries whose ids are new and returns those ids; existing deliveries are left as they are. */
  addDeliveries(records: readonly DeliveryRecord[]): Promise<string[]>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  /** Writes `next` (version `expect + 1`) if the stored version is still `expect`; false when someone changed it first. */
  putDelivery(next: DeliveryRecord, expect: number): Promise<boolean>;
  /**
   * Takes up to `limit` queued deliveries due at `now`, atomically: each becomes `sending` by
   * `owner` until `now + leaseMs`, with one more attempt, durably, before it is returned.
   */
  claimDeliveries(owner: string, now: number, leaseMs: number, limit: number): Promise<DeliveryRecord[]>;
  /** Deliveries matching the query, most recently updated first. */
  listDeliveries(query: DeliveryQuery): Promise<DeliveryRecord[]>;
  /** How many deliveries are in each state. */
  countDeliveries(): Promise<Record<DeliveryState, number>>;
  /** The last log sequence of `site` whose outbox entries have been taken in (0 at first). */
  connectorCursor(site: string): Promise<number>;
  setConnectorCursor(site: string, seq: number): Promise<void>;
}

/** Listing order: most recently updated first, then id. */
export function byUpdatedDesc(a: DeliveryRecord, b: DeliveryRecord): number {
  return b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id);
}
