/**
 * The baseline: the same routing rules in json-rules-engine 7.3.1, translated idiomatically —
 * custom operators for substring-any/all/none and the daily window, dynamic facts (cached by the
 * almanac per run) for the normalised text, category, urgency and local time, one event per rule.
 * All rules share one priority (so the engine runs them concurrently, its fastest mode); routing's
 * ordered semantics (first scalar wins, tags union, stop) are applied to the events afterwards.
 */
import { Engine } from 'json-rules-engine';
import type { Almanac, NestedCondition, RuleProperties, TopLevelCondition } from 'json-rules-engine';
import { normalizeText } from '../../rules/keywords/normalize';
import { parseInstant } from '../../rules/time/instant';
import { localParts } from '../../rules/time/zone';
import type { GeneratedRule, GeneratedTicket } from './generate';

export interface RoutedOutcome {
  assignee: string | null;
  pool: string | null;
  priority: string | null;
  tags: string[];
}

const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

interface LocalTime { minute: number; weekday: number }
interface Window { from: number; to: number; days: string[] | null }

function conditions(rule: GeneratedRule): TopLevelCondition {
  const all: NestedCondition[] = [{ fact: 'text', operator: 'containsAnyText', value: rule.any.map(normalizeText) }];
  if (rule.all.length) all.push({ fact: 'text', operator: 'containsAllText', value: rule.all.map(normalizeText) });
  if (rule.none.length) all.push({ fact: 'text', operator: 'containsNoneText', value: rule.none.map(normalizeText) });
  if (rule.category) {
    all.push('eq' in rule.category
      ? { fact: 'category', operator: 'equal', value: rule.category.eq }
      : { fact: 'category', operator: 'in', value: rule.category.in });
  }
  if (rule.urgency) all.push({ fact: 'urgency', operator: 'equal', value: rule.urgency });
  if (rule.window) {
    const value: Window = { from: minutes(rule.window.from), to: minutes(rule.window.to), days: rule.window.days };
    all.push({ fact: 'createdLocal', operator: 'inDailyWindow', value });
  }
  return { all };
}

export function buildBaseline(rules: readonly GeneratedRule[], zone: string): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator<string, string[]>('containsAnyText', (text, words) => words.some((w) => text.includes(w)));
  engine.addOperator<string, string[]>('containsAllText', (text, words) => words.every((w) => text.includes(w)));
  engine.addOperator<string, string[]>('containsNoneText', (text, words) => !words.some((w) => text.includes(w)));
  engine.addOperator<LocalTime, Window>('inDailyWindow', (t, w) => {
    let startWeekday: number;
    if (w.from <= w.to) {
      if (t.minute < w.from || t.minute > w.to) return false;
      startWeekday = t.weekday;
    } else if (t.minute >= w.from) {
      startWeekday = t.weekday;
    } else if (t.minute <= w.to) {
      startWeekday = (t.weekday + 6) % 7;
    } else {
      return false;
    }
    return !w.days || w.days.includes(WEEKDAY[startWeekday] ?? '');
  });
  const ticketOf = (almanac: Almanac): Promise<GeneratedTicket> => almanac.factValue<GeneratedTicket>('ticket');
  engine.addFact('text', async (_params, almanac) => {
    const t = await ticketOf(almanac);
    return normalizeText([t.title, t.description, ...t.tags].join('\n'));
  });
  engine.addFact('category', async (_params, almanac) => (await ticketOf(almanac)).category);
  engine.addFact('urgency', async (_params, almanac) => (await ticketOf(almanac)).urgency);
  engine.addFact('createdLocal', async (_params, almanac) => {
    const parts = localParts(zone, parseInstant((await ticketOf(almanac)).createdAt) as number);
    return { minute: parts.minute, weekday: parts.weekday };
  });
  rules.forEach((rule, index) => {
    const properties: RuleProperties = { name: rule.id, conditions: conditions(rule), event: { type: 'route', params: { index } } };
    engine.addRule(properties);
  });
  return engine;
}

/** Runs the engine for one ticket and applies routing's ordered semantics to its events. */
export async function routeWithBaseline(engine: Engine, rules: readonly GeneratedRule[], ticket: GeneratedTicket): Promise<RoutedOutcome> {
  const { events } = await engine.run({ ticket });
  const indexes = events.map((e) => (e.params as { index: number }).index).sort((a, b) => a - b);
  const out: RoutedOutcome = { assignee: null, pool: null, priority: null, tags: [] };
  for (const i of indexes) {
    const rule = rules[i] as GeneratedRule;
    out.assignee ??= rule.assign;
    out.pool ??= rule.pool;
    out.priority ??= rule.priority;
    for (const tag of rule.tags) if (!out.tags.includes(tag)) out.tags.push(tag);
    if (rule.stop) break;
  }
  return out;
}
