import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallFrame, ServerFrame } from '../../../electron/contract/wire';
import { ConnectionError, ContractError } from './errors';
import { createWsClient, type WsClient } from './ws-client';

/** A WebSocket stand-in the test drives: it records frames and opens, answers or drops on demand. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  sent: CallFrame[] = [];
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as CallFrame);
  }
  close(): void {
    this.onclose?.();
  }
  open(): void {
    this.onopen?.();
  }
  push(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const latest = () => FakeSocket.all.at(-1)!;
const flush = () => new Promise((r) => setImmediate(r));

function answer(sock: FakeSocket, frame: CallFrame, value: unknown): void {
  sock.onmessage?.({ data: JSON.stringify({ t: 'reply', id: frame.id, reply: { ok: true, value } }) });
}

describe('the browser host client', () => {
  let client: WsClient;
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    client = createWsClient({
      url: 'ws://127.0.0.1:1/ws', waitMs: 1000, backoffInitialMs: 100, backoffMaxMs: 400,
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  it('sends a call frame once connected and resolves with the reply', async () => {
    const p = client.api['node.status']({});
    latest().open();
    await flush();
    const frame = latest().sent[0]!;
    expect(frame).toMatchObject({ t: 'call', name: 'node.status', input: {} });
    answer(latest(), frame, { ticketCount: 3, outboxPending: 0, online: true, lastSyncAt: null });
    await expect(p).resolves.toMatchObject({ ticketCount: 3 });
  });

  it('rejects a refused call with the contract error body', async () => {
    latest().open();
    await flush();
    const p = client.api['tickets.get']({ id: 'nope' });
    const frame = latest().sent[0]!;
    latest().onmessage?.({ data: JSON.stringify({ t: 'reply', id: frame.id, reply: { ok: false, error: { code: 'not_found', message: '找不到工单' } } }) });
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).body).toEqual({ code: 'not_found', message: '找不到工单' });
  });

  it('fails a call with a ConnectionError when the node stays unreachable', async () => {
    const p = client.api['site.info']({});
    vi.advanceTimersByTime(1001);
    await expect(p).rejects.toBeInstanceOf(ConnectionError);
  });

  it('dispatches events to listeners', async () => {
    latest().open();
    const seen: string[][] = [];
    client.api.on('tickets.changed', ({ ids }) => seen.push(ids));
    latest().push({ t: 'event', name: 'tickets.changed', payload: { ids: ['a', 'b'] } });
    expect(seen).toEqual([['a', 'b']]);
  });

  it('reconnects with backoff and signs in again as the same person before other calls', async () => {
    latest().open();
    await flush();
    const signIn = client.api['session.signIn']({ userId: 'wang.fang' });
    answer(latest(), latest().sent[0]!, { user: { id: 'wang.fang' }, seat: 'AA' });
    await signIn;

    latest().close();
    expect(client.state()).toBe('disconnected');
    const list = client.api['tickets.list']({});
    vi.advanceTimersByTime(200);
    expect(FakeSocket.all).toHaveLength(2);
    const again = latest();
    again.open();
    await flush();
    expect(again.sent.map((f) => f.name)).toEqual(['session.signIn']);
    expect(again.sent[0]!.input).toEqual({ userId: 'wang.fang' });
    answer(again, again.sent[0]!, { user: { id: 'wang.fang' }, seat: 'AA' });
    await flush();
    expect(client.state()).toBe('connected');
    expect(again.sent.map((f) => f.name)).toEqual(['session.signIn', 'tickets.list']);
    answer(again, again.sent[1]!, { rows: [], total: 0 });
    await expect(list).resolves.toEqual({ rows: [], total: 0 });
  });

  it('fails calls that were on their way when the connection drops', async () => {
    latest().open();
    await flush();
    const p = client.api['tickets.history']({ id: 'x' });
    latest().close();
    await expect(p).rejects.toBeInstanceOf(ConnectionError);
  });
});
