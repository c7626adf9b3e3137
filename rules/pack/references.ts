/**
 * Cross-reference checks a schema cannot express: unique ids, people/rosters/teams/areas that
 * rules name must exist, included calendars must be known, calendar hours must make sense.
 */
import { parseHHMM } from '../time/clock';
import { parseDuration } from '../time/duration';
import type { CalendarFile } from '../calendars/calendar-file';
import type { IssueList, PathSegment } from './errors';
import { LIMITS } from './schema';
import type { PackData, RecipientData } from './schema';

const SECTIONS = ['routing', 'sla', 'automations'] as const;

export function includedCalendars(data: PackData): string[] {
  const include = data.site.calendar?.include;
  return include === undefined ? [] : Array.isArray(include) ? include : [include];
}

export function checkReferences(data: PackData, issues: IssueList, calendars: Readonly<Record<string, CalendarFile>>): void {
  const people = new Set<string>();
  const teams = new Set<string>();
  const areas = new Set(Object.keys(data.site.areas ?? {}));
  const rosters = new Set(Object.keys(data.rosters ?? {}));

  (data.people ?? []).forEach((person, i) => {
    if (people.has(person.id)) issues.add('duplicate', ['people', i, 'id'], `duplicate person id "${person.id}"`);
    people.add(person.id);
    for (const team of person.teams ?? []) teams.add(team);
    (person.areas ?? []).forEach((area, j) => {
      if (!areas.has(area)) issues.add('reference', ['people', i, 'areas', j], `unknown area "${area}" (site.areas has: ${[...areas].join(', ') || 'none'})`);
    });
  });

  for (const [name, shifts] of Object.entries(data.rosters ?? {})) {
    shifts.forEach((shift, i) => {
      if (!people.has(shift.user)) issues.add('reference', ['rosters', name, i, 'user'], `unknown person "${shift.user}"`);
    });
  }

  const checkRecipient = (to: RecipientData, path: readonly PathSegment[]): void => {
    if (to.user !== undefined && !people.has(to.user)) issues.add('reference', [...path, 'user'], `unknown person "${to.user}"`);
    if (to.team !== undefined && !teams.has(to.team)) issues.add('reference', [...path, 'team'], `unknown team "${to.team}" (no person has it)`);
    if (to.roster !== undefined && !rosters.has(to.roster)) issues.add('reference', [...path, 'roster'], `unknown roster "${to.roster}"`);
    if (to.area !== undefined && to.area !== 'ticket' && !areas.has(to.area)) {
      issues.add('reference', [...path, 'area'], `unknown area "${to.area}" (expected ticket or one of: ${[...areas].join(', ') || 'none'})`);
    }
  };
  const checkNotify = (list: readonly { to: RecipientData }[] | undefined, path: readonly PathSegment[]): void => {
    (list ?? []).forEach((n, i) => checkRecipient(n.to, [...path, i, 'to']));
  };

  const seen = new Map<string, string>();
  let total = 0;
  for (const section of SECTIONS) {
    (data[section] ?? []).forEach((rule, i) => {
      total++;
      const other = seen.get(rule.id);
      if (other) issues.add('duplicate', [section, i, 'id'], `duplicate rule id "${rule.id}" (also ${other})`);
      else seen.set(rule.id, `${section}[${i}]`);
    });
  }
  if (total > LIMITS.rules) issues.add('limit', [], `${total} rules; a pack holds at most ${LIMITS.rules}`);

  (data.routing ?? []).forEach((rule, i) => {
    const assign = rule.then.assign;
    const at: PathSegment[] = ['routing', i, 'then', 'assign'];
    if (assign?.user !== undefined && !people.has(assign.user)) issues.add('reference', [...at, 'user'], `unknown person "${assign.user}"`);
    if (assign?.team !== undefined && !teams.has(assign.team)) issues.add('reference', [...at, 'team'], `unknown team "${assign.team}" (no person has it)`);
    if (assign?.roster !== undefined && !rosters.has(assign.roster)) issues.add('reference', [...at, 'roster'], `unknown roster "${assign.roster}"`);
    checkNotify(rule.then.notify, ['routing', i, 'then', 'notify']);
  });
  (data.sla ?? []).forEach((rule, i) => {
    checkNotify(rule.then?.notify, ['sla', i, 'then', 'notify']);
    if (rule.business) {
      if (!data.site.calendar) issues.add('reference', ['sla', i, 'business'], 'business: true needs site.calendar');
      if (parseDuration(rule.after)?.unit === 'd') issues.add('value', ['sla', i, 'after'], 'with business: true, durations are in s, m or h (a business day is not 24h)');
    }
  });
  (data.automations ?? []).forEach((rule, i) => {
    checkNotify(rule.then.notify, ['automations', i, 'then', 'notify']);
    if (rule.then.task) checkRecipient(rule.then.task.to, ['automations', i, 'then', 'task', 'to']);
  });

  checkCalendar(data, issues, calendars);
}

function checkCalendar(data: PackData, issues: IssueList, calendars: Readonly<Record<string, CalendarFile>>): void {
  const calendar = data.site.calendar;
  if (!calendar) return;
  const known = Object.keys(calendars);
  includedCalendars(data).forEach((name, i) => {
    if (!calendars[name]) {
      const path: PathSegment[] = Array.isArray(calendar.include) ? ['site', 'calendar', 'include', i] : ['site', 'calendar', 'include'];
      issues.add('reference', path, `unknown calendar "${name}" (available: ${known.join(', ') || 'none'})`);
    }
  });
  if (!calendar.hours) {
    issues.add('value', ['site', 'calendar', 'hours'], 'required, e.g. [["08:30", "12:00"], ["13:30", "17:30"]]');
    return;
  }
  let previousEnd = -1;
  calendar.hours.forEach(([fromText, toText], i) => {
    const from = parseHHMM(fromText) as number;
    const to = parseHHMM(toText, true) as number;
    if (to <= from) issues.add('value', ['site', 'calendar', 'hours', i], `opening hours must end after they start (${fromText}–${toText}); split a range that crosses midnight`);
    else if (from < previousEnd) issues.add('value', ['site', 'calendar', 'hours', i], 'opening hours must be in order and must not overlap');
    previousEnd = Math.max(previousEnd, to);
  });
}
