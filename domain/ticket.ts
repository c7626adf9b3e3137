import { z } from 'zod';

/** The workflow's states (DESIGN.md §2): five from the field, plus cancelled. */
export const TICKET_STATES = [
  'pending_acceptance',
  'dispatched',
  'in_progress',
  'pending_verification',
  'closed',
  'cancelled',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const OPEN_STATES: readonly TicketState[] = ['pending_acceptance', 'dispatched', 'in_progress', 'pending_verification'];

export const STATE_LABELS: Record<TicketState, { zh: string; en: string }> = {
  pending_acceptance: { zh: '待受理', en: 'Pending acceptance' },
  dispatched: { zh: '已派单', en: 'Dispatched' },
  in_progress: { zh: '处理中', en: 'In progress' },
  pending_verification: { zh: '待验收', en: 'Pending verification' },
  closed: { zh: '已关闭', en: 'Closed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

/** People who act on tickets. `requester` acts through a private link, `automation` through a rule. */
export const ROLES = ['agent', 'dispatcher', 'technician', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ACTOR_KINDS = [...ROLES, 'requester', 'automation'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const ROLE_LABELS: Record<ActorKind, { zh: string; en: string }> = {
  agent: { zh: '坐席', en: 'Agent' },
  dispatcher: { zh: '调度员', en: 'Dispatcher' },
  technician: { zh: '技术员', en: 'Technician' },
  supervisor: { zh: '主管', en: 'Supervisor' },
  admin: { zh: '管理员', en: 'Admin' },
  requester: { zh: '报修人', en: 'Requester' },
  automation: { zh: '自动规则', en: 'Automation' },
};

/** The milestones whose consecutive gaps are the 7 breakpoints. */
export const MILESTONES = [
  'created',
  'assigned',
  'accepted',
  'firstResponse',
  'arrived',
  'resolved',
  'verified',
  'archived',
] as const;
export type Milestone = (typeof MILESTONES)[number];

/** An instant: ISO-8601 with an offset (`Z` or `±hh:mm`). */
export const instant = z.iso.datetime({ offset: true });

export const formValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type FormValue = z.infer<typeof formValue>;
export const formAnswers = z.record(z.string(), formValue);
export type FormAnswers = z.infer<typeof formAnswers>;

export const requesterSchema = z.object({ name: z.string(), phone: z.string() });

export const returnSchema = z.object({
  at: instant,
  by: z.string(),
  reason: z.string().min(1),
  missing: z.array(z.string()),
  suppliedAt: instant.nullable(),
});
export type TicketReturn = z.infer<typeof returnSchema>;

export const pauseSchema = z.object({
  from: instant,
  to: instant.nullable(),
  reason: z.string(),
  kind: z.enum(['awaiting_info', 'customer', 'parts']),
});
export type Pause = z.infer<typeof pauseSchema>;

export const commentSchema = z.object({ id: z.string(), at: instant, by: z.string(), text: z.string() });
export type Comment = z.infer<typeof commentSchema>;

export const attachmentSchema = z.object({
  hash: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  at: instant,
  by: z.string(),
  /** Content address of a small preview (320 px WebP) for images. */
  thumb: z.string().optional(),
});
export type AttachmentRef = z.infer<typeof attachmentSchema>;

/** One line of the ticket's own audit trail: every transition is recorded. */
export const auditEntrySchema = z.object({
  at: instant,
  by: z.string(),
  kind: z.enum(ACTOR_KINDS),
  action: z.string(),
  from: z.enum(TICKET_STATES).nullable(),
  to: z.enum(TICKET_STATES),
  note: z.string().nullable(),
  rule: z.string().nullable(),
  /**
   * The ledger key of the rule firing behind an automated transition. Two seats that fire the same
   * rule append the same line (the trail is append-only), so readers keep one per key: `auditTrail`.
   */
  firing: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The audit trail as people read it: an automated line whose firing another line already recorded is left out. */
export function auditTrail(audit: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  return audit.filter((e) => {
    if (e.firing === undefined) return true;
    if (seen.has(e.firing)) return false;
    seen.add(e.firing);
    return true;
  });
}

/** A rule firing in the ledger, keyed deterministically so seats that fire the same rule merge. */
export const firingSchema = z.object({
  rule: z.string(),
  version: z.number().int(),
  event: z.string(),
  at: instant,
  seat: z.string(),
  summary: z.string(),
  /** Tasks the firing created (automations' `task`), for the person or role they address. */
  tasks: z.array(z.object({ to: z.string(), title: z.string() })).optional(),
  /** Tags the firing added, so a tag list lost to a concurrent write is restored from the ledger. */
  tags: z.array(z.string()).optional(),
});

/** An effect that leaves the building, executed once per key by the server's connectors. */
export const outboxEntrySchema = z.object({
  rule: z.string(),
  channel: z.string(),
  to: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: instant,
  status: z.enum(['pending', 'sent', 'failed', 'unknown']),
  statusAt: instant.nullable(),
});

export const ticketSchema = z.object({
  id: z.uuid(),
  no: z.string(),
  site: z.string().min(1),
  title: z.string().min(1).max(200),
  description: z.string().max(20_000),
  category: z.string(),
  formTemplate: z.string(),
  formVersion: z.number().int().positive(),
  form: formAnswers,
  device: z.string().nullable(),
  location: z.string().nullable(),
  requester: requesterSchema.nullable(),
  urgency: z.string().nullable(),
  priority: z.enum(['P1', 'P2', 'P3', 'P4']).nullable(),
  tags: z.array(z.string()),
  state: z.enum(TICKET_STATES),
  awaitingInfo: z.boolean(),
  assignee: z.string().nullable(),
  pool: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  stateEnteredAt: instant,
  milestones: z.partialRecord(z.enum(MILESTONES), instant),
  returns: z.array(returnSchema),
  pauses: z.array(pauseSchema),
  comments: z.array(commentSchema),
  attachments: z.array(attachmentSchema).default([]),
  audit: z.array(auditEntrySchema),
  firings: z.record(z.string(), firingSchema),
  outbox: z.record(z.string(), outboxEntrySchema),
  /** SHA-256 (hex) of the secret in the requester's private follow link (portal tickets only). */
  followHash: z.string().optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export function isOpen(state: TicketState): boolean {
  return OPEN_STATES.includes(state);
}
