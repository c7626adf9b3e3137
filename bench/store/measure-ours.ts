/** Bench child (a fresh process): open the store, first page, then the list queries. Prints JSON. */
import { openPouchTicketStore } from '../../electron/main/store';
import { benchQueries, timeQuery } from './queries';

const dataDir = process.argv[2]!;
const t0 = performance.now();
const store = await openPouchTicketStore({ dataDir, seat: 'BN' });
const openMs = performance.now() - t0;
const first = store.query({ limit: 50 });
const openFirstPageMs = performance.now() - t0;
const queries = benchQueries(first.rows[0]!).map((q) => ({ name: q.name, kind: q.kind, ...timeQuery(() => store.query(q.query)) }));
const liveDocs = store.liveDocs();
await store.close();
console.log(JSON.stringify({ tickets: first.total, openMs, openFirstPageMs, liveDocs, rssMb: process.memoryUsage().rss / 2 ** 20, queries }));
