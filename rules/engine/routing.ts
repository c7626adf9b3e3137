/**
 * Routing: rules in order; the first rule to set a scalar (assignee, pool, priority, urgency,
 * skip_dispatch) wins, tags are a de-duplicated union in firing order, `stop` ends routing. An
 * assignee the ticket already has is never replaced. Rules whose required keywords are absent
 * are skipped without evaluation (the pack's routing index), so cost follows what matched.
 */
import { explainCondition, testCondition } from '../conditions/tree';
import type { CompiledPack, RoutingRule } from '../pack/types';
import { pickFor } from '../people/pick';
import { formatHHMM } from '../time/clock';
import { addNotifications, addTags } from './effects';
import type { Evaluation } from './output';
import type { TicketScope } from './scope';

/** Indexes of routing rules worth testing for this ticket, in pack order. */
function candidates(pack: CompiledPack, scope: TicketScope): number[] {
  const { byKeyword, always } = pack.routingIndex;
  if (always.length === pack.routing.length) return always as number[];
  const marked = new Uint8Array(pack.routing.length);
  for (const i of always) marked[i] = 1;
  for (const id of scope.keywordHits(pack.keywordFields)) {
    const rules = byKeyword[id];
    if (rules) for (const i of rules) marked[i] = 1;
  }
  const list: number[] = [];
  for (let i = 0; i < marked.length; i++) if (marked[i]) list.push(i);
  return list;
}

function assign(rule: RoutingRule, out: Evaluation, scope: TicketScope, notes: string[]): string | null {
  const { pack, ticket, now } = scope;
  const a = rule.assign;
  if (!a) return null;
  if (ticket.assignee) {
    notes.push(`${rule.id}: the ticket already has assignee ${pack.directory.name(ticket.assignee)}; kept`);
    return null;
  }
  if (out.assignee !== null) return null;
  if (a.kind === 'user') return a.id;
  if (a.kind === 'team') {
    const pick = pickFor(ticket.key, pack.directory.inTeam(a.team));
    if (!pick) notes.push(`${rule.id}: nobody in team ${a.team}; assign does nothing`);
    return pick;
  }
  const onDuty = pack.directory.onDuty(a.roster, now);
  const pick = pickFor(ticket.key, onDuty);
  if (!pick) notes.push(`${rule.id}: nobody on duty in roster ${a.roster} at ${formatHHMM(scope.local(now).minute)}; assign does nothing`);
  return pick;
}

/** Runs routing; the scalars and tags it sets go into `out`. Returns the rules that fired. */
export function runRouting(pack: CompiledPack, scope: TicketScope, out: Evaluation): RoutingRule[] {
  const fired: RoutingRule[] = [];
  let skipDecided = false;
  for (const i of candidates(pack, scope)) {
    const rule = pack.routing[i] as RoutingRule;
    if (rule.when && !testCondition(rule.when, scope)) continue;
    const notes: string[] = [];
    const outcomes: string[] = [];
    const person = assign(rule, out, scope, notes);
    if (person) {
      out.assignee = person;
      outcomes.push(scope.pack.directory.name(person));
    }
    const rest: string[] = [];
    if (rule.pool !== null && out.pool === null) rest.push(`pool ${(out.pool = rule.pool)}`);
    if (rule.priority !== null && out.priority === null) rest.push(`priority ${(out.priority = rule.priority)}`);
    if (rule.urgency !== null && out.urgency === null) rest.push(`urgency ${(out.urgency = rule.urgency)}`);
    if (rule.skipDispatch !== null && !skipDecided) {
      skipDecided = true;
      out.skipDispatch = rule.skipDispatch;
      if (rule.skipDispatch) rest.push('skip dispatch');
    }
    const tags = addTags(out, rule.tags);
    if (tags.length) rest.push(`tags ${tags.join(', ')}`);
    const withAssignee = scope.ticket.assignee ?? out.assignee;
    const notified = addNotifications(out, pack, rule.id, rule.notify, { ...scope.ticket, assignee: withAssignee }, scope.now);
    rest.push(...notified);
    out.fired.push(rule.id);
    fired.push(rule);
    const reasons = rule.when ? explainCondition(rule.when, scope).join('; ') : 'always';
    if (outcomes.length) {
      out.explain.push(`${rule.id}: ${reasons} → ${outcomes.join(', ')}`);
      if (rest.length) out.explain.push(`${rule.id}: also ${rest.join(', ')}`);
    } else {
      out.explain.push(`${rule.id}: ${reasons} → ${rest.join(', ') || 'nothing new (earlier rules already decided)'}`);
    }
    out.explain.push(...notes);
    if (rule.stop) {
      out.explain.push(`${rule.id}: stop (later routing rules not evaluated)`);
      break;
    }
  }
  return fired;
}
