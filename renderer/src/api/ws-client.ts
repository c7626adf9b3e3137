import type { CallFrame, ServerFrame } from '../../../electron/contract/wire';
import type { Api, CallInput, CallName, CallOutput, ConnectionState, EventName } from '../types';
import { buildApi, type Caller, type Subscriber } from './build-api';
import { ConnectionError, ContractError } from './errors';

export interface WsClientOptions {
  url: string;
  /** How long a call made while disconnected waits for the connection before it fails. */
  waitMs?: number;
  /** How long a sent call waits for its reply. */
  replyTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** For tests: a WebSocket implementation other than the browser's. */
  WebSocketImpl?: typeof WebSocket;
}

export interface WsClient {
  api: Api;
  state(): ConnectionState;
  onState(listener: (s: ConnectionState) => void): () => void;
  close(): void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Waiting {
  go: () => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The contract over the browser host's WebSocket (`wire.ts` frames). Reconnects with exponential
 * backoff; a call made while disconnected waits up to `waitMs`, then fails with a ConnectionError.
 * The host keeps the session per connection, so after a reconnect the client signs in again as the
 * person who was signed in — the console does not notice the drop.
 */
export function createWsClient(opts: WsClientOptions): WsClient {
  const Impl = opts.WebSocketImpl ?? WebSocket;
  const waitMs = opts.waitMs ?? 4000;
  const replyTimeoutMs = opts.replyTimeoutMs ?? 30_000;
  const initial = opts.backoffInitialMs ?? 250;
  const max = opts.backoffMaxMs ?? 5000;

  let sock: WebSocket | null = null;
  let current: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  let closed = false;
  let signedInAs: string | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, Pending>();
  const waiting: Waiting[] = [];
  // Listeners are stored untyped; `on` pairs each with its event name, so payloads match.
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();

  function setState(s: ConnectionState): void {
    if (s === current) return;
    current = s;
    for (const l of stateListeners) l(s);
  }

  function send<K extends CallName>(ws: WebSocket, name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    return new Promise<CallOutput<K>>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ConnectionError('本机节点没有应答，请稍后重试'));
      }, replyTimeoutMs);
      // The reply frame for this id carries CallOutput<K>; the map stores it untyped.
      pending.set(id, { resolve: (v) => resolve(v as CallOutput<K>), reject, timer });
      const frame: CallFrame = { t: 'call', id, name, input };
      try {
        ws.send(JSON.stringify(frame));
      } catch {
        clearTimeout(timer);
        pending.delete(id);
        reject(new ConnectionError('与本机节点的连接已断开'));
      }
    });
  }

  function remember<K extends CallName>(name: K, input: CallInput<K>, output: CallOutput<K>): void {
    if (name === 'session.signIn') signedInAs = (input as CallInput<'session.signIn'>).userId;
    else if (name === 'session.signOut') signedInAs = null;
    else if (name === 'session.current') signedInAs = (output as CallOutput<'session.current'>)?.user.id ?? null;
  }

  const call: Caller = (name, input) => {
    const run = async () => {
      const ws = sock;
      if (!ws || current !== 'connected') throw new ConnectionError('与本机节点的连接已断开');
      const out = await send(ws, name, input);
      remember(name, input, out);
      return out;
    };
    if (current === 'connected') return run();
    return new Promise((resolve, reject) => {
      const w: Waiting = {
        go: () => { clearTimeout(w.timer); run().then(resolve, reject); },
        timer: setTimeout(() => {
          const i = waiting.indexOf(w);
          if (i >= 0) waiting.splice(i, 1);
          reject(new ConnectionError('无法连接本机节点，请检查它是否在运行，稍后重试'));
        }, waitMs),
      };
      waiting.push(w);
    });
  };

  const on: Subscriber = (event, listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => { set.delete(l); };
  };

  function onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.t === 'reply') {
      const p = pending.get(frame.id);
      if (!p) return;
      pending.delete(frame.id);
      clearTimeout(p.timer);
      if (frame.reply.ok) p.resolve(frame.reply.value);
      else p.reject(new ContractError(frame.reply.error));
    } else if (frame.t === 'event') {
      for (const l of listeners.get(frame.name) ?? []) l(frame.payload);
    }
  }

  async function opened(ws: WebSocket): Promise<void> {
    attempt = 0;
    if (signedInAs) {
      try {
        await send(ws, 'session.signIn', { userId: signedInAs });
      } catch {
        signedInAs = null;
      }
    }
    if (sock !== ws) return;
    setState('connected');
    for (const w of waiting.splice(0)) w.go();
  }

  function dropped(ws: WebSocket): void {
    if (sock !== ws) return;
    sock = null;
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(new ConnectionError('连接中断，操作可能未完成，请刷新后确认'));
    }
    setState('disconnected');
    if (!closed) scheduleReconnect();
  }

  function scheduleReconnect(): void {
    const delay = Math.min(max, initial * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt++;
    reconnectTimer = setTimeout(connect, delay);
  }

  function connect(): void {
    reconnectTimer = null;
    if (closed) return;
    const ws = new Impl(opts.url);
    sock = ws;
    ws.onopen = () => { void opened(ws); };
    ws.onmessage = (ev: MessageEvent) => onFrame(ev.data);
    ws.onclose = () => dropped(ws);
    ws.onerror = () => { /* a close event follows and schedules the reconnect */ };
  }

  connect();

  return {
    api: buildApi(call, on),
    state: () => current,
    onState(listener) {
      stateListeners.add(listener);
      return () => { stateListeners.delete(listener); };
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      sock?.close();
      setState('disconnected');
    },
  };
}
