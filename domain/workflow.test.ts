import { describe, expect, it } from 'vitest';
import { WORKFLOW, type ActionId } from './workflow-table';
import { applyTransition, availableActions, checkTransition, type Actor } from './workflow';
import { DEMO_TEMPLATE } from './demo-template';
import { ticketIn, NOW } from './testing/fixtures';
import type { Ticket } from './ticket';

const ASSIGNEE = 'chen.tech';
const actors: Record<string, Actor> = {
  agent: { user: 'wang.fang', kind: 'agent' },
  dispatcher: { user: 'zhang.wei', kind: 'dispatcher' },
  assignee: { user: ASSIGNEE, kind: 'technician' },
  otherTechnician: { user: 'zhao.tech', kind: 'technician' },
  supervisor: { user: 'zhou.sup', kind: 'supervisor' },
  admin: { user: 'admin', kind: 'admin' },
  requester: { user: 'requester:MX20260218-0872', kind: 'requester' },
  automation: { user: 'rule:night-bearing', kind: 'automation' },
};

/** Who may do what, written out from DESIGN.md §2 (not derived from the table under test). */
const EXPECTED: Record<ActionId, string[]> = {
  dispatch: ['dispatcher', 'supervisor', 'automation'],
  return_for_info: ['agent', 'dispatcher', 'supervisor'],
  supply_info: ['requester', 'agent', 'supervisor'],
  accept: ['assignee'],
  reassign: ['dispatcher', 'supervisor'],
  decline: ['assignee'],
  first_response: ['assignee'],
  arrive: ['assignee'],
  pause: ['assignee'],
  resume: ['assignee'],
  resolve: ['assignee'],
  verify: ['requester', 'agent', 'supervisor'],
  reject: ['requester', 'agent', 'supervisor'],
  archive: ['automation', 'supervisor'],
  reopen: ['supervisor'],
  cancel: ['agent', 'dispatcher', 'supervisor'],
};

/** A ticket in the action's first `from` state with every precondition met. */
function readyFor(action: ActionId): Ticket {
  const def = WORKFLOW.find((d) => d.action === action)!;
  const t = ticketIn(def.from[0]!, { assignee: ASSIGNEE });
  if (action === 'supply_info') t.awaitingInfo = true;
  if (action === 'arrive') t.milestones.firstResponse = NOW;
  if (action === 'resume') t.pauses.push({ from: NOW, to: null, reason: '等待备件', kind: 'parts' });
  return t;
}
const fullInput = { assignee: 'lin.chief', reason: '原因', note: '说明', form: {} };

describe('workflow: every transition × every role', () => {
  for (const def of WORKFLOW) {
    for (const [who, actor] of Object.entries(actors)) {
      const allowed = EXPECTED[def.action].includes(who);
      it(`${def.action} by ${who} is ${allowed ? 'allowed' : 'refused'}`, () => {
        const refusal = checkTransition(readyFor(def.action), def.action, actor, fullInput, DEMO_TEMPLATE);
        if (allowed) expect(refusal).toBeNull();
        else {
          expect(refusal?.code).toBe('not_allowed');
          expect(refusal?.message).toMatch(/无权|只有该工单的处理人/);
        }
      });
    }
  }
  it('covers every action in the table', () => {
    expect(WORKFLOW.map((d) => d.action).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});

describe('workflow: refusals say what is wrong', () => {
  it('refuses to dispatch without an assignee, naming the field', () => {
    const r = checkTransition(readyFor('dispatch'), 'dispatch', actors.dispatcher!, {});
    expect(r).toMatchObject({ code: 'missing_input', field: 'assignee', message: '请选择处理人' });
  });
  it('refuses to accept a ticket that is still pending acceptance', () => {
    const r = checkTransition(ticketIn('pending_acceptance', { assignee: ASSIGNEE }), 'accept', actors.assignee!);
    expect(r?.code).toBe('wrong_state');
    expect(r?.message).toContain('待受理');
  });
  it('refuses arrival before the first response', () => {
    const r = checkTransition(ticketIn('in_progress', { assignee: ASSIGNEE }), 'arrive', actors.assignee!);
    expect(r).toMatchObject({ code: 'precondition', message: '请先完成首次响应' });
  });
  it('refuses a second first response', () => {
    const t = ticketIn('in_progress', { assignee: ASSIGNEE });
    t.milestones.firstResponse = NOW;
    expect(checkTransition(t, 'first_response', actors.assignee!, { note: '再次' })?.code).toBe('precondition');
  });
  it('refuses supplying info that still leaves the form incomplete', () => {
    const t = readyFor('supply_info');
    t.form = { ...t.form, server_ip: '' };
    const r = checkTransition(t, 'supply_info', actors.requester!, { form: {} }, DEMO_TEMPLATE);
    expect(r).toMatchObject({ code: 'incomplete_form', field: 'server_ip', message: '请补充服务器IP以便远程诊断' });
    expect(checkTransition(t, 'supply_info', actors.requester!, { form: { server_ip: '10.0.0.8' } }, DEMO_TEMPLATE)).toBeNull();
  });
  it('refuses to dispatch while the ticket awaits information', () => {
    const t = ticketIn('pending_acceptance', { awaitingInfo: true });
    expect(checkTransition(t, 'dispatch', actors.dispatcher!, { assignee: 'lin.chief' })?.code).toBe('precondition');
  });
  it('refuses any change to a cancelled ticket', () => {
    for (const def of WORKFLOW) {
      expect(checkTransition(ticketIn('cancelled'), def.action, actors.supervisor!, fullInput)?.code).toBe('wrong_state');
    }
  });
  it('refuses an unknown action', () => {
    expect(checkTransition(ticketIn('dispatched'), 'teleport', actors.supervisor!)?.code).toBe('unknown_action');
  });
});

describe('workflow: effects', () => {
  const at = (m: number) => new Date(Date.parse(NOW) + m * 60_000).toISOString();
  it('walks a ticket from creation to archive recording each milestone once', () => {
    const t = ticketIn('pending_acceptance');
    const steps: [ActionId, Actor, object][] = [
      ['dispatch', actors.dispatcher!, { assignee: ASSIGNEE }],
      ['accept', actors.assignee!, {}],
      ['first_response', actors.assignee!, { note: '已电话联系' }],
      ['arrive', actors.assignee!, {}],
      ['resolve', actors.assignee!, { note: '更换轴承' }],
      ['verify', actors.requester!, {}],
      ['archive', actors.automation!, {}],
    ];
    steps.forEach(([action, actor, input], i) => {
      expect(checkTransition(t, action, actor, input)).toBeNull();
      applyTransition(t, action, actor, input, at(i + 1));
    });
    expect(t.state).toBe('closed');
    expect(Object.keys(t.milestones)).toEqual(['created', 'assigned', 'accepted', 'firstResponse', 'arrived', 'resolved', 'verified', 'archived']);
    expect(t.milestones.resolved).toBe(at(5));
    expect(t.audit.map((a) => a.action)).toEqual(['create', 'dispatch', 'accept', 'first_response', 'arrive', 'resolve', 'verify', 'archive']);
    expect(t.audit[6]).toMatchObject({ by: 'requester:MX20260218-0872', kind: 'requester', from: 'pending_verification', to: 'closed' });
  });
  it('return for info flags the ticket, records the reason and pauses the SLA until supplied', () => {
    const t = ticketIn('pending_acceptance');
    applyTransition(t, 'return_for_info', actors.agent!, { reason: '请补充服务器IP', missing: ['server_ip'] }, at(5));
    expect(t.awaitingInfo).toBe(true);
    expect(t.returns).toEqual([{ at: at(5), by: 'wang.fang', reason: '请补充服务器IP', missing: ['server_ip'], suppliedAt: null }]);
    expect(t.pauses).toEqual([{ from: at(5), to: null, reason: '请补充服务器IP', kind: 'awaiting_info' }]);
    applyTransition(t, 'supply_info', actors.requester!, { form: { server_ip: '10.1.1.1' } }, at(30));
    expect(t.awaitingInfo).toBe(false);
    expect(t.form.server_ip).toBe('10.1.1.1');
    expect(t.pauses[0]!.to).toBe(at(30));
    expect(t.returns[0]!.suppliedAt).toBe(at(30));
    expect(t.state).toBe('pending_acceptance');
  });
  it('decline sends the ticket back to the pool without an assignee', () => {
    const t = ticketIn('dispatched', { assignee: ASSIGNEE });
    applyTransition(t, 'decline', actors.assignee!, { reason: '不在本区域' }, at(1));
    expect(t).toMatchObject({ state: 'pending_acceptance', assignee: null, stateEnteredAt: at(1) });
  });
  it('reassign records a new assigned time and restarts the dispatch clock', () => {
    const t = ticketIn('dispatched', { assignee: ASSIGNEE, milestones: { created: NOW, assigned: NOW } });
    applyTransition(t, 'reassign', actors.dispatcher!, { assignee: 'lin.chief' }, at(9));
    expect(t).toMatchObject({ state: 'dispatched', assignee: 'lin.chief', stateEnteredAt: at(9) });
    expect(t.milestones.assigned).toBe(at(9));
  });
  it('waiting for parts pauses until resumed', () => {
    const t = ticketIn('in_progress', { assignee: ASSIGNEE });
    applyTransition(t, 'pause', actors.assignee!, { reason: '等待备件到货' }, at(1));
    expect(t.pauses[0]).toMatchObject({ kind: 'parts', to: null });
    expect(availableActions(t, actors.assignee!)).toContain('resume');
    expect(availableActions(t, actors.assignee!)).not.toContain('pause');
    applyTransition(t, 'resume', actors.assignee!, {}, at(60));
    expect(t.pauses[0]!.to).toBe(at(60));
  });
  it('offers a technician only the actions on tickets assigned to them', () => {
    const t = ticketIn('dispatched', { assignee: ASSIGNEE });
    expect(availableActions(t, actors.assignee!)).toEqual(['accept', 'decline']);
    expect(availableActions(t, actors.otherTechnician!)).toEqual([]);
    expect(availableActions(t, actors.supervisor!)).toEqual(['reassign', 'cancel']);
  });
});
