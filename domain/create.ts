import type { Actor } from './workflow';
import { mayCreate } from './workflow';
import type { FormAnswers, Ticket } from './ticket';
import { ROLE_LABELS } from './ticket';
import { checkCompleteness, unknownAnswers, type FormProblem, type FormTemplate } from './forms';

export interface NewTicketContext {
  id: string;
  no: string;
  site: string;
  now: string;
  actor: Actor;
  template: FormTemplate;
}

export type CreateResult = { ok: true; ticket: Ticket } | { ok: false; code: 'not_allowed' | 'incomplete_form'; problems: FormProblem[]; message: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * A new ticket from a complete intake form. Structured answers are kept in `form`; the fields
 * lists, rules and dashboards use are lifted out (title, category, device, location, requester…).
 */
export function createTicket(answers: FormAnswers, ctx: NewTicketContext): CreateResult {
  if (!mayCreate(ctx.actor.kind)) {
    const r = ROLE_LABELS[ctx.actor.kind];
    return { ok: false, code: 'not_allowed', problems: [], message: `${r.zh}无权创建工单` };
  }
  const unknown = unknownAnswers(ctx.template, answers);
  const { problems } = checkCompleteness(ctx.template, answers);
  const all = [...unknown, ...problems];
  if (all.length > 0) return { ok: false, code: 'incomplete_form', problems: all, message: all.map((p) => p.message).join('；') };
  const name = str(answers.requester_name);
  const phone = str(answers.requester_phone);
  const ticket: Ticket = {
    id: ctx.id,
    no: ctx.no,
    site: ctx.site,
    title: str(answers.title) ?? '',
    description: str(answers.description) ?? '',
    category: str(answers.fault_type) ?? '',
    formTemplate: ctx.template.id,
    formVersion: ctx.template.version,
    form: { ...answers },
    device: str(answers.device),
    location: str(answers.location),
    requester: name || phone ? { name: name ?? '', phone: phone ?? '' } : null,
    urgency: str(answers.urgency),
    priority: null,
    tags: [],
    state: 'pending_acceptance',
    awaitingInfo: false,
    assignee: null,
    pool: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    stateEnteredAt: ctx.now,
    milestones: { created: ctx.now },
    returns: [],
    pauses: [],
    comments: [],
    attachments: [],
    audit: [{ at: ctx.now, by: ctx.actor.user, kind: ctx.actor.kind, action: 'create', from: null, to: 'pending_acceptance', note: null, rule: ctx.actor.rule ?? null }],
    firings: {},
    outbox: {},
  };
  return { ok: true, ticket };
}
