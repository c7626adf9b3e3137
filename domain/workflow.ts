import type { ActorKind, FormAnswers, Ticket, TicketState } from './ticket';
import { STATE_LABELS, ROLE_LABELS } from './ticket';
import { CREATORS, WORKFLOW, transitionDef, type ActionId, type Requirement, type TransitionDef } from './workflow-table';
import { checkCompleteness, type FormTemplate } from './forms';

export interface Actor {
  /** A person id, `requester:<ticket no>` for a requester link, or `rule:<id>` for automation. */
  user: string;
  kind: ActorKind;
  /** The rule id and version behind an automated change. */
  rule?: string;
}

export interface TransitionInput {
  assignee?: string;
  reason?: string;
  note?: string;
  /** Answers supplied for a return-for-info. */
  form?: FormAnswers;
  /** Fields the ticket was returned for (return_for_info). */
  missing?: string[];
}

export type RefusalCode = 'unknown_action' | 'wrong_state' | 'not_allowed' | 'missing_input' | 'incomplete_form' | 'precondition';

/** A refused transition, with a reason a person can act on. */
export interface Refusal {
  code: RefusalCode;
  field?: string;
  message: string;
  messageEn: string;
}

const refuse = (code: RefusalCode, message: string, messageEn: string, field?: string): Refusal =>
  field === undefined ? { code, message, messageEn } : { code, message, messageEn, field };

function isPaused(t: Pick<Ticket, 'pauses'>): boolean {
  return t.pauses.some((p) => p.to === null);
}

function mayAct(def: TransitionDef, ticket: Ticket, actor: Actor): boolean {
  if (def.who.includes(actor.kind as never)) return true;
  return def.who.includes('assignee') && ticket.assignee !== null && ticket.assignee === actor.user && actor.kind !== 'requester';
}

function requirementRefusal(req: Requirement, ticket: Ticket, input: TransitionInput, template?: FormTemplate): Refusal | null {
  const blank = (s: string | undefined) => s === undefined || s.trim() === '';
  switch (req) {
    case 'assignee':
      return blank(input.assignee) ? refuse('missing_input', '请选择处理人', 'Choose an assignee', 'assignee') : null;
    case 'reason':
      return blank(input.reason) ? refuse('missing_input', '请填写原因', 'Give a reason', 'reason') : null;
    case 'note':
      return blank(input.note) ? refuse('missing_input', '请填写响应内容', 'Write the response note', 'note') : null;
    case 'resolution':
      return blank(input.note) ? refuse('missing_input', '请填写处理结果', 'Write the resolution note', 'note') : null;
    case 'firstResponse':
      return ticket.milestones.firstResponse ? null : refuse('precondition', '请先完成首次响应', 'Record the first response first');
    case 'noFirstResponse':
      return ticket.milestones.firstResponse ? refuse('precondition', '已记录首次响应', 'First response already recorded') : null;
    case 'awaitingInfo':
      return ticket.awaitingInfo ? null : refuse('precondition', '该工单未退回补充信息', 'The ticket is not awaiting information');
    case 'notAwaitingInfo':
      return ticket.awaitingInfo ? refuse('precondition', '工单正在等待补充信息', 'The ticket is awaiting information') : null;
    case 'paused':
      return isPaused(ticket) ? null : refuse('precondition', '工单未处于等待状态', 'The ticket is not paused');
    case 'notPaused':
      return isPaused(ticket) ? refuse('precondition', '工单已处于等待状态', 'The ticket is already paused') : null;
    case 'notArchived':
      return ticket.milestones.archived ? refuse('precondition', '工单已归档', 'Already archived') : null;
    case 'missingFields': {
      if (!template) return null;
      const merged = { ...ticket.form, ...(input.form ?? {}) };
      const c = checkCompleteness(template, merged);
      const first = c.problems[0];
      return first ? refuse('incomplete_form', first.message, `Missing or invalid: ${first.label}`, first.field) : null;
    }
  }
}

/** Why `actor` may not make `action` on `ticket` with `input`, or null when it may. */
export function checkTransition(
  ticket: Ticket,
  action: string,
  actor: Actor,
  input: TransitionInput = {},
  template?: FormTemplate,
): Refusal | null {
  const def = transitionDef(action);
  if (!def) return refuse('unknown_action', `未知操作“${action}”`, `Unknown action "${action}"`, 'action');
  if (!def.from.includes(ticket.state)) {
    const s = STATE_LABELS[ticket.state];
    return refuse('wrong_state', `工单处于“${s.zh}”，不能${def.label.zh}`, `Cannot ${def.label.en.toLowerCase()} a ticket that is ${s.en.toLowerCase()}`);
  }
  if (!mayAct(def, ticket, actor)) {
    const r = ROLE_LABELS[actor.kind];
    const onlyAssignee = def.who.length === 1 && def.who[0] === 'assignee';
    return onlyAssignee
      ? refuse('not_allowed', `只有该工单的处理人可以${def.label.zh}`, `Only the ticket's assignee may ${def.label.en.toLowerCase()}`)
      : refuse('not_allowed', `${r.zh}无权${def.label.zh}`, `A ${r.en.toLowerCase()} may not ${def.label.en.toLowerCase()}`);
  }
  for (const req of def.requires) {
    const r = requirementRefusal(req, ticket, input, template);
    if (r) return r;
  }
  if (def.action === 'reassign' && input.assignee === ticket.assignee) {
    return refuse('precondition', '新处理人与当前处理人相同', 'The new assignee is the current one', 'assignee');
  }
  return null;
}

/** The actions `actor` may take on `ticket` now (input-independent requirements only). */
export function availableActions(ticket: Ticket, actor: Actor): ActionId[] {
  const inputFree: Requirement[] = ['assignee', 'reason', 'note', 'resolution', 'missingFields'];
  return WORKFLOW.filter(
    (def) =>
      def.from.includes(ticket.state) &&
      mayAct(def, ticket, actor) &&
      def.requires.every((req) => inputFree.includes(req) || requirementRefusal(req, ticket, {}) === null),
  ).map((d) => d.action);
}

export function mayCreate(kind: ActorKind): boolean {
  return CREATORS.includes(kind);
}

function closeOpenPause(draft: Ticket, now: string): void {
  for (const p of draft.pauses) if (p.to === null) p.to = now;
}

/**
 * Applies an allowed transition to a draft (a plain object or an Automerge change proxy). Call
 * `checkTransition` first; this records the milestone, the audit line and the action's effects.
 */
export function applyTransition(draft: Ticket, action: ActionId, actor: Actor, input: TransitionInput, now: string): void {
  const def = transitionDef(action);
  if (!def) throw new Error(`unknown action ${action}`);
  const from: TicketState = draft.state;
  switch (action) {
    case 'dispatch':
    case 'reassign':
      draft.assignee = input.assignee ?? null;
      break;
    case 'decline':
      draft.assignee = null;
      break;
    case 'return_for_info':
      draft.awaitingInfo = true;
      draft.returns.push({ at: now, by: actor.user, reason: input.reason ?? '', missing: input.missing ?? [], suppliedAt: null });
      draft.pauses.push({ from: now, to: null, reason: input.reason ?? '', kind: 'awaiting_info' });
      break;
    case 'supply_info': {
      for (const [k, v] of Object.entries(input.form ?? {})) draft.form[k] = v;
      draft.awaitingInfo = false;
      const last = draft.returns[draft.returns.length - 1];
      if (last) last.suppliedAt = now;
      closeOpenPause(draft, now);
      break;
    }
    case 'pause':
      draft.pauses.push({ from: now, to: null, reason: input.reason ?? '', kind: /备件|配件|parts/i.test(input.reason ?? '') ? 'parts' : 'customer' });
      break;
    case 'resume':
    case 'resolve':
      closeOpenPause(draft, now);
      break;
    case 'cancel':
      closeOpenPause(draft, now);
      break;
    default:
      break;
  }
  if (def.milestone) draft.milestones[def.milestone] = now;
  if (def.to !== null && def.to !== from) {
    draft.state = def.to;
    draft.stateEnteredAt = now;
  } else if (def.to === from && def.milestone === 'assigned') {
    draft.stateEnteredAt = now; // a reassignment restarts the dispatch clock
  }
  draft.updatedAt = now;
  draft.audit.push({
    at: now,
    by: actor.user,
    kind: actor.kind,
    action,
    from,
    to: draft.state,
    note: input.reason ?? input.note ?? null,
    rule: actor.rule ?? null,
  });
}
