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
    'tickets.get': (input) => call('tickets.get', input),
    'tickets.create': (input) => call('tickets.create', input),
    'tickets.transition': (input) => call('tickets.transition', input),
    'tickets.comment': (input) => call('tickets.comment', input),
    'tickets.history': (input) => call('tickets.history', input),
    'node.status': (input) => call('node.status', input),
    on,
  };
}
