import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import type * as WorkerThreads from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket, formatLeasedNo } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { toAutomerge } from '../protocol';
import { useEmbeddedStorage } from '../testing/use-embedded';
import { WorkerJudge, type NewTicketJudge } from './judge-pool';
import { PushPipeline, type Pusher } from './push';
import { TicketDocs } from './tickets';

/**
 * The judge worker's life: a worker that cannot be started does not fail the push, a worker that
 * dies is replaced at the next big push, and one that dies at every start is given up.
 *
 * `threads.refuse` makes creating a worker thread throw (ERR_WORKER_INIT_FAILED under a thread or
 * memory limit); otherwise the real worker runs.
 */
const threads = vi.hoisted(() => ({ refuse: false }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const orig = await importOriginal<typeof WorkerThreads>();
  class Worker extends orig.Worker {
    constructor(...args: ConstructorParameters<typeof orig.Worker>) {
      if (threads.refuse) throw Object.assign(new Error('ERR_WORKER_INIT_FAILED: the worker thread could not be created'), { code: 'ERR_WORKER_INIT_FAILED' });
      super(...args);
    }
  }
  return { ...orig, default: { ...orig, Worker }, Worker };
});

const NOW = new Date('2026-12-02T02:00:00.000Z');
const DAY = '20261202';
const agent: Pusher = { user: 'wang.fang', role: 'agent', sites: [DEMO_SITE.id], seatId: 'seat-a', seatCode: 'AA', device: 'seat-a-pc' };

function newTicket(no: string): { id: string; changes: Uint8Array[]; doc: A.Doc<Record<string, unknown>> } {
  const id = randomUUID();
  const r = createTicket(COMPLETE_SYSTEM_FORM, { id, no, site: DEMO_SITE.id, now: NOW.toISOString(), actor: { user: 'wang.fang', kind: 'agent' }, template: DEMO_TEMPLATE });
  if (!r.ok) throw new Error(r.message);
  const doc = A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(r.ticket)));
  return { id, changes: A.getAllChanges(doc), doc };
}

const storages = useEmbeddedStorage();
const judges: WorkerJudge[] = [];
afterEach(async () => {
  threads.refuse = false;
  for (const j of judges.splice(0)) await j.close();
});

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A server's pipeline on fresh storage, and numbers leased to seat-a. */
async function server(judge: NewTicketJudge) {
  const storage = await storages.fresh('closeloop-judge-review-');
  const pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), () => NOW, judge);
  const block = await storage.lease(DEMO_SITE.id, DAY, 200, 'seat-a');
  let next = block.from;
  const no = () => formatLeasedNo(DEMO_SITE.prefix, DAY, next++);
  return { storage, pipeline, no };
}

/** 16 tickets new to the server: a push big enough to ask the judge. */
const bigPush = (no: () => string) => Array.from({ length: 16 }, () => newTicket(no())).map((t) => ({ id: t.id, changes: t.changes }));

/** A WorkerJudge that notes the thread each of its `judge` calls went to. */
function watched(judge: WorkerJudge, after?: () => void): NewTicketJudge & { calls: (number | null)[] } {
  const calls: (number | null)[] = [];
  return {
    calls,
    get ready() {
      return judge.ready;
    },
    judge: (t, a) => {
      calls.push(judge.threadId);
      const judged = judge.judge(t, a);
      after?.();
      return judged;
    },
    close: () => judge.close(),
  };
}

function logged() {
  const log = { ready: 0, failures: [] as string[], restarts: [] as number[], givenUp: [] as number[] };
  const events = { onReady: () => void log.ready++, onFail: (e: Error) => void log.failures.push(e.message), onRestart: (n: number) => void log.restarts.push(n), onGiveUp: (n: number) => void log.givenUp.push(n) };
  return { log, events };
}

describe('a judge worker that cannot start', () => {
  it('judges a big push in the pipeline instead of failing it, and keeps the LRU documents it took', async () => {
    threads.refuse = true;
    const failures: Error[] = [];
    const judge = new WorkerJudge({ onFail: (e) => failures.push(e) });
    judges.push(judge);
    const { storage, pipeline, no } = await server(judge);
    void storage;

    // A ticket the server already has, its document in the LRU.
    const known = newTicket(no());
    await pipeline.push(agent, [{ id: known.id, changes: known.changes }]);
    expect(pipeline.docs.cache.get(known.id)).toBeDefined();

    // A push with an edit of it and 16 tickets new to the server: big enough to ask the judge.
    const heads = A.getHeads(known.doc);
    const edited = A.change(known.doc, (d) => void (d.updatedAt = toAutomerge(new Date(NOW.getTime() + 1).toISOString())));
    const edit = { id: known.id, changes: A.getChangesSince(edited, heads) };
    const push = [edit, ...bigPush(no)];

    const result = await pipeline.push(agent, push);
    expect(result.refused).toEqual([]);
    expect(result.accepted).toHaveLength(17);
    expect(pipeline.docs.cache.get(known.id)).toBeDefined();
    expect(judge.ready).toBe(false);
    expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/ERR_WORKER_INIT_FAILED/)]);
  });
});

describe('a judge worker that dies', () => {
  it('is replaced by a new worker at the next big push, which judges the push after it', async () => {
    const { log, events } = logged();
    const judge = new WorkerJudge(events, { restartGapMs: 0 });
    judges.push(judge);
    const spy = watched(judge);
    const { pipeline, no } = await server(spy);
    await until('the first worker is ready', () => judge.ready);
    const first = judge.threadId;
    expect(first).not.toBeNull();

    await judge.kill();
    await until('its death is noticed', () => log.failures.length === 1);
    expect(judge.threadId).toBeNull();

    // The push that notices no worker is running starts a new one and is judged here meanwhile.
    const meanwhile = await pipeline.push(agent, bigPush(no));
    expect(meanwhile.refused).toEqual([]);
    expect(meanwhile.accepted).toHaveLength(16);
    expect(spy.calls).toEqual([]);
    expect(log.restarts).toEqual([0]);

    await until('the new worker is ready', () => judge.ready);
    const second = judge.threadId;
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    const after = await pipeline.push(agent, bigPush(no));
    expect(after.refused).toEqual([]);
    expect(after.accepted).toHaveLength(16);
    expect(spy.calls).toEqual([second]);
    expect(log).toMatchObject({ ready: 2, restarts: [0], givenUp: [] });
  }, 60_000);

  it('still gets every verdict of the push it was judging: the pipeline judges them itself', async () => {
    const { log, events } = logged();
    const judge = new WorkerJudge(events, { restartGapMs: 0 });
    judges.push(judge);
    const spy = watched(judge, () => void judge.kill());
    const { storage, pipeline, no } = await server(spy);
    await until('the worker is ready', () => judge.ready);

    const push = bigPush(no);
    const result = await pipeline.push(agent, push);
    expect(spy.calls).toHaveLength(1);
    expect(log.failures).toEqual([expect.stringMatching(/exited/)]);
    expect(result.refused).toEqual([]);
    expect(result.accepted.map((a) => a.id).sort()).toEqual(push.map((t) => t.id).sort());
    const rows = await storage.readTickets(DEMO_SITE.id, null, 100);
    expect(rows.map((t) => t.id).sort()).toEqual(push.map((t) => t.id).sort());
  }, 60_000);

  it('is started at most once per gap, and given up after three in a row die before they are ready', async () => {
    let clock = 0;
    const { log, events } = logged();
    // A worker whose entry ends the thread before it can say it is ready (a broken install).
    const judge = new WorkerJudge(events, { restartGapMs: 1_000, maxFailedStarts: 3, now: () => clock, entry: new URL('data:text/javascript,process.exit(7)') });
    judges.push(judge);

    expect(judge.ready).toBe(false);
    await until('the first start fails', () => log.failures.length === 1);
    expect(log.failures).toEqual(['the judge worker exited (7)']);
    clock += 999;
    expect(judge.ready).toBe(false);
    expect(log.restarts).toEqual([]);

    clock += 1;
    expect(judge.ready).toBe(false);
    expect(log.restarts).toEqual([1]);
    await until('the second start fails', () => log.failures.length === 2);
    clock += 1_000;
    expect(judge.ready).toBe(false);
    expect(log.restarts).toEqual([1, 2]);
    await until('the third start fails', () => log.failures.length === 3);
    expect(log.givenUp).toEqual([3]);

    clock += 3_600_000;
    expect(judge.ready).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(judge.threadId).toBeNull();
    expect(log).toMatchObject({ ready: 0, restarts: [1, 2], givenUp: [3] });
    expect(log.failures).toHaveLength(3);
  }, 60_000);
});
