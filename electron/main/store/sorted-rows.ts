import type { TicketRow } from '../../../domain';

/**
 * Rows kept in ascending order of a key (an ISO instant) with the id as tie-breaker, so a list
 * page is a slice and a write moves one row (binary search + splice) instead of re-sorting 50,000.
 */
export class SortedRows {
  private rows: TicketRow[] = [];

  constructor(private readonly key: (r: TicketRow) => string) {}

  get length(): number {
    return this.rows.length;
  }

  /** The rows in ascending order (read-only: a list page walks it). */
  get items(): readonly TicketRow[] {
    return this.rows;
  }

  /** Replaces the contents in one go (opening the store). */
  reset(rows: TicketRow[]): void {
    this.rows = rows.slice().sort((a, b) => this.compare(a, b));
  }

  insert(row: TicketRow): void {
    this.rows.splice(this.lowerBound(row), 0, row);
  }

  /**
   * Inserts many rows (none of them here yet): sorted, then merged in one pass. A bootstrap's
   * batches of 500 cost one pass each instead of 500 splices into up to 50,000 rows.
   */
  insertMany(rows: readonly TicketRow[]): void {
    if (rows.length < MERGE_FROM) {
      for (const r of rows) this.insert(r);
      return;
    }
    const fresh = rows.slice().sort((a, b) => this.compare(a, b));
    const old = this.rows;
    const out: TicketRow[] = new Array<TicketRow>(old.length + fresh.length);
    // Each new row's place is found by binary search from the last one's: the old rows between are
    // copied without comparing (a few hundred new rows into 50,000 old ones cost ~16 compares each).
    let i = 0;
    let k = 0;
    for (const row of fresh) {
      const at = this.lowerBound(row, i);
      while (i < at) out[k++] = old[i++]!;
      out[k++] = row;
    }
    while (i < old.length) out[k++] = old[i++]!;
    this.rows = out;
  }

  /** Removes the row stored under `old`'s key and id; false when it is not there. */
  remove(old: TicketRow): boolean {
    const i = this.lowerBound(old);
    const at = this.rows[i];
    if (at === undefined || at.id !== old.id) return false;
    this.rows.splice(i, 1);
    return true;
  }

  /** Swaps a row for its new version; stays in place when the key did not change. */
  replace(old: TicketRow, next: TicketRow): void {
    if (this.key(old) === this.key(next)) {
      const i = this.lowerBound(old);
      if (this.rows[i]?.id === old.id) {
        this.rows[i] = next;
        return;
      }
    }
    this.remove(old);
    this.insert(next);
  }

  private compare(a: TicketRow, b: TicketRow): number {
    const ka = this.key(a);
    const kb = this.key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  private lowerBound(row: TicketRow, from = 0): number {
    let lo = from;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.rows[mid]!, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** From this many rows at once a merge beats inserting one by one. */
const MERGE_FROM = 16;
