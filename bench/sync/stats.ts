/** Small pure helpers of the sync benchmark: percentiles and edit-to-visible matching. */

/** Nearest-rank percentile (p in 0..100) of `values`; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const round = (n: number | null, digits = 1): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/** An edit made on one seat at `at` (ms, a clock every process shares). */
export interface EditMade {
  ticket: string;
  seat: string;
  at: number;
}

/** A seat saw a ticket change at `at`. */
export interface Seen {
  ticket: string;
  seat: string;
  at: number;
}

/**
 * For every edit and every other seat: the time until that seat first saw the ticket change after
 * the edit (and before the next edit of the same ticket, counting `others`: edits made in the same
 * run but reported apart). Returns the latencies and how many (edit, seat) pairs never saw it.
 */
export function editLatencies(edits: readonly EditMade[], seen: readonly Seen[], seats: readonly string[], others: readonly EditMade[] = []): { latencies: number[]; missing: number; first: number[]; last: number[] } {
  const bySeatTicket = new Map<string, number[]>();
  for (const s of seen) {
    const key = s.seat + ' ' + s.ticket;
    const list = bySeatTicket.get(key);
    if (list) list.push(s.at);
    else bySeatTicket.set(key, [s.at]);
  }
  for (const list of bySeatTicket.values()) list.sort((a, b) => a - b);
  const nextEdit = new Map<EditMade, number>();
  const byTicket = new Map<string, EditMade[]>();
  for (const e of [...edits, ...others]) byTicket.set(e.ticket, [...(byTicket.get(e.ticket) ?? []), e]);
  for (const list of byTicket.values()) {
    list.sort((a, b) => a.at - b.at);
    list.forEach((e, i) => nextEdit.set(e, list[i + 1]?.at ?? Infinity));
  }
  const latencies: number[] = [];
  /** Per edit: the first and the last seat to see it (where the time goes: push or fan-out). */
  const first: number[] = [];
  const last: number[] = [];
  let missing = 0;
  for (const e of edits) {
    const until = nextEdit.get(e)!;
    let lo = Infinity;
    let hi = -Infinity;
    for (const seat of seats) {
      if (seat === e.seat) continue;
      const at = bySeatTicket.get(seat + ' ' + e.ticket)?.find((t) => t >= e.at && t < until);
      if (at === undefined) {
        missing++;
        continue;
      }
      latencies.push(at - e.at);
      lo = Math.min(lo, at - e.at);
      hi = Math.max(hi, at - e.at);
    }
    if (hi >= 0) {
      first.push(lo);
      last.push(hi);
    }
  }
  return { latencies, missing, first, last };
}
