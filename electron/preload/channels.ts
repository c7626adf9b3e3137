import type { CallName, EventName } from '../contract/ipc';

/**
 * IPC channel names, shared by main and the preload. Type-only imports from the contract: the
 * sandboxed preload may only require('electron'), so it must not pull zod or domain/ in at
 * runtime. The name lists are literals checked against the contract below.
 */
export const CALL_NAMES = [
  'site.info',
  'session.current',
  'session.signIn',
  'session.signOut',
  'tickets.list',
  'tickets.queues',
  'tickets.get',
  'tickets.create',
  'tickets.transition',
  'tickets.comment',
  'tickets.history',
  'tickets.settle',
  'tickets.explain',
  'node.status',
  'node.clock',
  'rules.banners',
  'rules.onDuty',
  'rulebook.get',
  'rulebook.publish',
  'rulebook.simulate',
  'tickets.related',
  'forms.get',
  'forms.publish',
  'metrics.overview',
  'metrics.trends',
  'metrics.stuck',
  'metrics.tickets',
  'admin.run',
  'attachments.add',
  'attachments.begin',
  'attachments.chunk',
  'attachments.finish',
  'attachments.attach',
  'attachments.get',
] as const satisfies readonly CallName[];

export const EVENT_NAMES = ['tickets.changed', 'node.status', 'rules.banners', 'rules.notify', 'node.clock', 'rulebook.changed', 'rulebook.simulation'] as const satisfies readonly EventName[];

// Every call and every event of the contract is listed (a missing one fails to compile).
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
export const ALL_CALLS_LISTED: Missing<CallName, (typeof CALL_NAMES)[number]> = true;
export const ALL_EVENTS_LISTED: Missing<EventName, (typeof EVENT_NAMES)[number]> = true;

export function callChannel(name: CallName): string {
  return `closeloop:${name}`;
}

export function eventChannel(name: EventName): string {
  return `closeloop:event:${name}`;
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
