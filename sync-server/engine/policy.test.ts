import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { applyTransition, type ActionId, type Actor, type Ticket, type TransitionInput } from '../../domain';
import { newTicket, NOW } from '../../domain/testing/fixtures';
import { toAutomerge, viewTicket } from '../protocol';
import { judgeChange, type PolicyActor } from './policy';

const view = (t: Ticket) => viewTicket(A.from(toAutomerge(t) as Record<string, unknown>))!;
const agent: PolicyActor = { user: 'wang.fang', role: 'agent', sites: ['mx-plant'] };
const dispatcher: PolicyActor = { user: 'zhang.wei', role: 'dispatcher', sites: ['mx-plant'] };
const tech: PolicyActor = { user: 'lin.chief', role: 'technician', sites: ['mx-plant'] };
const supervisor: PolicyActor = { user: 'zhou.sup', role: 'supervisor', sites: ['mx-plant'] };
const noConflict = { assigneeConflict: () => null };

function after(t: Ticket, action: ActionId, who: Actor, input: TransitionInput = {}): Ticket {
  const next = structuredClone(t);
  applyTransition(next, action, who, input, NOW);
  return next;
}
const as = (a: PolicyActor): Actor => ({ user: a.user, kind: a.role });

describe('the server’s workflow policy', () => {
  it('lets an agent create a ticket of their site, and nobody else’s', () => {
    expect(judgeChange(null, view(newTicket()), agent, noConflict)).toBeNull();
    expect(judgeChange(null, view(newTicket()), { ...agent, sites: ['other'] }, noConflict)?.code).toBe('wrong_site');
    expect(judgeChange(null, view(newTicket()), tech, noConflict)?.code).toBe('not_allowed');
    expect(judgeChange(null, view(newTicket()), { ...dispatcher }, noConflict)?.reason).toMatch(/recorded as wang.fang/);
  });

  it('lets a dispatcher dispatch, and refuses a technician who tries', () => {
    const t = newTicket();
    expect(judgeChange(view(t), view(after(t, 'dispatch', as(dispatcher), { assignee: 'lin.chief' })), dispatcher, noConflict)).toBeNull();
    expect(judgeChange(view(t), view(after(t, 'dispatch', as(tech), { assignee: 'lin.chief' })), tech, noConflict)?.code).toBe('not_allowed');
  });

  it('lets only the assignee accept', () => {
    const t = after(newTicket(), 'dispatch', as(dispatcher), { assignee: 'lin.chief' });
    expect(judgeChange(view(t), view(after(t, 'accept', as(tech))), tech, noConflict)).toBeNull();
    const other: PolicyActor = { ...tech, user: 'chen.tech' };
    expect(judgeChange(view(t), view(after(t, 'accept', as(other))), other, noConflict)?.code).toBe('not_allowed');
  });

  it('refuses an audit entry written in someone else’s name', () => {
    const t = newTicket();
    const forged = after(t, 'dispatch', { user: 'zhang.wei', kind: 'dispatcher' }, { assignee: 'lin.chief' });
    expect(judgeChange(view(t), view(forged), agent, noConflict)?.reason).toMatch(/names zhang.wei/);
  });

  it('accepts transitions recorded by a rule on any seat of the site', () => {
    const t = newTicket();
    expect(judgeChange(view(t), view(after(t, 'dispatch', { user: 'rule:night-shift', kind: 'automation' }, { assignee: 'lin.chief' })), agent, noConflict)).toBeNull();
  });

  it('refuses edits to a closed ticket, but lets a supervisor reopen it', () => {
    const closed = newTicket({ state: 'closed' });
    const edited = { ...structuredClone(closed), title: 'changed' };
    expect(judgeChange(view(closed), view(edited), agent, noConflict)?.code).toBe('closed');
    expect(judgeChange(view(closed), view(after(closed, 'reopen', as(supervisor), { reason: '仍漏水' })), supervisor, noConflict)).toBeNull();
  });

  it('refuses state, milestone and assignee changes without a recorded transition', () => {
    const t = newTicket();
    expect(judgeChange(view(t), view({ ...t, state: 'closed' }), supervisor, noConflict)?.reason).toMatch(/recorded transition/);
    expect(judgeChange(view(t), view({ ...t, milestones: { ...t.milestones, resolved: NOW } }), supervisor, noConflict)?.reason).toMatch(/milestones/);
    expect(judgeChange(view(t), view({ ...t, assignee: 'lin.chief' }), tech, noConflict)?.reason).toMatch(/assignee/);
  });

  it('refuses rewriting or removing audit entries, and changing id, site or number', () => {
    const t = after(newTicket(), 'dispatch', as(dispatcher), { assignee: 'lin.chief' });
    expect(judgeChange(view(t), view({ ...t, audit: t.audit.slice(0, 1) }), supervisor, noConflict)?.reason).toMatch(/removed/);
    const rewritten = structuredClone(t);
    rewritten.audit[1]!.by = 'zhou.sup';
    expect(judgeChange(view(t), view(rewritten), supervisor, noConflict)?.reason).toMatch(/rewritten/);
    expect(judgeChange(view(t), view({ ...t, no: 'MX20260218-9999' }), supervisor, noConflict)?.reason).toMatch(/never change/);
  });

  it('lets a supervisor settle a conflicted assignee, even on the value that won', () => {
    const t = after(newTicket(), 'dispatch', as(dispatcher), { assignee: 'lin.chief' });
    const settled = after(t, 'reassign', as(supervisor), { assignee: 'lin.chief' });
    expect(judgeChange(view(t), view(settled), supervisor, noConflict)?.code).toBe('not_allowed');
    expect(judgeChange(view(t), view(settled), supervisor, { assigneeConflict: () => ['chen.tech', 'lin.chief'] })).toBeNull();
    expect(judgeChange(view(t), view({ ...t, assignee: 'chen.tech' }), supervisor, { assigneeConflict: () => ['chen.tech', 'lin.chief'] })).toBeNull();
  });
});
