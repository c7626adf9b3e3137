import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../sync-server/protocol';
import { login } from '../../electron/main/sync/login';
import { auditLines } from './helpers/admin';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat } from './helpers/seat';

/** An authenticated raw socket: sends `payload` after the welcome and reports what happened. */
async function sendAfterWelcome(url: string, token: string, payload: Uint8Array | string) {
  return new Promise<{ code: number; reason: string; messages: Record<string, unknown>[] }>((resolve) => {
    const ws = new WebSocket(url.replace('http', 'ws') + '/sync', { headers: { authorization: `Bearer ${token}` } });
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (data: Buffer) => {
      const m = decodeFrame(new Uint8Array(data)) as Record<string, unknown>;
      messages.push(m);
      if (m.t === 'welcome') ws.send(payload);
      if (m.t === 'ack') ws.close(1000);
    });
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), messages }));
    ws.on('error', () => undefined);
  });
}

describe('malformed and oversized frames', () => {
  let server: ServerProcess;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ demo: 5, args: ['--max-frame', String(256 * 1024)] });
    token = (await login(server.url, { user: 'zhang.wei', password: 'demo1234', device: 'fuzz' })).token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('closes the connection on a frame that is not one, and keeps serving everyone else', async () => {
    const bad: [string, Uint8Array | string][] = [
      ['garbage', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])],
      ['text', '{"t":"ping"}'],
      ['header past the end', new Uint8Array([0x43, 0xff, 0xff, 0, 0, 0x7b])],
      ['blob out of range', (() => {
        const f = encodeFrame({ t: 'push', batchId: 1, tickets: [{ id: 'x', changes: [new Uint8Array(4)] }] });
        return f.subarray(0, f.length - 2);
      })()],
      ['wrong shape', encodeFrame({ t: 'push', batchId: -1, tickets: [] })],
      ['unknown message', encodeFrame({ t: 'drop-tables' })],
    ];
    for (const [what, payload] of bad) {
      const r = await sendAfterWelcome(server.url, token, payload);
      expect(r.code, what).toBe(4400);
      expect(r.messages.at(-1)).toMatchObject({ t: 'error', code: 'bad_frame' });
    }
    const health = (await (await fetch(server.url + '/healthz')).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const lines = await auditLines(server.data);
    expect(lines.filter((l) => l.kind === 'frame_rejected' && l.device === 'fuzz').length).toBeGreaterThanOrEqual(bad.length);
  });

  it('refuses a change that is not an Automerge change, inside a well-formed push', async () => {
    const r = await sendAfterWelcome(server.url, token, encodeFrame({ t: 'push', batchId: 7, tickets: [{ id: 'not-a-ticket', changes: [new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 1, 0])] }] }));
    expect(r.code).toBe(1000);
    expect(r.messages.find((m) => m.t === 'ack')).toMatchObject({ batchId: 7, accepted: [], refused: [expect.objectContaining({ code: 'malformed' })] });
  });

  it('drops a connection that sends a frame over the limit (1009) and stays up', async () => {
    const r = await sendAfterWelcome(server.url, token, new Uint8Array(300 * 1024));
    expect(r.code).toBe(1009);
    const seat = await TestSeat.signIn(server.url, 'wang.fang');
    seat.start();
    await seat.online();
    expect(seat.replica.ids()).toHaveLength(5);
    await seat.stop();
  });
});
