import type { ActorKind, Milestone, TicketState } from './ticket';

/**
 * The workflow as data (DESIGN.md §2). `who` names actor kinds; `assignee` means the person the
 * ticket is assigned to, whatever their role. Supervisors may make every transition except the
 * assignee's own actions. Admins configure the site and make no ticket transitions (separation of
 * duties in regulated plants).
 */
export const ACTIONS = [
  'dispatch', 'return_for_info', 'supply_info', 'accept', 'reassign', 'decline', 'first_response', 'arrive',
  'pause', 'resume', 'resolve', 'verify', 'reject', 'archive', 'reopen', 'cancel',
] as const;
export type ActionId = (typeof ACTIONS)[number];

export type Who = Exclude<ActorKind, 'admin'> | 'assignee';

/** What an action needs in its input, or of the ticket, before it may happen. */
export type Requirement =
  | 'assignee'          // input.assignee: a person id
  | 'reason'            // input.reason: why (return, decline, pause, reject, reopen, cancel)
  | 'note'              // input.note: what was said to the customer
  | 'resolution'        // input.note: how it was fixed
  | 'firstResponse'     // the ticket already has its firstResponse milestone
  | 'missingFields'     // input.form completes the intake form
  | 'notAwaitingInfo'   // the ticket is not flagged awaiting info
  | 'awaitingInfo'      // the ticket is flagged awaiting info
  | 'notPaused'
  | 'paused'
  | 'notArchived'
  | 'noFirstResponse';

export interface TransitionDef {
  action: ActionId;
  label: { zh: string; en: string };
  from: readonly TicketState[];
  /** `null`: the ticket stays in its state. */
  to: TicketState | null;
  who: readonly Who[];
  milestone: Milestone | null;
  requires: readonly Requirement[];
}

const OPEN: readonly TicketState[] = ['pending_acceptance', 'dispatched', 'in_progress', 'pending_verification'];

export const WORKFLOW: readonly TransitionDef[] = [
  { action: 'dispatch', label: { zh: '派单', en: 'Dispatch' }, from: ['pending_acceptance'], to: 'dispatched', who: ['dispatcher', 'supervisor', 'automation'], milestone: 'assigned', requires: ['assignee', 'notAwaitingInfo'] },
  { action: 'return_for_info', label: { zh: '退回补充信息', en: 'Return for info' }, from: ['pending_acceptance'], to: null, who: ['agent', 'dispatcher', 'supervisor'], milestone: null, requires: ['reason', 'notAwaitingInfo'] },
  { action: 'supply_info', label: { zh: '补充信息', en: 'Supply info' }, from: ['pending_acceptance'], to: null, who: ['requester', 'agent', 'supervisor'], milestone: null, requires: ['awaitingInfo', 'missingFields'] },
  { action: 'accept', label: { zh: '接单', en: 'Accept' }, from: ['dispatched'], to: 'in_progress', who: ['assignee'], milestone: 'accepted', requires: [] },
  { action: 'reassign', label: { zh: '改派', en: 'Reassign' }, from: ['dispatched'], to: 'dispatched', who: ['dispatcher', 'supervisor'], milestone: 'assigned', requires: ['assignee'] },
  { action: 'decline', label: { zh: '拒单', en: 'Decline' }, from: ['dispatched'], to: 'pending_acceptance', who: ['assignee'], milestone: null, requires: ['reason'] },
  { action: 'first_response', label: { zh: '首次响应', en: 'First response' }, from: ['in_progress'], to: null, who: ['assignee'], milestone: 'firstResponse', requires: ['note', 'noFirstResponse'] },
  { action: 'arrive', label: { zh: '到场', en: 'Arrived' }, from: ['in_progress'], to: null, who: ['assignee'], milestone: 'arrived', requires: ['firstResponse'] },
  { action: 'pause', label: { zh: '等待客户/备件', en: 'Wait for customer/parts' }, from: ['in_progress'], to: null, who: ['assignee'], milestone: null, requires: ['reason', 'notPaused'] },
  { action: 'resume', label: { zh: '恢复处理', en: 'Resume' }, from: ['in_progress'], to: null, who: ['assignee'], milestone: null, requires: ['paused'] },
  { action: 'resolve', label: { zh: '完工', en: 'Resolve' }, from: ['in_progress'], to: 'pending_verification', who: ['assignee'], milestone: 'resolved', requires: ['resolution'] },
  { action: 'verify', label: { zh: '验收通过', en: 'Verify' }, from: ['pending_verification'], to: 'closed', who: ['requester', 'agent', 'supervisor'], milestone: 'verified', requires: [] },
  { action: 'reject', label: { zh: '仍有问题', en: 'Reject' }, from: ['pending_verification'], to: 'in_progress', who: ['requester', 'agent', 'supervisor'], milestone: null, requires: ['reason'] },
  { action: 'archive', label: { zh: '归档', en: 'Archive' }, from: ['closed'], to: null, who: ['automation', 'supervisor'], milestone: 'archived', requires: ['notArchived'] },
  { action: 'reopen', label: { zh: '重新打开', en: 'Reopen' }, from: ['closed'], to: 'in_progress', who: ['supervisor'], milestone: null, requires: ['reason'] },
  { action: 'cancel', label: { zh: '取消', en: 'Cancel' }, from: OPEN, to: 'cancelled', who: ['agent', 'dispatcher', 'supervisor'], milestone: null, requires: ['reason'] },
];

/** Who may create a ticket (requires a complete intake form). */
export const CREATORS: readonly ActorKind[] = ['agent', 'dispatcher', 'supervisor', 'requester', 'automation'];

export function transitionDef(action: string): TransitionDef | undefined {
  return WORKFLOW.find((t) => t.action === action);
}
