/**
 * "Where is it stuck": every open ticket by the stage it waits in, with its time in that stage,
 * filterable by person, team, area and pool; and 今日待响应, the open tickets nobody has
 * responded to yet. Both read only open tickets, so they cost what the open tickets cost.
 */
import { STAGES } from '../breakpoints';
import type { Stage } from '../breakpoints';
import type { ZoneDays } from './days';
import { FactReader } from './facts';
import type { TicketFacts } from './facts';
import type { MetricTicket, MetricsConfig } from './types';

export interface StuckFilter {
  /** A person id; null for tickets nobody is assigned to. */
  readonly assignee?: string | null;
  /** Tickets whose assignee belongs to this team (needs `directory.people`). */
  readonly team?: string;
  /** Tickets whose location lies in this area (needs `directory.areas`). */
  readonly area?: string;
  readonly pool?: string;
  readonly stage?: Stage;
}

/** The site's people and areas as the rule pack lists them (`people:`, `site.areas`). */
export interface SiteDirectory {
  readonly people?: readonly { readonly id: string; readonly teams: readonly string[] }[];
  readonly areas?: Readonly<Record<string, readonly string[]>>;
}

export interface StuckEntry<T> {
  readonly ticket: T;
  /** null for an open ticket whose milestones show no waiting stage (e.g. reopened after verification). */
  readonly stage: Stage | null;
  /** Epoch ms the stage started; null with stage null. */
  readonly since: number | null;
  readonly msInStage: number | null;
  readonly thresholdMs: number | null;
  readonly late: boolean;
}

export interface StuckView<T> {
  readonly total: number;
  readonly late: number;
  readonly byStage: Readonly<Record<Stage | 'none', number>>;
  /** By stage (workflow order, unknown last), then longest in stage first, then id. */
  readonly entries: readonly StuckEntry<T>[];
}

export interface WaitingView<T> extends StuckView<T> {
  /** Of these, created on the day of `now` in the site's zone. */
  readonly createdToday: number;
}

const OPEN = new Set<MetricTicket['state']>(['pending_acceptance', 'dispatched', 'in_progress', 'pending_verification']);

export function isOpenTicket(t: MetricTicket): boolean {
  return OPEN.has(t.state);
}

const norm = (s: string): string => s.normalize('NFKC').toLowerCase().trim();

/** A location's area: that of the longest listed location it starts with (NFKC, case-folded). */
export function areaMatcher(areas: Readonly<Record<string, readonly string[]>> = {}): (location: string | null | undefined) => string | null {
  const prefixes: [string, string][] = [];
  for (const [area, places] of Object.entries(areas)) for (const p of places) prefixes.push([norm(p), area]);
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return (location) => {
    if (!location) return null;
    const text = norm(location);
    for (const [prefix, area] of prefixes) if (prefix && text.startsWith(prefix)) return area;
    return null;
  };
}

function matcher(filter: StuckFilter, directory: SiteDirectory): (t: MetricTicket) => boolean {
  const areaOf = filter.area !== undefined ? areaMatcher(directory.areas) : null;
  const inTeam = new Set<string>();
  if (filter.team !== undefined) for (const p of directory.people ?? []) if (p.teams.includes(filter.team)) inTeam.add(p.id);
  return (t) =>
    (filter.assignee === undefined || (t.assignee ?? null) === filter.assignee) &&
    (filter.pool === undefined || t.pool === filter.pool) &&
    (filter.team === undefined || (!!t.assignee && inTeam.has(t.assignee))) &&
    (areaOf === null || areaOf(t.location) === filter.area);
}

function entryOf<T extends MetricTicket>(ticket: T, f: TicketFacts<T>, now: number, config: MetricsConfig): StuckEntry<T> {
  if (f.waitingStage < 0) return { ticket, stage: null, since: null, msInStage: null, thresholdMs: null, late: false };
  const stage = STAGES[f.waitingStage] as Stage;
  const ms = now - f.waitingSince;
  const thresholdMs = config.thresholds[stage];
  return { ticket, stage, since: f.waitingSince, msInStage: ms, thresholdMs, late: ms > thresholdMs };
}

const ORDER = (e: StuckEntry<unknown>): number => (e.stage === null ? STAGES.length : STAGES.indexOf(e.stage));

function view<T extends MetricTicket>(entries: StuckEntry<T>[]): StuckView<T> {
  entries.sort((a, b) => ORDER(a) - ORDER(b) || (b.msInStage ?? 0) - (a.msInStage ?? 0) || (a.ticket.id < b.ticket.id ? -1 : a.ticket.id > b.ticket.id ? 1 : 0));
  const byStage = Object.fromEntries([...STAGES, 'none'].map((s) => [s, 0])) as Record<Stage | 'none', number>;
  let late = 0;
  for (const e of entries) {
    byStage[e.stage ?? 'none']++;
    if (e.late) late++;
  }
  return { total: entries.length, late, byStage, entries };
}

/** The stuck view over open tickets given with their facts. */
export function stuckFrom<T extends MetricTicket>(
  open: Iterable<TicketFacts<T>>, now: number, config: MetricsConfig, filter: StuckFilter = {}, directory: SiteDirectory = {},
): StuckView<T> {
  const keep = matcher(filter, directory);
  const entries: StuckEntry<T>[] = [];
  for (const f of open) {
    const t = f.ticket;
    if (!isOpenTicket(t) || !keep(t)) continue;
    const e = entryOf(t, f, now, config);
    if (filter.stage === undefined || e.stage === filter.stage) entries.push(e);
  }
  return view(entries);
}

/** 今日待响应: open tickets with no first response yet, at `now`. */
export function waitingFrom<T extends MetricTicket>(open: Iterable<TicketFacts<T>>, now: number, config: MetricsConfig, days: ZoneDays): WaitingView<T> {
  const today = days.dayOf(now);
  const entries: StuckEntry<T>[] = [];
  let createdToday = 0;
  for (const f of open) {
    const t = f.ticket;
    if (!isOpenTicket(t) || t.milestones.firstResponse) continue;
    entries.push(entryOf(t, f, now, config));
    if (f.createdDay === today) createdToday++;
  }
  return { ...view(entries), createdToday };
}

function withFacts<T extends MetricTicket>(tickets: Iterable<T>, reader: FactReader): TicketFacts<T>[] {
  const out: TicketFacts<T>[] = [];
  for (const t of tickets) if (isOpenTicket(t)) out.push(reader.read(t));
  return out;
}

/** Where every open ticket is stuck at `now` (one pass over the tickets). */
export function stuckTickets<T extends MetricTicket>(
  tickets: Iterable<T>, now: number, config: MetricsConfig, filter: StuckFilter = {}, directory: SiteDirectory = {},
): StuckView<T> {
  return stuckFrom(withFacts(tickets, new FactReader(config)), now, config, filter, directory);
}

/** 今日待响应 at `now` (one pass over the tickets). */
export function waitingForResponse<T extends MetricTicket>(tickets: Iterable<T>, now: number, config: MetricsConfig): WaitingView<T> {
  const reader = new FactReader(config);
  return waitingFrom(withFacts(tickets, reader), now, config, reader.days);
}
