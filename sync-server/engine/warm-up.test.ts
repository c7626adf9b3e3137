import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket, formatLeasedNo } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { toAutomerge } from '../protocol';
import type { EmbeddedStorage } from '../storage/embedded';
import { useEmbeddedStorage } from '../testing/use-embedded';
import { PushPipeline, type Pusher } from './push';
import { TicketDocs } from './tickets';
import { warmUp, type WarmUpStorage } from './warm-up';

/**
 * The warm-up after a start (warm-up.ts): rehearses the edit path on scratch copies and loads
 * recently changed tickets into the document cache — and writes nothing.
 */
const NOW = new Date('2026-12-02T02:00:00.000Z');
const DAY = '20261202';
const agent: Pusher = { user: 'wang.fang', role: 'agent', sites: [DEMO_SITE.id], seatId: 'seat-a', seatCode: 'AA', device: 'seat-a-pc' };

const storages = useEmbeddedStorage();
/** A server's storage holding `count` tickets pushed one after another (the last pushed is the most recent). */
async function storedTickets(count: number) {
  const storage = await storages.fresh('closeloop-warm-up-');
  const block = await storage.lease(DEMO_SITE.id, DAY, count, 'seat-a');
  const before = new PushPipeline(storage, new TicketDocs(storage, 50), () => NOW, null);
  const tickets: { id: string; doc: A.Doc<Record<string, unknown>> }[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const r = createTicket(COMPLETE_SYSTEM_FORM, { id, no: formatLeasedNo(DEMO_SITE.prefix, DAY, block.from + i), site: DEMO_SITE.id, now: NOW.toISOString(), actor: { user: agent.user, kind: 'agent' }, template: DEMO_TEMPLATE });
    if (!r.ok) throw new Error(r.message);
    const doc = A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(r.ticket)));
    const result = await before.push(agent, [{ id, changes: A.getAllChanges(doc) }]);
    expect(result.refused).toEqual([]);
    tickets.push({ id, doc });
  }
  before.docs.cache.clear();
  // The server after a restart: an empty document cache.
  const pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), () => NOW, null);
  return { storage, pipeline, tickets };
}

/** Every record of the store, in its own encoding. */
async function records(storage: EmbeddedStorage): Promise<Uint8Array[][]> {
  const out: Uint8Array[][] = [];
  for await (const r of storage.backupRecords()) out.push(r.map((b) => Uint8Array.from(b)));
  return out;
}

function editOf(t: { id: string; doc: A.Doc<Record<string, unknown>> }) {
  const heads = A.getHeads(t.doc);
  const edited = A.change(t.doc, (d) => void (d.updatedAt = toAutomerge(new Date(NOW.getTime() + 60_000).toISOString())));
  return { id: t.id, changes: A.getChangesSince(edited, heads) };
}

describe('warming the server up', () => {
  it('rehearses edits and loads the most recently changed tickets into the cache, and writes nothing', async () => {
    const { storage, pipeline, tickets } = await storedTickets(8);
    const before = await records(storage);

    const report = await warmUp({ storage, pipeline, now: () => NOW, rehearsals: 2, preload: 5 });

    expect(report).toMatchObject({ rehearsed: 2, preloaded: 5, cut: false });
    expect(await records(storage)).toEqual(before);
    const cached = tickets.map((t) => pipeline.docs.cache.get(t.id) !== undefined);
    expect(cached).toEqual([false, false, false, true, true, true, true, true]);
    // A cached document is the stored one: the next edit of it is judged and accepted as usual.
    const result = await pipeline.push(agent, [editOf(tickets[7]!)]);
    expect(result.refused).toEqual([]);
    expect(result.accepted).toHaveLength(1);
    // (The comparison above would see a write: this one is.)
    expect(await records(storage)).not.toEqual(before);
  });

  it('never evicts a document: it loads only what the cache has room for', async () => {
    const { storage, tickets } = await storedTickets(6);
    const pipeline = new PushPipeline(storage, new TicketDocs(storage, 4), () => NOW, null);
    await pipeline.push(agent, [editOf(tickets[0]!)]);
    expect(pipeline.docs.cache.size).toBe(1);

    const report = await warmUp({ storage, pipeline, now: () => NOW, rehearsals: 0, preload: 6 });

    expect(report.preloaded).toBe(3);
    expect(pipeline.docs.cache.size).toBe(4);
    expect(pipeline.docs.cache.get(tickets[0]!.id)).toBeDefined();
  });

  it('leaves pushes free to run while it reads from storage', async () => {
    const { storage, pipeline, tickets } = await storedTickets(4);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let waiting = false;
    const slow: WarmUpStorage = {
      listSites: () => storage.listSites(),
      lastSeq: (site) => storage.lastSeq(site),
      readLog: (site, after, limit) => storage.readLog(site, after, limit),
      loadTickets: async (ids) => {
        waiting = true;
        await gate;
        return storage.loadTickets(ids);
      },
    };
    const warming = warmUp({ storage: slow, pipeline, now: () => NOW, rehearsals: 1, preload: 2 });
    while (!waiting) await new Promise((r) => setTimeout(r, 5));

    const result = await pipeline.push(agent, [editOf(tickets[0]!)]);
    expect(result.accepted).toHaveLength(1);
    release();
    expect(await warming).toMatchObject({ rehearsed: 1, preloaded: 2, cut: false });
  });

  it('stops when the server stops or its time is up', async () => {
    const { storage, pipeline } = await storedTickets(3);
    const stopped = new AbortController();
    stopped.abort();
    expect(await warmUp({ storage, pipeline, now: () => NOW, signal: stopped.signal })).toMatchObject({ rehearsed: 0, preloaded: 0, cut: true });
    let t = 0;
    const late = await warmUp({ storage, pipeline, now: () => NOW, budgetMs: 100, clock: () => (t += 60) });
    expect(late).toMatchObject({ rehearsed: 1, preloaded: 0, cut: true });
    expect(pipeline.docs.cache.size).toBe(0);
  });
});
