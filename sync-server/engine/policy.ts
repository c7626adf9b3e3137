import { applyTransition, checkTransition, mayCreate, type Actor, type Role, type Ticket, type TransitionInput } from '../../domain';
import { auditEntryAt, type RefusalCode, type TicketView } from '../protocol';

/**
 * The workflow policy the server applies to every change, judged on the author's view: the
 * ticket as it was at the change's dependencies (`before`) and as the change left it (`after`).
 * A seat that worked offline is judged on what it saw, so an honest offline edit is never refused
 * because of something it could not know. Pure: no I/O, no clock.
 */
export interface PolicyActor {
  user: string;
  role: Role;
  sites: readonly string[];
}

export interface PolicyRefusal {
  code: RefusalCode;
  reason: string;
}

export interface PolicyContext {
  /** Concurrent values of the assignee in the author's view (a conflict a supervisor may settle); asked only when needed. */
  assigneeConflict: () => readonly unknown[] | null;
}

const no = (code: RefusalCode, reason: string): PolicyRefusal => ({ code, reason });
const FINAL = new Set(['closed', 'cancelled']);

function sameEntry(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The ticket fields the workflow reads, as a plain object applyTransition may write to. */
function simulation(v: TicketView | null): Ticket {
  return {
    state: v?.state ?? 'pending_acceptance',
    assignee: v?.assignee ?? null,
    awaitingInfo: v?.awaitingInfo ?? false,
    milestones: { ...(v?.milestones ?? {}) },
    pauses: (v?.pauses ?? []).map((p) => ({ ...p })),
    returns: [],
    audit: [],
    form: {},
  } as unknown as Ticket;
}

function checkEntries(before: TicketView | null, after: TicketView, from: number, actor: PolicyActor, ctx: PolicyContext): PolicyRefusal | null {
  const sim = simulation(before);
  for (let i = from; i < after.audit.length; i++) {
    const e = auditEntryAt(after, i);
    if (!e || typeof e.action !== 'string') return no('malformed', 'an audit entry is not readable');
    if (e.action === 'create') {
      if (before !== null || i !== 0) return no('not_allowed', 'a ticket is created once');
      if (e.by !== actor.user || e.kind !== actor.role) return no('not_allowed', `the creation is recorded as ${e.by} (${e.kind}), not as the signed-in ${actor.user} (${actor.role})`);
      continue;
    }
    const automated = e.kind === 'automation' && typeof e.by === 'string' && e.by.startsWith('rule:');
    if (!automated && (e.by !== actor.user || e.kind !== actor.role)) {
      return no('not_allowed', `the audit entry names ${e.by} (${e.kind}), not the signed-in ${actor.user} (${actor.role})`);
    }
    const who: Actor = automated ? { user: e.by, kind: 'automation' } : { user: actor.user, kind: actor.role };
    const input: TransitionInput = {};
    if (after.assignee) input.assignee = after.assignee;
    if (e.note) {
      input.reason = e.note;
      input.note = e.note;
    }
    if (FINAL.has(sim.state) && !['archive', 'reopen'].includes(e.action)) return no('closed', `the ticket is ${sim.state}: ${e.action} is not possible`);
    const refusal = checkTransition(sim, e.action, who, input);
    const settlesConflict = refusal?.code === 'precondition' && refusal.field === 'assignee' && ctx.assigneeConflict() !== null;
    if (refusal && !settlesConflict) return no(refusal.code === 'wrong_state' && FINAL.has(sim.state) ? 'closed' : 'not_allowed', `${e.action}: ${refusal.messageEn} (${refusal.message})`);
    applyTransition(sim, e.action as Parameters<typeof applyTransition>[1], who, input, e.at);
    if (e.to !== sim.state) return no('not_allowed', `${e.action} leads to ${sim.state}, but the audit entry says ${e.to}`);
  }
  if (after.state !== sim.state) return no('not_allowed', `the state is ${after.state} but the recorded transitions lead to ${sim.state}`);
  return null;
}

/** Why a change may not be accepted, or null when it may. */
export function judgeChange(before: TicketView | null, after: TicketView | null, actor: PolicyActor, ctx: PolicyContext): PolicyRefusal | null {
  if (!after) return before ? no('malformed', 'the change removes the ticket’s identity') : no('malformed', 'the change does not create a ticket (id, site and state are required)');
  if (!before) {
    if (!mayCreate(actor.role)) return no('not_allowed', `a ${actor.role} may not create tickets`);
    if (!actor.sites.includes(after.site)) return no('wrong_site', `${actor.user} does not work for site ${after.site}`);
    if (after.audit.length === 0) return no('not_allowed', 'a new ticket must record its creation');
    return checkEntries(null, after, 0, actor, ctx);
  }
  if (!actor.sites.includes(before.site)) return no('wrong_site', `${actor.user} does not work for site ${before.site}`);
  if (after.id !== before.id || after.site !== before.site || after.no !== before.no) return no('not_allowed', 'a ticket’s id, site and number never change');
  if (after.audit.length < before.audit.length) return no('not_allowed', 'audit entries cannot be removed');
  for (let i = 0; i < before.audit.length; i++) {
    if (!sameEntry(auditEntryAt(before, i), auditEntryAt(after, i))) return no('not_allowed', 'audit entries cannot be rewritten');
  }
  if (after.audit.length > before.audit.length) return checkEntries(before, after, before.audit.length, actor, ctx);
  // A plain edit: no transition recorded.
  if (FINAL.has(before.state)) return no('closed', `the ticket is ${before.state}; only a supervisor’s reopen changes it`);
  if (after.state !== before.state) return no('not_allowed', 'the state changes only through a recorded transition');
  if (JSON.stringify(after.milestones) !== JSON.stringify(before.milestones)) return no('not_allowed', 'milestones change only through a recorded transition');
  if (after.assignee !== before.assignee) {
    const settles = (actor.role === 'supervisor' || actor.role === 'dispatcher') && ctx.assigneeConflict()?.includes(after.assignee);
    if (!settles) return no('not_allowed', 'the assignee changes only through dispatch or reassign (or a supervisor settling a conflict)');
  }
  return null;
}
