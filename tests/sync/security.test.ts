import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket, DEMO_TEMPLATE } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { encodeFrame } from '../../sync-server/protocol';
import { login } from '../../electron/main/sync/login';
import { admin, auditLines } from './helpers/admin';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, waitFor } from './helpers/seat';

/** Opens /sync without a client and reports what came back before the socket closed. */
function rawSocket(url: string, headers: Record<string, string> = {}, first?: Uint8Array | string) {
  return new Promise<{ code: number; reason: string; received: number; status?: number }>((resolve) => {
    const ws = new WebSocket(url.replace('http', 'ws') + '/sync', { headers });
    let received = 0;
    ws.on('open', () => first !== undefined && ws.send(first));
    ws.on('message', () => received++);
    ws.on('unexpected-response', (_q, res) => resolve({ code: 0, reason: '', received, status: res.statusCode }));
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), received }));
    ws.on('error', () => undefined);
  });
}

describe('authentication and authorisation', () => {
  let server: ServerProcess;
  const seats: TestSeat[] = [];
  const fresh: string[] = [];
  beforeAll(async () => {
    server = await startServer({ demo: 60 });
    const agent = await TestSeat.signIn(server.url, 'wang.fang');
    seats.push(agent);
    agent.start();
    await agent.online();
    await agent.lease(10);
    fresh.push(agent.create(), agent.create());
    await waitFor(() => agent.client.status.pending === 0, 10_000, 'fresh tickets pushed');
    expect((await admin(server.data, 'add-site', 'other-plant', '--prefix', 'OT')).code).toBe(0);
    expect((await admin(server.data, 'add-user', 'outsider', '--role', 'agent', '--sites', 'other-plant', '--password', 'outside-pw-1')).code).toBe(0);
  });
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('closes a connection whose first frame is not hello, or whose token is wrong, without sending anything', async () => {
    const notHello = await rawSocket(server.url, {}, encodeFrame({ t: 'bootstrap', site: 'mx-plant' }));
    expect(notHello).toMatchObject({ code: 4401, received: 0 });
    const wrong = await rawSocket(server.url, {}, encodeFrame({ t: 'hello', token: 'x'.repeat(43) }));
    expect(wrong).toMatchObject({ code: 4401, reason: 'unknown token', received: 0 });
    const header = await rawSocket(server.url, { authorization: `Bearer ${'y'.repeat(43)}` });
    expect(header.status).toBe(401);
    await expect(login(server.url, { user: 'zhang.wei', password: 'wrong-password', device: 'd' })).rejects.toThrow(/wrong user, password/);
    const audit = await auditLines(server.data);
    expect(audit.filter((l) => l.kind === 'auth_failed').length).toBeGreaterThanOrEqual(3);
    expect(audit.some((l) => l.kind === 'login_failed' && l.user === 'zhang.wei')).toBe(true);
  });

  it('never gives a seat another site’s tickets, and refuses its changes to them', async () => {
    const outsider = await TestSeat.signIn(server.url, 'outsider', 'out-pc', { password: 'outside-pw-1' });
    seats.push(outsider);
    outsider.start();
    await outsider.online();
    expect(outsider.replica.ids()).toEqual([]);
    await expect(outsider.client.request({ t: 'digest', site: 'mx-plant' })).rejects.toThrow(/does not work for site mx-plant/);
    // A forged mx-plant ticket.
    const forged = createTicket(COMPLETE_SYSTEM_FORM, { id: randomUUID(), no: 'MX20260218-OT001', site: 'mx-plant', now: new Date().toISOString(), actor: { user: 'outsider', kind: 'agent' }, template: DEMO_TEMPLATE });
    if (!forged.ok) throw new Error('fixture');
    const refused: string[] = [];
    outsider.client.on('refused', (rs) => refused.push(...rs.map((x) => x.code)));
    outsider.replica.createTicket(forged.ticket);
    await waitFor(() => refused.includes('wrong_site'), 10_000, 'the wrong-site refusal');
    const agent = seats.find((x) => x.user === 'wang.fang')!;
    expect(agent.replica.ids()).not.toContain(forged.ticket.id);
    const audit = await auditLines(server.data);
    expect(audit.some((l) => l.kind === 'refuse' && l.user === 'outsider' && l.detail?.code === 'wrong_site' && l.device === 'out-pc')).toBe(true);
  });

  it('refuses a transition the role may not make but keeps the honest edit in the same push', async () => {
    const tech = await TestSeat.signIn(server.url, 'lin.chief');
    const watcher = await TestSeat.signIn(server.url, 'zhou.sup');
    seats.push(tech, watcher);
    tech.start();
    watcher.start();
    await Promise.all([tech.online(), watcher.online()]);
    const [victim, other] = fresh;
    await tech.client.stop();
    tech.act(victim!, 'dispatch', { assignee: 'lin.chief' }, { force: true }); // a technician may not dispatch
    tech.comment(other!, 'checked the pump, bearing noise');
    const refused: { ticketId: string; code: string }[] = [];
    tech.client.on('refused', (rs) => refused.push(...rs));
    tech.client.start();
    await waitFor(() => refused.length > 0 && tech.replica.pendingCount() === 0, 20_000, 'the refusal and the rest acknowledged');
    expect(refused).toEqual([expect.objectContaining({ ticketId: victim, code: 'not_allowed' })]);
    await waitFor(() => (watcher.replica.ticket(other!)?.comments ?? []).some((c) => c.text.includes('bearing noise')), 10_000, 'the honest comment relayed');
    expect(watcher.replica.ticket(victim!)?.state).toBe('pending_acceptance');
    // the seat recovered: it took the server's version of the refused ticket
    await waitFor(() => tech.replica.ticket(victim!)?.state === 'pending_acceptance', 10_000, 'the seat reset to the server’s version');
    const audit = await auditLines(server.data);
    expect(audit.some((l) => l.kind === 'refuse' && l.user === 'lin.chief' && l.ticket === victim && l.detail?.code === 'not_allowed')).toBe(true);
    expect(audit.some((l) => l.kind === 'accept' && l.user === 'lin.chief' && l.ticket === other)).toBe(true);
  });

  it('refuses edits to a closed ticket', async () => {
    const agent = seats.find((s) => s.user === 'wang.fang')!;
    const closed = agent.replica.ids().find((id) => agent.replica.ticket(id)!.state === 'closed');
    expect(closed).toBeDefined();
    const refused: string[] = [];
    agent.client.on('refused', (rs) => refused.push(...rs.map((r) => r.code)));
    agent.comment(closed!, 'one more thing');
    await waitFor(() => refused.includes('closed'), 10_000, 'the refusal of an edit to a closed ticket');
  });

  it('kept the other site’s seat out of everything that happened meanwhile', () => {
    expect(seats.find((s) => s.user === 'outsider')!.replica.ids()).toEqual([]);
  });

  it('disconnects a revoked seat at once and refuses its token afterwards', async () => {
    const seat = await TestSeat.signIn(server.url, 'li.na', 'lost-laptop');
    seats.push(seat);
    seat.start();
    await seat.online();
    const r = await admin(server.data, 'revoke-seat', seat.code);
    expect(r.code).toBe(0);
    await waitFor(() => !seat.client.status.online && /revoked/.test(seat.client.status.error ?? ''), 10_000, 'the revoked seat disconnected');
    const again = await rawSocket(server.url, {}, encodeFrame({ t: 'hello', token: (seat.client as unknown as { opts: { token: string } }).opts.token }));
    expect(again).toMatchObject({ code: 4403, reason: 'seat revoked', received: 0 });
    expect((await admin(server.data, 'revoke-seat', 'ZZ')).code).toBe(2);
  });
});
