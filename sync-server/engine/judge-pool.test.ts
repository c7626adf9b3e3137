import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket, formatLeasedNo } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { toAutomerge } from '../protocol';
import { EmbeddedStorage } from '../storage/embedded';
import { WorkerJudge } from './judge-pool';
import { PushPipeline, type Pusher } from './push';
import { TicketDocs } from './tickets';

/**
 * A judge worker that cannot be started (the thread cannot be created: ERR_WORKER_INIT_FAILED
 * under a thread or memory limit) does not fail the push: the pipeline judges everything itself,
 * and the documents it took out of the LRU go back (found in review: `ready` threw from inside
 * the push after the cache was emptied).
 */
vi.mock('node:worker_threads', async (importOriginal) => {
  const orig = await importOriginal<typeof WorkerThreads>();
  class Worker {
    constructor() {
      throw Object.assign(new Error('ERR_WORKER_INIT_FAILED: the worker thread could not be created'), { code: 'ERR_WORKER_INIT_FAILED' });
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

const dirs: string[] = [];
const open: EmbeddedStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a judge worker that cannot start', () => {
  it('judges a big push in the pipeline instead of failing it, and keeps the LRU documents it took', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'closeloop-judge-review-'));
    dirs.push(dir);
    const storage = await EmbeddedStorage.open({ dir });
    open.push(storage);
    await storage.putSite({ ...DEMO_SITE });
    const failures: Error[] = [];
    const judge = new WorkerJudge({ onFail: (e) => failures.push(e) });
    const pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), () => NOW, judge);
    const block = await storage.lease(DEMO_SITE.id, DAY, 30, 'seat-a');
    const no = (i: number) => formatLeasedNo(DEMO_SITE.prefix, DAY, block.from + i);

    // A ticket the server already has, its document in the LRU.
    const known = newTicket(no(0));
    await pipeline.push(agent, [{ id: known.id, changes: known.changes }]);
    expect(pipeline.docs.cache.get(known.id)).toBeDefined();

    // A push with an edit of it and 16 tickets new to the server: big enough to ask the judge.
    const heads = A.getHeads(known.doc);
    const edited = A.change(known.doc, (d) => void (d.updatedAt = toAutomerge(new Date(NOW.getTime() + 1).toISOString())));
    const edit = { id: known.id, changes: A.getChangesSince(edited, heads) };
    const fresh = Array.from({ length: 16 }, (_, i) => newTicket(no(i + 1)));
    const push = [edit, ...fresh.map((t) => ({ id: t.id, changes: t.changes }))];

    const result = await pipeline.push(agent, push);
    expect(result.refused).toEqual([]);
    expect(result.accepted).toHaveLength(17);
    expect(pipeline.docs.cache.get(known.id)).toBeDefined();
    expect(judge.ready).toBe(false);
    expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/ERR_WORKER_INIT_FAILED/)]);
    await judge.close();
  });
});
