import type { Api, CallInput, CallName, CallOutput, EventName, Events } from '../types';

/** Sends one call and resolves with its output; rejects with a ContractError. */
export type Caller = <K extends CallName>(name: K, input: CallInput<K>) => Promise<CallOutput<K>>;
export type Subscriber = <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void;

/**
 * The `Api` over any transport, one named function per call. Listing every call by name (rather
 * than looping over the contract's keys) lets the compiler check that none is missing or misspelt.
 */
export function buildApi(call: Caller, on: Subscriber): Api {
  return {
    'site.info': (input) => call('site.info', input),
    'session.current': (input) => call('session.current', input),
    'session.signIn': (input) => call('session.signIn', input),
    'session.signOut': (input) => call('session.signOut', input),
    'tickets.list': (input) => call('tickets.list', input),
    'tickets.queues': (input) => call('tickets.queues', input),
    'tickets.get': (input) => call('tickets.get', input),
    'tickets.create': (input) => call('tickets.create', input),
    'tickets.transition': (input) => call('tickets.transition', input),
    'tickets.comment': (input) => call('tickets.comment', input),
    'tickets.history': (input) => call('tickets.history', input),
    'tickets.settle': (input) => call('tickets.settle', input),
    'tickets.explain': (input) => call('tickets.explain', input),
    'node.status': (input) => call('node.status', input),
    'node.clock': (input) => call('node.clock', input),
    'rules.banners': (input) => call('rules.banners', input),
    'rules.onDuty': (input) => call('rules.onDuty', input),
    'rulebook.get': (input) => call('rulebook.get', input),
    'rulebook.publish': (input) => call('rulebook.publish', input),
    'rulebook.simulate': (input) => call('rulebook.simulate', input),
    'tickets.related': (input) => call('tickets.related', input),
    'forms.get': (input) => call('forms.get', input),
    'forms.publish': (input) => call('forms.publish', input),
    'metrics.overview': (input) => call('metrics.overview', input),
    'metrics.trends': (input) => call('metrics.trends', input),
    'metrics.stuck': (input) => call('metrics.stuck', input),
    'metrics.tickets': (input) => call('metrics.tickets', input),
    'admin.run': (input) => call('admin.run', input),
    'attachments.add': (input) => call('attachments.add', input),
    'attachments.begin': (input) => call('attachments.begin', input),
    'attachments.chunk': (input) => call('attachments.chunk', input),
    'attachments.finish': (input) => call('attachments.finish', input),
    'attachments.attach': (input) => call('attachments.attach', input),
    'attachments.get': (input) => call('attachments.get', input),
    on,
  };
}
