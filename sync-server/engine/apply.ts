import * as A from '@automerge/automerge';
import { changeMeta, fieldConflicts, viewTicket, type ChangeMeta, type Refusal, type RefusalCode } from '../protocol';
import type { NewChange } from '../storage/types';
import { judgeChange, type PolicyActor } from './policy';
import { loadDoc } from './tickets';

/**
 * Applies one ticket's pushed changes to its document, one change at a time, judging each on the
 * author's view (policy.ts). Changes may arrive in any order: one whose dependencies come later
 * in the push waits for them. A refused change is taken out again by rebuilding the document
 * (stored state + the changes accepted so far); changes that depend on it are refused too;
 * independent changes around it are kept. Known changes are skipped (redelivery is harmless).
 */
export interface TicketOutcome {
  /** Null when nothing of a new ticket was accepted. */
  doc: A.Doc<unknown> | null;
  accepted: NewChange[];
  /** Hashes already on the server (redelivered): durable, nothing to write. */
  known: string[];
  refused: Refusal[];
}

interface Pending {
  meta: ChangeMeta;
  bytes: Uint8Array;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}


export async function applyTicketChanges(
  ticketId: string,
  /** The ticket's document, or null for a ticket the server does not have (a creation). */
  start: A.Doc<unknown> | null,
  raw: readonly Uint8Array[],
  actor: PolicyActor,
  /** The ticket's document as stored (without anything from this push), or null. */
  rebuild: () => Promise<A.Doc<unknown> | null>,
): Promise<TicketOutcome> {
  const out: TicketOutcome = { doc: start, accepted: [], known: [], refused: [] };
  // Membership through the heads first (getHeads: ~5 µs; hasHeads: ~100–200 µs per call here).
  let heads = new Set(start ? A.getHeads(start) : []);
  const present = new Set<string>();
  const has = (h: string) => {
    if (heads.has(h) || present.has(h)) return true;
    if (out.doc === null || !A.hasHeads(out.doc, [h])) return false;
    present.add(h);
    return true;
  };
  /** A change that depends on a head is not in the document (that head would not be a head). */
  const isNew = (m: ChangeMeta) => !heads.has(m.hash) && m.deps.some((d) => heads.has(d));
  const refusedHashes = new Set<string>();
  const refuse = (hashes: string[], code: RefusalCode, reason: string) => {
    for (const h of hashes) refusedHashes.add(h);
    out.refused.push({ ticketId, hashes, code, reason });
  };
  const pending: Pending[] = [];
  const seen = new Set<string>();
  for (const bytes of raw) {
    try {
      const meta = changeMeta(bytes);
      if (seen.has(meta.hash)) continue;
      seen.add(meta.hash);
      if (!isNew(meta) && has(meta.hash)) out.known.push(meta.hash);
      else pending.push({ meta, bytes });
    } catch (e) {
      refuse([], 'malformed', `a change is not a valid Automerge change: ${(e as Error).message}`);
    }
  }
  for (;;) {
    const i = pending.findIndex((p) => p.meta.deps.every(has));
    if (i < 0) break;
    const p = pending.splice(i, 1)[0]!;
    const current = [...heads];
    if (p.meta.deps.length === 0 && current.length > 0) {
      refuse([p.meta.hash], 'not_allowed', 'the ticket already exists: a change with no history cannot be merged into it');
      continue;
    }
    // The change was made on the whole document when its dependencies cover every head: the other
    // dependencies are ancestors (Automerge names the author's own previous change again when other
    // changes were merged in between). Then the author's view is the document itself: no A.view.
    const fast = current.every((h) => p.meta.deps.includes(h));
    const beforeDoc = !out.doc || p.meta.deps.length === 0 ? null : fast ? out.doc : A.view(out.doc, p.meta.deps);
    const before = beforeDoc ? viewTicket(beforeDoc) : null;
    // Read now: once the change is applied, the live document (same handle) answers for the new state.
    const conflict = beforeDoc ? (fieldConflicts(beforeDoc, ['assignee']).assignee ?? null) : null;
    const assigneeConflict = () => conflict;
    let next: A.Doc<unknown>;
    try {
      next = out.doc ? A.applyChanges(out.doc, [p.bytes])[0] : loadDoc(p.bytes);
    } catch (e) {
      refuse([p.meta.hash], 'malformed', `Automerge could not apply the change: ${(e as Error).message}`);
      continue;
    }
    heads = new Set(A.getHeads(next));
    const verdict = heads.has(p.meta.hash)
      ? judgeChange(before, viewTicket(fast ? next : A.view(next, [p.meta.hash])), actor, { assigneeConflict })
      : { code: 'malformed' as const, reason: 'the change did not apply' };
    out.doc = next;
    if (!verdict) {
      out.accepted.push({ hash: p.meta.hash, deps: p.meta.deps, bytes: p.bytes });
      continue;
    }
    refuse([p.meta.hash], verdict.code, verdict.reason);
    A.free(out.doc);
    out.doc = await rebuild();
    if (out.accepted.length > 0) {
      const accepted = out.accepted.map((a) => a.bytes);
      out.doc = out.doc ? A.applyChanges(out.doc, accepted)[0] : loadDoc(concat(accepted));
    }
    heads = new Set(out.doc ? A.getHeads(out.doc) : []);
    present.clear();
  }
  // Whatever is left cannot be applied: it builds on a refused change or on changes never pushed.
  const blocked = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of pending) {
      if (!blocked.has(p.meta.hash) && p.meta.deps.some((d) => refusedHashes.has(d) || blocked.has(d))) {
        blocked.add(p.meta.hash);
        grew = true;
      }
    }
  }
  const dependents = pending.filter((p) => blocked.has(p.meta.hash)).map((p) => p.meta.hash);
  const orphans = pending.filter((p) => !blocked.has(p.meta.hash)).map((p) => p.meta.hash);
  if (dependents.length > 0) refuse(dependents, 'depends_on_refused', 'the changes build on a refused change');
  if (orphans.length > 0) refuse(orphans, 'missing_deps', 'the changes depend on changes the server does not have: push the ticket’s whole history');
  return out;
}
