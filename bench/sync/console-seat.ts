/**
 * A fresh console seat, measured: the real local node (PouchDB store, rule runner, seat link) in a
 * new data folder signs in to a running sync server and takes the whole site. Run as a child of
 * bench/sync.ts: `node --import tsx console-seat.ts <server url> <expected tickets>`. Prints one
 * JSON line: the time from sign-in until every ticket is stored and the list can show it, the
 * tickets held and the process's peak memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallContext } from '../../electron/contract/ipc';
import { createLocalNode } from '../../electron/main/node';
import { DEMO_PASSWORD } from '../../sync-server/seed/demo';
import { rssOf } from './ours';

const [url, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
if (!url || !Number.isInteger(expected) || expected <= 0) throw new Error('usage: console-seat.ts <server url> <expected tickets>');

const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-bench-console-'));
const TIMEOUT_MS = 600_000;
try {
  const node = await createLocalNode({ dataDir, seat: 'BC', log: () => undefined, sync: { server: url, client: { antiEntropyMs: 0 } } });
  const ctx: CallContext = { session: null };
  const t0 = performance.now();
  await node.handlers['session.signIn']({ userId: 'zhou.sup', password: DEMO_PASSWORD }, ctx);
  let lastLog = t0;
  for (;;) {
    const status = await node.handlers['node.status']({}, ctx);
    if (status.ticketCount >= expected && status.sync?.online && status.sync.progress === null) break;
    const now = performance.now();
    if (now - t0 > TIMEOUT_MS) throw new Error(`the console seat holds ${status.ticketCount} of ${expected} tickets after ${TIMEOUT_MS / 1000} s`);
    if (now - lastLog > 5_000) {
      process.stderr.write(`    console seat: ${status.ticketCount} of ${expected} after ${((now - t0) / 1000).toFixed(0)} s\n`);
      lastLog = now;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  // The list answers over every row, as the workbench asks it.
  const page = await node.handlers['tickets.list']({ limit: 50, offset: 0, sort: 'createdAt_desc' }, ctx);
  const tickets = page.total;
  const rss = rssOf(process.pid);
  await node.close();
  process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), tickets, peakRssMb: rss?.peakMb ?? null })}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
