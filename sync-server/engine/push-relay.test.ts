import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket, formatLeasedNo } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { toAutomerge } from '../protocol';
import { EmbeddedStorage } from '../storage/embedded';
import type { CommitTicket, SyncStorage } from '../storage/types';
import { PushPipeline, type Pusher } from './push';
import { TicketDocs } from './tickets';

/** The push pipeline relays accepted edits of known tickets before its commit, and only those. */
const NOW = new Date('2026-12-02T02:00:00.000Z');
const who: Pusher = { user: 'wang.fang', role: 'agent', sites: [DEMO_SITE.id], seatId: 'seat-a', seatCode: 'AA', device: 'pc-a' };

describe('push pipeline: early relay', () => {
  let dir: string;
  let storage: EmbeddedStorage;
  let events: string[];
  let failNext: boolean;
  let pipeline: PushPipeline;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'closeloop-relay-'));
    storage = await EmbeddedStorage.open({ dir });
    await storage.putSite({ ...DEMO_SITE });
    events = [];
    failNext = false;
    // The storage as the pipeline sees it, with its commit recorded (and failing on demand).
    const watched = new Proxy(storage, {
      get(target, key, receiver) {
        if (key !== 'commit') return Reflect.get(target, key, receiver) as unknown;
        return async (batch: Parameters<SyncStorage['commit']>[0]) => {
          events.push('commit');
          if (failNext) throw new Error('disk full');
          return target.commit(batch);
        };
      },
    }) as SyncStorage;
    const early = {
      relay: (origin: string, tickets: readonly CommitTicket[]) => events.push(`relay ${origin} ${tickets.map((t) => `${t.id}:${t.changes.length}`).join(',')}`),
      settle: (tickets: readonly CommitTicket[]) => events.push(`settle ${tickets.length}`),
    };
    pipeline = new PushPipeline(watched, new TicketDocs(watched, 50), () => NOW, early);
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function made(): Promise<{ id: string; doc: A.Doc<Record<string, unknown>> }> {
    const block = await storage.lease(DEMO_SITE.id, '20261202', 1, who.seatId);
    const id = randomUUID();
    const r = createTicket(COMPLETE_SYSTEM_FORM, { id, no: formatLeasedNo(DEMO_SITE.prefix, '20261202', block.from), site: DEMO_SITE.id, now: NOW.toISOString(), actor: { user: who.user, kind: 'agent' }, template: DEMO_TEMPLATE });
    if (!r.ok) throw new Error(r.message);
    const doc = A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(r.ticket)));
    expect((await pipeline.push(who, [{ id, changes: [A.getLastLocalChange(doc)!] }])).refused).toEqual([]);
    return { id, doc };
  }
  const comment = (doc: A.Doc<Record<string, unknown>>) =>
    A.change(doc, (d) => void (d.comments as unknown[]).push(toAutomerge({ id: randomUUID(), at: NOW.toISOString(), by: who.user, text: '已电话联系' })));

  it('commits a new ticket before anyone hears of it, and relays an edit before its commit', async () => {
    const { id, doc } = await made();
    expect(events).toEqual(['commit']);
    events.length = 0;
    const next = comment(doc);
    expect((await pipeline.push(who, [{ id, changes: [A.getLastLocalChange(next)!] }])).accepted).toHaveLength(1);
    expect(events).toEqual([`relay seat-a ${id}:1`, 'commit', 'settle 1']);
  });

  it('settles a relay whose commit failed, and the push fails (the seat pushes again)', async () => {
    const { id, doc } = await made();
    events.length = 0;
    failNext = true;
    await expect(pipeline.push(who, [{ id, changes: [A.getLastLocalChange(comment(doc))!] }])).rejects.toThrow('disk full');
    expect(events).toEqual([`relay seat-a ${id}:1`, 'commit', 'settle 1']);
  });

  it('relays nothing the policy refused', async () => {
    const { id, doc } = await made();
    events.length = 0;
    // An agent may not close a ticket: refused, so not relayed (the audit line is still committed).
    const closed = A.change(doc, (d) => void (d.state = 'closed'));
    const r = await pipeline.push(who, [{ id, changes: [A.getLastLocalChange(closed)!] }]);
    expect(r.refused).toHaveLength(1);
    expect(events).toEqual(['commit']);
  });
});
