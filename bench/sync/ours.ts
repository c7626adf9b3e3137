/**
 * Our batched feed, measured: the real sync server as a child process (as the sync tests start
 * it), thin seats (`SyncClient` over `MemoryReplica`) in a few seat processes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PEOPLE } from '../../domain';
import { DEMO_PASSWORD } from '../../sync-server/seed/demo';
import { startServer, type ServerProcess } from '../../tests/sync/helpers/server-process';
import { floorProcess, runScript, seatProcess, type SeatProcess } from './ipc';
import { editLatencies, percentile, round, type EditMade, type Seen } from './stats';

export type Log = (line: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak and current resident memory of a process (Linux /proc), in MB. */
export function rssOf(pid: number): { peakMb: number; nowMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: Math.round(kb('VmHWM') / 1024), nowMb: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return null;
  }
}

/** Where seeded data folders are kept between runs (`--seed-cache DIR`), or null: seeded per run, removed after. */
export interface SeedOptions {
  cache: string | null;
}

/** A data folder seeded with `count` demo tickets: a copy of the cached one, or seeded now (not counted). */
async function seeded(count: number, seed: SeedOptions, log: Log): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'closeloop-bench-sync-'));
  const cached = seed.cache ? join(seed.cache, `demo-${count}`) : null;
  if (cached && existsSync(join(cached, 'complete'))) {
    cpSync(join(cached, 'db'), join(work, 'db'), { recursive: true });
    log(`  ${count} demo tickets from the seed cache ${cached}`);
    return work;
  }
  const t0 = Date.now();
  const target = cached ?? work;
  if (cached) rmSync(cached, { recursive: true, force: true });
  process.stderr.write(await runScript('./seed-process.ts', [target, String(count)], `seeding ${count} tickets`)); // its stdout, if any, stays off the bench's JSON
  if (cached) {
    writeFileSync(join(cached, 'complete'), '');
    cpSync(join(cached, 'db'), join(work, 'db'), { recursive: true });
  }
  log(`  seeded ${count} demo tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s (not counted)`);
  return work;
}

async function withServer<T>(demo: number, seed: SeedOptions, log: Log, fn: (s: ServerProcess) => Promise<T>): Promise<T> {
  const data = await seeded(demo, seed, log);
  try {
    const server = await startServer({ data });
    log(`  server up on ${server.url} with ${demo} demo tickets`);
    try {
      return await fn(server);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

async function withSeats<T>(count: number, fn: (procs: SeatProcess[]) => Promise<T>): Promise<T> {
  const procs = Array.from({ length: count }, () => seatProcess());
  try {
    return await fn(procs);
  } finally {
    await Promise.all(procs.map((p) => p.ask({ cmd: 'stop' }).catch(() => undefined)));
    await Promise.all(procs.map((p) => p.close()));
  }
}

export interface EditOptions {
  seats: number;
  processes: number;
  edits: number;
  /** Edits before the clock: at least one per ticket, so that the figure is the steady state (see `warmupP99Ms`). */
  warmup: number;
  intervalMs: number;
  tickets: number;
}

export interface EditResult {
  seats: number;
  edits: number;
  samples: number;
  missing: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Per edit, the first and the last seat to see it. */
  firstSeatP50Ms: number | null;
  firstSeatP99Ms: number | null;
  lastSeatP50Ms: number | null;
  lastSeatP99Ms: number | null;
  intervalMs: number;
  /**
   * The warm-up edits, timed the same way and reported apart: the first edit of each ticket after
   * the server started (its document is read from storage, the code is not compiled yet).
   */
  warmupEdits: number;
  warmupP50Ms: number | null;
  warmupP99Ms: number | null;
}

/** `seats` seats online; edits one after another from seat to seat; each timed until every other seat has it. */
export async function editVisible(o: EditOptions, seed: SeedOptions, log: Log): Promise<EditResult> {
  return withServer(200, seed, log, (server) =>
    withSeats(o.processes, async (procs) => {
      const names: { name: string; user: string; proc: number }[] = [];
      for (let i = 0; i < o.seats; i++) names.push({ name: `bench-seat-${i}`, user: DEMO_PEOPLE[i % DEMO_PEOPLE.length]!.id, proc: i % o.processes });
      const t0 = Date.now();
      await Promise.all(procs.map((p, i) => p.ask({ cmd: 'signIn', url: server.url, password: DEMO_PASSWORD, seats: names.filter((n) => n.proc === i), timeoutMs: 300_000 })));
      log(`  ${o.seats} seats signed in and bootstrapped in ${o.processes} processes (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      const tickets = (await procs[0]!.ask({ cmd: 'openTickets', seat: names[0]!.name, limit: o.tickets })).ids!;
      if (tickets.length === 0) throw new Error('no open ticket to edit');
      await Promise.all(procs.map((p) => p.ask({ cmd: 'record', on: true })));
      const edits: EditMade[] = [];
      const warm: EditMade[] = [];
      for (let n = 0; n < o.warmup + o.edits; n++) {
        const editor = names[n % names.length]!;
        const ticket = tickets[n % tickets.length]!;
        const r = await procs[editor.proc]!.ask({ cmd: 'edit', seat: editor.name, ticket, n });
        (n >= o.warmup ? edits : warm).push({ ticket, seat: editor.name, at: r.at! });
        if ((n + 1) % 100 === 0) log(`  ${n + 1}/${o.warmup + o.edits} edits`);
        await sleep(o.intervalMs);
      }
      return collect(o, procs, edits, warm, names.map((n) => n.name));
    }),
  );
}

/** Waits for the last frames, gathers what every seat saw, and matches it to the edits. */
async function collect(o: EditOptions, procs: SeatProcess[], edits: EditMade[], warm: EditMade[], seats: string[]): Promise<EditResult> {
  await sleep(2_000);
  const seen: Seen[] = [];
  for (const p of procs) seen.push(...(await p.ask({ cmd: 'seen' })).seen!);
  await Promise.all(procs.map((p) => p.ask({ cmd: 'record', on: false })));
  const { latencies, missing, first, last } = editLatencies(edits, seen, seats, warm);
  const warmup = editLatencies(warm, seen, seats, edits).latencies;
  return {
    seats: o.seats,
    edits: edits.length,
    samples: latencies.length,
    missing,
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    maxMs: round(percentile(latencies, 100), 2),
    firstSeatP50Ms: round(percentile(first, 50), 2),
    firstSeatP99Ms: round(percentile(first, 99), 2),
    lastSeatP50Ms: round(percentile(last, 50), 2),
    lastSeatP99Ms: round(percentile(last, 99), 2),
    intervalMs: o.intervalMs,
    warmupEdits: warm.length,
    warmupP50Ms: round(percentile(warmup, 50), 2),
    warmupP99Ms: round(percentile(warmup, 99), 2),
  };
}

/**
 * The floor under the edit figure on this machine: the same thin seats in the same processes get
 * the same kind of frame at the same pace from a bare server (floor-server.ts) that only sends it —
 * no editing seat, no push, no policy, no commit. Timed from the first send to each seat's
 * `remote` event, as the edit figure is from the edit.
 */
export async function fanoutFloor(o: EditOptions, log: Log): Promise<EditResult> {
  const floor = floorProcess();
  try {
    const { url, ids } = await floor.ask({ cmd: 'start', tickets: o.tickets });
    return await withSeats(o.processes, async (procs) => {
      const names = Array.from({ length: o.seats }, (_, i) => ({ name: `floor-seat-${i}`, user: DEMO_PEOPLE[i % DEMO_PEOPLE.length]!.id, proc: i % o.processes }));
      await Promise.all(procs.map((p, i) => p.ask({ cmd: 'attach', url: url!, seats: names.filter((n) => n.proc === i), timeoutMs: 120_000 })));
      await Promise.all(procs.map((p) => p.ask({ cmd: 'record', on: true })));
      const edits: EditMade[] = [];
      const warm: EditMade[] = [];
      for (let n = 0; n < o.warmup + o.edits; n++) {
        const ticket = ids![n % ids!.length]!;
        const r = await floor.ask({ cmd: 'send', ticket, n });
        if (r.count !== o.seats) throw new Error(`${r.count} of ${o.seats} seats connected to the floor server`);
        (n >= o.warmup ? edits : warm).push({ ticket, seat: 'floor', at: r.at! });
        if ((n + 1) % 100 === 0) log(`  ${n + 1}/${o.warmup + o.edits} frames`);
        await sleep(o.intervalMs);
      }
      return collect(o, procs, edits, warm, names.map((n) => n.name));
    });
  } finally {
    await floor.close();
  }
}

export interface PushResult {
  tickets: number;
  ms: number | null;
  reached: number;
  createMs: number;
}

/** Seat A (an agent) makes `count` new tickets; the time until seat B (a supervisor) holds them all. */
export async function pushNew(count: number, capMs: number, seed: SeedOptions, log: Log): Promise<PushResult> {
  return withServer(1_000, seed, log, (server) =>
    withSeats(2, async ([a, b]) => {
      await a!.ask({ cmd: 'signIn', url: server.url, password: DEMO_PASSWORD, seats: [{ name: 'seat-a', user: 'wang.fang' }], timeoutMs: 120_000 });
      await b!.ask({ cmd: 'signIn', url: server.url, password: DEMO_PASSWORD, seats: [{ name: 'seat-b', user: 'zhou.sup' }], timeoutMs: 120_000 });
      const before = (await b!.ask({ cmd: 'count', seat: 'seat-b' })).count!;
      const expect = b!.ask({ cmd: 'expect', seat: 'seat-b', count: before + count, timeoutMs: capMs });
      const made = await a!.ask({ cmd: 'create', seat: 'seat-a', count });
      const got = await expect;
      const ms = got.at ? got.at - made.at! : null;
      log(`  seat A made ${count} tickets in ${made.ms!.toFixed(0)} ms (not counted); seat B had ${got.count! - before} of them ${ms === null ? `when the ${capMs / 1000} s cap ran out` : `after ${ms.toFixed(0)} ms`}`);
      return { tickets: count, ms: ms === null ? null : Math.round(ms), reached: got.count! - before, createMs: Math.round(made.ms!) };
    }),
  );
}

export interface FreshResult {
  tickets: number;
  ms: number;
  serverRssMb: { peakMb: number; nowMb: number } | null;
}

/** A new seat bootstrapping a site of `tickets`; the server's resident memory after it (peak since it started on the seeded data). */
export async function freshSeat(tickets: number, seed: SeedOptions, log: Log): Promise<FreshResult> {
  return withServer(tickets, seed, log, async (server) => {
    return withSeats(1, async ([p]) => {
      const r = await p!.ask({ cmd: 'signIn', url: server.url, password: DEMO_PASSWORD, seats: [{ name: 'fresh-seat', user: 'zhou.sup' }], timeoutMs: 600_000 });
      const held = (await p!.ask({ cmd: 'count', seat: 'fresh-seat' })).count!;
      if (held < tickets) throw new Error(`the fresh seat holds ${held} of ${tickets} tickets`);
      const rss = rssOf(server.proc.pid!);
      log(`  a fresh seat bootstrapped ${held} tickets in ${(r.ms! / 1000).toFixed(2)} s; server rss ${rss?.nowMb} MB (peak ${rss?.peakMb} MB)`);
      return { tickets: held, ms: Math.round(r.ms!), serverRssMb: rss };
    });
  });
}

export interface ConsoleFreshResult {
  tickets: number;
  ms: number;
  /** The console seat process's peak resident memory. */
  peakRssMb: number | null;
}

/**
 * A new console seat (the real local node: PouchDB store, rules, seat link) bootstrapping a site of
 * `tickets`, in a process of its own (bench/sync/console-seat.ts). The thin seat of `freshSeat`
 * stores in memory; this is what a person signing in on a new desk waits for.
 */
export async function consoleFreshSeat(tickets: number, seed: SeedOptions, log: Log): Promise<ConsoleFreshResult> {
  return withServer(tickets, seed, log, async (server) => {
    const extra = (process.env.BENCH_CONSOLE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const out = await runScript('./console-seat.ts', [server.url, String(tickets)], 'the console seat', extra);
    const r = JSON.parse(out.trim().split('\n').pop()!) as ConsoleFreshResult;
    if (r.tickets < tickets) throw new Error(`the console seat lists ${r.tickets} of ${tickets} tickets`);
    log(`  a fresh console seat (PouchDB store) bootstrapped ${r.tickets} tickets in ${(r.ms / 1000).toFixed(2)} s; its peak rss ${r.peakRssMb} MB`);
    return r;
  });
}
