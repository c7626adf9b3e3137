import * as Automerge from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { applyTransition } from '../../../domain';
import { changeTicketDoc, decodeMessage, encodeNewTicket, newTicketDoc, toTicket } from './ticket-doc';
import { T0, change, makeTicket } from './test-tickets';

describe('ticket documents', () => {
  it('round-trips a ticket, strings stored as immutable scalars, undefined dropped', () => {
    const t = makeTicket(1);
    const doc = newTicketDoc({ ...t, extra: undefined } as typeof t, change('create'));
    expect(toTicket(doc)).toEqual(t);
    expect(Automerge.toJS(doc).title).toBeInstanceOf(Automerge.ImmutableString);
    const [c] = Automerge.getAllChanges(doc);
    const decoded = Automerge.decodeChange(c!);
    expect(decodeMessage(decoded.message)).toEqual({ by: 'wang.fang', seat: 'AB', action: 'create' });
    expect(decoded.time).toBe(T0 / 1000);
    Automerge.free(doc);
  });

  it('writes only what a transition changed, as one change', () => {
    const t = makeTicket(1);
    const doc = newTicketDoc(t, change('create'));
    const next = structuredClone(t);
    applyTransition(next, 'return_for_info', { user: 'wang.fang', kind: 'agent' }, { reason: '请补充照片', missing: ['attachments'] }, new Date(T0 + 60_000).toISOString());
    const changed = changeTicketDoc(doc, t, next, change('return_for_info'));
    expect(toTicket(changed)).toEqual(next);
    expect(Automerge.getAllChanges(changed)).toHaveLength(2);
    const back = structuredClone(next);
    applyTransition(back, 'supply_info', { user: 'wang.fang', kind: 'agent' }, { form: { attachments: ['a.jpg'] } }, new Date(T0 + 120_000).toISOString());
    back.tags = [];
    const again = changeTicketDoc(changed, next, back, change('supply_info'));
    expect(toTicket(again)).toEqual(back);
    expect(changeTicketDoc(again, back, structuredClone(back), change('noop'))).toBe(again);
    Automerge.free(again);
  });

  it('shortens lists and removes keys that went away', () => {
    const t = { ...makeTicket(1), tags: ['a', 'b', 'c'] };
    const doc = newTicketDoc(t, change('create'));
    const { device: _drop, ...rest } = t;
    const next = { ...rest, tags: ['a'] } as unknown as typeof t;
    const changed = changeTicketDoc(doc, t, next, change('edit'));
    expect(toTicket(changed).tags).toEqual(['a']);
    expect('device' in toTicket(changed)).toBe(false);
    Automerge.free(changed);
  });

  it('ignores change messages that are not ours', () => {
    expect(decodeMessage(null)).toBeNull();
    expect(decodeMessage('plain text')).toBeNull();
    expect(decodeMessage('{"by":1}')).toBeNull();
  });
});

describe('import fast path', () => {
  it('stores the same document as the ordinary path, with its one change and heads', () => {
    const t = makeTicket(1);
    const fast = encodeNewTicket({ ...t, extra: undefined } as typeof t, change('import'));
    const doc = Automerge.load<Record<string, unknown>>(fast.bytes);
    expect(toTicket(doc)).toEqual(toTicket(newTicketDoc(t, change('import'))));
    expect(Automerge.toJS(doc).title).toBeInstanceOf(Automerge.ImmutableString);
    expect(Automerge.getHeads(doc)).toEqual(fast.heads);
    expect(Automerge.getAllChanges(doc)).toEqual([fast.change]);
    expect(Automerge.decodeChange(fast.change)).toMatchObject({ message: JSON.stringify({ by: 'wang.fang', seat: 'AB', action: 'import' }), time: T0 / 1000 });
    Automerge.free(doc);
  });
});
