import * as Automerge from '@automerge/automerge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyTransition } from '../../../domain';
import { StoreError, type TicketStore } from './ticket-store';
import { digestOf, projectDoc, toAutomerge } from '../../../sync-server/protocol';
import { T0, change, dispatched, makeTicket } from './test-tickets';

/** One store implementation's test set-up: open (again) over the same data, and clean up. */
export interface StoreHarness {
  open(opts?: { cacheSize?: number }): Promise<TicketStore>;
  /** Makes the next write fail before anything is stored, when the implementation can. */
  failNextWrite?(): void;
  cleanup(): Promise<void>;
}

/**
 * The acceptance suite every TicketStore runs (CONVENTIONS.md §3): a new implementation's test
 * file is `runTicketStoreTests(() => harness)`.
 */
export function runTicketStoreTests(setup: () => Promise<StoreHarness>): void {
  let h: StoreHarness;
  let store: TicketStore;
  beforeEach(async () => {
    h = await setup();
    store = await h.open();
  });
  afterEach(async () => {
    await store.close();
    await h.cleanup();
  });
  const reopen = async (opts?: { cacheSize?: number }) => {
    await store.close();
    store = await h.open(opts);
    return store;
  };

  describe('tickets', () => {
    it('keeps a created ticket, its row and its number', async () => {
      const t = makeTicket(1);
      await store.create(t, change('create'));
      expect(store.count()).toBe(1);
      expect(store.row(t.id)?.no).toBe('MX20261124-0001');
      expect((await store.read(t.id))?.title).toBe('主轴轴承异响');
      expect(await store.read('nope')).toBeNull();
    });

    it('refuses a second ticket with the same id and keeps the first', async () => {
      const t = makeTicket(1);
      await store.create(t, change('create'));
      await expect(store.create({ ...t, title: '别的' }, change('create'))).rejects.toBeInstanceOf(StoreError);
      expect((await store.read(t.id))?.title).toBe('主轴轴承异响');
    });

    it('writes an update as one change and refreshes the row', async () => {
      const t = makeTicket(1);
      await store.create(t, change('create'));
      const after = await store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'lin.chief'), ...change('dispatch', 'zhang.wei') }));
      expect(after?.state).toBe('dispatched');
      expect(store.row(t.id)?.assignee).toBe('lin.chief');
      const changes = await store.withDoc(t.id, (d) => Automerge.getAllChanges(d).length);
      expect(changes).toBe(2);
      expect(await store.update('nope', (cur) => ({ ticket: cur, ...change('x') }))).toBeNull();
    });

    it('writes nothing when the edit throws', async () => {
      const t = makeTicket(1);
      await store.create(t, change('create'));
      const pending = store.pendingCount();
      await expect(store.update(t.id, () => { throw new Error('refused'); })).rejects.toThrow('refused');
      expect(store.row(t.id)?.state).toBe('pending_acceptance');
      expect(store.pendingCount()).toBe(pending);
      expect(await store.withDoc(t.id, (d) => Automerge.getAllChanges(d).length)).toBe(1);
      await reopen();
      expect(store.row(t.id)?.state).toBe('pending_acceptance');
    });

    it('keeps memory and disk in step when a write fails', async () => {
      if (!h.failNextWrite) return;
      const t = makeTicket(1);
      await store.create(t, change('create'));
      h.failNextWrite();
      await expect(store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'lin.chief'), ...change('dispatch') }))).rejects.toThrow();
      expect(store.row(t.id)?.state).toBe('pending_acceptance');
      expect((await store.read(t.id))?.state).toBe('pending_acceptance');
      const ok = await store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'chen.tech'), ...change('dispatch') }));
      expect(ok?.assignee).toBe('chen.tech');
    });

    it('imports in batches, skips ids it has, and reports progress', async () => {
      const tickets = Array.from({ length: 25 }, (_, i) => makeTicket(i + 1));
      await store.create(tickets[0]!, change('create'));
      const progress: number[] = [];
      const n = await store.importTickets(tickets, change('import'), { batchSize: 10, onProgress: (done) => progress.push(done) });
      expect(n).toBe(24);
      expect(progress).toEqual([10, 20, 25]);
      expect(store.count()).toBe(25);
      expect(store.liveDocs()).toBe(1);
    });
  });

  describe('lists', () => {
    beforeEach(async () => {
      const tickets = [
        makeTicket(1),
        dispatched(makeTicket(2, { title: '卫生间漏水', requester_phone: '13900001111' }), 'lin.chief'),
        dispatched(makeTicket(3, { title: '空调不制冷' }), 'chen.tech'),
        { ...makeTicket(4, { title: '网络中断' }), awaitingInfo: true, pool: 'it' },
        makeTicket(5, { title: 'ＣＮＣ控制柜报警' }),
      ];
      await store.importTickets(tickets, change('import'));
    });

    it('pages newest first and counts every match', () => {
      const page = store.query({ limit: 2 });
      expect(page.total).toBe(5);
      expect(page.rows.map((r) => r.no)).toEqual(['MX20261124-0005', 'MX20261124-0004']);
      expect(store.query({ sort: 'createdAt_asc', offset: 1, limit: 1 }).rows[0]?.no).toBe('MX20261124-0002');
    });

    it('filters by state, assignee, unassigned, pool and awaiting info', () => {
      expect(store.query({ states: ['dispatched'] }).total).toBe(2);
      expect(store.query({ assignee: 'lin.chief' }).rows.map((r) => r.title)).toEqual(['卫生间漏水']);
      expect(store.query({ assignee: null }).total).toBe(3);
      expect(store.query({ pool: 'it' }).rows[0]?.no).toBe('MX20261124-0004');
      expect(store.query({ awaitingInfo: true }).total).toBe(1);
      expect(store.query({ states: ['pending_acceptance'], awaitingInfo: false }).total).toBe(2);
    });

    it('finds Chinese text, a phone number and a ticket number', () => {
      expect(store.query({ text: '轴承' }).rows.map((r) => r.title)).toEqual(['主轴轴承异响']);
      expect(store.query({ text: '轴承异响' }).total).toBe(1);
      expect(store.query({ text: '13900001111' }).rows[0]?.title).toBe('卫生间漏水');
      expect(store.query({ text: 'mx20261124-0003' }).rows[0]?.title).toBe('空调不制冷');
      expect(store.query({ text: 'cnc控制柜' }).total).toBe(1); // NFKC: full-width letters match
      expect(store.query({ text: '漏水 1号' }).total).toBe(0);
      expect(store.query({ text: '不存在的词' }).total).toBe(0);
    });

    it('moves a row between filters when the ticket changes', async () => {
      const id = store.query({ text: '主轴轴承异响' }).rows[0]!.id;
      await store.update(id, (cur) => ({ ticket: dispatched(cur, 'lin.chief', 30), ...change('dispatch') }));
      expect(store.query({ assignee: 'lin.chief' }).total).toBe(2);
      expect(store.query({ sort: 'updatedAt_desc', limit: 1 }).rows[0]?.id).toBe(id);
    });
  });

  describe('outbox', () => {
    it('holds local changes until the sync server acknowledges them', async () => {
      const t = makeTicket(1);
      await store.create(t, change('create'));
      let [entry] = await store.pendingChanges();
      expect(entry?.ticketId).toBe(t.id);
      expect(entry?.acked).toEqual([]);
      expect(entry?.changes).toHaveLength(1);
      const firstHeads = entry!.heads;
      await store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'lin.chief'), ...change('dispatch') }));
      expect(store.pendingCount()).toBe(2);
      await store.acknowledge(t.id, firstHeads);
      [entry] = await store.pendingChanges();
      expect(entry?.changes).toHaveLength(1);
      expect(Automerge.decodeChange(entry!.changes[0]!).deps).toEqual(firstHeads);
      await store.acknowledge(t.id, entry!.heads);
      expect(await store.pendingChanges()).toEqual([]);
      expect(store.pendingCount()).toBe(0);
      await store.update(t.id, (cur) => {
        const next = structuredClone(cur);
        applyTransition(next, 'accept', { user: 'lin.chief', kind: 'technician' }, {}, new Date(T0 + 600_000).toISOString());
        return { ticket: next, ...change('accept', 'lin.chief') };
      });
      await reopen();
      [entry] = await store.pendingChanges();
      expect(entry?.changes).toHaveLength(1);
      expect(store.pendingCount()).toBe(1);
    });
  });

  describe('documents in memory', () => {
    it('keeps at most the cache size of live documents', async () => {
      await reopen({ cacheSize: 3 });
      const tickets = Array.from({ length: 6 }, (_, i) => makeTicket(i + 1));
      await store.importTickets(tickets, change('import'));
      for (const t of tickets) expect((await store.read(t.id))?.id).toBe(t.id);
      expect(store.liveDocs()).toBe(3);
      for (const t of tickets) await store.update(t.id, (cur) => ({ ticket: { ...cur, tags: ['x'] }, ...change('tag') }));
      expect(store.liveDocs()).toBe(3);
      expect((await store.read(tickets[0]!.id))?.tags).toEqual(['x']);
    });
  });

  describe('documents from other seats', () => {
    it('takes a ticket it lacks whole and merges one it has, with its row', async () => {
      const t = makeTicket(1);
      const there = Automerge.change(Automerge.load<Record<string, unknown>>(await saved(t)), (d) => {
        d.pool = new Automerge.ImmutableString('紧急-机械类');
      });
      expect((await store.mergeDoc(Automerge.save(there))).pool).toBe('紧急-机械类');
      await store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'lin.chief'), ...change('dispatch', 'zhang.wei') }));
      const later = Automerge.change(there, (d) => {
        d.priority = 'P1';
      });
      const merged = await store.mergeDoc(Automerge.save(later));
      expect(merged).toMatchObject({ state: 'dispatched', assignee: 'lin.chief', pool: '紧急-机械类', priority: 'P1' });
      expect(store.row(t.id)).toMatchObject({ state: 'dispatched', priority: 'P1' });
      expect(store.rows().map((r) => r.id)).toEqual([t.id]);
      await reopen();
      expect((await store.read(t.id))?.priority).toBe('P1');
      Automerge.free(later);
    });
  });

  /** A ticket's document as another seat would send it. */
  async function saved(t: ReturnType<typeof makeTicket>): Promise<Uint8Array> {
    const doc = Automerge.change(Automerge.init<Record<string, unknown>>(), (d) => {
      Object.assign(d, JSON.parse(JSON.stringify(t)) as Record<string, unknown>);
    });
    const bytes = Automerge.save(doc);
    Automerge.free(doc);
    return bytes;
  }

  describe('row changes', () => {
    it('tells a listener the row before and after every create, update, import and merge', async () => {
      const seen: [string | undefined, string][] = [];
      const stop = store.onRowChange((before, after) => seen.push([before?.state, after.state]));
      const t = makeTicket(1);
      await store.create(t, change('create'));
      await store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'lin.chief'), ...change('dispatch', 'zhang.wei') }));
      await store.importTickets([makeTicket(2)], change('import'));
      expect(seen).toEqual([[undefined, 'pending_acceptance'], ['pending_acceptance', 'dispatched'], [undefined, 'pending_acceptance']]);
      expect(store.row(t.id)?.state).toBe('dispatched');
      stop();
      await store.update(t.id, (cur) => ({ ticket: { ...cur, priority: 'P1' }, ...change('edit') }));
      expect(seen).toHaveLength(3);
    });
  });

  describe('the sync client’s replica', () => {
    /** Another seat's copy of a ticket, as the server would send it. */
    const elsewhere = (t: ReturnType<typeof makeTicket>) =>
      Automerge.change(Automerge.init<Record<string, unknown>>(), { message: 'create' }, (d) => Object.assign(d, toAutomerge(t)));

    it('takes a ticket it lacks as sent (bytes, heads, row), with the cursor in the same write', async () => {
      const t = makeTicket(1);
      const doc = elsewhere(t);
      const heads = Automerge.getHeads(doc);
      const changed = await store.applyRemote({ site: 'mx-plant', cursor: 7, tickets: [{ id: t.id, snapshot: Automerge.save(doc), changes: [], heads, row: projectDoc(doc)! }] });
      expect(changed).toEqual([t.id]);
      expect(store.liveDocs()).toBe(0); // not parsed
      expect(store.row(t.id)?.title).toBe('主轴轴承异响');
      expect(await store.cursor('mx-plant')).toBe(7);
      expect(await store.cursor('other')).toBeNull();
      expect(store.pendingCount()).toBe(0);
      expect((await store.read(t.id))?.no).toBe(t.no);
      await reopen();
      expect(await store.cursor('mx-plant')).toBe(7);
      expect(store.row(t.id)?.no).toBe(t.no);
    });

    it('merges the server’s changes without putting them in the outbox, keeping local ones waiting', async () => {
      const t = makeTicket(1);
      const there = elsewhere(t);
      await store.applyRemote({ site: 'mx-plant', tickets: [{ id: t.id, changes: Automerge.getAllChanges(there) }] });
      expect(store.pendingCount()).toBe(0);
      await store.update(t.id, (cur) => ({ ticket: { ...cur, priority: 'P1' }, ...change('edit') }));
      expect(store.pendingCount()).toBe(1);
      const later = Automerge.change(there, { message: 'dispatch' }, (d) => {
        d.assignee = new Automerge.ImmutableString('lin.chief');
      });
      const changed = await store.applyRemote({ site: 'mx-plant', tickets: [{ id: t.id, changes: [Automerge.getLastLocalChange(later)!] }] });
      expect(changed).toEqual([t.id]);
      expect(store.row(t.id)).toMatchObject({ assignee: 'lin.chief', priority: 'P1' });
      const [entry] = await store.pendingChanges();
      expect(entry?.changes.map((c) => Automerge.decodeChange(c).message)).toEqual([JSON.stringify({ by: 'wang.fang', seat: 'AB', action: 'edit' })]);
      // Redelivery is harmless: nothing changes.
      expect(await store.applyRemote({ site: 'mx-plant', tickets: [{ id: t.id, changes: [Automerge.getLastLocalChange(later)!] }] })).toEqual([]);
      expect(await store.changesSince(t.id, Automerge.getHeads(later))).toHaveLength(1);
    });

    it('shows concurrent values of a watched field until the field is written again', async () => {
      const t = makeTicket(1);
      await store.create(dispatched(t, 'lin.chief'), change('create'));
      const base = Automerge.load<Record<string, unknown>>((await store.withDoc(t.id, (d) => Automerge.save(d)))!);
      await store.update(t.id, (cur) => ({ ticket: { ...cur, assignee: 'chen.tech' }, ...change('reassign') }));
      const theirs = Automerge.change(Automerge.clone(base, { actor: 'ab'.repeat(16) }), (d) => {
        d.assignee = new Automerge.ImmutableString('zhao.tech');
      });
      await store.applyRemote({ site: 'mx-plant', tickets: [{ id: t.id, changes: [Automerge.getLastLocalChange(theirs)!] }] });
      expect(store.row(t.id)?.conflicts).toEqual({ assignee: ['chen.tech', 'zhao.tech'] });
      expect(store.query({ conflicted: true }).total).toBe(1);
      const winner = store.row(t.id)!.assignee!;
      await store.update(t.id, (cur) => ({ ticket: cur, rewrite: ['assignee'], ...change('settle', 'zhou.sup') }));
      expect(store.row(t.id)?.conflicts).toBeUndefined();
      expect(store.row(t.id)?.assignee).toBe(winner);
      expect(store.query({ conflicted: true }).total).toBe(0);
    });

    it('takes the server’s version of a refused ticket, or drops a refused creation', async () => {
      const kept = makeTicket(1);
      const refused = makeTicket(2);
      await store.create(kept, change('create'));
      await store.create(refused, change('create'));
      const server = elsewhere(kept);
      await store.applyRemote({ site: 'mx-plant', tickets: [
        { id: kept.id, snapshot: Automerge.save(server), changes: [], heads: Automerge.getHeads(server), row: projectDoc(server)!, replace: true },
        { id: refused.id, changes: [], replace: true },
      ] });
      expect(store.count()).toBe(1);
      expect(store.row(refused.id)).toBeUndefined();
      expect(await store.read(refused.id)).toBeNull();
      expect(store.pendingCount()).toBe(0);
      expect(await store.heads(kept.id)).toEqual(Automerge.getHeads(server));
      await reopen();
      expect(store.count()).toBe(1);
    });

    it('keeps anti-entropy digests and bucket heads in step with its tickets', async () => {
      const tickets = [makeTicket(1), makeTicket(2), makeTicket(3)];
      await store.create(tickets[0]!, change('create'));
      expect(await store.digest('mx-plant')).toEqual(digestOf([{ id: tickets[0]!.id, heads: (await store.heads(tickets[0]!.id))! }]));
      await store.importTickets(tickets.slice(1), change('import'));
      await store.update(tickets[0]!.id, (cur) => ({ ticket: { ...cur, priority: 'P2' }, ...change('edit') }));
      const all = await Promise.all(tickets.map(async (t) => ({ id: t.id, heads: (await store.heads(t.id))! })));
      expect(await store.digest('mx-plant')).toEqual(digestOf(all));
      const buckets = [...new Set((await store.bucketHeads('mx-plant', Array.from({ length: 256 }, (_, i) => i))).map((b) => b.id))];
      expect(buckets.sort()).toEqual(tickets.map((t) => t.id).sort());
      expect(await store.bucketHeads('other-site', [0, 1, 2])).toEqual([]);
    });

    it('tells the sync client of local writes, not of the server’s', async () => {
      let local = 0;
      store.onLocalChange(() => local++);
      const t = makeTicket(1);
      await store.create(t, change('create'));
      await store.update(t.id, (cur) => ({ ticket: { ...cur, priority: 'P1' }, ...change('edit') }));
      const other = makeTicket(2);
      await store.applyRemote({ site: 'mx-plant', tickets: [{ id: other.id, changes: Automerge.getAllChanges(elsewhere(other)) }] });
      expect(local).toBe(2);
    });
  });

  describe('restart', () => {
    it('keeps tickets, rows, history, outbox and meta', async () => {
      const t = makeTicket(1);
      await store.create(t, change('create'), { meta: { numbering: { offlineNext: { '20261124': 2 } } } });
      await store.update(t.id, (cur) => ({ ticket: dispatched(cur, 'lin.chief'), ...change('dispatch', 'zhang.wei') }));
      await store.putMeta('session', { userId: 'wang.fang' });
      await reopen();
      expect(store.seat).toBe('AB');
      expect(store.count()).toBe(1);
      expect(store.liveDocs()).toBe(0); // opening parses no document
      expect(store.row(t.id)?.state).toBe('dispatched');
      expect(store.meta('session')).toEqual({ userId: 'wang.fang' });
      expect(store.meta('numbering')).toEqual({ offlineNext: { '20261124': 2 } });
      expect(store.pendingCount()).toBe(2);
      const messages = await store.withDoc(t.id, (d) => Automerge.getAllChanges(d).map((c) => Automerge.decodeChange(c).message));
      expect(messages).toEqual([JSON.stringify({ by: 'wang.fang', seat: 'AB', action: 'create' }), JSON.stringify({ by: 'zhang.wei', seat: 'AB', action: 'dispatch' })]);
      await store.putMeta('session', undefined);
      await reopen();
      expect(store.meta('session')).toBeUndefined();
    });
  });
}
