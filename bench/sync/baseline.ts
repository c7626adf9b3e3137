/**
 * The baseline, measured the same way as ours: automerge-repo 2.5 (one sync per document, the
 * documents named by URL since a repo cannot list them), its server as a child process, seats as
 * one `Repo` each in a few seat processes. Where it cannot finish it runs smaller or under a time
 * cap and says so: `null` for the figure, and `{ran, reached…, capped}` beside it.
 */
import type { AutomergeUrl } from '@automerge/automerge-repo';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { baselineSeats, type BaselineSeats } from './baseline-ipc';
import { rssOf, type Log } from './ours';
import { editLatencies, percentile, round, type EditMade, type Seen } from './stats';

const SERVER = fileURLToPath(new URL('./baseline-server.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface BaselineServer {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function startServer(dir: string): Promise<BaselineServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (proc.kill('SIGKILL'), reject(new Error('the baseline server did not start'))), 60_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: string; port?: number };
        if (m.event !== 'listening') return;
        clearTimeout(timer);
        resolve({
          url: `ws://127.0.0.1:${m.port}`,
          proc,
          async stop() {
            if (proc.exitCode !== null || proc.signalCode !== null) return;
            const exited = new Promise((r) => proc.once('exit', r));
            proc.kill('SIGTERM');
            const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(t);
          },
        });
      } catch {
        // not the ready line
      }
    });
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the baseline server exited (${code})`))));
  });
}

/** Seeds `count` documents under a time cap; the URLs written, or what it reached when capped. */
async function seed(dir: string, count: number, capMs: number, log: Log): Promise<{ urls: AutomergeUrl[]; ms: number; capped: boolean }> {
  const t0 = Date.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVER, dir, '--seed', String(count)], { stdio: ['ignore', 'inherit', 'inherit'] });
  const timer = setTimeout(() => proc.kill('SIGKILL'), capMs);
  const code = await new Promise<number | null>((r) => proc.once('exit', r));
  clearTimeout(timer);
  if (code !== 0) {
    log(`  baseline: seeding ${count} documents did not finish within ${capMs / 1000} s`);
    return { urls: [], ms: Date.now() - t0, capped: true };
  }
  const urls = JSON.parse(readFileSync(join(dir, 'urls.json'), 'utf8')) as AutomergeUrl[];
  log(`  baseline: seeded ${urls.length} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s (not counted)`);
  return { urls, ms: Date.now() - t0, capped: false };
}

async function withServer<T>(fn: (s: BaselineServer, dir: string) => Promise<T>, prepare?: (dir: string) => Promise<void>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-bench-am-'));
  try {
    await prepare?.(dir);
    const server = await startServer(dir);
    try {
      return await fn(server, dir);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withSeats<T>(count: number, fn: (procs: BaselineSeats[]) => Promise<T>): Promise<T> {
  const procs = Array.from({ length: count }, () => baselineSeats());
  try {
    return await fn(procs);
  } finally {
    await Promise.all(procs.map((p) => p.ask({ cmd: 'stop' }).catch(() => undefined)));
    await Promise.all(procs.map((p) => p.close()));
  }
}

async function editVisible(o: { seats: number; processes: number; docs: number; edits: number; warmup: number; intervalMs: number }, log: Log) {
  return withServer((server) =>
    withSeats(o.processes, async (procs) => {
      const names = Array.from({ length: o.seats }, (_, i) => ({ name: `am-seat-${i}`, proc: i % o.processes }));
      const of = (p: number) => names.filter((n) => n.proc === p).map((n) => n.name);
      await Promise.all(procs.map((p, i) => p.ask({ cmd: 'connect', url: server.url, seats: of(i) })));
      const urls = (await procs[0]!.ask({ cmd: 'create', seat: names[0]!.name, count: o.docs })).urls!;
      const t0 = Date.now();
      const opened = await Promise.all(procs.map((p, i) => p.ask({ cmd: 'open', seats: of(i), urls, timeoutMs: 180_000 })));
      const found = opened.reduce((n, r) => n + r.count!, 0);
      log(`  baseline: ${o.seats} seats opened ${o.docs} documents each in ${((Date.now() - t0) / 1000).toFixed(1)} s (${found}/${o.seats * o.docs})`);
      if (found < o.seats * o.docs) return { seats: o.seats, docs: o.docs, edits: 0, p50Ms: null, p99Ms: null, capped: true, opened: found };
      await Promise.all(procs.map((p) => p.ask({ cmd: 'record', on: true })));
      const edits: EditMade[] = [];
      for (let n = 0; n < o.warmup + o.edits; n++) {
        const editor = names[n % names.length]!;
        const url = urls[n % urls.length]!;
        const r = await procs[editor.proc]!.ask({ cmd: 'edit', seat: editor.name, url, n });
        if (n >= o.warmup) edits.push({ ticket: url, seat: editor.name, at: r.at! });
        await sleep(o.intervalMs);
      }
      await sleep(3_000);
      const seen: Seen[] = [];
      for (const p of procs) seen.push(...(await p.ask({ cmd: 'seen' })).seen!);
      const { latencies, missing, first, last } = editLatencies(edits, seen, names.map((n) => n.name));
      return { seats: o.seats, docs: o.docs, edits: edits.length, samples: latencies.length, missing, p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2), maxMs: round(percentile(latencies, 100), 2), firstSeatP99Ms: round(percentile(first, 99), 2), lastSeatP99Ms: round(percentile(last, 99), 2), intervalMs: o.intervalMs };
    }),
  );
}

/** Seat A creates `count` documents; seat B, handed their URLs at once, finds them all (under a cap). */
async function pushNew(count: number, capMs: number, log: Log) {
  return withServer((server) =>
    withSeats(2, async ([a, b]) => {
      // Seat A makes its documents offline and then connects (creating them online costs ~30 ms
      // each in announcements here, before anything is pushed); the clock starts as it connects.
      await a!.ask({ cmd: 'connect', url: server.url, seats: ['am-a'], later: true });
      await b!.ask({ cmd: 'connect', url: server.url, seats: ['am-b'] });
      const made = await a!.ask({ cmd: 'create', seat: 'am-a', count });
      const got = await b!.ask({ cmd: 'findAll', seat: 'am-b', urls: made.urls!, capMs, concurrency: 50 });
      const reachedMs = got.at ? Math.round(got.at - made.at!) : capMs;
      const done = got.count === count;
      log(`  baseline: seat A made ${count} documents in ${made.ms!.toFixed(0)} ms; seat B had ${got.count} ${done ? `after ${reachedMs} ms` : `when the ${capMs / 1000} s cap ran out`}`);
      return { ran: count, reached: got.count!, reachedMs: done ? reachedMs : capMs, capped: !done };
    }),
  );
}

/** A fresh seat finding every document of a seeded server (under a cap); the server's memory after. */
async function freshSeat(count: number, seedCapMs: number, capMs: number, log: Log) {
  let seeded: { urls: AutomergeUrl[]; capped: boolean } = { urls: [], capped: true };
  return withServer(
    (server) =>
      withSeats(1, async ([p]) => {
        if (seeded.capped) return { ran: count, reached: 0, reachedMs: null, capped: true, serverRssMb: null };
        await p!.ask({ cmd: 'connect', url: server.url, seats: ['am-fresh'] });
        const t0 = Date.now();
        const got = await p!.ask({ cmd: 'findAll', seat: 'am-fresh', urls: seeded.urls, capMs, concurrency: 50 });
        const ms = Date.now() - t0;
        const rss = rssOf(server.proc.pid!);
        const done = got.count === count;
        log(`  baseline: a fresh seat found ${got.count}/${count} documents ${done ? `in ${(ms / 1000).toFixed(1)} s` : `when the ${capMs / 1000} s cap ran out`}; server rss ${rss?.nowMb} MB (peak ${rss?.peakMb} MB)`);
        return { ran: count, reached: got.count!, reachedMs: ms, capped: !done, serverRssMb: rss };
      }),
    async (dir) => {
      seeded = await seed(dir, count, seedCapMs, log);
    },
  );
}

export type BaselinePart = 'edit' | 'push' | 'fresh';

export async function baseline(o: { quick: boolean; parts?: ReadonlySet<BaselinePart> }, log: Log): Promise<Record<string, unknown>> {
  const q = o.quick;
  const runs = (p: BaselinePart) => !o.parts || o.parts.has(p);
  const none = { ran: 0, reached: 0, reachedMs: null, capped: false, serverRssMb: null, p50Ms: null, p99Ms: null };
  if (runs('edit')) log(`baseline (automerge-repo): 100 seats, edit until visible on every other seat`);
  const edit = runs('edit') ? await editVisible({ seats: 100, processes: 4, docs: q ? 10 : 50, edits: q ? 100 : 500, warmup: 20, intervalMs: 50 }, log) : none;
  if (runs('edit')) log(`baseline: edit visible p50 ${edit.p50Ms} ms, p99 ${edit.p99Ms} ms`);
  const pushSize = q ? 500 : 5_000;
  if (runs('push')) log(`baseline: push ${pushSize} new documents from seat A to seat B`);
  const push = runs('push') ? await pushNew(pushSize, q ? 30_000 : 240_000, log) : none;
  // Seeding automerge-repo documents costs ~6 ms each here and a fresh seat finds ~90 a second:
  // 50,000 would take well over an hour, so the fresh seat runs on 10,000 (1,000 with --quick).
  const freshSize = q ? 1_000 : 10_000;
  if (runs('fresh')) log(`baseline: a fresh seat on ${freshSize} documents`);
  const fresh = runs('fresh') ? await freshSeat(freshSize, q ? 30_000 : 300_000, q ? 20_000 : 240_000, log) : none;
  return {
    editVisibleP50Ms: edit.p50Ms,
    editVisibleP99Ms: edit.p99Ms,
    push5000Ms: push.ran === 5_000 && !push.capped ? push.reachedMs : null,
    freshSeat50000Ms: fresh.ran === 50_000 && !fresh.capped ? fresh.reachedMs : null,
    serverRssMb200000: null,
    editVisible: edit,
    push5000: push,
    freshSeat50000: { ...fresh, serverRssMb: undefined },
    serverRss: { ran: fresh.reached, docsStored: fresh.ran, peakMb: fresh.serverRssMb?.peakMb ?? null, nowMb: fresh.serverRssMb?.nowMb ?? null, capped: true, note: 'the server after serving one fresh seat the documents it found; 200,000 not run (seeding alone would take hours)' },
  };
}
