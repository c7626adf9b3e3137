/**
 * The shape of a version-1 rule pack (RULES-FORMAT.md) in zod. Conditions are left as data here
 * and parsed by the condition tree with the leaf registry; cross-references are checked in
 * references.ts. Every object is strict: an unknown key is an error naming its path.
 */
import { z } from 'zod';
import { TICKET_STATES } from '../model/ticket';
import { isValidZone } from '../time/zone';
import { LEVELS, PRIORITIES, duration, hhmm, hhmmEnd, id, isoDate, label, role, weekday } from './primitives';
import { CHANNELS } from './types';

/** Limits that keep a pack reviewable and evaluation bounded. */
export const LIMITS = { bytes: 2 * 1024 * 1024, rules: 5_000, people: 10_000, keywords: 50_000 } as const;

export const URGENCIES = ['立即处理', '2小时内', '24小时内'] as const;
export const BANNER_COLORS = ['red', 'orange', 'yellow', 'blue'] as const;
export const GAPS = [
  'created_assigned', 'assigned_accepted', 'accepted_firstResponse', 'firstResponse_arrived',
  'arrived_resolved', 'resolved_verified', 'verified_archived',
] as const;
export const DEFAULT_BREAKPOINTS: Readonly<Record<(typeof GAPS)[number], string>> = {
  created_assigned: '2h', assigned_accepted: '30m', accepted_firstResponse: '4h', firstResponse_arrived: '4h',
  arrived_resolved: '8h', resolved_verified: '24h', verified_archived: '72h',
};

const RECIPIENT_EXPECTED = 'expected assignee, {user: ID}, {role: ROLE, area: ticket|AREA}, {team: ID} or {roster: ID}';

/** `assignee` or a mapping with exactly one of user, role (+ area), team, roster. */
export const recipient = z.preprocess(
  (v) => (v === 'assignee' ? { assignee: true } : v),
  z.strictObject({
    assignee: z.literal(true).optional(),
    user: id.optional(),
    role: role.optional(),
    area: z.string().min(1).optional(),
    team: id.optional(),
    roster: id.optional(),
  }, { error: RECIPIENT_EXPECTED }).refine(
    (r) => [r.assignee, r.user, r.role, r.team, r.roster].filter((x) => x !== undefined).length === 1
      && (r.area === undefined || r.role !== undefined),
    { error: RECIPIENT_EXPECTED },
  ),
);
export type RecipientData = z.infer<typeof recipient>;

const notify = z.array(z.strictObject({ channel: z.enum(CHANNELS), to: recipient })).min(1).max(50);

const tags = z.array(label).min(1).max(50);

const ruleBase = {
  id,
  version: z.int().min(1).max(1_000_000).optional(),
  description: z.string().max(2000).optional(),
  when: z.unknown().optional(),
};

const assign = z.strictObject({ user: id.optional(), team: id.optional(), roster: id.optional() })
  .refine((a) => [a.user, a.team, a.roster].filter(Boolean).length === 1, { error: 'expected exactly one of user, team, roster' });

const routingRule = z.strictObject({
  ...ruleBase,
  then: z.strictObject({
    assign: assign.optional(),
    pool: label.optional(),
    skip_dispatch: z.boolean().optional(),
    priority: z.enum(PRIORITIES).optional(),
    urgency: z.enum(URGENCIES).optional(),
    tags: tags.optional(),
    notify: notify.optional(),
  }).refine((t) => Object.keys(t).length > 0, { error: 'expected at least one action' }),
  stop: z.boolean().optional(),
});

const slaRule = z.strictObject({
  ...ruleBase,
  state: z.enum(TICKET_STATES.filter((s) => s !== 'closed' && s !== 'cancelled')),
  after: duration,
  business: z.boolean().optional(),
  level: z.enum(LEVELS),
  then: z.strictObject({ banner: z.enum(BANNER_COLORS).optional(), notify: notify.optional() }).optional(),
});

const ON_EXPECTED = 'expected created, updated, {transition: {to: STATE}} or {schedule: daily}';
const trigger = z.union([
  z.enum(['created', 'updated']),
  z.strictObject({ transition: z.strictObject({ to: z.enum(TICKET_STATES) }) }),
  z.strictObject({ schedule: z.literal('daily') }),
], { error: ON_EXPECTED });

const push = z.strictObject({
  connector: id,
  payload: z.enum(['ticket', 'device_recent_repairs']).optional(),
  limit: z.int().min(1).max(50).optional(),
});

const automation = z.strictObject({
  ...ruleBase,
  on: trigger,
  then: z.strictObject({
    tags: tags.optional(),
    notify: notify.optional(),
    task: z.strictObject({ to: recipient, title: label }).optional(),
    push: z.union([push, z.array(push).min(1).max(10)]).optional(),
  }).refine((t) => Object.keys(t).length > 0, { error: 'expected at least one action' }),
});

const calendar = z.strictObject({
  include: z.union([id, z.array(id).min(1)]).optional(),
  workdays: z.array(weekday).optional(),
  hours: z.array(z.tuple([hhmm, hhmmEnd], { error: 'expected ["HH:MM", "HH:MM"]' })).min(1).max(12).optional(),
  holidays: z.array(isoDate).max(5000).optional(),
  extra_workdays: z.array(isoDate).max(5000).optional(),
});

const person = z.strictObject({
  id,
  name: label,
  roles: z.array(role).min(1),
  teams: z.array(id).optional(),
  areas: z.array(id).optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(200).optional(),
});

const shift = z.strictObject({ user: id, days: z.array(weekday).min(1).optional(), from: hhmm, to: hhmmEnd });

export const packSchema = z.strictObject({
  version: z.literal(1, { error: 'expected version: 1 (this engine reads rule pack format version 1)' }),
  name: z.string().max(200).optional(),
  site: z.strictObject({
    timezone: z.string().refine(isValidZone, { error: 'expected an IANA time zone such as Asia/Shanghai' }),
    areas: z.record(id, z.array(label).min(1)).optional(),
    calendar: calendar.optional(),
  }),
  people: z.array(person).max(LIMITS.people).optional(),
  rosters: z.record(id, z.array(shift).min(1).max(500)).optional(),
  routing: z.array(routingRule).max(LIMITS.rules).optional(),
  sla: z.array(slaRule).max(LIMITS.rules).optional(),
  automations: z.array(automation).max(LIMITS.rules).optional(),
  breakpoints: z.strictObject(Object.fromEntries(GAPS.map((g) => [g, duration.optional()])) as Record<(typeof GAPS)[number], z.ZodOptional<typeof duration>>).optional(),
});

export type PackData = z.infer<typeof packSchema>;
export type RoutingRuleData = z.infer<typeof routingRule>;
export type SlaRuleData = z.infer<typeof slaRule>;
export type AutomationData = z.infer<typeof automation>;
export type PushData = z.infer<typeof push>;
