/**
 * Pack text or data → a CompiledPack: YAML read, shape validated (zod), references checked,
 * conditions compiled through the leaf registry, keywords gathered into one automaton. Any
 * problem throws a PackError listing every issue found, each with file, rule id and path.
 */
import { DEFAULT_LEAVES } from '../conditions/leaves/index';
import type { CompileContext, LeafRegistry } from '../conditions/registry';
import { compileCondition, requiredKeywords } from '../conditions/tree';
import type { Condition } from '../conditions/tree';
import type { CalendarFile } from '../calendars/calendar-file';
import { KeywordDictionary } from '../keywords/matcher';
import { Directory } from '../people/directory';
import type { Shift } from '../people/roster';
import { BusinessCalendar } from '../time/calendar';
import { WEEKDAYS, parseHHMM, parseIsoDate } from '../time/clock';
import { parseDuration } from '../time/duration';
import { IssueList, PackError } from './errors';
import type { PathSegment } from './errors';
import { checkReferences, includedCalendars } from './references';
import { DEFAULT_BREAKPOINTS, GAPS, LIMITS, packSchema } from './schema';
import type { AutomationData, PackData, PushData, RecipientData } from './schema';
import type { Assign, Automation, CompiledPack, NotifySpec, Recipient, RoutingIndex, RoutingRule, SlaRule, Trigger } from './types';
import { readYaml } from './yaml';
import { parseWith } from './zod-issues';

export interface CompileOptions {
  /** Named in every error, e.g. "seed.yaml". */
  readonly file?: string;
  /** Calendars a pack may `include` by name (see rules/calendars/, loaded by rules/node). */
  readonly calendars?: Readonly<Record<string, CalendarFile>>;
  /** Condition leaves; defaults to keywords, field, time, count. */
  readonly leaves?: LeafRegistry;
}

const weekdayNumbers = (days: readonly string[] | undefined, fallback: readonly number[]): number[] =>
  days ? days.map((d) => (WEEKDAYS as readonly string[]).indexOf(d)) : [...fallback];

function toRecipient(r: RecipientData): Recipient {
  if (r.user !== undefined) return { kind: 'user', id: r.user };
  if (r.role !== undefined) return { kind: 'role', role: r.role, area: r.area ?? null };
  if (r.team !== undefined) return { kind: 'team', team: r.team };
  if (r.roster !== undefined) return { kind: 'roster', roster: r.roster };
  return { kind: 'assignee' };
}

const toNotify = (list: readonly { channel: NotifySpec['channel']; to: RecipientData }[] | undefined): NotifySpec[] =>
  (list ?? []).map((n) => ({ channel: n.channel, to: toRecipient(n.to) }));

function toTrigger(on: AutomationData['on']): Trigger {
  if (on === 'created' || on === 'updated') return { kind: on };
  if ('transition' in on) return { kind: 'transition', to: on.transition.to };
  return { kind: 'daily' };
}

function buildCalendar(data: PackData, calendars: Readonly<Record<string, CalendarFile>>): BusinessCalendar | null {
  const spec = data.site.calendar;
  if (!spec?.hours) return null;
  const included = includedCalendars(data).flatMap((name) => (calendars[name] ? [calendars[name]] : []));
  const days = (lists: (readonly string[] | undefined)[]): Set<number> =>
    new Set(lists.flatMap((list) => (list ?? []).map((d) => parseIsoDate(d) as number)));
  const fallbackWorkdays = included.find((c) => c.workdays)?.workdays;
  return new BusinessCalendar(data.site.timezone, {
    workdays: weekdayNumbers(spec.workdays ?? fallbackWorkdays, [1, 2, 3, 4, 5]),
    hours: spec.hours.map(([from, to]) => [parseHHMM(from) as number, parseHHMM(to, true) as number] as const),
    holidays: days([spec.holidays, ...included.map((c) => c.holidays)]),
    extraWorkdays: days([spec.extra_workdays, ...included.map((c) => c.extra_workdays)]),
  });
}

function buildRoutingIndex(rules: readonly RoutingRule[], keywordCount: number): RoutingIndex {
  const byKeyword: number[][] = Array.from({ length: keywordCount }, () => []);
  const always: number[] = [];
  rules.forEach((rule, i) => {
    if (!rule.requiredKeywords) always.push(i);
    else for (const id of rule.requiredKeywords) byKeyword[id]?.push(i);
  });
  return { byKeyword, always };
}

/** Parses pack text (YAML or JSON) and compiles it. */
export function parsePack(text: string, options: CompileOptions = {}): CompiledPack {
  const file = options.file ?? 'pack';
  const issues = new IssueList();
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > LIMITS.bytes) {
    issues.add('limit', [], `${bytes} bytes; a pack is at most ${LIMITS.bytes} bytes (2 MB)`);
    throw new PackError(file, issues.issues);
  }
  const data = readYaml(text, issues);
  if (!issues.empty) throw new PackError(file, issues.issues);
  return compilePack(data, options);
}

/** Compiles pack data (already read from YAML/JSON, or from `packToData`). */
export function compilePack(input: unknown, options: CompileOptions = {}): CompiledPack {
  const file = options.file ?? 'pack';
  const calendars = options.calendars ?? {};
  const issues = new IssueList();
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) {
    issues.add('type', [], 'expected a rule pack: a mapping that starts with version: 1');
    throw new PackError(file, issues.issues);
  }
  const data = parseWith(packSchema, input, [], issues);
  if (!data) throw new PackError(file, issues.issues, input);
  checkReferences(data, issues, calendars);
  if (!issues.empty) throw new PackError(file, issues.issues, data);

  const zone = data.site.timezone;
  const calendar = buildCalendar(data, calendars);
  const keywords = new KeywordDictionary();
  const keywordFields = new Set<string>();
  const ctx: CompileContext = { keywords, keywordFields, zone, calendar, issues };
  const registry = options.leaves ?? DEFAULT_LEAVES;
  const when = (value: unknown, path: PathSegment[]): Condition | null =>
    value === undefined ? null : compileCondition(value, registry, ctx, path);

  const rosters = new Map<string, Shift[]>(Object.entries(data.rosters ?? {}).map(([name, shifts]) => [name, shifts.map((s) => ({
    user: s.user,
    days: new Set(weekdayNumbers(s.days, [0, 1, 2, 3, 4, 5, 6])),
    from: parseHHMM(s.from) as number,
    to: parseHHMM(s.to, true) as number,
  }))]));
  const people = (data.people ?? []).map((p) => ({ id: p.id, name: p.name, roles: p.roles, teams: p.teams ?? [], areas: p.areas ?? [] }));
  const areas = new Map(Object.entries(data.site.areas ?? {}));
  const directory = new Directory(people, areas, rosters, zone);

  const routing: RoutingRule[] = (data.routing ?? []).map((rule, i) => {
    const condition = when(rule.when, ['routing', i, 'when']);
    const a = rule.then.assign;
    const assign: Assign | null = !a ? null
      : a.user ? { kind: 'user', id: a.user } : a.team ? { kind: 'team', team: a.team } : { kind: 'roster', roster: a.roster ?? '' };
    return {
      id: rule.id, version: rule.version ?? 1, when: condition,
      requiredKeywords: condition ? requiredKeywords(condition) : null,
      assign, pool: rule.then.pool ?? null, priority: rule.then.priority ?? null, urgency: rule.then.urgency ?? null,
      skipDispatch: rule.then.skip_dispatch ?? null, tags: rule.then.tags ?? [], notify: toNotify(rule.then.notify),
      stop: rule.stop ?? false,
    };
  });
  const sla: SlaRule[] = (data.sla ?? []).map((rule, i) => ({
    id: rule.id, version: rule.version ?? 1, when: when(rule.when, ['sla', i, 'when']),
    state: rule.state, after: rule.after, afterMs: parseDuration(rule.after)?.ms ?? 0, business: rule.business ?? false,
    level: rule.level, banner: rule.then?.banner ?? null, notify: toNotify(rule.then?.notify),
  }));
  const automations: Automation[] = (data.automations ?? []).map((rule, i) => {
    const pushes: readonly PushData[] = rule.then.push === undefined ? [] : Array.isArray(rule.then.push) ? rule.then.push : [rule.then.push];
    return {
      id: rule.id, version: rule.version ?? 1, when: when(rule.when, ['automations', i, 'when']), on: toTrigger(rule.on),
      tags: rule.then.tags ?? [], notify: toNotify(rule.then.notify),
      task: rule.then.task ? { to: toRecipient(rule.then.task.to), title: rule.then.task.title } : null,
      pushes: pushes.map((p) => ({ connector: p.connector, payload: p.payload ?? 'ticket', limit: p.limit ?? 3 })),
    };
  });
  if (keywords.size > LIMITS.keywords) issues.add('limit', [], `${keywords.size} distinct keywords; a pack holds at most ${LIMITS.keywords}`);
  if (!issues.empty) throw new PackError(file, issues.issues, data);
  keywords.seal();

  const breakpoints = Object.fromEntries(GAPS.map((gap) => [gap, parseDuration(data.breakpoints?.[gap] ?? DEFAULT_BREAKPOINTS[gap])?.ms ?? 0]));
  return {
    file, data, zone, calendar, directory, rosters, routing, sla, automations, keywords, breakpoints,
    keywordFields: [...keywordFields].sort(),
    routingIndex: buildRoutingIndex(routing, keywords.size),
  };
}
