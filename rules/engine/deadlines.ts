/**
 * SLA deadlines of the state the ticket is in after this evaluation. `breached` means now ≥ dueAt;
 * a breach raises the rule's banner and notifications and is a firing with its own ledger key.
 */
import { explainCondition, testCondition } from '../conditions/tree';
import { firingKey } from '../ledger/firing';
import type { CompiledPack } from '../pack/types';
import { readClock } from '../sla/clock';
import { formatDuration } from '../time/duration';
import { formatInZone } from '../time/zone';
import { addNotifications } from './effects';
import type { Evaluation } from './output';
import type { TicketScope } from './scope';

function shortTime(pack: CompiledPack, instant: number, now: number): string {
  const full = formatInZone(pack.zone, instant);
  const today = formatInZone(pack.zone, now).slice(0, 10);
  return full.slice(0, 10) === today ? full.slice(11, 16) : `${full.slice(0, 10)} ${full.slice(11, 16)}`;
}

export function runDeadlines(pack: CompiledPack, scope: TicketScope, out: Evaluation): void {
  const { ticket, now } = scope;
  for (const rule of pack.sla) {
    if (rule.state !== ticket.state) continue;
    if (rule.when && !testCondition(rule.when, scope)) continue;
    const reading = readClock({
      start: ticket.stateEnteredAt, durationMs: rule.afterMs, pauses: ticket.pauses,
      calendar: rule.business ? pack.calendar : null, now,
    });
    const breached = reading.dueAt !== null && now >= reading.dueAt;
    out.deadlines.push({
      rule: rule.id, state: rule.state, level: rule.level,
      dueAt: reading.dueAt === null ? null : formatInZone(pack.zone, reading.dueAt), breached,
    });
    const since = `${rule.state} since ${shortTime(pack, ticket.stateEnteredAt, now)}`;
    const mode = rule.business ? ` business ${rule.after}` : ` ${rule.after}`;
    const why = rule.when ? ` (${explainCondition(rule.when, scope).join('; ')})` : '';
    if (reading.paused) {
      out.explain.push(`${rule.id}: ${since}${why}; paused, clock stopped (${rule.level} after${mode})`);
      continue;
    }
    if (reading.dueAt === null) {
      out.explain.push(`${rule.id}: ${since}${why}; no deadline (the calendar never opens)`);
      continue;
    }
    const due = shortTime(pack, reading.dueAt, now);
    if (!breached) {
      out.explain.push(`${rule.id}: ${since}${why}; ${rule.level} due ${due} (in ${formatDuration(reading.dueAt - now)})`);
      continue;
    }
    const effects: string[] = [];
    if (rule.banner) {
      out.banners.push({ rule: rule.id, level: rule.level, color: rule.banner });
      effects.push(`${rule.banner} banner`);
    }
    effects.push(...addNotifications(out, pack, rule.id, rule.notify, ticket, now));
    out.firings.push({
      rule: rule.id, kind: 'sla',
      key: firingKey({ rule: rule.id, version: rule.version, event: 'deadline', stateEnteredAt: ticket.stateEnteredAt }),
    });
    out.explain.push(`${rule.id}: ${since}${why}; ${rule.level} due ${due}, breached ${formatDuration(now - reading.dueAt)} ago${effects.length ? ` → ${effects.join(', ')}` : ''}`);
  }
}
