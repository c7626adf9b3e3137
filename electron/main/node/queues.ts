import { isOpen, type TicketRow } from '../../../domain';
import { hasConflicts } from '../store/row-index';
import type { TicketQueues } from '../../contract/ipc';

/**
 * The workbench's queue counts in one pass over the rows: open tickets, the signed-in person's,
 * the unassigned ones, per pool (biggest first), and how many of the open ones are breaching.
 */
export function queueCounts(rows: readonly TicketRow[], me: string | null, breaching: ReadonlySet<string>): TicketQueues {
  let open = 0;
  let mine = 0;
  let unassigned = 0;
  let late = 0;
  let conflicted = 0;
  const pools = new Map<string, number>();
  for (const r of rows) {
    if (hasConflicts(r)) conflicted++;
    if (!isOpen(r.state)) continue;
    open++;
    if (r.assignee === null) unassigned++;
    else if (me !== null && r.assignee === me) mine++;
    if (r.pool !== null) pools.set(r.pool, (pools.get(r.pool) ?? 0) + 1);
    if (breaching.has(r.id)) late++;
  }
  return {
    all: rows.length, open, mine, unassigned, breaching: late, conflicted,
    pools: [...pools].map(([pool, count]) => ({ pool, count })).sort((a, b) => b.count - a.count || a.pool.localeCompare(b.pool)),
  };
}
