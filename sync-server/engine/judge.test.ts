import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket, formatLeasedNo } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { toAutomerge } from '../protocol';
import type { EmbeddedStorage } from '../storage/embedded';
import { useEmbeddedStorage } from '../testing/use-embedded';
import { WorkerJudge, type NewTicketJudge } from './judge-pool';
import { judgeNewTickets } from './new-tickets';
import { PushPipeline, type Pusher } from './push';
import { TicketDocs } from './tickets';

/**
 * A big push's new tickets are judged half here, half by the judge (another thread): whatever
 * judges them, the verdicts, what is stored and what is refused are the same.
 */
const NOW = new Date('2026-12-02T02:00:00.000Z');
const DAY = '20261202';
const agent: Pusher = { user: 'wang.fang', role: 'agent', sites: [DEMO_SITE.id], seatId: 'seat-a', seatCode: 'AA', device: 'seat-a-pc' };

function newTicket(no: string, opts: { site?: string; by?: string; edits?: number } = {}): { id: string; changes: Uint8Array[] } {
  const id = randomUUID();
  const r = createTicket(COMPLETE_SYSTEM_FORM, { id, no, site: opts.site ?? DEMO_SITE.id, now: NOW.toISOString(), actor: { user: opts.by ?? 'wang.fang', kind: 'agent' }, template: DEMO_TEMPLATE });
  if (!r.ok) throw new Error(r.message);
  let doc = A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(r.ticket)));
  for (let i = 0; i < (opts.edits ?? 0); i++) doc = A.change(doc, (d) => void (d.updatedAt = toAutomerge(new Date(NOW.getTime() + i + 1).toISOString())));
  const changes = A.getAllChanges(doc);
  A.free(doc);
  return { id, changes };
}

/** 20 new tickets: 16 good ones (some with follow-up edits), one for another site, one recorded as someone else, two with the same number. */
async function bigPush(storage: EmbeddedStorage): Promise<{ id: string; changes: Uint8Array[] }[]> {
  const block = await storage.lease(DEMO_SITE.id, DAY, 30, 'seat-a');
  const no = (i: number) => formatLeasedNo(DEMO_SITE.prefix, DAY, block.from + i);
  const tickets = Array.from({ length: 16 }, (_, i) => newTicket(no(i), { edits: i % 3 }));
  tickets.splice(3, 0, newTicket(no(20), { site: 'other-plant' }));
  tickets.splice(12, 0, newTicket(no(21), { by: 'li.na' }));
  tickets.push(newTicket(no(22)), newTicket(no(22)));
  return tickets;
}

const storages = useEmbeddedStorage();
async function run(judge: NewTicketJudge | null) {
  const storage = await storages.fresh('closeloop-judge-');
  const pipeline = new PushPipeline(storage, new TicketDocs(storage, 50), () => NOW, judge);
  const tickets = await bigPush(storage);
  const result = await pipeline.push(agent, tickets);
  const stored = await storage.readTickets(DEMO_SITE.id, null, 100);
  const byId = new Map(stored.map((t) => [t.id, t]));
  // Ticket ids are random per run: compare by position in the push.
  return {
    accepted: tickets.map((t) => result.accepted.find((a) => a.id === t.id)?.hashes.length ?? 0),
    refused: tickets.map((t) => result.refused.filter((r) => r.ticketId === t.id).map((r) => r.code)),
    rows: tickets.map((t) => {
      const row = byId.get(t.id)?.row;
      return row ? { no: row.no, state: row.state, title: row.title, updatedAt: row.updatedAt, conflicts: row.conflicts } : null;
    }),
    cached: tickets.filter((t) => pipeline.docs.cache.get(t.id) !== undefined).length,
  };
}

const here = (fn: NewTicketJudge['judge']): NewTicketJudge & { calls: number } => {
  const j = { ready: true, calls: 0, judge: (t: Parameters<typeof fn>[0], a: Parameters<typeof fn>[1]) => (j.calls++, fn(t, a)), close: async () => undefined };
  return j;
};

describe('judging new tickets elsewhere', () => {
  it('gives the same verdicts, rows and refusals as judging them all in the pipeline', async () => {
    const alone = await run(null);
    expect(alone.refused.filter((r) => r.length > 0)).toEqual([['wrong_site'], ['not_allowed'], ['number']]);
    expect(alone.cached).toBe(17);
    const judge = here(judgeNewTickets);
    const split = await run(judge);
    expect(judge.calls).toBe(1);
    expect(split.accepted).toEqual(alone.accepted);
    expect(split.refused).toEqual(alone.refused);
    expect(split.rows).toEqual(alone.rows);
    // The half judged elsewhere has no document here: it is read from storage when next edited.
    expect(split.cached).toBeLessThan(alone.cached);
  });

  it('judges them in the pipeline when the judge fails', async () => {
    const alone = await run(null);
    const judge = here(async () => {
      throw new Error('worker gone');
    });
    const failed = await run(judge);
    expect(judge.calls).toBe(1);
    expect(failed).toEqual(alone);
  });

  it('runs in a worker thread', async () => {
    const judge = new WorkerJudge();
    try {
      const deadline = Date.now() + 30_000;
      while (!judge.ready) {
        if (Date.now() > deadline) throw new Error('the judge worker did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      const tickets = [newTicket('MX-20261202-AA-0001'), newTicket('MX-20261202-AA-0002', { site: 'other-plant' })];
      const actor = { user: agent.user, role: agent.role, sites: agent.sites };
      const there = await judge.judge(tickets, actor);
      const local = await judgeNewTickets(tickets, actor);
      expect(there.map((j) => [j.id, j.accepted.map((c) => c.hash), j.refused.map((r) => r.code), j.view, j.row])).toEqual(local.map((j) => [j.id, j.accepted.map((c) => c.hash), j.refused.map((r) => r.code), j.view, j.row]));
      expect(there[0]!.row?.no).toBe('MX-20261202-AA-0001');
    } finally {
      await judge.close();
    }
    await expect(judge.judge([], { user: 'x', role: 'agent', sites: [] })).rejects.toThrow(/not running/);
  }, 60_000);
});
