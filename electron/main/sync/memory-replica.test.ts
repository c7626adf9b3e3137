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
});
