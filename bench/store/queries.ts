import type { TicketRow } from '../../domain';
import type { RowQuery } from '../../electron/main/store';

/** The list queries both sides of the bench answer: the console's everyday filters and searches. */
export interface BenchQuery {
  name: string;
  kind: 'filter' | 'search';
  query: RowQuery;
}

export function benchQueries(sample: TicketRow): BenchQuery[] {
  return [
    { name: 'state (open queue)', kind: 'filter', query: { states: ['pending_acceptance', 'dispatched'], limit: 50 } },
    { name: 'assignee (林师傅)', kind: 'filter', query: { assignee: 'lin.chief', limit: 50 } },
    { name: 'unassigned + awaiting info', kind: 'filter', query: { assignee: null, awaitingInfo: false, states: ['pending_acceptance'], limit: 50 } },
    { name: 'text 轴承', kind: 'search', query: { text: '轴承', limit: 50 } },
    { name: 'text 漏水 (updated)', kind: 'search', query: { text: '漏水', sort: 'updatedAt_desc', limit: 50 } },
    { name: `phone ${sample.requesterPhone ?? ''}`, kind: 'search', query: { text: sample.requesterPhone ?? '', limit: 50 } },
    { name: `number ${sample.no.toLowerCase()}`, kind: 'search', query: { text: sample.no.toLowerCase(), limit: 50 } },
  ];
}

/** Runs a query a few times: the first (cold) and the median. */
export function timeQuery(run: () => { total: number }, times = 7): { firstMs: number; medianMs: number; total: number } {
  const ms: number[] = [];
  let total = 0;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    total = run().total;
    ms.push(performance.now() - t0);
  }
  const firstMs = ms[0]!;
  ms.sort((a, b) => a - b);
  return { firstMs, medianMs: ms[Math.floor(ms.length / 2)]!, total };
}

/** The naive list: filter and sort an array of rows, no indexes (the baseline's query). */
export function scanRows(rows: readonly TicketRow[], q: RowQuery): { rows: TicketRow[]; total: number } {
  const terms = (q.text ?? '').normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  const hits = rows.filter(
    (r) =>
      (!q.states || q.states.includes(r.state)) &&
      (q.assignee === undefined || r.assignee === q.assignee) &&
      (q.awaitingInfo === undefined || r.awaitingInfo === q.awaitingInfo) &&
      terms.every((t) => r.search.includes(t)),
  );
  const key = q.sort === 'updatedAt_desc' ? 'updatedAt' : 'createdAt';
  hits.sort((a, b) => (a[key] < b[key] ? 1 : a[key] > b[key] ? -1 : 0));
  return { rows: hits.slice(0, q.limit ?? 50), total: hits.length };
}
