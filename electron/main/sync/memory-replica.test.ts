import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { newTicket } from '../../../domain/testing/fixtures';
import { changeMeta, digestOf, projectDoc, toAutomerge } from '../../../sync-server/protocol';
import { MemoryReplica } from './memory-replica';

describe('the in-memory seat replica', () => {
  it('keeps local changes in the outbox until the server acknowledges the heads they were pushed at', async () => {
    const r = new MemoryReplica();
    const id = r.createTicket(newTicket());
    r.change(id, (d) => void (d.urgency = toAutomerge('2小时内')));
    const [p] = await r.pendingChanges();
    expect(p!.changes).toHaveLength(2);
    r.change(id, (d) => void (d.priority = toAutomerge('P1')));
    await r.acknowledge(id, p!.heads);
    expect(r.pendingCount()).toBe(1); // the later edit still waits
    const [q] = await r.pendingChanges();
    expect(q!.changes).toHaveLength(1);
    await r.acknowledge(id, q!.heads);
    expect(r.pendingCount()).toBe(0);
  });

  it('takes a ticket it did not have as bytes, heads and row, and loads it only when used', async () => {
    const doc = A.from(toAutomerge(newTicket()) as Record<string, unknown>);
    const r = new MemoryReplica({ docCapacity: 1 });
    const row = projectDoc(doc);
    await r.applyRemote({ site: 'mx-plant', tickets: [{ id: newTicket().id, snapshot: A.save(doc), changes: [], heads: A.getHeads(doc), row }], cursor: 9 });
    expect(await r.cursor('mx-plant')).toBe(9);
    expect(r.row(newTicket().id)).toEqual(row);
    expect(await r.digest('mx-plant')).toEqual(digestOf([{ id: newTicket().id, heads: A.getHeads(doc) }]));
    expect(r.ticket(newTicket().id)?.title).toBe(newTicket().title);
  });

  it('replaces a ticket and drops its outbox when told to (after a refusal)', async () => {
    const server = A.from(toAutomerge(newTicket()) as Record<string, unknown>);
    const r = new MemoryReplica();
    await r.applyRemote({ site: 'mx-plant', tickets: [{ id: newTicket().id, changes: A.getAllChanges(server) }] });
    r.change(newTicket().id, (d) => void (d.state = toAutomerge('closed')));
    expect(r.pendingCount()).toBe(1);
    await r.applyRemote({ site: 'mx-plant', tickets: [{ id: newTicket().id, snapshot: A.save(server), changes: [], heads: A.getHeads(server), replace: true }] });
    expect(r.pendingCount()).toBe(0);
    expect(r.ticket(newTicket().id)?.state).toBe('pending_acceptance');
    expect(r.changeHashes(newTicket().id)).toEqual(A.getAllChanges(server).map((c) => changeMeta(c).hash));
  });

  it('follows the live feed without parsing: appends a follow-up change, takes the server row and heads', async () => {
    const server = A.from(toAutomerge(newTicket()) as Record<string, unknown>);
    const id = newTicket().id;
    const r = new MemoryReplica({ docCapacity: 1 });
    await r.applyRemote({ site: 'mx-plant', tickets: [{ id, snapshot: A.save(server), changes: [], heads: A.getHeads(server), row: projectDoc(server) }] });
    const next = A.change(A.clone(server), (d) => void (d.priority = toAutomerge('P1')));
    const change = A.getLastLocalChange(next)!;
    const row = projectDoc(next);
    expect(await r.applyRemote({ site: 'mx-plant', tickets: [{ id, changes: [change], row }] })).toEqual([id]);
    expect(await r.heads(id)).toEqual(A.getHeads(next));
    expect(r.row(id)).toEqual(row);
    expect(await r.applyRemote({ site: 'mx-plant', tickets: [{ id, changes: [change], row }] })).toEqual([]); // redelivered
    expect(r.ticket(id)?.priority).toBe('P1');
    expect(r.changeHashes(id)).toEqual(A.getAllChanges(next).map((c) => changeMeta(c).hash));
  });

  it('merges a change that does not follow its heads the general way (its own row, not the hint)', async () => {
    const server = A.from(toAutomerge(newTicket()) as Record<string, unknown>);
    const id = newTicket().id;
    const r = new MemoryReplica();
    await r.applyRemote({ site: 'mx-plant', tickets: [{ id, changes: A.getAllChanges(server) }] });
    r.change(id, (d) => void (d.urgency = toAutomerge('2小时内')));
    await r.acknowledge(id, await r.heads(id) as string[]);
    const other = A.change(A.clone(server), (d) => void (d.priority = toAutomerge('P1')));
    await r.applyRemote({ site: 'mx-plant', tickets: [{ id, changes: [A.getLastLocalChange(other)!], row: projectDoc(other) }] });
    expect((await r.heads(id))!.length).toBe(2);
    expect(r.row(id)?.urgency).toBe('2小时内');
    expect(r.ticket(id)?.priority).toBe('P1');
  });

  it('follows a change that names an earlier head again as a dependency (as Automerge does after a merge)', async () => {
    const id = newTicket().id;
    const base = A.from(toAutomerge(newTicket()) as Record<string, unknown>);
    const editor = new MemoryReplica();
    const follower = new MemoryReplica({ docCapacity: 1 });
    for (const r of [editor, follower]) await r.applyRemote({ site: 'mx-plant', tickets: [{ id, snapshot: A.save(base), changes: [], heads: A.getHeads(base), row: projectDoc(base) }] });
    const hint = (title: string) => ({ ...projectDoc(base)!, title });
    const send = async (from: MemoryReplica, to: MemoryReplica, title: string) => {
      const [p] = await from.pendingChanges();
      await from.acknowledge(id, p!.heads);
      await to.applyRemote({ site: 'mx-plant', tickets: [{ id, changes: p!.changes, row: hint(title) }] });
    };
    editor.change(id, (d) => void (d.priority = toAutomerge('P1')));
    await send(editor, follower, 'first');
    follower.change(id, (d) => void (d.urgency = toAutomerge('2小时内')));
    await send(follower, editor, 'second');
    editor.change(id, (d) => void (d.priority = toAutomerge('P2')));
    await send(editor, follower, 'third');
    expect(await follower.heads(id)).toEqual(await editor.heads(id));
    expect(follower.row(id)?.title).toBe('third'); // the server's row: taken without parsing
    expect(follower.ticket(id)?.priority).toBe('P2');
  });
});

