import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_FRAME_BYTES } from '../../electron/contract/wire';
import { HARD_LIMIT_BYTES, UNATTRIBUTED_ID } from '../../electron/host/ws';
import { completeForm } from './forms';
import { openSocket, startTestHost, type TestHost } from './harness';
import { makeNode } from './nodes';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost(makeNode);
});
afterAll(async () => {
  await t.close();
});

type Err = { ok: false; error: { code: string; field?: string } };

describe('WebSocket contract', () => {
  it('answers a call with its reply and keeps the session per connection', async () => {
    const a = await openSocket(t.host.port);
    const b = await openSocket(t.host.port);
    const site = await a.call('site.info', {});
    expect(site.reply.ok).toBe(true);
    const signedIn = await a.call('session.signIn', { userId: 'zhang.wei' });
    expect(signedIn.reply).toMatchObject({ ok: true, value: { user: { id: 'zhang.wei' } } });
    await b.call('session.signIn', { userId: 'wang.fang' });
    expect((await a.call('session.current', {})).reply).toMatchObject({ ok: true, value: { user: { id: 'zhang.wei' } } });
    expect((await b.call('session.current', {})).reply).toMatchObject({ ok: true, value: { user: { id: 'wang.fang' } } });
    a.ws.close();
    b.ws.close();
  });

  it('answers a bad input with bad_request naming the field', async () => {
    const s = await openSocket(t.host.port);
    const r = await s.call('tickets.get', { id: '' });
    expect(r.reply.ok).toBe(false);
    expect((r.reply as Err).error).toMatchObject({ code: 'bad_request', field: 'id' });
    const unknown = await s.call('tickets.explode', {});
    expect((unknown.reply as Err).error).toMatchObject({ code: 'bad_request', field: 'name' });
    s.ws.close();
  });

  it('answers malformed JSON with a typed error and stays open', async () => {
    const s = await openSocket(t.host.port);
    s.sendRaw('{"t":"call","id":');
    const r = await s.next((f) => f.t === 'reply' && f.id === UNATTRIBUTED_ID);
    expect(r).toMatchObject({ t: 'reply', reply: { ok: false, error: { code: 'bad_request', field: 'frame' } } });
    s.sendRaw('[1,2,3]');
    await s.next((f) => f.t === 'reply' && !f.reply.ok && f.reply.error.field === 'frame' && f !== r);
    s.ws.send(Buffer.from('{"t":"call","id":9,"name":"node.status","input":{}}'), { binary: true });
    const binary = await s.next((f) => f.t === 'reply' && f.id === 9);
    expect(binary).toMatchObject({ reply: { ok: false, error: { code: 'bad_request', field: 'frame' } } });
    expect((await s.call('node.status', {})).reply.ok).toBe(true);
    s.ws.close();
  });

  it('refuses a frame over MAX_FRAME_BYTES with a reply to its id, and cuts off a huge one', async () => {
    const s = await openSocket(t.host.port);
    const big = JSON.stringify({ t: 'call', id: 77, name: 'tickets.list', input: { text: 'x'.repeat(MAX_FRAME_BYTES) } });
    s.sendRaw(big);
    const r = await s.next((f) => f.t === 'reply' && f.id === 77);
    expect(r).toMatchObject({ reply: { ok: false, error: { code: 'bad_request', field: 'frame' } } });
    expect((await s.call('node.status', {})).reply.ok).toBe(true);
    s.sendRaw('x'.repeat(HARD_LIMIT_BYTES + 1));
    expect(await s.closed()).toBe(1009);
  });

  it('broadcasts node events to every connection', async () => {
    const a = await openSocket(t.host.port);
    const b = await openSocket(t.host.port);
    await a.call('session.signIn', { userId: 'wang.fang' });
    const created = await a.call('tickets.create', { form: completeForm() });
    expect(created.reply.ok).toBe(true);
    const id = created.reply.ok ? (created.reply.value as { ticket: { id: string } }).ticket.id : '';
    for (const s of [a, b]) {
      const ev = await s.next((f) => f.t === 'event' && f.name === 'tickets.changed' && (f.payload as { ids: string[] }).ids.includes(id));
      expect(ev.t).toBe('event');
    }
    a.ws.close();
    b.ws.close();
  });

  it('refuses an upgrade from a foreign origin or on another path', async () => {
    const refused = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    expect(await refused(`ws://127.0.0.1:${t.host.port}/ws`, { origin: 'https://evil.example' })).toBe(403);
    expect(await refused(`ws://127.0.0.1:${t.host.port}/other`, {})).toBe(404);
    const own = await openSocket(t.host.port, { origin: `http://127.0.0.1:${t.host.port}` });
    expect((await own.call('node.status', {})).reply.ok).toBe(true);
    own.ws.close();
  });
});
