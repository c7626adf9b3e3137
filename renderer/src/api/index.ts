import { WS_PATH } from '../../../electron/contract/wire';
import type { Api, CallInput, CallName, CallOutput, ConnectionState } from '../types';
import { buildApi } from './build-api';
import { toContractError } from './errors';
import { createWsClient, type WsClient } from './ws-client';

export { ConnectionError, ContractError, errorBody, isUnreachable, toContractError } from './errors';

/** Errors crossing Electron's context bridge lose their class; rebuild them as ContractErrors. */
function wrapPreload(raw: Api): Api {
  const call = async <K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> => {
    // raw[name] is the preload's function for call K; TypeScript cannot follow the indexed access.
    const fn = raw[name] as unknown as (input: CallInput<K>) => Promise<CallOutput<K>>;
    try {
      return await fn(input);
    } catch (e) {
      throw toContractError(e);
    }
  };
  return buildApi(
    call,
    (event, listener) => raw.on(event, listener),
  );
}

let api: Api | null = null;
let ws: WsClient | null = null;

function wsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}`;
}

/**
 * The contract, from wherever the console runs: Electron's preload when it exposed
 * `window.closeloop`, otherwise the browser host's WebSocket on the page's own origin.
 */
export function getApi(): Api {
  if (api) return api;
  if (window.closeloop) {
    api = wrapPreload(window.closeloop);
  } else {
    ws = createWsClient({ url: wsUrl() });
    api = ws.api;
  }
  return api;
}

/** The transport's state; Electron's IPC is always connected. */
export function connectionState(): ConnectionState {
  getApi();
  return ws ? ws.state() : 'connected';
}

export function onConnectionChange(listener: (s: ConnectionState) => void): () => void {
  getApi();
  return ws ? ws.onState(listener) : () => {};
}
