import { randomUUID } from 'node:crypto';
import {
  availableActions, checkTransition, createTicket, mayCreate,
  type Actor, type FormTemplate, type SiteInfo, type SitePerson, type Ticket, type TicketState,
} from '../../../domain';
import { ContractError, type CallContext, type Handlers, type RowSla, type Session, type TicketView } from '../../contract/ipc';
import { queueCounts } from './queues';
import { deepEqual } from '../store/ticket-doc';
import type { TicketStore } from '../store';
import { applyTransitionTo } from './transition';
import { ticketHistory } from './history';
import { publishedTemplate, templateOfVersion } from './forms-record';
import { currentSession, requireSession } from './session';
import type { TicketNumbers } from './ticket-numbers';

export interface TicketDeps {
  store: TicketStore;
  site: SiteInfo;
  people: readonly SitePerson[];
  /** The built-in intake template; intake uses the version an admin published (forms-record.ts). */
  template: FormTemplate;
  numbers: TicketNumbers;
  clock: () => number;
  /** Called after every write with the changed ticket ids. */
  changed: (ids: string[]) => void;
  /**
   * Why this person may not write on this seat now, or null. A syncing seat pushes as the account
   * it signed in with: another person's edits would be refused by the server (and then dropped).
   */
  mayWrite?: (s: Session) => string | null;
  /** The seat's rule runner: applies the rules after a local write, before the caller is answered. */
  rules?: {
    afterCreate(ticket: Ticket): Promise<Ticket>;
    afterChange(before: TicketState, ticket: Ticket): Promise<Ticket>;
    /** A row's SLA clock, for the list. */
    slaOf?(id: string): RowSla | null;
    /** The tickets breaching or due within `soonMs`. */
    breachingIds?(soonMs: number): Set<string>;
  };
}

type TicketHandlers = Pick<Handlers, 'tickets.list' | 'tickets.queues' | 'tickets.get' | 'tickets.create' | 'tickets.transition' | 'tickets.comment' | 'tickets.history' | 'tickets.settle'>;

/** Who may settle a field two seats set concurrently (the server's policy agrees for the assignee). */
const SETTLERS = new Set(['supervisor', 'dispatcher', 'admin']);

export const actorOf = (s: Session): Actor => ({ user: s.user.id, kind: s.user.role });

/** "即将超时": an SLA falling due within this much of the node's clock. */
const SOON_MS = 30 * 60_000;

const notFound = (id: string) => new ContractError({ code: 'not_found', message: `找不到工单：${id}`, field: 'id' });

export function ticketHandlers(deps: TicketDeps): TicketHandlers {
  const view = (ticket: Ticket, ctx: CallContext): TicketView => {
    const s = currentSession(ctx, deps);
    const conflicts = deps.store.row(ticket.id)?.conflicts;
    return { ticket, actions: s ? availableActions(ticket, actorOf(s)) : [], ...(conflicts ? { conflicts } : {}) };
  };
  const change = (s: Session, action: string) => ({ message: { by: s.user.id, seat: deps.store.seat, action }, at: deps.clock() });
  const writer = (ctx: CallContext): Session => {
    const s = requireSession(ctx, deps);
    const refusal = deps.mayWrite?.(s);
    if (refusal) throw new ContractError({ code: 'not_allowed', message: refusal });
    return s;
  };

  return {
    'tickets.list': async ({ breaching, ...q }) => {
      const ids = breaching ? (deps.rules?.breachingIds?.(SOON_MS) ?? new Set<string>()) : undefined;
      const page = deps.store.query(ids ? { ...q, ids } : q);
      const slaOf = deps.rules?.slaOf;
      if (!slaOf) return page;
      const sla: Record<string, RowSla> = {};
      for (const r of page.rows) {
        const s = slaOf.call(deps.rules, r.id);
        if (s) sla[r.id] = s;
      }
      return { ...page, sla };
    },

    'tickets.queues': async (_input, ctx) => {
      const me = currentSession(ctx, deps)?.user.id ?? null;
      const breaching = deps.rules?.breachingIds?.(SOON_MS) ?? new Set<string>();
      return queueCounts(deps.store.rows(), me, breaching);
    },

    'tickets.get': async ({ id }, ctx) => {
      const ticket = await deps.store.read(id);
      if (!ticket) throw notFound(id);
      return view(ticket, ctx);
    },

    'tickets.create': async ({ form }, ctx) => {
      const s = writer(ctx);
      const actor = actorOf(s);
      if (!mayCreate(actor.kind)) throw new ContractError({ code: 'not_allowed', message: `${s.user.name}（${s.user.role}）无权创建工单` });
      const now = deps.clock();
      // Check the form before taking a number, so a bad form burns none.
      const draft = createTicket(form, { id: randomUUID(), no: 'pending', site: deps.site.id, now: new Date(now).toISOString(), actor, template: publishedTemplate(deps) });
      if (!draft.ok) {
        const field = draft.problems[0]?.field;
        throw new ContractError({ code: draft.code === 'not_allowed' ? 'not_allowed' : 'bad_request', message: draft.message, problems: draft.problems, ...(field ? { field } : {}) });
      }
      const { no, meta } = deps.numbers.next(now);
      const ticket = { ...draft.ticket, no };
      const stored = await deps.store.create(ticket, change(s, 'create'), { meta });
      const routed = deps.rules ? await deps.rules.afterCreate(stored) : stored;
      deps.changed([stored.id]);
      return view(routed, ctx);
    },

    'tickets.transition': async ({ id, action, input }, ctx) => {
      const s = writer(ctx);
      const actor = actorOf(s);
      if (input.assignee !== undefined && !deps.people.some((p) => p.id === input.assignee)) {
        throw new ContractError({ code: 'bad_request', message: `没有这个处理人：${input.assignee}`, field: 'assignee' });
      }
      const now = deps.clock();
      let before: TicketState | null = null;
      const stored = await deps.store.update(id, (current) => {
        before = current.state;
        const refusal = checkTransition(current, action, actor, input, templateOfVersion(deps, current.formVersion));
        if (refusal) {
          throw new ContractError({ code: refusal.code === 'not_allowed' ? 'not_allowed' : 'bad_request', message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) });
        }
        return { ticket: applyTransitionTo(current, action, actor, input, now), ...change(s, action) };
      });
      if (!stored) throw notFound(id);
      const after = deps.rules ? await deps.rules.afterChange(before ?? stored.state, stored) : stored;
      deps.changed([id]);
      return view(after, ctx);
    },

    'tickets.comment': async ({ id, text }, ctx) => {
      const s = writer(ctx);
      const at = new Date(deps.clock()).toISOString();
      const stored = await deps.store.update(id, (current) => ({
        ticket: { ...current, updatedAt: at, comments: [...current.comments, { id: randomUUID(), at, by: s.user.id, text }] },
        ...change(s, 'comment'),
      }));
      if (!stored) throw notFound(id);
      const after = deps.rules ? await deps.rules.afterChange(stored.state, stored) : stored;
      deps.changed([id]);
      return view(after, ctx);
    },

    'tickets.settle': async ({ id, field, value }, ctx) => {
      const s = writer(ctx);
      if (!SETTLERS.has(s.user.role)) throw new ContractError({ code: 'not_allowed', message: `${s.user.name}（${s.user.role}）无权处理冲突：请主管或调度处理` });
      const values = deps.store.row(id)?.conflicts?.[field];
      if (!deps.store.row(id)) throw notFound(id);
      if (!values) throw new ContractError({ code: 'bad_request', message: `字段 ${field} 没有待处理的冲突`, field: 'field' });
      if (!values.some((v) => deepEqual(v, value))) throw new ContractError({ code: 'bad_request', message: `请选择冲突中的一个值：${values.map((v) => JSON.stringify(v)).join(' / ')}`, field: 'value' });
      const at = new Date(deps.clock()).toISOString();
      const stored = await deps.store.update(id, (current) => {
        const cur = (current as unknown as Record<string, unknown>)[field];
        // State and milestones change only through transitions: a state conflict settles on the state that won.
        if (field === 'state' && !deepEqual(cur, value)) {
          throw new ContractError({ code: 'bad_request', message: `状态冲突只能确认当前状态（${String(cur)}）；要改变状态请使用流转操作`, field: 'value' });
        }
        return { ticket: { ...current, [field]: value, updatedAt: at }, rewrite: [field], ...change(s, 'settle') };
      });
      if (!stored) throw notFound(id);
      deps.changed([id]);
      return view(stored, ctx);
    },

    'tickets.history': async ({ id }) => {
      const history = await deps.store.withDoc(id, (doc) => ticketHistory(doc, deps.people));
      if (!history) throw notFound(id);
      return history;
    },
  };
}
