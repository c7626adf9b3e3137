import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { applyTransition, type Ticket } from '../../domain';
import { newTicket } from '../../domain/testing/fixtures';
import { judgeChange } from '../engine/policy';
import { changeMeta, plain, toAutomerge, viewTicket } from '../protocol';
import { delivery } from '../storage/delivery-acceptance';
import { connectorPusher, statusChange } from './reporter';

/** The status change is a plain edit the server's own policy accepts — also on a ticket closed since. */
const KEY = 'erp-push@v1/transition:pending_verification/2026-02-18T15:00:00.000Z/push/erp';
const SENT_AT = '2026-02-18T15:01:00.000Z';

function docWithEntry(state: Ticket['state']): A.Doc<Record<string, unknown>> {
  const t = newTicket({ state, assignee: 'lin.chief' });
  t.outbox[KEY] = { rule: 'erp-push', channel: 'push', to: 'erp', payload: { kind: 'device_recent_repairs' }, createdAt: SENT_AT, status: 'pending', statusAt: null };
  return A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(t)));
}

function judged(doc: A.Doc<Record<string, unknown>>, change: Uint8Array) {
  const meta = changeMeta(change);
  const [next] = A.applyChanges(A.clone(doc), [change]) as [A.Doc<Record<string, unknown>>];
  const verdict = judgeChange(viewTicket(A.view(next, meta.deps)), viewTicket(A.view(next, [meta.hash])), connectorPusher('mx-plant'), { assigneeConflict: () => null });
  return { next, verdict };
}

describe('delivery status in the ticket', () => {
  it('sets status and statusAt of the entry, and the policy judges it a plain edit', () => {
    const doc = docWithEntry('pending_verification');
    const rec = delivery('d1', { ticket: 't', key: KEY, state: 'sent', sentAt: SENT_AT, seenHeads: A.getHeads(doc) });
    const change = statusChange(doc, [rec], new Date(SENT_AT))!;
    const { next, verdict } = judged(doc, change);
    expect(verdict).toBeNull();
    expect(plain((next.outbox as Record<string, unknown>)[KEY])).toMatchObject({ status: 'sent', statusAt: SENT_AT });
    expect(JSON.parse(A.decodeChange(change).message!)).toEqual({ by: 'connector', seat: 'connector', action: 'delivery' });
    expect(statusChange(next, [rec], new Date(SENT_AT))).toBeNull();
  });

  it('writes on the view it saw when the ticket was closed since, so the policy still accepts it', () => {
    let doc = docWithEntry('pending_verification');
    const seen = A.getHeads(doc);
    doc = A.change(doc, (d) => {
      const t = plain(d) as Ticket;
      applyTransition(t, 'verify', { user: 'zhou.sup', kind: 'supervisor' }, {}, SENT_AT);
      d.state = new A.ImmutableString(t.state);
      (d.audit as unknown[]).push(toAutomerge(t.audit.at(-1)));
    });
    const rec = delivery('d1', { ticket: 't', key: KEY, state: 'dead', outcome: 'unknown', updatedAt: SENT_AT, seenHeads: seen });
    const change = statusChange(doc, [rec], new Date(SENT_AT))!;
    expect(changeMeta(change).deps).toEqual(seen);
    const { next, verdict } = judged(doc, change);
    expect(verdict).toBeNull();
    expect(plain(next.state)).toBe('closed');
    expect(plain((next.outbox as Record<string, unknown>)[KEY])).toMatchObject({ status: 'unknown', statusAt: SENT_AT });
  });
});
