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
import { RESTORED_LEASE_SEAT } from '../storage/types';
import { PushPipeline, type Pusher } from './push';
import { TicketDocs } from './tickets';

/** Leased ticket numbers at the push: the seat's own block, nobody else's — and after a restore, the set-aside blocks. */
const NOW = new Date('2026-12-02T02:00:00.000Z');
const DAY = '20261202';
const agent = (seatId: string, seatCode: string): Pusher => ({ user: 'wang.fang', role: 'agent', sites: [DEMO_SITE.id], seatId, seatCode, device: `${seatId}-pc` });

function newTicket(no: string): { id: string; changes: Uint8Array[] } {
  const id = randomUUID();
  const r = createTicket(COMPLETE_SYSTEM_FORM, { id, no, site: DEMO_SITE.id, now: NOW.toISOString(), actor: { user: 'wang.fang', kind: 'agent' }, template: DEMO_TEMPLATE });
  if (!r.ok) throw new Error(r.message);
  const doc = A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(r.ticket)));
  const change = A.getLastLocalChange(doc)!;
  A.free(doc);
  return { id, changes: [change] };
}

describe('ticket numbers at the push', () => {
  let dir: string;
  let storage: EmbeddedStorage;
  let pipeline: PushPipeline;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'closeloop-numbers-'));
    storage = await EmbeddedStorage.open({ dir });
    await storage.putSite({ ...DEMO_SITE });
    pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), () => NOW);
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a number from the seat’s own block and refuses one leased to another seat', async () => {
    const mine = await storage.lease(DEMO_SITE.id, DAY, 5, 'seat-a');
    const theirs = await storage.lease(DEMO_SITE.id, DAY, 5, 'seat-b');
    const ok = await pipeline.push(agent('seat-a', 'AA'), [newTicket(formatLeasedNo(DEMO_SITE.prefix, DAY, mine.from))]);
    expect(ok.refused).toEqual([]);
    const bad = await pipeline.push(agent('seat-a', 'AA'), [newTicket(formatLeasedNo(DEMO_SITE.prefix, DAY, theirs.from))]);
    expect(bad.refused[0]?.reason).toMatch(/not leased to this seat/);
  });

  it('takes a number from a block a restore set aside, once', async () => {
    const gap = await storage.lease(DEMO_SITE.id, DAY, 100, RESTORED_LEASE_SEAT);
    const no = formatLeasedNo(DEMO_SITE.prefix, DAY, gap.from + 3);
    expect((await pipeline.push(agent('seat-a', 'AA'), [newTicket(no)])).refused).toEqual([]);
    const again = await pipeline.push(agent('seat-b', 'AB'), [newTicket(no)]);
    expect(again.refused[0]?.reason).toMatch(/already used by another ticket/);
  });
});
