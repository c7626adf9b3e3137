/**
 * An n-gram index over the rows' search text (`row.search`), so a text query costs its
 * candidates instead of a pass over every row. Chinese has no word boundaries and the search box
 * matches substrings, so the index keeps, per row, every bigram of its text (two UTF-16 code
 * units) and every single non-ASCII character. A term of two or more characters must contain all
 * its bigrams; a single Chinese character must be among the row's characters; a single ASCII
 * character (which nearly every row has) is left to the caller's check.
 *
 * The index only narrows: callers still test each candidate with `includes`, so a posting left
 * behind by a changed text costs a wasted check, never a wrong answer. Postings are appended, and
 * rebuilt once stale ones pile up. A posting missing would lose a match, so every gram of a row's
 * text is added whenever its text changes.
 */

/** Grams of a search text that the index keeps; the field separator (\u0001) starts or ends none. */
export function textGrams(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 1) continue;
    if (c > 0x7f) out.add(text[i]!);
    const d = text.charCodeAt(i + 1);
    if (i + 1 < text.length && d !== 1) out.add(text.slice(i, i + 2));
  }
  return out;
}

/** The grams a term needs, or null when the index cannot narrow it (a single ASCII character). */
export function termGrams(term: string): string[] | null {
  if (term.length === 0) return null;
  if (term.length === 1) return term.charCodeAt(0) > 0x7f ? [term] : null;
  const out = new Set<string>();
  for (let i = 0; i + 1 < term.length; i++) out.add(term.slice(i, i + 2));
  return [...out];
}

/** A growable list of row slots (append-only). */
class Postings {
  data = new Int32Array(4);
  length = 0;
  push(slot: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = slot;
  }
}

/** Stop intersecting once this few candidates survive: checking them is cheaper than another list. */
const FEW = 64;

/**
 * `T` is what a query hands back for each candidate (the row itself, so the caller reads it by
 * array index instead of looking its id up in a map of 50,000).
 */
export class TextIndex<T> {
  private readonly postings = new Map<string, Postings>();
  private readonly slots = new Map<string, number>();
  private readonly items: (T | undefined)[] = [];
  private readonly texts: string[] = [];
  /** Per slot, the query that last marked it (see `candidates`); reused so a query allocates little. */
  private marks = new Int32Array(0);
  private stamp = 0;
  private live = 0;
  private stale = 0;

  /** `compactAfter`: how many stale postings (and at least a quarter of all) trigger a rebuild. */
  constructor(private readonly compactAfter = 10_000) {}

  /** Postings that no longer match their row's text (for tests and compaction). */
  get staleCount(): number {
    return this.stale;
  }

  /** Indexes a row's text (new or changed) and what to hand back for it; an unchanged text costs one comparison. */
  set(id: string, text: string, item: T): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.items.length;
      this.slots.set(id, slot);
      this.items.push(item);
      this.texts.push(text);
      for (const g of textGrams(text)) this.add(g, slot);
      return;
    }
    this.items[slot] = item;
    const before = this.texts[slot]!;
    if (before === text) return;
    this.texts[slot] = text;
    const old = textGrams(before);
    const next = textGrams(text);
    for (const g of next) if (!old.has(g)) this.add(g, slot);
    for (const g of old) if (!next.has(g)) this.stale++;
    if (this.stale > this.compactAfter && this.stale * 4 > this.live) this.rebuild();
  }

  /** Forgets a row (it left the seat): its postings turn stale and it is never handed back. */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.set(id, '', undefined as T);
    this.items[slot] = undefined;
  }

  /**
   * The rows that may contain every term (each still to be checked with `includes`), or null when
   * no term can be narrowed by the index. Intersects the shortest posting lists first and stops
   * once few candidates are left; `limit` gives up (null) past that many candidates.
   */
  candidates(terms: readonly string[], limit = Infinity): T[] | null {
    return this.lookup(terms, limit)?.items ?? null;
  }

  /**
   * `candidates`, and whether they are exactly the rows containing every term, so the caller may
   * skip its `includes`: every term is one bigram or one Chinese character, and no posting is stale.
   */
  lookup(terms: readonly string[], limit = Infinity): { items: T[]; exact: boolean } | null {
    const single = this.stale === 0 && terms.every((t) => t.length === 2 || (t.length === 1 && t.charCodeAt(0) > 0x7f));
    const found = this.narrow(terms, limit);
    return found ? { items: found.items, exact: single && found.everyList } : null;
  }

  /** The candidates, and whether every gram's list was intersected (not stopped early). */
  private narrow(terms: readonly string[], limit: number): { items: T[]; everyList: boolean } | null {
    const grams = new Set<string>();
    for (const t of terms) for (const g of termGrams(t) ?? []) grams.add(g);
    if (grams.size === 0) return null;
    const lists: Postings[] = [];
    for (const g of grams) {
      const p = this.postings.get(g);
      if (!p) return { items: [], everyList: true }; // no row has this gram, so none contains the term
      lists.push(p);
    }
    lists.sort((a, b) => a.length - b.length);
    // marks[slot] - base = how many lists in a row the slot appeared in (duplicates in a list count once).
    if (this.marks.length < this.items.length) this.marks = new Int32Array(Math.max(1024, this.items.length * 2));
    if (this.stamp > 2 ** 30) {
      this.marks.fill(0);
      this.stamp = 0;
    }
    const base = this.stamp;
    const marks = this.marks;
    let survivors = 0;
    let used = 0;
    for (let j = 0; j < lists.length; j++) {
      const { data, length } = lists[j]!;
      if (j > 0 && (survivors <= FEW || length > survivors * 16)) break;
      survivors = 0;
      for (let k = 0; k < length; k++) {
        const s = data[k]!;
        if ((j === 0 ? marks[s]! <= base : marks[s] === base + j)) {
          marks[s] = base + j + 1;
          survivors++;
        }
      }
      used = j + 1;
    }
    const done = base + used + 1;
    this.stamp = done;
    if (survivors > limit) return null;
    const out: T[] = [];
    const first = lists[0]!;
    for (let k = 0; k < first.length; k++) {
      const s = first.data[k]!;
      if (marks[s] === base + used) {
        marks[s] = done;
        const item = this.items[s];
        if (item !== undefined) out.push(item);
      }
    }
    return { items: out, everyList: used === lists.length };
  }

  private add(gram: string, slot: number): void {
    let p = this.postings.get(gram);
    if (!p) this.postings.set(gram, (p = new Postings()));
    p.push(slot);
    this.live++;
  }

  /** Drops stale postings: every row's grams again, from its current text. */
  private rebuild(): void {
    this.postings.clear();
    this.live = 0;
    this.stale = 0;
    for (let slot = 0; slot < this.items.length; slot++) for (const g of textGrams(this.texts[slot]!)) this.add(g, slot);
  }
}
