import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { applyTransition, type Ticket } from '../../domain';
import { newTicket, NOW } from '../../domain/testing/fixtures';
import { changeMeta, plain, toAutomerge } from '../protocol';
import { applyTicketChanges } from './apply';
import type { PolicyActor } from './policy';

const dispatcher: PolicyActor = { user: 'zhang.wei', role: 'dispatcher', sites: ['mx-plant'] };
type D = A.Doc<Record<string, unknown>>;

function seatDoc(): { doc: D; created: Uint8Array } {
  const doc = A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(newTicket())));
  return { doc, created: A.getLastLocalChange(doc)! };
}
function edit(doc: D, fn: (t: Record<string, unknown>) => void): [D, Uint8Array] {
  const next = A.change(doc, fn);
  return [next, A.getLastLocalChange(next)!];
}
const rebuildFrom = (bytes: Uint8Array[]) => async () => A.load<unknown>(bytes.reduce((a, b) => new Uint8Array([...a, ...b]), new Uint8Array()));

describe('applying a ticket’s pushed changes', () => {
  it('keeps honest changes around a refused one and refuses what builds on it', async () => {
    const { doc, created } = seatDoc();
    const [d1, comment] = edit(doc, (t) => void (t.comments as unknown[]).push(toAutomerge({ id: 'c1', at: NOW, by: 'zhang.wei', text: 'ok' })));
    // a concurrent, forbidden change: state set without a transition
    const [d2, forbidden] = edit(A.clone(d1), (t) => void (t.state = 'closed'));
    const [, onTop] = edit(d2, (t) => void (t.title = 'after the forbidden change'));
    const [, honest] = edit(A.clone(d1), (t) => void (t.urgency = '2小时内'));
    const start = A.load<unknown>(created);
    const out = await applyTicketChanges('t', start, [onTop, forbidden, comment, honest], dispatcher, rebuildFrom([created]));
    expect(out.accepted.map((c) => c.hash).sort()).toEqual([changeMeta(comment).hash, changeMeta(honest).hash].sort());
    expect(out.refused.map((r) => r.code).sort()).toEqual(['depends_on_refused', 'not_allowed']);
    expect(plain((out.doc as { state: unknown }).state)).toBe('pending_acceptance');
    expect(A.hasHeads(out.doc!, [changeMeta(honest).hash])).toBe(true);
  });

  it('treats redelivered changes as known and applies changes given out of order', async () => {
    const { doc, created } = seatDoc();
    const [d1, c1] = edit(doc, (t) => void (t.urgency = '24小时内'));
    const [, c2] = edit(d1, (t) => void (t.priority = toAutomerge('P2')));
    const start = A.load<unknown>(created);
    const out = await applyTicketChanges('t', start, [c2, c1, created], dispatcher, rebuildFrom([created]));
    expect(out.known).toEqual([changeMeta(created).hash]);
    expect(out.accepted.map((c) => c.hash)).toEqual([changeMeta(c1).hash, changeMeta(c2).hash]);
  });

  it('refuses changes whose history the server never got, and a second root for an existing ticket', async () => {
    const { doc, created } = seatDoc();
    const [d1] = edit(doc, (t) => void (t.urgency = '24小时内'));
    const [, orphan] = edit(d1, (t) => void (t.priority = toAutomerge('P3')));
    const other = seatDoc().created;
    const out = await applyTicketChanges('t', A.load<unknown>(created), [orphan, other], dispatcher, rebuildFrom([created]));
    expect(out.refused.map((r) => r.code).sort()).toEqual(['missing_deps', 'not_allowed']);
  });

  it('accepts a transition judged on the author’s view when the server has moved on concurrently', async () => {
    const { doc, created } = seatDoc();
    const t = newTicket();
    const dispatched = structuredClone(t) as Ticket;
    applyTransition(dispatched, 'dispatch', { user: 'zhang.wei', kind: 'dispatcher' }, { assignee: 'lin.chief' }, NOW);
    const [, dispatch] = edit(A.clone(doc), (d) => {
      d.state = toAutomerge('dispatched');
      d.assignee = toAutomerge('lin.chief');
      (d.milestones as Record<string, unknown>).assigned = toAutomerge(NOW);
      (d.audit as unknown[]).push(toAutomerge(dispatched.audit[1]));
    });
    const [, concurrent] = edit(A.clone(doc), (d) => void (d.urgency = '立即处理'));
    const start = A.applyChanges(A.load<unknown>(created), [concurrent])[0];
    const out = await applyTicketChanges('t', start, [dispatch], dispatcher, rebuildFrom([created, concurrent]));
    expect(out.refused).toEqual([]);
    expect(plain((out.doc as { state: unknown }).state)).toBe('dispatched');
  });

  it('judges a change that names its author’s earlier change again besides the heads on the document as it is', async () => {
    const { doc, created } = seatDoc();
    const [d1, own] = edit(doc, (t) => void (t.urgency = '24小时内'));
    const [, other] = edit(A.clone(d1), (t) => void (t.priority = 'P1')); // another seat, on top of it
    const [seat] = A.applyChanges(d1, [other]);
    const [, again] = edit(seat, (t) => void (t.comments as unknown[]).push(toAutomerge({ id: 'c2', at: NOW, by: 'zhang.wei', text: 'again' })));
    expect(changeMeta(again).deps.sort()).toEqual([changeMeta(own).hash, changeMeta(other).hash].sort()); // what Automerge does
    const start = A.applyChanges(A.load<unknown>(created), [own, other])[0];
    const out = await applyTicketChanges('t', start, [again], dispatcher, rebuildFrom([created, own, other]));
    expect(out.refused).toEqual([]);
    expect(out.accepted.map((c) => c.hash)).toEqual([changeMeta(again).hash]);
    expect(A.getHeads(out.doc!)).toEqual([changeMeta(again).hash]);
  });
});

