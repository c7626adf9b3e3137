/**
 * `npm run -s bench:console-search [-- --json] [--tickets N]`: the workbench's text search on the
 * node, without the browser: 50,000 demo rows in the seat's row index (with its bigram index)
 * against the baseline, the same index's ordered pass that tests `row.search.includes` on every
 * row (what answered text queries before the bigram index). Times are the process's CPU time per
 * query (median of 41, interleaved), so other work on the machine does not count. Human lines
 * first; with --json the last line is one JSON object.
 */
import { generateDemoTickets, projectTicket } from '../domain';
import { RowKeys, relatedRows } from '../electron/main/node/related-handlers';
import { RowIndex, searchTerms } from '../electron/main/store/row-index';
import { percentile, round } from './rules/stats';

const argv = process.argv.slice(2);
const at = argv.indexOf('--tickets');
const TICKETS = at >= 0 ? Number(argv[at + 1]) : 50_000;
const json = argv.includes('--json');
const SEARCHES = ['轴承', '3号楼', '电梯 无法', '138', '漏', 'cnc', '主轴轴承异响'];
const RUNS = 41;
const WARMUP = 5;

const rows = generateDemoTickets({ count: TICKETS, seed: 11, now: Date.parse('2026-11-30T00:00:00Z') }).map(projectTicket);
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const index = new RowIndex();
index.load(rows);
const loadMs = performance.now() - t0;
const t1 = performance.now();
index.finishTextIndex(); // on a seat it is built in slices after the load
const textIndexMs = performance.now() - t1;
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
console.log(`row index over ${TICKETS} rows: load ${round(loadMs)} ms, then the bigram index ${round(textIndexMs)} ms (in slices on a seat), heap +${round(heapMb)} MB`);

/** The baseline: every row, newest first, `includes` for each term; the page kept, all counted. */
function scan(text: string): number {
  const terms = searchTerms(text);
  const order = index.inCreatedOrder();
  let total = 0;
  for (let k = order.length - 1; k >= 0; k--) if (terms.every((t) => order[k]!.search.includes(t))) total++;
  return total;
}

/** Runs both sides in turn (a few warm-up runs, then RUNS), so a busy machine slows both alike; median CPU ms. */
function timeBoth(a: () => number, b: () => number): [{ ms: number; total: number }, { ms: number; total: number }] {
  const ms: [number[], number[]] = [[], []];
  const totals = [0, 0];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    [a, b].forEach((run, side) => {
      // CPU time of this process, not wall time: on a machine shared with other work, being
      // descheduled mid-query would otherwise count against whichever side was running.
      const s = process.cpuUsage();
      totals[side] = run();
      const d = process.cpuUsage(s);
      if (i >= WARMUP) ms[side]!.push((d.user + d.system) / 1000);
    });
  }
  return [{ ms: percentile(ms[0], 50), total: totals[0]! }, { ms: percentile(ms[1], 50), total: totals[1]! }];
}

const per: { text: string; indexMs: number; scanMs: number; matches: number }[] = [];
for (const text of SEARCHES) {
  const [ours, base] = timeBoth(() => index.query({ text, limit: 50 }).total, () => scan(text));
  if (ours.total !== base.total) throw new Error(`"${text}": the index found ${ours.total}, the scan ${base.total}`);
  per.push({ text, indexMs: round(ours.ms, 2), scanMs: round(base.ms, 2), matches: ours.total });
  console.log(`  "${text}": index ${round(ours.ms, 2)} ms, scan ${round(base.ms, 2)} ms, ${ours.total} matches`);
}
// tickets.related as intake asks it while the agent types: a caller's phone, a device, a location.
const sample = index.inCreatedOrder().at(-100)!;
const keys = new RowKeys();
const nowMs = Date.parse('2026-11-30T00:00:00Z');
const [related] = timeBoth(
  () => relatedRows(index.inCreatedOrder(), { phone: sample.requesterPhone ?? '', device: sample.device ?? '', location: sample.location ?? '', sinceDays: 183, limit: 20 }, nowMs, keys).total,
  () => 0,
);
console.log(`tickets.related (phone + device + unit, last 183 days): ${round(related.ms, 2)} ms, ${related.total} related`);

const median = (xs: number[]) => percentile(xs, 50);
const result = {
  tickets: TICKETS,
  loadMs: round(loadMs),
  textIndexMs: round(textIndexMs),
  heapMb: round(heapMb),
  searchMs: median(per.map((p) => p.indexMs)),
  searchMaxMs: Math.max(...per.map((p) => p.indexMs)),
  baseline: { searchMs: median(per.map((p) => p.scanMs)), searchMaxMs: Math.max(...per.map((p) => p.scanMs)) },
  searches: per,
  relatedMs: round(related.ms, 2),
};
console.log(`search median ${result.searchMs} ms (max ${result.searchMaxMs}) vs scan ${result.baseline.searchMs} ms (max ${result.baseline.searchMaxMs})`);
if (json) console.log(JSON.stringify(result));
