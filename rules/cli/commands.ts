/** The `rules` commands: eval, validate, simulate. Each returns what to print on stdout. */
import { basename } from 'node:path';
import { evaluate } from '../engine/evaluate';
import { TicketHistory } from '../history/history';
import { EVENT_EXPECTED, parseEvent } from '../ledger/firing';
import { compilePackText } from '../node/load';
import type { CompiledPack } from '../pack/types';
import { simulate } from '../simulate/simulate';
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
  const draft = loadPack(requireOption(o.pack, 'pack'));
  const current = o.current ? loadPack(o.current) : null;
  const tickets = readTickets(requireOption(o.tickets, 'tickets'));
  const now = readNow(o.now);
  const since = o.since ?? '30d';
  const report = simulate(draft, tickets, { now, sinceMs: readSpan(o.since, '30d'), current });
  if (o.json) return `${JSON.stringify(report, null, 2)}\n`;
  const lines: string[] = [];
  for (const change of report.changed) {
    lines.push(`${change.ticket}  ${change.createdAt}  ${change.title}`);
    for (const text of change.changes) lines.push(`    ${text}`);
    if (change.fired.length) lines.push(`    fired: ${change.fired.join(', ')}`);
  }
  const aspects = Object.entries(report.counts).map(([aspect, n]) => `${aspect} ${n}`).join(', ');
  const against = current ? `vs. ${basename(o.current ?? '')}` : 'vs. what the tickets got';
  lines.push(`simulated ${report.replayed} tickets created in the ${since} before ${formatInZone(draft.zone, now)} (${against}): ` +
    `${report.changed.length} would change${aspects ? ` (${aspects})` : ''}`);
  return `${lines.join('\n')}\n`;
}
