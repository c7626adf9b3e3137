import { z } from 'zod';
import {
  ACTIONS, TICKET_STATES, formAnswers, formDraftSchema,
  type ActionId, type FormProblem, type FormTemplate, type SiteInfo, type SitePerson, type Ticket, type TicketRow,
} from '../../domain';
import { metricsCalls, type MetricsCallOutputs } from './metrics';
import { adminCalls, type AdminCallOutputs } from './admin';
import { attachmentCalls, type AttachmentCallOutputs } from './attachments';
import type {
  OnDutyView, RuleBannerList, RuleNotification, RuleSimulation, RulebookView, TicketExplanation,
} from './rules';
export type * from './rules';

/**
 * The one typed contract between the console and the local node (CONVENTIONS.md §4). Electron's
 * main registers handlers only through it, the preload exposes one function per call, and the
 * browser host (electron/host) implements the same calls over WebSocket. Inputs are validated with
 * these schemas at the boundary; outputs are typed below.
 */

export const ticketQuerySchema = z.object({
  states: z.array(z.enum(TICKET_STATES)).optional(),
  /** A person id, or null for unassigned tickets. */
  assignee: z.string().nullable().optional(),
  pool: z.string().optional(),
  awaitingInfo: z.boolean().optional(),
  /** Free text over number, title, description, device, caller phone and location. */
  text: z.string().max(200).optional(),
  /** Only tickets whose SLA breached or falls due within 30 minutes (the seat's SLA clocks). */
  breaching: z.boolean().optional(),
  /** Only tickets where two seats set a watched field concurrently and nobody settled it yet. */
  conflicted: z.boolean().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
  sort: z.enum(['createdAt_desc', 'createdAt_asc', 'updatedAt_desc']).default('createdAt_desc'),
});
export type TicketQuery = z.input<typeof ticketQuerySchema>;

export const transitionInputSchema = z.object({
  assignee: z.string().min(1).optional(),
  reason: z.string().max(2000).optional(),
  note: z.string().max(5000).optional(),
  form: formAnswers.optional(),
  missing: z.array(z.string()).optional(),
});

const id = z.object({ id: z.string().min(1).max(64) });

export const calls = {
  'site.info': z.object({}),
  'session.current': z.object({}),
  /** `password` is required when the node syncs with a server (it signs in there too). */
  'session.signIn': z.object({ userId: z.string().min(1), password: z.string().min(1).max(200).optional() }),
  'session.signOut': z.object({}),
  'tickets.list': ticketQuerySchema,
  /** The workbench's queues: how many open tickets are mine, unassigned, in each pool, breaching. */
  'tickets.queues': z.object({}),
  'tickets.get': id,
  'tickets.create': z.object({ form: formAnswers }),
  'tickets.transition': z.object({ id: z.string().min(1).max(64), action: z.enum(ACTIONS), input: transitionInputSchema.default({}) }),
  'tickets.comment': z.object({ id: z.string().min(1).max(64), text: z.string().min(1).max(5000) }),
  'tickets.history': id,
  /** Settles a conflicted field (row.conflicts) on one of its values: a supervisor's or dispatcher's call. */
  'tickets.settle': z.object({ id: z.string().min(1).max(64), field: z.string().min(1).max(40), value: z.unknown() }),
  /** Why the rules did what they did to a ticket, and its SLA clocks now. */
  'tickets.explain': id,
  'node.status': z.object({}),
  /** The node's time (the console counts down with it, not with the browser's clock). */
  'node.clock': z.object({}),
  /** The seat's current SLA banners. */
  'rules.banners': z.object({}),
  /** The dispatcher's panel: each roster of the rulebook in force, who is on duty now and their open-ticket load. */
  'rules.onDuty': z.object({}),
  'rulebook.get': z.object({}),
  /** Admins only; the pack is validated first and the previous one stays in force if it fails. */
  'rulebook.publish': z.object({ yaml: z.string().min(1).max(8_000_000), note: z.string().max(500).optional() }),
  /**
   * Dry run of a draft pack over the seat's past tickets, against the version in force: created in
   * the last `since` (a duration like `30d`, or an ISO instant with an offset). Admins and
   * supervisors; progress comes as `rulebook.simulation` events. Nothing is written.
   */
  'rulebook.simulate': z.object({ yaml: z.string().min(1).max(8_000_000), since: z.string().min(2).max(40).default('30d') }),
  /**
   * The caller's, the device's and the unit's recent tickets (intake, detail): rows whose caller
   * phone or device equals the one given, or whose location is in the same building/unit, created
   * within `sinceDays`; newest first. Served from the seat's rows (no document is read).
   */
  'tickets.related': z.object({
    phone: z.string().max(40).optional(),
    device: z.string().max(100).optional(),
    location: z.string().max(200).optional(),
    excludeId: z.string().max(64).optional(),
    sinceDays: z.number().int().min(1).max(3660).default(183),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  /** The site's intake form: the version intake uses now (or `version`), and every version kept. */
  'forms.get': z.object({ version: z.number().int().positive().optional() }),
  /** Admins only: publishes the draft as the next version; a draft that fails says why, field by field. */
  'forms.publish': z.object({ draft: formDraftSchema, note: z.string().max(500).optional() }),
  /** The supervisor view (electron/contract/metrics.ts). */
  ...metricsCalls,
  /** The admin console (electron/contract/admin.ts): admins only, through the sync server. */
  ...adminCalls,
  /** Photos, screenshots, recordings on tickets (electron/contract/attachments.ts). */
  ...attachmentCalls,
} as const;
export type CallName = keyof typeof calls;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]>;
export type ParsedInput<K extends CallName> = z.output<(typeof calls)[K]>;

export interface Session {
  user: SitePerson;
  seat: string;
}

export interface SiteView {
  site: SiteInfo;
  people: SitePerson[];
  template: FormTemplate;
}

export interface TicketView {
  ticket: Ticket;
  /** What the signed-in person may do now. */
  actions: ActionId[];
  /** Watched fields two seats set concurrently, with every value, until someone settles them. */
  conflicts?: Record<string, unknown[]>;
}

/** One change in a ticket's Automerge history, for people. */
export interface HistoryEntry {
  at: string;
  by: string;
  seat: string;
  summary: string;
  changes: { path: string; before: unknown; after: unknown }[];
}

/** A list row's SLA clock: when its next deadline falls due (or fell due, once breached). */
export interface RowSla {
  /** ISO; null while paused. */
  dueAt: string | null;
  breached: boolean;
}

/** A page of list rows; `sla` has the SLA clock of each row that has one, by ticket id. */
export interface TicketPage {
  rows: TicketRow[];
  total: number;
  sla?: Record<string, RowSla>;
}

/** Open tickets per workbench queue (counted on the node, over every row). */
export interface TicketQueues {
  /** Every ticket, closed and cancelled ones too. */
  all: number;
  open: number;
  /** Assigned to the signed-in person (0 when nobody is signed in). */
  mine: number;
  unassigned: number;
  /** Breaching now or due within 30 minutes. */
  breaching: number;
  /** Tickets with a field conflict nobody settled yet (the conflicts inbox). */
  conflicted: number;
  /** Biggest first; tickets without a pool are not listed. */
  pools: { pool: string; count: number }[];
}

export interface NodeStatus {
  ticketCount: number;
  outboxPending: number;
  online: boolean;
  lastSyncAt: string | null;
  /** The sync link, or null when this node runs alone (no `--server`). */
  sync: SyncLinkStatus | null;
}

/** What the console's status bar shows about the sync server. */
export interface SyncLinkStatus {
  /** The server's address (http://host:port). */
  server: string;
  /** The account the node syncs as (the last person who signed in with a password), or null. */
  user: string | null;
  online: boolean;
  /** A new seat's first fill from the server, or a long catch-up. */
  progress: { phase: 'bootstrap' | 'catch-up'; done: number; total: number } | null;
  /** Why the link is down, for people (wrong token, server unreachable), or null. */
  error: string | null;
  /** The seat code the server gave this device (offline ticket numbers use it). */
  seatCode: string | null;
}

/** Why a ticket is related to the one being typed or read. */
export type RelatedReason = 'phone' | 'device' | 'location';

export interface RelatedTicket {
  row: TicketRow;
  /** What it shares with the query: the caller's phone, the device, the building/unit. */
  reasons: RelatedReason[];
}

export interface RelatedTickets {
  /** Newest first, at most `limit`. */
  rows: RelatedTicket[];
  /** How many matched in the window, before the limit. */
  total: number;
  /** The window's start (ISO). */
  since: string;
}

/** One version of the site's intake form, for the version list. */
export interface FormVersionInfo {
  version: number;
  name: string;
  publishedBy: string | null;
  publishedByName: string | null;
  publishedAt: string | null;
  seat: string | null;
  note: string | null;
  /** Fields on (standard part and groups) and how many of them are required. */
  activeFields: number;
  requiredFields: number;
}

export interface FormsView {
  /** The version intake uses now. */
  current: FormVersionInfo;
  /** The template asked for (`version`), else the current one. */
  template: FormTemplate;
  /** Newest first. */
  versions: FormVersionInfo[];
}

export interface NodeClock {
  now: string;
  timezone: string;
}

export interface CallOutputs extends MetricsCallOutputs, AttachmentCallOutputs, AdminCallOutputs {
  'site.info': SiteView;
  'session.current': Session | null;
  'session.signIn': Session;
  'session.signOut': null;
  'tickets.list': TicketPage;
  'tickets.queues': TicketQueues;
  'tickets.get': TicketView;
  'tickets.create': TicketView;
  'tickets.transition': TicketView;
  'tickets.comment': TicketView;
  'tickets.history': HistoryEntry[];
  'tickets.settle': TicketView;
  'tickets.explain': TicketExplanation;
  'node.status': NodeStatus;
  'node.clock': NodeClock;
  'rules.banners': RuleBannerList;
  'rules.onDuty': OnDutyView;
  'rulebook.get': RulebookView;
  'rulebook.publish': RulebookView;
  'rulebook.simulate': RuleSimulation;
  'tickets.related': RelatedTickets;
  'forms.get': FormsView;
  'forms.publish': FormsView;
}
export type CallOutput<K extends CallName> = CallOutputs[K];

/** Events the node pushes to the console. */
export interface Events {
  'tickets.changed': { ids: string[] };
  'node.status': NodeStatus;
  /** The seat's current banner list, whenever it changes. */
  'rules.banners': RuleBannerList;
  'rules.notify': RuleNotification;
  /** The node's clock was set (tests, `--clock-file`): consoles re-read their offset. */
  'node.clock': NodeClock;
  /** An admin published a rulebook version. */
  'rulebook.changed': { version: number };
  /** Progress of a running `rulebook.simulate`: tickets replayed so far of those in the window. */
  'rulebook.simulation': { done: number; total: number };
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['tickets.changed', 'node.status', 'rules.banners', 'rules.notify', 'node.clock', 'rulebook.changed', 'rulebook.simulation'];

export const ERROR_CODES = ['bad_request', 'not_found', 'not_allowed', 'not_signed_in', 'conflict', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A typed error every transport carries unchanged: what was wrong, and where. */
export interface ContractErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
  problems?: FormProblem[];
}

export class ContractError extends Error {
  constructor(readonly body: ContractErrorBody) {
    super(body.message);
    this.name = 'ContractError';
  }
}

export type Reply<K extends CallName> = { ok: true; value: CallOutput<K> } | { ok: false; error: ContractErrorBody };

/** Per connection: who is signed in on it. */
export interface CallContext {
  session: Session | null;
}

/** What the local node implements; every transport dispatches to it. */
export type Handlers = { [K in CallName]: (input: ParsedInput<K>, ctx: CallContext) => Promise<CallOutput<K>> };

/** The client side: one function per call, the same in preload and in the browser host client. */
export type Api = { [K in CallName]: (input: CallInput<K>) => Promise<CallOutput<K>> } & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

/** Validates an input at the boundary; a bad one becomes a `bad_request` naming the field. */
export function parseInput<K extends CallName>(name: K, input: unknown): ParsedInput<K> {
  const schema: z.ZodType = calls[name];
  const r = schema.safeParse(input ?? {});
  // The schema is calls[name], so its output is ParsedInput<K>; TypeScript cannot follow the index.
  if (r.success) return r.data as ParsedInput<K>;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const message = `请求参数有误${field ? `（${field}）` : ''}：${issue?.message ?? 'invalid'}`;
  throw new ContractError(field ? { code: 'bad_request', message, field } : { code: 'bad_request', message });
}

/** Runs a call through validation and the handler, turning every failure into a typed reply. */
export async function dispatch<K extends CallName>(handlers: Handlers, name: K, input: unknown, ctx: CallContext): Promise<Reply<K>> {
  try {
    if (!Object.hasOwn(calls, name)) throw new ContractError({ code: 'bad_request', message: `未知调用：${String(name)}` });
    const value = await handlers[name](parseInput(name, input), ctx);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ContractError) return { ok: false, error: e.body };
    return { ok: false, error: { code: 'internal', message: `内部错误：${e instanceof Error ? e.message : String(e)}` } };
  }
}

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}
