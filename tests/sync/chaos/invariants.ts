import { DEMO_PEOPLE, TICKET_STATES, transitionDef, type Ticket } from '../../../domain';
import type { TestSeat } from '../helpers/seat';

/**
 * What must hold when the chaos run settles: the same heads everywhere (and on the server), no
 * honest edit lost, no refused edit anywhere, unique ticket numbers, and the workflow's invariants
 * on every ticket (every recorded transition by a person whose role may make it, and the state
 * reached through a recorded transition).
 */
export interface Settled {
  seats: TestSeat[];
  honest: TestSeat[];
  refusedHashes: Set<string>;
  honestRefusals: string[];
  serverDigest: string[];
  seatDigests: string[][];
}

const ROLE = new Map(DEMO_PEOPLE.map((p) => [p.id, p.role]));

function workflowProblems(t: Ticket): string[] {
  const out: string[] = [];
  if (!TICKET_STATES.includes(t.state)) out.push(`${t.no}: unknown state ${t.state}`);
  if (t.audit[0]?.action !== 'create') out.push(`${t.no}: the first audit entry is not the creation`);
  for (const e of t.audit) {
    if (e.kind !== 'automation' && e.kind !== 'requester' && ROLE.get(e.by) !== e.kind) out.push(`${t.no}: ${e.action} recorded as ${e.by} (${e.kind})`);
    if (e.action === 'create') continue;
    const def = transitionDef(e.action);
    if (!def) out.push(`${t.no}: unknown action ${e.action}`);
    else if (!def.who.includes(e.kind as never) && !def.who.includes('assignee')) out.push(`${t.no}: a ${e.kind} may not ${e.action}`);
  }
  if (!t.audit.some((e) => e.to === t.state)) out.push(`${t.no}: state ${t.state} was reached without a recorded transition`);
  return out;
}

export function checkInvariants(s: Settled): string[] {
  const problems: string[] = [];
  const [first] = s.seats;
  if (!first) return ['no seats'];
  const ids = first.replica.ids().sort();
  for (const seat of s.seats) {
    const mine = seat.replica.ids().sort();
    if (mine.join() !== ids.join()) problems.push(`${seat.user}: holds ${mine.length} tickets, ${first.user} holds ${ids.length}`);
    for (const id of ids) if (seat.replica.headsNow(id).join() !== first.replica.headsNow(id).join()) problems.push(`${seat.user}: ticket ${id} at other heads`);
  }
  s.seatDigests.forEach((d, i) => d.join() !== s.serverDigest.join() && problems.push(`${s.seats[i]!.user}: digest differs from the server's`));
  const present = new Set<string>();
  for (const id of ids) for (const c of first.replica.changeHashes(id)) present.add(c);
  for (const seat of s.honest) for (const h of seat.replica.authored) if (!present.has(h)) problems.push(`${seat.user}: edit ${h.slice(0, 12)} was lost`);
  for (const h of s.refusedHashes) if (present.has(h)) problems.push(`refused change ${h.slice(0, 12)} reached the replicas`);
  for (const r of s.honestRefusals) problems.push(`an honest change was refused: ${r}`);
  const numbers = new Map<string, string>();
  for (const id of ids) {
    const t = first.replica.ticket(id)!;
    const other = numbers.get(t.no);
    if (other) problems.push(`ticket number ${t.no} used twice (${other}, ${id})`);
    numbers.set(t.no, id);
    problems.push(...workflowProblems(t));
  }
  return problems;
}
