import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalNode, type LocalNode } from '../../electron/main/node';
import type { CallContext } from '../../electron/contract/ipc';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { DEMO_PEOPLE } from '../../domain';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, waitFor } from './helpers/seat';

/**
 * The real local node (PouchDB store, rule runner) syncing through the real server with a test
 * seat beside it: sign-in with a password, leased numbers, edits both ways, offline work, a field
 * conflict settled from the console's call, a fresh node bootstrapping, and a restart.
 */
const FAST = { backoff: { baseMs: 50, maxMs: 500 }, antiEntropyMs: 0 };
const sorted = (h: readonly string[] | null) => [...(h ?? [])].sort();

describe('a local node syncing through the server', () => {
  let server: ServerProcess;
  const dirs: string[] = [];
  const nodes: LocalNode[] = [];
  const seats: TestSeat[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'closeloop-node-'));
    dirs.push(d);
    return d;
  };
  const open = async (dataDir: string, seat = 'AA') => {
    const node = await createLocalNode({ dataDir, seat, rules: false, log: () => undefined, sync: { server: server.url, client: FAST } });
    nodes.push(node);
    return node;
  };
  const close = async (node: LocalNode) => {
    nodes.splice(nodes.indexOf(node), 1);
    await node.close();
  };

  beforeAll(async () => {
    server = await startServer({ demo: 120 });
  });
  afterAll(async () => {
    for (const s of seats) await s.stop();
    for (const n of nodes) await n.close();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('signs in with a password, bootstraps the site, numbers from leases and syncs both ways', async () => {
    const data = dir();
    const node = await open(data);
    const ctx: CallContext = { session: null };
    await expect(node.handlers['session.signIn']({ userId: 'zhang.wei' }, ctx)).rejects.toMatchObject({ body: { code: 'bad_request', field: 'password' } });
    await expect(node.handlers['session.signIn']({ userId: 'zhang.wei', password: 'wrong-password' }, ctx)).rejects.toMatchObject({ body: { code: 'not_allowed' } });
    await node.handlers['session.signIn']({ userId: 'wang.fang', password: 'demo1234' }, ctx);

    await waitFor(() => node.store.count() === 120, 30_000, 'the bootstrap');
    const status = await node.handlers['node.status']({}, ctx);
    expect(status.sync).toMatchObject({ server: server.url, user: 'wang.fang' });
    await waitFor(async () => (await node.handlers['node.status']({}, ctx)).sync?.online === true, 10_000, 'online');
    // Rows came with the bootstrap: the list works before any document is opened.
    const page = await node.handlers['tickets.list']({ limit: 5, offset: 0, sort: 'createdAt_desc' }, ctx);
    expect(page.total).toBe(120);
    await waitFor(() => node.store.meta<{ leases: unknown[] }>('numbering')?.leases.length === 2, 10_000, 'number leases for today and tomorrow');

    // Seats beside it: the dispatcher dispatches the node's new ticket, the technician accepts it.
    const dispatcher = await TestSeat.signIn(server.url, 'zhang.wei', 'zhang-pc', { backoff: FAST.backoff });
    const tech = await TestSeat.signIn(server.url, 'lin.chief', 'lin-pc', { backoff: FAST.backoff });
    seats.push(dispatcher.start(), tech.start());
    await Promise.all([dispatcher.online(), tech.online()]);

    // Another person on the same seat may read but not write: the seat pushes as wang.fang.
    const other: CallContext = { session: { user: DEMO_PEOPLE.find((p) => p.id === 'li.na')!, seat: 'AA' } };
    await expect(node.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, other)).rejects.toMatchObject({ body: { code: 'not_allowed' } });
    const created = await node.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, ctx);
    expect(created.ticket.no).toMatch(/^MX\d{8}-\d{4}$/); // a leased number, not the offline form
    const id = created.ticket.id;
    await waitFor(() => dispatcher.replica.ids().includes(id), 10_000, 'the new ticket on the other seat');
    dispatcher.act(id, 'dispatch', { assignee: 'lin.chief' });
    await waitFor(() => tech.replica.ticket(id)?.state === 'dispatched', 10_000, 'the dispatch on the technician’s seat');
    tech.act(id, 'accept');
    await waitFor(() => node.store.row(id)?.state === 'in_progress', 10_000, 'the acceptance on the node');
    await node.handlers['tickets.comment']({ id, text: '客户确认上午可以停机检修' }, ctx);
    await waitFor(() => node.store.pendingCount() === 0 && tech.replica.pendingCount() === 0, 10_000, 'both outboxes empty');
    await waitFor(async () => sorted(await node.store.heads(id)).join() === sorted(tech.replica.headsNow(id)).join(), 10_000, 'same heads');
    expect(tech.replica.ticket(id)?.comments.map((c) => c.text)).toEqual(['客户确认上午可以停机检修']);
    // Nothing the node received went back out: its outbox held only its own changes.
    expect(await node.store.pendingChanges()).toEqual([]);

    // A restart keeps the account and the cursor: no second bootstrap, still in sync.
    await close(node);
    const again = await open(data);
    expect(await again.store.cursor('mx-plant')).not.toBeNull();
    tech.comment(id, '轴承已更换，待试机');
    await waitFor(async () => ((await again.store.read(id))?.comments.length ?? 0) === 1, 15_000, 'the comment after the restart');
    await close(again);
  });

  it('works offline, then pushes; a conflict shows on the node until a supervisor settles it', async () => {
    const node = await open(dir(), 'AB');
    const sup: CallContext = { session: null };
    await node.handlers['session.signIn']({ userId: 'zhou.sup', password: 'demo1234' }, sup);
    await waitFor(() => node.store.count() >= 120 && node.link?.status().online === true, 30_000, 'bootstrap');
    const dispatcher = await TestSeat.signIn(server.url, 'zhang.wei', 'zhang-pc2', { backoff: FAST.backoff });
    seats.push(dispatcher.start());
    await dispatcher.online();

    const id = dispatcher.replica.ids().find((t) => dispatcher.replica.ticket(t)?.state === 'pending_acceptance' && !dispatcher.replica.ticket(t)?.awaitingInfo)!;
    dispatcher.act(id, 'dispatch', { assignee: 'lin.chief' });
    await waitFor(async () => sorted(await node.store.heads(id)).join() === sorted(dispatcher.replica.headsNow(id)).join(), 10_000, 'same ticket');

    // Both offline: the dispatcher and the supervisor reassign the same ticket to different people.
    await dispatcher.client.stop();
    await node.link!.syncClient!.stop();
    dispatcher.act(id, 'reassign', { assignee: 'chen.tech' });
    await node.handlers['tickets.transition']({ id, action: 'reassign', input: { assignee: 'zhao.tech' } }, sup);
    expect(node.store.pendingCount()).toBeGreaterThan(0);

    node.link!.syncClient!.start();
    dispatcher.client.start();
    await waitFor(async () => node.store.pendingCount() === 0 && dispatcher.replica.pendingCount() === 0 && sorted(await node.store.heads(id)).join() === sorted(dispatcher.replica.headsNow(id)).join(), 20_000, 'converged');
    const winner = dispatcher.replica.ticket(id)!.assignee;
    expect(node.store.row(id)?.assignee).toBe(winner);
    expect(node.store.row(id)?.conflicts?.assignee).toEqual(['chen.tech', 'zhao.tech']);
    expect((await node.handlers['tickets.queues']({}, sup)).conflicted).toBeGreaterThanOrEqual(1);
    expect((await node.handlers['tickets.list']({ conflicted: true, offset: 0, limit: 50, sort: 'createdAt_desc' }, sup)).rows.map((r) => r.id)).toContain(id);
    const view = await node.handlers['tickets.get']({ id }, sup);
    expect(view.conflicts?.assignee).toEqual(['chen.tech', 'zhao.tech']);

    await expect(node.handlers['tickets.settle']({ id, field: 'assignee', value: 'lin.chief' }, sup)).rejects.toMatchObject({ body: { code: 'bad_request', field: 'value' } });
    await node.handlers['tickets.settle']({ id, field: 'assignee', value: winner }, sup);
    expect(node.store.row(id)?.conflicts).toBeUndefined();
    await waitFor(() => dispatcher.replica.row(id)?.conflicts.assignee === undefined && dispatcher.replica.pendingCount() === 0 && node.store.pendingCount() === 0, 10_000, 'settled on the other seat');
    expect(dispatcher.replica.ticket(id)!.assignee).toBe(winner);
  });

  it('signs in offline only against the verifier of an earlier sign-in on this seat', async () => {
    const data = dir();
    const node = await open(data, 'AC');
    await node.handlers['session.signIn']({ userId: 'wang.fang', password: 'demo1234' }, { session: null });
    await waitFor(() => node.store.meta<{ leases: unknown[] }>('numbering')?.leases.length === 2, 10_000, 'number leases');
    await waitFor(() => node.link?.lastSyncAt() !== null, 10_000, 'a first sync');
    const lastSyncAt = (await node.handlers['node.status']({}, { session: null })).lastSyncAt;
    await close(node);
    await server.kill9();
    try {
      const offline = await open(data, 'AC');
      // The supervisor view's "as of last sync HH:MM" survives the restart: not "never synced".
      expect((await offline.handlers['node.status']({}, { session: null })).lastSyncAt).toBe(lastSyncAt);
      await expect(offline.handlers['session.signIn']({ userId: 'wang.fang', password: 'nope-nope' }, { session: null })).rejects.toMatchObject({ body: { code: 'unavailable' } });
      await expect(offline.handlers['session.signIn']({ userId: 'li.na', password: 'demo1234' }, { session: null })).rejects.toMatchObject({ body: { code: 'unavailable' } });
      const s = await offline.handlers['session.signIn']({ userId: 'wang.fang', password: 'demo1234' }, { session: null });
      expect(s.user.id).toBe('wang.fang');
      // Numbers leased while online run first; then the offline form, with the code the server gave this seat.
      const numbers: string[] = [];
      for (let i = 0; i < 120 && !numbers.some((n) => /[A-Z]{2}\d{3}$/.test(n)); i++) {
        numbers.push((await offline.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, { session: s })).ticket.no);
      }
      expect(numbers[0]).toMatch(/^MX\d{8}-\d{4}$/);
      expect(numbers.at(-1)).toMatch(new RegExp(`^MX\\d{8}-${offline.link!.seatCode}001$`));
      expect(offline.link!.seatCode).not.toBe('AC');
      expect(new Set(numbers).size).toBe(numbers.length);
      await close(offline);
    } finally {
      await server.restart();
    }
  });
});
