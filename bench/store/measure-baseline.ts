/**
 * Bench child, the naive approach: no projection rows — open the database, load every Automerge
 * document (and free it), project it into a row, then sort for the first page; queries scan rows.
 */
import { join } from 'node:path';
import * as Automerge from '@automerge/automerge';
import PouchDB from 'pouchdb';
import { projectTicket, type TicketRow } from '../../domain';
import { toTicket } from '../../electron/main/store';
import { benchQueries, scanRows, timeQuery } from './queries';

const dataDir = process.argv[2]!;
const t0 = performance.now();
const db = new PouchDB(join(dataDir, 'tickets'), { adapter: 'leveldb' });
const rows: TicketRow[] = [];
let startkey = 't/';
for (;;) {
  const page = await db.allDocs({ startkey, endkey: 't/\uffff', limit: 1000, skip: startkey === 't/' ? 0 : 1, attachments: true, binary: true, include_docs: true });
  for (const r of page.rows) {
    // In Node, binary attachments come back as Buffers.
    const att = (r.doc as { _attachments?: Record<string, { data: Uint8Array }> } | undefined)?._attachments?.doc;
    if (!att) continue;
    const doc = Automerge.load<Record<string, unknown>>(att.data);
    rows.push(projectTicket(toTicket(doc)));
    Automerge.free(doc);
  }
  const last = page.rows[page.rows.length - 1];
  if (!last || page.rows.length < 1000) break;
  startkey = last.id;
}
const first = scanRows(rows, { limit: 50 });
const openFirstPageMs = performance.now() - t0;
const queries = benchQueries(first.rows[0]!).map((q) => ({ name: q.name, kind: q.kind, ...timeQuery(() => scanRows(rows, q.query)) }));
await db.close();
console.log(JSON.stringify({ tickets: rows.length, openFirstPageMs, rssMb: process.memoryUsage().rss / 2 ** 20, queries }));
