import type { CallName, EventName, Events, Reply } from './ipc';

/**
 * The browser host's WebSocket frames (JSON text). The same contract as Electron's IPC, so the
 * renderer cannot tell which one it talks to.
 *   client → node: { t: 'call', id, name, input }
 *   node → client: { t: 'reply', id, reply } | { t: 'event', name, payload }
 */
export interface CallFrame {
  t: 'call';
  id: number;
  name: CallName;
  input: unknown;
}
export interface ReplyFrame {
  t: 'reply';
  id: number;
  reply: Reply<CallName>;
}
export interface EventFrame<E extends EventName = EventName> {
  t: 'event';
  name: E;
  payload: Events[E];
}
export type ServerFrame = ReplyFrame | EventFrame;

/** The WebSocket path the host serves the contract on. */
export const WS_PATH = '/ws';
/** Largest frame the host accepts from a browser (bytes). */
export const MAX_FRAME_BYTES = 1_000_000;
