import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeForm } from './forms';
import { startTestHost, rawGet, type TestHost } from './harness';
import { makeNode } from './nodes';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost(makeNode);
});
afterAll(async () => {
  await t.close();
});

const json = (user?: string) => ({ ...t.auth, 'content-type': 'application/json', ...(user ? { 'x-closeloop-user': user } : {}) });
const post = (path: string, body: unknown, user?: string) => fetch(t.base + path, { method: 'POST', headers: json(user), body: JSON.stringify(body) });
const get = (path: string) => fetch(t.base + path, { headers: t.auth });
const total = async () => ((await (await get('/api/tickets')).json()) as { total: number }).total;

describe('REST API: authentication', () => {
  it('refuses a request without the bearer token with 401 and says where the token is', async () => {
    const res = await fetch(`${t.base}/api/tickets`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_signed_in');
    expect(body.error.message).toContain(t.host.tokenPath);
  });

  it('refuses a wrong token with 401', async () => {
    const res = await fetch(`${t.base}/api/tickets`, { headers: { authorization: `Bearer ${'0'.repeat(64)}` } });
    expect(res.status).toBe(401);
  });

  it('refuses a request that names another host (DNS rebinding) with 403', async () => {
    const res = await rawGet(t.host.port, '/api/tickets', { ...t.auth, host: 'evil.example:80' });
    expect(res.status).toBe(403);
  });
});

describe('REST API: refusals name the field and write nothing', () => {
  it('answers a form missing a group field with 400 naming it, and stores nothing', async () => {
    const before = await total();
    const form = completeForm({ fault_type: '系统' });
    const res = await post('/api/tickets', { form }, 'wang.fang');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; field?: string; message: string; problems?: { field: string }[] } };
    expect(error.code).toBe('bad_request');
    expect(error.field).toMatch(/server_ip/);
    expect(error.message).toContain('请补充服务器IP以便远程诊断');
    expect(await total()).toBe(before);
  });

  it('requires X-Closeloop-User for writes and refuses an unknown person', async () => {
    const before = await total();
    const none = await post('/api/tickets', { form: completeForm() });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { field: string } }).error.field).toBe('X-Closeloop-User');
    const unknown = await post('/api/tickets', { form: completeForm() }, 'nobody.here');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe('X-Closeloop-User');
    expect(await total()).toBe(before);
  });

  it('answers malformed JSON, a non-JSON body and an oversized body with typed errors', async () => {
    const bad = await fetch(`${t.base}/api/tickets`, { method: 'POST', headers: json('wang.fang'), body: '{"form": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('body');
    const text = await fetch(`${t.base}/api/tickets`, { method: 'POST', headers: { ...t.auth, 'content-type': 'text/plain', 'x-closeloop-user': 'wang.fang' }, body: 'hi' });
    expect(text.status).toBe(415);
    const big = await post('/api/tickets', { form: completeForm({ description: 'x'.repeat(300 * 1024) }) }, 'wang.fang');
    expect(big.status).toBe(413);
  });

  it('names a bad query parameter as the caller spelt it', async () => {
    const limit = await get('/api/tickets?limit=abc');
    expect(limit.status).toBe(400);
    expect(((await limit.json()) as { error: { field: string } }).error.field).toBe('limit');
    const tooMany = await get('/api/tickets?limit=5000');
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { field: string } }).error.field).toBe('limit');
    const state = await get('/api/tickets?state=bogus');
    expect(state.status).toBe(400);
    expect(((await state.json()) as { error: { field: string } }).error.field).toBe('state');
    const unknown = await get('/api/tickets?colour=red');
    expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe('colour');
  });

  it('answers 404 for an unknown ticket, an unknown number and an unknown route', async () => {
    expect((await get('/api/tickets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/tickets/MX20991231-0001')).status).toBe(404);
    expect((await get('/api/nothing')).status).toBe(404);
    const tr = await post('/api/tickets/00000000-0000-4000-8000-000000000000/transition', { action: 'accept' }, 'lin.chief');
    expect(tr.status).toBe(404);
  });
});

describe('REST API: a ticket from screen-pop to work', () => {
  it('creates, lists, gets by uuid and by number, and moves a ticket through dispatch and accept', async () => {
    const created = await post('/api/tickets', { form: completeForm({ title: '5号楼门禁无法刷卡' }) }, 'wang.fang');
    expect(created.status).toBe(201);
    const view = (await created.json()) as { ticket: { id: string; no: string; state: string } };
    expect(view.ticket.state).toBe('pending_acceptance');
    expect(created.headers.get('location')).toBe(`/api/tickets/${view.ticket.id}`);

    const list = (await (await get(`/api/tickets?state=pending_acceptance&q=${encodeURIComponent('门禁')}`)).json()) as { rows: { id: string }[]; total: number };
    expect(list.rows.map((r) => r.id)).toContain(view.ticket.id);
    const unassigned = (await (await get('/api/tickets?assignee=none&limit=500')).json()) as { rows: { id: string }[] };
    expect(unassigned.rows.map((r) => r.id)).toContain(view.ticket.id);

    const byId = (await (await get(`/api/tickets/${view.ticket.id}`)).json()) as { ticket: { no: string } };
    expect(byId.ticket.no).toBe(view.ticket.no);
    const byNo = (await (await get(`/api/tickets/${view.ticket.no}`)).json()) as { ticket: { id: string } };
    expect(byNo.ticket.id).toBe(view.ticket.id);

    const noAssignee = await post(`/api/tickets/${view.ticket.id}/transition`, { action: 'dispatch', input: {} }, 'zhang.wei');
    expect(noAssignee.status).toBe(400);
    expect(((await noAssignee.json()) as { error: { field: string } }).error.field).toBe('assignee');

    const dispatched = await post(`/api/tickets/${view.ticket.no}/transition`, { action: 'dispatch', input: { assignee: 'lin.chief' } }, 'zhang.wei');
    expect(dispatched.status).toBe(200);
    expect(((await dispatched.json()) as { ticket: { state: string; assignee: string } }).ticket).toMatchObject({ state: 'dispatched', assignee: 'lin.chief' });

    const notYours = await post(`/api/tickets/${view.ticket.id}/transition`, { action: 'accept' }, 'chen.tech');
    expect(notYours.status).toBe(403);

    const accepted = await post(`/api/tickets/${view.ticket.id}/transition`, { action: 'accept' }, 'lin.chief');
    expect(accepted.status).toBe(200);
    const working = (await (await get('/api/tickets?state=in_progress&assignee=lin.chief')).json()) as { rows: { id: string }[] };
    expect(working.rows.map((r) => r.id)).toContain(view.ticket.id);
  });

  it('refuses an unknown action naming the field', async () => {
    const created = (await (await post('/api/tickets', { form: completeForm() }, 'wang.fang')).json()) as { ticket: { id: string } };
    const res = await post(`/api/tickets/${created.ticket.id}/transition`, { action: 'teleport' }, 'zhang.wei');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('action');
  });
});
