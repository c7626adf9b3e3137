import type { TicketRow, TicketState } from '../../../domain';
import { SortedRows } from './sorted-rows';
import { TextIndex } from './text-index';
import type { RowQuery } from './ticket-store';

/** The query text as the search box means it: NFKC, lower-cased, every word must appear. */
export function searchTerms(text: string | undefined): string[] {
  if (!text) return [];
  return text.normalize('NFKC').toLowerCase().split(/\s+/).filter((t) => t !== '');
}

class SetIndex<K> {
  private readonly sets = new Map<K, Set<string>>();
  add(key: K, id: string): void {
    let s = this.sets.get(key);
    if (!s) this.sets.set(key, (s = new Set()));
    s.add(id);
  }
  delete(key: K, id: string): void {
    const s = this.sets.get(key);
    if (!s) return;
    s.delete(id);
    if (s.size === 0) this.sets.delete(key);
  }
  get(key: K): ReadonlySet<string> {
    return this.sets.get(key) ?? EMPTY;
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/** Told of every row change, after the indexes changed: the row before (undefined for a new ticket) and after. */
export type RowListener = (previous: TicketRow | undefined, next: TicketRow) => void;

/**
 * Every ticket's projection row in memory, with indexes for the list filters (state, assignee,
 * pool, awaiting info), two orders (created, updated) and a substring search over `row.search`.
 * 50,000 rows fit easily; a filtered page costs one pass at most, usually a small candidate set.
 */
export class RowIndex {
  private readonly rows = new Map<string, TicketRow>();
  private readonly byState = new SetIndex<TicketState>();
  private readonly byAssignee = new SetIndex<string | null>();
  private readonly byPool = new SetIndex<string | null>();
  private readonly awaiting = new SetIndex<boolean>();
  private readonly conflicted = new SetIndex<true>();
  /** Bigrams (and single Chinese characters) of `row.search`: a text query costs its candidates. */
  private readonly text = new TextIndex<TicketRow>();
  /** Ids loaded whose text is not indexed yet (null: the text index is complete). */
  private textPending: string[] | null = null;
  private textTimer: ReturnType<typeof setImmediate> | null = null;
  private readonly byCreated = new SortedRows((r) => r.createdAt);
  private readonly byUpdated = new SortedRows((r) => r.updatedAt);
  private readonly listeners = new Set<RowListener>();

  get size(): number {
    return this.rows.size;
  }

  get(id: string): TicketRow | undefined {
    return this.rows.get(id);
  }

  /** Every row, oldest first. */
  inCreatedOrder(): readonly TicketRow[] {
    return this.byCreated.items;
  }

  /**
   * Loads many rows at once (opening the store): one sort per order instead of 50,000 inserts. The
   * text index (≈0.5 s of CPU at 50,000 rows) is built after, in slices between other work, so
   * opening the seat does not wait for it; until it is ready a text query scans the rows.
   */
  load(rows: Iterable<TicketRow>): void {
    for (const r of rows) {
      const old = this.rows.get(r.id);
      if (old) this.unindex(old);
      this.rows.set(r.id, r);
      this.index(r, false);
    }
    const all = [...this.rows.values()];
    this.byCreated.reset(all);
    this.byUpdated.reset(all);
    this.textPending = [...(this.textPending ?? []), ...all.map((r) => r.id)];
    this.scheduleText();
  }

  /** True once every row's text is in the text index (text queries use it from then on). */
  get textReady(): boolean {
    return this.textPending === null;
  }

  /** Indexes the text of every row still waiting now (tests and benchmarks that measure the index). */
  finishTextIndex(): void {
    while (this.textPending) this.indexTextSlice(Infinity);
  }

  private scheduleText(): void {
    if (this.textTimer || !this.textPending) return;
    this.textTimer = setImmediate(() => {
      this.textTimer = null;
      this.indexTextSlice(TEXT_SLICE);
      this.scheduleText();
    });
    this.textTimer.unref();
  }

  private indexTextSlice(budget: number): void {
    const pending = this.textPending;
    if (!pending) return;
    for (let n = 0; n < budget && pending.length > 0; n++) {
      const r = this.rows.get(pending.pop()!);
      if (r) this.text.set(r.id, r.search, r);
    }
    if (pending.length === 0) this.textPending = null;
  }

  /** Calls `listener` on every later row change (e.g. the seat's dashboard); returns the unsubscribe. */
  listen(listener: RowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  upsert(row: TicketRow): void {
    this.upsertMany([row]);
  }

  /**
   * Writes many rows (one commit's): rows new to the index go into the two orders in one merge
   * each; then the listeners hear of every row, in order, with every index already updated.
   */
  upsertMany(rows: readonly TicketRow[]): void {
    const told: [TicketRow | undefined, TicketRow][] = [];
    const fresh = new Map<string, TicketRow>();
    for (const row of rows) {
      const old = this.rows.get(row.id);
      this.rows.set(row.id, row);
      if (old) this.unindex(old);
      if (fresh.has(row.id)) fresh.set(row.id, row); // new in this batch, written twice: not in the orders yet
      else if (old) {
        this.byCreated.replace(old, row);
        this.byUpdated.replace(old, row);
      } else fresh.set(row.id, row);
      this.index(row);
      told.push([old, row]);
    }
    if (fresh.size > 0) {
      const added = [...fresh.values()];
      this.byCreated.insertMany(added);
      this.byUpdated.insertMany(added);
    }
    for (const [old, row] of told) {
      for (const l of this.listeners) {
        try {
          l(old, row);
        } catch {
          // a listener's fault (it keeps its own state) must not leave the store's indexes half-updated
        }
      }
    }
  }

  /** Takes a row out (the ticket left the seat); listeners are not told. */
  remove(id: string): void {
    const old = this.rows.get(id);
    if (!old) return;
    this.rows.delete(id);
    this.unindex(old);
    this.text.remove(id);
    this.byCreated.remove(old);
    this.byUpdated.remove(old);
  }

  query(q: RowQuery): { rows: TicketRow[]; total: number } {
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const sort = q.sort ?? 'createdAt_desc';
    const terms = searchTerms(q.text);
    if (!q.states?.length && q.assignee === undefined && q.pool === undefined && q.awaitingInfo === undefined && q.ids === undefined && !q.conflicted && terms.length === 0) {
      // Every row: the page is a slice of the order, no pass needed.
      const order = (sort === 'updatedAt_desc' ? this.byUpdated : this.byCreated).items;
      const n = order.length;
      const page: TicketRow[] = [];
      for (let k = offset; k < Math.min(n, offset + limit); k++) page.push(order[sort === 'createdAt_asc' ? k : n - 1 - k]!);
      return { rows: page, total: n };
    }
    const states = q.states && q.states.length > 0 ? q.states : undefined;
    const candidates = this.smallestCandidateSet(q, states, terms);
    // Exact text candidates contain every term already: the other filters are all that is left to test.
    const match = matcher(candidates?.exact ? { ...q, text: undefined } : q);
    if (candidates && candidates.length * (candidates.fromText ? 2 : 8) < this.rows.size) {
      const hits: TicketRow[] = [];
      // Candidates come roughly oldest first: newest first for a descending page lets the page fill early.
      const n = candidates.length;
      const descending = sort !== 'createdAt_asc';
      for (let k = 0; k < n; k++) {
        const r = candidates.at(descending ? n - 1 - k : k);
        if (r && match(r)) hits.push(r);
      }
      return { rows: firstOf(hits, comparer(sort), offset + limit).slice(offset), total: hits.length };
    }
    // One pass over the rows in list order: count every match, keep the page.
    const order = (sort === 'updatedAt_desc' ? this.byUpdated : this.byCreated).items;
    const ascending = sort === 'createdAt_asc';
    const n = order.length;
    const page: TicketRow[] = [];
    let total = 0;
    for (let k = 0; k < n; k++) {
      const r = order[ascending ? k : n - 1 - k]!;
      if (!match(r)) continue;
      if (total >= offset && page.length < limit) page.push(r);
      total++;
    }
    return { rows: page, total };
  }

  /**
   * The ids of the most selective indexed filter, or null when no indexed filter is set. The text
   * index's candidates may be many (up to half the rows): they are checked and only the page sorted.
   */
  private smallestCandidateSet(q: RowQuery, states: readonly TicketState[] | undefined, terms: readonly string[]): Candidates | null {
    const options: ReadonlySet<string>[][] = [];
    if (states) options.push(states.map((s) => this.byState.get(s)));
    if (q.assignee !== undefined) options.push([this.byAssignee.get(q.assignee)]);
    if (q.pool !== undefined) options.push([this.byPool.get(q.pool)]);
    if (q.awaitingInfo !== undefined) options.push([this.awaiting.get(q.awaitingInfo)]);
    if (q.ids !== undefined) options.push([q.ids]);
    if (q.conflicted) options.push([this.conflicted.get(true)]);
    let best: ReadonlySet<string>[] | null = null;
    let bestSize = Infinity;
    for (const sets of options) {
      const size = sets.reduce((n, s) => n + s.size, 0);
      if (size < bestSize) [best, bestSize] = [sets, size];
    }
    // The text's candidates, unless another filter is already smaller (then `includes` checks the text).
    if (terms.length > 0 && bestSize > 64 && this.textPending === null) {
      const found = this.text.lookup(terms, Math.min(bestSize, this.rows.size / 2));
      if (found) {
        const text = found.items;
        return { length: text.length, fromText: true, exact: found.exact, at: (k) => text[k] };
      }
    }
    if (!best) return null;
    const ids: string[] = [];
    for (const s of best) for (const id of s) ids.push(id);
    return { length: ids.length, fromText: false, exact: false, at: (k) => this.rows.get(ids[k]!) };
  }

  private index(r: TicketRow, text = true): void {
    if (text) this.text.set(r.id, r.search, r);
    this.byState.add(r.state, r.id);
    this.byAssignee.add(r.assignee, r.id);
    this.byPool.add(r.pool, r.id);
    this.awaiting.add(r.awaitingInfo, r.id);
    if (hasConflicts(r)) this.conflicted.add(true, r.id);
  }

  private unindex(r: TicketRow): void {
    this.byState.delete(r.state, r.id);
    this.byAssignee.delete(r.assignee, r.id);
    this.byPool.delete(r.pool, r.id);
    this.awaiting.delete(r.awaitingInfo, r.id);
    this.conflicted.delete(true, r.id);
  }
}

/** Rows indexed per slice of the text index's build after a load (≈10 ms of CPU). */
const TEXT_SLICE = 1000;

/** Rows a query checks instead of every row: from an indexed filter (ids) or the text index (rows). */
interface Candidates {
  length: number;
  fromText: boolean;
  /** Every candidate contains every search term (no `includes` needed). */
  exact: boolean;
  at(k: number): TicketRow | undefined;
}

/** True when two seats set a watched field concurrently and nobody settled it yet. */
export function hasConflicts(r: TicketRow): boolean {
  if (!r.conflicts) return false;
  for (const _ in r.conflicts) return true;
  return false;
}

/** The query as one predicate over rows, cheapest tests first. */
function matcher(q: RowQuery): (r: TicketRow) => boolean {
  const terms = searchTerms(q.text);
  const states = q.states && q.states.length > 0 ? new Set(q.states) : null;
  const { assignee, pool, awaitingInfo, ids, conflicted } = q;
  return (r) => {
    if (ids !== undefined && !ids.has(r.id)) return false;
    if (conflicted && !hasConflicts(r)) return false;
    if (states !== null && !states.has(r.state)) return false;
    if (assignee !== undefined && r.assignee !== assignee) return false;
    if (pool !== undefined && r.pool !== pool) return false;
    if (awaitingInfo !== undefined && r.awaitingInfo !== awaitingInfo) return false;
    for (let i = 0; i < terms.length; i++) if (!r.search.includes(terms[i]!)) return false;
    return true;
  };
}

/**
 * The first `k` items in `cmp` order. A page of 50 out of thousands of hits keeps a small sorted
 * buffer (most items cost one comparison) instead of sorting every hit.
 */
export function firstOf<T>(items: T[], cmp: (a: T, b: T) => number, k: number): T[] {
  if (k * 4 >= items.length) return items.sort(cmp).slice(0, k);
  const top: T[] = [];
  for (const item of items) {
    if (top.length === k && cmp(item, top[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(top[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, item);
    if (top.length > k) top.pop();
  }
  return top;
}

function comparer(sort: NonNullable<RowQuery['sort']>): (a: TicketRow, b: TicketRow) => number {
  const key = sort === 'updatedAt_desc' ? (r: TicketRow) => r.updatedAt : (r: TicketRow) => r.createdAt;
  const dir = sort === 'createdAt_asc' ? 1 : -1;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -dir : dir;
    return a.id < b.id ? -dir : a.id > b.id ? dir : 0;
  };
}
