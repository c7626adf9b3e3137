import * as A from '@automerge/automerge';
import { projectDoc, viewTicket, type Refusal, type SyncRow } from '../protocol';
import type { NewChange } from '../storage/types';
import { applyTicketChanges, type TicketOutcome } from './apply';
import type { PolicyActor } from './policy';

/**
 * Tickets the server does not have yet, judged without the server's state: their documents
 * start empty and a refused change is taken out by rebuilding from nothing (there is nothing
 * stored to rebuild from). Pure but for Automerge: the same code runs on the main thread and in
 * the judge worker (judge-worker.ts), which is why it returns plain data and frees the documents.
 */
export interface JudgedTicket {
  id: string;
  accepted: NewChange[];
  known: string[];
  refused: Refusal[];
  /** Site and number of the ticket as its accepted changes make it; null when nothing was accepted. */
  view: { site: string; no: string } | null;
  /** The projection row, when something was accepted. */
  row: SyncRow | null;
}

/** Whether a new ticket's accepted changes form one line of history (no concurrency: no conflicts to look for). */
function linearHistory(accepted: readonly { hash: string; deps: string[] }[]): boolean {
  return accepted.every((c, i) => (i === 0 ? c.deps.length === 0 : c.deps.length === 1 && c.deps[0] === accepted[i - 1]!.hash));
}

/** The site, number and row of an applied outcome (`existed`: the ticket was on the server before). */
export function outcomeView(outcome: TicketOutcome, existed: boolean): { view: { site: string; no: string } | null; row: SyncRow | null } {
  const v = outcome.doc ? viewTicket(outcome.doc) : null;
  if (!v || !outcome.doc || outcome.accepted.length === 0) return { view: v && { site: v.site, no: v.no }, row: null };
  return { view: { site: v.site, no: v.no }, row: projectDoc(outcome.doc, { linear: !existed && linearHistory(outcome.accepted) }) };
}

export async function judgeNewTickets(tickets: readonly { id: string; changes: Uint8Array[] }[], actor: PolicyActor): Promise<JudgedTicket[]> {
  const out: JudgedTicket[] = [];
  for (const t of tickets) {
    const outcome = await applyTicketChanges(t.id, null, t.changes, actor, async () => null);
    try {
      out.push({ id: t.id, accepted: outcome.accepted, known: outcome.known, refused: outcome.refused, ...outcomeView(outcome, false) });
    } finally {
      if (outcome.doc) A.free(outcome.doc);
    }
  }
  return out;
}
