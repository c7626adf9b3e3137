import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, CallInput, CallName, CallOutput, EventName, Events, Reply } from '../contract/ipc';
import { CALL_NAMES, callChannel, eventChannel, isEventName } from './channels';

/**
 * The narrow API the console may call: one named function per contract call, plus `on` for the
 * node's events. No generic send. Main answers each call with a `Reply`; a failed one rejects
 * with the plain `ContractErrorBody` (Error objects lose their fields crossing the context bridge).
 */
type Calls = Omit<Api, 'on'>;

function invoke<K extends CallName>(name: K): (input: CallInput<K>) => Promise<CallOutput<K>> {
  return async (input) => {
    // Main's handler for this channel returns Reply<K> (see electron/main/index.ts).
    const reply = (await ipcRenderer.invoke(callChannel(name), input)) as Reply<K>;
    if (reply.ok) return reply.value;
    throw { ...reply.error };
  };
}

function buildCalls(names: readonly CallName[]): Calls {
  const calls: Partial<Record<CallName, unknown>> = {};
  for (const name of names) calls[name] = invoke(name);
  // Every name of the contract is in CALL_NAMES (checked in channels.ts), so the record is complete.
  return calls as Calls;
}

function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  if (!isEventName(event)) throw new Error(`unknown event: ${String(event)}`);
  const channel = eventChannel(event);
  // The IPC event object stays in the preload; the page only sees the payload.
  const forward = (_e: IpcRendererEvent, payload: Events[E]) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const api = { ...buildCalls(CALL_NAMES), on } satisfies Api;

contextBridge.exposeInMainWorld('closeloop', api);
