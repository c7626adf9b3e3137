/** The `rules` commands: eval, validate, simulate. Each returns what to print on stdout. */
import { basename } from 'node:path';
import { evaluate } from '../engine/evaluate';
import { TicketHistory } from '../history/history';
import { EVENT_EXPECTED, parseEvent } from '../ledger/firing';
import { compilePackText } from '../node/load';
import type { CompiledPack } from '../pack/types';
import { simulate } from '../simulate/simulate';
import type { SimulationReport } from '../simulate/simulate';
import { formatInZone } from '../time/zone';
import { UsageError, readNow, readSpan, readText, readTicket, readTickets, requireOption } from './io';

const loadPack = (path: string): CompiledPack => compilePackText(readText(path, 'pack'), path);

export interface Options {
  readonly pack?: string;
  readonly ticket?: string;
  readonly tickets?: string;
  readonly now?: string;
  readonly history?: string;
  readonly event?: string;
  readonly since?: string;
  readonly current?: string;
  readonly json?: boolean;
  /** simulate: a seat's data folder (electron/main/rules/cli). */
  readonly data?: string;
}

export function evalCommand(o: Options): string {
  const pack = loadPack(requireOption(o.pack, 'pack'));
  const ticket = readTicket(requireOption(o.ticket, 'ticket'));
  const now = readNow(o.now);
  const event = parseEvent(o.event ?? 'created');
  if (!event) throw new UsageError(`--event ${o.event ?? ''}: ${EVENT_EXPECTED}`);
  const history = o.history ? new TicketHistory(readTickets(o.history)) : null;
  return `${JSON.stringify(evaluate(pack, ticket, { now, event, history }), null, 2)}\n`;
}

export function validateCommand(o: Options): string {
  const path = requireOption(o.pack, 'pack');
  const pack = loadPack(path);
  const summary = {
    ok: true, file: basename(path), routing: pack.routing.length, sla: pack.sla.length,
    automations: pack.automations.length, people: pack.data.people?.length ?? 0,
    keywords: pack.keywords.size,
  };
  if (o.json) return `${JSON.stringify(summary)}\n`;
  return `${summary.file}: ok — ${summary.routing} routing, ${summary.sla} SLA, ${summary.automations} automations, ${summary.people} people, ${summary.keywords} keywords\n`;
}

export function simulateCommand(o: Options): string {
  if (o.data !== undefined) throw new UsageError('--data: reading a seat\'s tickets needs the seat runtime; run `npm run -s rules -- simulate …` (electron/main/rules/cli)');
  const draft = loadPack(requireOption(o.pack, 'pack'));
  const current = o.current ? loadPack(o.current) : null;
  const tickets = readTickets(requireOption(o.tickets, 'tickets'));
  const now = readNow(o.now);
  const since = o.since ?? '30d';
  const report = simulate(draft, tickets, { now, sinceMs: readSpan(o.since, '30d'), current });
  if (o.json) return `${JSON.stringify(report, null, 2)}\n`;
  return formatReport(report, { window: `the ${since} before ${formatInZone(draft.zone, now)}`, against: current ? `vs. ${basename(o.current ?? '')}` : 'vs. what the tickets got' });
}

/**
 * A dry run for people: each changed ticket with its differences, the firings per rule, SLA
 * breaches and notifications of both sides, and a last line that sums it up.
 */
export function formatReport(report: SimulationReport, context: { window: string; against: string }): string {
  const lines: string[] = [];
  for (const change of report.changed) {
    lines.push(`${change.ticket}  ${change.createdAt}  ${change.title}`);
    for (const text of change.changes) lines.push(`    ${text}`);
    if (change.fired.length) lines.push(`    fired: ${change.fired.join(', ')}`);
  }
  const compared = report.rules.some((r) => r.current !== null);
  if (report.replayed > 0 && compared) {
    const both = (n: { draft: number; current: number | null }): string => `${n.current ?? '-'} → ${n.draft}`;
    lines.push('', 'firings per rule (current → draft):');
    for (const r of report.rules) if (r.draft || r.current) lines.push(`    ${r.rule} (${r.kind}): ${both(r)}`);
    const channels = Object.entries(report.notifications).map(([c, n]) => `${c} ${both(n)}`);
    if (channels.length) lines.push(`notifications (current → draft): ${channels.join(', ')}`);
    lines.push(`tickets with an SLA breach (current → draft): ${both(report.breachedTickets)}`, '');
  }
  const aspects = Object.entries(report.counts).map(([aspect, n]) => `${aspect} ${n}`).join(', ');
  lines.push(`simulated ${report.replayed} tickets created in ${context.window} (${context.against}): ` +
    `${report.changedTotal} would change${aspects ? ` (${aspects})` : ''}`);
  return `${lines.join('\n')}\n`;
}
