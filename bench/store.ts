/**
 * Ticket store bench (`npm run -s bench:store -- --json [--count 50000] [--keep] [--data DIR]`).
 * `--data DIR` measures an existing bench store (made with `--keep`) instead of generating one.
 *
 * Generates demo tickets into a PouchDB store in a temp folder (timed apart, not counted), then in
 * fresh processes measures (ours) opening the store from projection rows + the first list page and
 * the filter/search queries, against (baseline, same run) loading and freeing every Automerge
 * document to build the list. Human lines first; the last line is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoTickets } from '../domain';
import { openPouchTicketStore } from '../electron/main/store';

interface Timed { name: string; kind: 'filter' | 'search'; firstMs: number; medianMs: number; total: number }
interface Measured { tickets: number; openFirstPageMs: number; openMs?: number; liveDocs?: number; rssMb: number; queries: Timed[] }

const args = process.argv.slice(2);
const json = args.includes('--json');
const keep = args.includes('--keep');
const countAt = args.indexOf('--count');
const dataAt = args.indexOf('--data');
const reuse = dataAt >= 0 ? args[dataAt + 1] : undefined;
const count = countAt >= 0 ? Number(args[countAt + 1]) : 50_000;
if (!Number.isInteger(count) || count < 100) throw new Error(`--count must be an integer ≥ 100: ${args[countAt + 1]}`);

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const root = here('..');
const log = (line: string) => console.log(line);
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

function child(script: string, dataDir: string): Measured {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here(script), dataDir], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = out.trim().split('\n').pop()!;
  return JSON.parse(last) as Measured;
}

const dataDir = reuse ?? mkdtempSync(join(tmpdir(), 'closeloop-bench-store-'));
try {
  log(`ticket store bench: ${reuse ? 'the store' : `${count} demo tickets`} in ${dataDir}`);
  const setup = reuse && existsSync(join(reuse, 'tickets')) ? { generateMs: 0, importMs: 0 } : await generate();
  const { generateMs, importMs } = setup;
  if (!reuse || generateMs > 0) log(`setup (not counted): generate ${ms(generateMs)}, import into PouchDB ${ms(importMs)} (${(importMs / count).toFixed(2)} ms/ticket)`);

  const ours = child('./store/measure-ours.ts', dataDir);
  log(`ours: open ${ms(ours.openMs ?? 0)}, open + first page ${ms(ours.openFirstPageMs)} (target ≤ 2000 ms), ${ours.liveDocs} live documents, rss ${ours.rssMb.toFixed(0)} MB`);
  const baseline = child('./store/measure-baseline.ts', dataDir);
  log(`baseline (load + free every document): open + first page ${ms(baseline.openFirstPageMs)}, rss ${baseline.rssMb.toFixed(0)} MB`);
  for (const q of ours.queries) {
    const b = baseline.queries.find((x) => x.name === q.name);
    log(`  ${q.kind} ${q.name}: ours ${ms(q.medianMs)} (first ${ms(q.firstMs)}), baseline ${b ? ms(b.medianMs) : '-'}, ${q.total} matches${b && b.total !== q.total ? ` (baseline ${b.total}!)` : ''}`);
  }
  const worst = (m: Measured, kind: Timed['kind']) => Math.max(...m.queries.filter((q) => q.kind === kind).map((q) => q.medianMs));
  const result = {
    tickets: ours.tickets,
    setup: { generateMs: Math.round(generateMs), importMs: Math.round(importMs) },
    ours: { openFirstPageMs: round(ours.openFirstPageMs), filterMs: round(worst(ours, 'filter')), searchMs: round(worst(ours, 'search')) },
    baseline: { openFirstPageMs: round(baseline.openFirstPageMs), filterMs: round(worst(baseline, 'filter')), searchMs: round(worst(baseline, 'search')) },
    ratio: round(baseline.openFirstPageMs / ours.openFirstPageMs),
  };
  log(`open + first page: ${result.ratio}× faster than the baseline; slowest filter ${ms(result.ours.filterMs)}, slowest search ${ms(result.ours.searchMs)} (target ≤ 50 ms)`);
  if (json) log(JSON.stringify(result));
} finally {
  if (!keep && !reuse) rmSync(dataDir, { recursive: true, force: true });
  else if (keep) process.stderr.write(`kept the bench store in ${dataDir} (--data ${dataDir})\n`);
}

async function generate(): Promise<{ generateMs: number; importMs: number }> {
  let t0 = performance.now();
  const tickets = generateDemoTickets({ count, seed: 1, now: Date.parse('2026-11-24T08:00:00.000Z') });
  const generateMs = performance.now() - t0;
  t0 = performance.now();
  const store = await openPouchTicketStore({ dataDir, seat: 'BN' });
  let shown = 0;
  await store.importTickets(tickets, { message: { by: 'demo', seat: 'BN', action: 'import' }, at: Date.now() }, {
    batchSize: 500,
    onProgress: (done, total) => {
      if (done / total >= shown + 0.25 || done === total) {
        shown = Math.floor((done / total) * 4) / 4;
        log(`  imported ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      }
    },
  });
  await store.close();
  const importMs = performance.now() - t0;
  return { generateMs, importMs };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
