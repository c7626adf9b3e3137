import * as A from '@automerge/automerge';
import { toAutomerge } from '../protocol';
import type { StoredTicket, SyncStorage } from '../storage/types';
import { applyTicketChanges } from './apply';
import { outcomeView } from './new-tickets';
import type { PushPipeline } from './push';
import { docFromStored } from './tickets';

/**
 * Warming the server up once it listens, in the background, so that the first edits after a
 * start do not pay for it. Measured (docs/sync.md §10): a fresh server's first edit reached the
 * other seat in 108–206 ms where later ones take ~10–15 ms — the edit path was not compiled yet
 * (most of it `Automerge.applyChanges` on a freshly loaded document) — and each ticket's first
 * edit also reads and loads it from storage. So, bounded in time and never failing:
 *
 * 1. **Rehearse** the edit path a few times on scratch copies of recently changed tickets: read,
 *    load, a scratch seat's edit, apply and judge it, project the row — then throw it all away.
 *    Nothing goes to storage (the storage it is given can only read) nor into the document cache.
 * 2. **Pre-load** the most recently changed tickets (the newest entries of each site's log) into
 *    the document cache, a few at a time inside the push queue (the only place the cache is
 *    touched), never past what the cache has room for: evicting a live document is never worth it.
 */
export type WarmUpStorage = Pick<SyncStorage, 'listSites' | 'lastSeq' | 'readLog' | 'loadTickets'>;

export interface WarmUpOptions {
  /** Read-only on purpose: the warm-up writes nothing. */
  storage: WarmUpStorage;
  pipeline: Pick<PushPipeline, 'queue' | 'docs'>;
  /** The scratch edit's timestamp. */
  now: () => Date;
  /** Edits rehearsed on scratch copies (default 5). */
  rehearsals?: number;
  /** Recently changed tickets put in the document cache (default a tenth of the cache, at most 200). */
  preload?: number;
  /** Stops starting new steps after this long (default 10 s). */
  budgetMs?: number;
  /** Monotonic ms, for the budget. */
  clock?: () => number;
  /** The server is stopping: no further step. */
  signal?: AbortSignal;
}

export interface WarmUpReport {
  rehearsed: number;
  preloaded: number;
  ms: number;
  /** The budget ran out or the server stopped before every step was done. */
  cut: boolean;
}

/** The scratch seat's actor id (never written anywhere). */
const SCRATCH_ACTOR = '5c7a7c40'.repeat(4);
/** Log entries read per site to find recently changed tickets, per ticket wanted. */
const LOG_PER_TICKET = 4;
/** Tickets loaded per turn of the push queue: a push waits for at most this many loads (a few ms each). */
const CHUNK = 8;

const turn = () => new Promise<void>((r) => setImmediate(r));

/** Ids of recently changed tickets, newest first, taking the sites in turn. */
async function recentTickets(storage: WarmUpStorage, want: number): Promise<string[]> {
  const perSite: string[][] = [];
  for (const site of await storage.listSites()) {
    const last = await storage.lastSeq(site.id);
    const scan = Math.min(last, want * LOG_PER_TICKET);
    const entries = scan > 0 ? await storage.readLog(site.id, last - scan, scan) : [];
    const ids = new Set<string>();
    for (let i = entries.length - 1; i >= 0 && ids.size < want; i--) ids.add(entries[i]!.ticketId);
    perSite.push([...ids]);
  }
  const out: string[] = [];
  for (let i = 0; out.length < want && perSite.some((ids) => i < ids.length); i++) for (const ids of perSite) if (i < ids.length && out.length < want) out.push(ids[i]!);
  return out;
}

/** One edit through the push path on a scratch copy of a stored ticket; everything is freed after. */
async function rehearse(storage: WarmUpStorage, id: string, now: Date): Promise<boolean> {
  const stored = (await storage.loadTickets([id])).get(id);
  if (!stored) return false;
  const doc = docFromStored(stored);
  const seat = A.clone(doc, { actor: SCRATCH_ACTOR });
  const heads = A.getHeads(seat);
  const edited = A.change(seat, (d: Record<string, unknown>) => {
    if (Array.isArray(d.comments)) d.comments.push(toAutomerge({ id: 'warm-up', at: now.toISOString(), by: 'warm-up', text: 'warm-up' }));
    d.updatedAt = toAutomerge(now.toISOString());
  });
  const changes = A.getChangesSince(edited, heads);
  A.free(edited);
  const outcome = await applyTicketChanges(id, doc, changes, { user: 'warm-up', role: 'agent', sites: [stored.site] }, async () => {
    const again = (await storage.loadTickets([id])).get(id);
    return again ? docFromStored(again) : null;
  });
  try {
    outcomeView(outcome, true);
  } finally {
    // `doc` is the same handle as the outcome's (or was freed when a refusal rebuilt it).
    if (outcome.doc) A.free(outcome.doc);
  }
  return true;
}

export async function warmUp(o: WarmUpOptions): Promise<WarmUpReport> {
  const clock = o.clock ?? (() => performance.now());
  const started = clock();
  const cache = o.pipeline.docs.cache;
  const preload = Math.max(0, o.preload ?? Math.min(200, Math.floor(cache.capacity / 10)));
  const rehearsals = Math.max(0, o.rehearsals ?? 5);
  const budget = o.budgetMs ?? 10_000;
  const over = () => o.signal?.aborted === true || clock() - started > budget;
  const report: WarmUpReport = { rehearsed: 0, preloaded: 0, ms: 0, cut: false };
  const done = () => ({ ...report, ms: Math.round(clock() - started) });

  await turn();
  const recent = await recentTickets(o.storage, Math.max(preload, rehearsals));
  for (const id of recent.slice(0, rehearsals)) {
    if (over()) return { ...done(), cut: true };
    if (await rehearse(o.storage, id, o.now())) report.rehearsed++;
    await turn();
  }
  const wanted = recent.slice(0, preload);
  for (let i = 0; i < wanted.length; i += CHUNK) {
    if (over()) return { ...done(), cut: true };
    const full = await o.pipeline.queue.run(async () => {
      // Tickets a push loaded meanwhile are left as they are.
      const room = cache.capacity - cache.size;
      const ids = wanted.slice(i, i + CHUNK).filter((id) => cache.get(id) === undefined).slice(0, Math.max(0, room));
      const stored = ids.length > 0 ? await o.storage.loadTickets(ids) : new Map<string, StoredTicket>();
      for (const id of ids) {
        const t = stored.get(id);
        if (!t) continue;
        cache.set(id, docFromStored(t));
        report.preloaded++;
      }
      return cache.size >= cache.capacity;
    });
    if (full) break;
    await turn();
  }
  return done();
}
