/**
 * Effects that leave the building (SMS, WeCom, e-mail, webhooks, connector pushes) become outbox
 * entries under deterministic keys, executed once per key by the server's connector workers.
 * Desktop notifications and banners stay on the seat and have no outbox entry.
 */
import type { Evaluation } from '../engine/output';
import type { Channel } from '../pack/types';

export const OUTGOING_CHANNELS: readonly Channel[] = ['sms', 'wecom', 'email', 'webhook'];

export type OutboxEntry =
  | { readonly key: string; readonly kind: 'notify'; readonly rule: string; readonly ticket: string; readonly channel: Channel; readonly to: string }
  | { readonly key: string; readonly kind: 'push'; readonly rule: string; readonly ticket: string; readonly connector: string; readonly payload: string };

export function notificationKey(firing: string, channel: Channel, to: string): string {
  return `${firing}/notify/${channel}/${to}`;
}

export function pushKey(firing: string, connector: string): string {
  return `${firing}/push/${connector}`;
}

/** The outbox entries of one evaluation of ticket `ticket`; keys derive from the firing keys. */
export function outboxEntries(result: Evaluation, ticket: string): OutboxEntry[] {
  const firingOf = new Map(result.firings.map((f) => [f.rule, f.key]));
  const entries: OutboxEntry[] = [];
  for (const n of result.notifications) {
    const firing = firingOf.get(n.rule);
    if (!firing || !OUTGOING_CHANNELS.includes(n.channel)) continue;
    entries.push({ key: notificationKey(firing, n.channel, n.to), kind: 'notify', rule: n.rule, ticket, channel: n.channel, to: n.to });
  }
  for (const p of result.pushes) {
    const firing = firingOf.get(p.rule);
    if (!firing) continue;
    entries.push({ key: pushKey(firing, p.connector), kind: 'push', rule: p.rule, ticket, connector: p.connector, payload: p.payload });
  }
  return entries;
}
