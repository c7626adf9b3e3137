/**
 * Sync bench (`npm run -s bench:sync -- --json [--quick] [--only PARTS]`): our batched feed
 * and automerge-repo 2.5.x side by side in one run on this machine, on 127.0.0.1.
 *
 *   editVisibleP50Ms / P99Ms  100 seats online, an edit on one seat until every other seat has it
 *   push5000Ms                5,000 new tickets from seat A until seat B holds them all
 *   freshSeat50000Ms          a new seat bootstrapping a 50,000-ticket site
 *   serverRssMb200000         the server's peak resident memory holding 200,000 tickets and
 *                             serving a new seat all of them
 *   detail.consoleFreshSeat   a new console seat (the real local node and its PouchDB store, in
 *                             a process of its own) bootstrapping the 50,000-ticket site
 *
 * The baseline runs at a smaller size, or under a time cap, where it cannot finish: it then reports
 * the size it ran at and what it reached, and null for the figure. `--quick` (under 3 minutes) runs
 * our edit and push figures at full size, a fresh seat on 5,000 tickets (reported in detail, with
 * its server memory),
 * and the baseline only at small sizes. Seeding demo tickets is slow (~2–3 ms each, not counted):
 * `--seed-cache DIR` keeps seeded data folders in DIR between runs (copied for each use), and with
 * it `--quick` also runs the 50,000 and 200,000 sizes. Progress on stderr; the last stdout line is
 * one JSON object.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { baseline } from './sync/baseline';
import { consoleFreshSeat, editVisible, fanoutFloor, freshSeat, pushNew, type EditOptions, type FreshResult, type Log } from './sync/ours';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const PARTS = ['edit', 'floor', 'push', 'fresh', 'console', 'rss', 'baseline-edit', 'baseline-push', 'baseline-fresh'] as const;
const GROUPS: Record<string, readonly string[]> = { ours: PARTS.slice(0, 6), baseline: PARTS.slice(6) };
const only = new Set(onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').flatMap((p) => GROUPS[p] ?? [p]) : PARTS);
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only takes a comma list of ours, baseline, ${PARTS.join(', ')}; not ${p}`);
const runs = (p: (typeof PARTS)[number]) => only.has(p);
const cacheAt = args.indexOf('--seed-cache');
const seed = { cache: cacheAt >= 0 ? resolve(args[cacheAt + 1] ?? '') : null };
const cachedSeed = (n: number) => seed.cache !== null && existsSync(join(seed.cache, `demo-${n}`, 'complete'));

const started = Date.now();
const log: Log = (line) => process.stderr.write(`[bench:sync ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const load = () => loadavg().map((n) => Math.round(n * 100) / 100);
const TARGETS = { editVisibleP99Ms: 15, push5000Ms: 5_000, freshSeat50000Ms: 20_000, serverRssMb200000: 1_024 };

async function ours() {
  const edit = runs('edit') ? await editPart() : null;
  const floor = runs('floor') ? await floorPart() : null;
  const push = runs('push') ? await pushPart() : null;
  const fresh = runs('fresh') ? await freshPart() : null;
  const consoleSeat = runs('console') ? await consolePart() : null;
  const rss = runs('rss') ? await rssPart(fresh) : null;
  return {
    editVisibleP50Ms: edit?.p50Ms ?? null,
    editVisibleP99Ms: edit?.p99Ms ?? null,
    push5000Ms: push?.ms ?? null,
    freshSeat50000Ms: fresh && fresh.tickets >= 50_000 ? fresh.ms : null,
    serverRssMb200000: rss && rss.tickets >= 200_000 ? rss.peakMb : null,
    detail: { editVisible: edit, fanoutFloor: floor, push5000: push, freshSeat: fresh && { tickets: fresh.tickets, ms: fresh.ms }, consoleFreshSeat: consoleSeat, serverRss: rss },
  };
}

// The warm-up edits every ticket once (the server's first edit of a ticket since it started reads
// it from storage, on code not yet compiled): the figure is the steady state; the warm-up's own
// figure is reported beside it (detail.editVisible.warmupP99Ms).
const EDITS: EditOptions = { seats: 100, processes: 4, edits: quick ? 200 : 500, warmup: 50, intervalMs: 50, tickets: 50 };

async function editPart() {
  log('ours: 100 seats, edit until visible on every other seat');
  const edit = await editVisible(EDITS, seed, log);
  log(`ours: edit visible p50 ${edit.p50Ms} ms, p99 ${edit.p99Ms} ms, max ${edit.maxMs} ms over ${edit.samples} (edit, seat) pairs, ${edit.missing} missing (target p99 ≤ ${TARGETS.editVisibleP99Ms} ms)`);
  log(`ours: per edit, first seat p50/p99 ${edit.firstSeatP50Ms}/${edit.firstSeatP99Ms} ms, last seat ${edit.lastSeatP50Ms}/${edit.lastSeatP99Ms} ms`);
  log(`ours: the ${edit.warmupEdits} warm-up edits (each ticket's first since the server started, not in the figure): p50 ${edit.warmupP50Ms} ms, p99 ${edit.warmupP99Ms} ms`);
  return edit;
}

/** What this machine allows: the edit figure's seats, processes and pace, with a server that only sends. */
async function floorPart() {
  log('ours: the fan-out floor — the same 100 thin seats, a bare server that only sends each frame');
  const floor = await fanoutFloor(EDITS, log);
  log(`ours: fan-out floor p50 ${floor.p50Ms} ms, p99 ${floor.p99Ms} ms (last seat p50/p99 ${floor.lastSeatP50Ms}/${floor.lastSeatP99Ms} ms), ${floor.missing} missing: no edit figure on this machine can be below it`);
  return floor;
}

async function pushPart() {
  log('ours: push 5,000 new tickets from seat A to seat B');
  return pushNew(5_000, 120_000, seed, log);
}

async function freshPart() {
  // Seeding costs ~2–3 ms a ticket here (Automerge.change per demo ticket): --quick bootstraps a
  // smaller site unless the seed cache already holds 50,000.
  const freshSize = quick && !cachedSeed(50_000) ? 5_000 : 50_000;
  log(`ours: a fresh seat on a ${freshSize}-ticket site`);
  return freshSeat(freshSize, seed, log);
}

/** The same bootstrap into the console's own store (no target in the issue; the thin seat's is 20 s). */
async function consolePart() {
  const size = quick && !cachedSeed(50_000) ? 5_000 : 50_000;
  log(`ours: a fresh console seat (PouchDB store, rules) on a ${size}-ticket site`);
  return consoleFreshSeat(size, seed, log);
}

async function rssPart(fresh: FreshResult | null) {
  if (quick && !cachedSeed(200_000)) {
    return fresh && { tickets: fresh.tickets, peakMb: fresh.serverRssMb?.peakMb ?? null, nowMb: fresh.serverRssMb?.nowMb ?? null };
  }
  log('ours: server memory holding 200,000 tickets (started on the seeded data, a fresh seat takes them all)');
  const big = await freshSeat(200_000, seed, log);
  return { tickets: big.tickets, peakMb: big.serverRssMb?.peakMb ?? null, nowMb: big.serverRssMb?.nowMb ?? null };
}

const result: Record<string, unknown> = { quick, loadBefore: load() };
Object.assign(result, await ours());
const baselineParts = new Set((['edit', 'push', 'fresh'] as const).filter((p) => runs(`baseline-${p}`)));
if (baselineParts.size > 0) result.baseline = await baseline({ quick, parts: baselineParts }, log);
result.loadAfter = load();
result.targets = TARGETS;
result.totalS = Math.round((Date.now() - started) / 1000);
log(`done in ${result.totalS} s; load average before ${JSON.stringify(result.loadBefore)}, after ${JSON.stringify(result.loadAfter)}`);
if (!json) log('(--json: the last line is the result as one JSON object)');
console.log(JSON.stringify(result));
