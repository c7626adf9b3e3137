/**
 * `npm run -s bench:console [-- --json] [--tickets N] [--data DIR] [--fresh]`: the workbench in
 * Debian's Chromium (1366×768) over a host seeded with 50,000 demo tickets.
 *
 * - firstPaintMs: the sign-in click (the console's navigation to the workbench) → its first rows drawn.
 * - filterMs / searchMs: a queue picked / text typed (over every ticket) → the list drawn (the workbench's own
 *   performance measures: store action to the next frame); the median of several, max printed.
 * - scrollP95FrameMs: p95 requestAnimationFrame interval while the list of every ticket scrolls 120 px a frame
 *   (rows are fetched from the node in windows as it goes), with a jump to the middle.
 * - baseline: the same rows (2,000, the first of the list) as a plain non-virtualized table over
 *   the list: its render, a filter rebuild, and scrolling it.
 *
 * Seeding 50,000 tickets takes minutes, so the data folder is kept (default: the OS temp folder,
 * `closeloop-bench-console-<N>`) and reused; `--fresh` seeds again. Human lines first; with --json
 * the last line is one JSON object.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPrerequisites, freePort, killHost, launchChromium, startHost } from '../tests/e2e/harness';
import { pickQueue, plainTable, scrollFrames, searchFor, signInToRows, type PlainRow } from './console/in-page';
import { percentile, round } from './rules/stats';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const json = argv.includes('--json');
const TICKETS = Number(arg('--tickets') ?? 50_000);
const dataDir = arg('--data') ?? join(tmpdir(), `closeloop-bench-console-${TICKETS}`);
const PERSON = 'zhang.wei'; // a dispatcher: lands on the workbench, sees every queue
const SEARCHES = ['轴承', '3号楼', '电梯 无法', '138'];
const BASELINE_ROWS = 2000;
const SCROLL = { step: 120, frames: 240 };

const median = (xs: readonly number[]) => percentile(xs, 50);

async function main(): Promise<void> {
  checkPrerequisites();
  if (argv.includes('--fresh')) rmSync(dataDir, { recursive: true, force: true });
  const reused = existsSync(join(dataDir, 'api-token'));
  const started = Date.now();
  const host = await startHost(dataDir, await freePort(), 900_000, ['--demo', String(TICKETS)]);
  console.log(`console bench: host up in ${round((Date.now() - started) / 1000)} s (${reused ? 'reused' : 'seeded'} ${dataDir})`);
  const browser = await launchChromium();
  try {
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const rest = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${host.url}api/${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const { total } = await rest<{ total: number }>('tickets?limit=1');
    console.log(`tickets on the node: ${total}`);

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    // tsx (esbuild keepNames) wraps functions in __name(); the page needs it to run them.
    await context.addInitScript('globalThis.__name = (f) => f');
    const page = await context.newPage();
    await page.goto(host.url);
    // The seat remembers who signed in last: sign out first, so the measure starts at sign-in.
    await page.locator(`[data-testid="sign-in-${PERSON}"], [data-testid="sign-out"]`).first().waitFor({ timeout: 60_000 });
    if (await page.locator('[data-testid="sign-out"]').count()) await page.locator('[data-testid="sign-out"]').click();
    await page.locator(`[data-testid="sign-in-${PERSON}"]`).waitFor({ timeout: 60_000 });
    const firstPaintMs = await page.evaluate(signInToRows, PERSON);
    console.log(`first paint of the workbench after sign-in: ${round(firstPaintMs)} ms (target ≤ 2000)`);
    await page.locator('[data-testid="queue-open"]').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="queue-open"]')?.getAttribute('data-count')) > 0);

    const pools = await page.locator('[data-testid^="queue-pool-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    const queues = ['queue-unassigned', ...pools.slice(0, 3), 'queue-breaching', 'queue-mine', 'queue-open', 'queue-all'];
    const filters: number[] = [];
    for (let pass = 0; pass < 2; pass++) for (const q of queues) filters.push(await page.evaluate(pickQueue, q));
    const filterMs = median(filters);
    console.log(`filter (queue picked → list drawn): median ${round(filterMs)} ms, max ${round(Math.max(...filters))} ms over ${filters.length} (target ≤ 50)`);

    // Search and scroll over every ticket (the "all" queue: 50,000 rows, closed ones too).
    await page.evaluate(pickQueue, 'queue-all');
    const searches: number[] = [];
    for (let pass = 0; pass < 2; pass++) for (const s of [...SEARCHES, '']) searches.push(await page.evaluate(searchFor, s));
    const searchMs = median(searches);
    console.log(`search (text typed → list drawn, over ${total} tickets): median ${round(searchMs)} ms, max ${round(Math.max(...searches))} ms over ${searches.length} (target ≤ 50)`);

    const frames = await page.evaluate(scrollFrames, { selector: '[data-testid="workbench-list"]', ...SCROLL });
    const scrollP95FrameMs = percentile(frames, 95);
    console.log(`scrolling the list: p95 frame ${round(scrollP95FrameMs)} ms, max ${round(Math.max(...frames))} ms over ${frames.length} frames (target ≤ 33)`);
    await page.screenshot({ path: join('test-results', 'bench-console.png') }).catch(() => undefined);

    // Baseline: the same page with a plain table of the first 2,000 rows.
    const rows: PlainRow[] = [];
    for (let offset = 0; offset < BASELINE_ROWS; offset += 500) {
      rows.push(...(await rest<{ rows: PlainRow[] }>(`tickets?offset=${offset}&limit=500`)).rows);
    }
    const plain = await page.evaluate(plainTable, { rows, term: '轴承' });
    const plainFrames = await page.evaluate(scrollFrames, { selector: '#plain-baseline', ...SCROLL });
    const baseline = {
      rows: rows.length,
      firstPaintMs: round(plain.renderMs),
      filterMs: round(plain.filterMs),
      scrollP95FrameMs: round(percentile(plainFrames, 95)),
    };
    console.log(`baseline, a plain table of ${rows.length} rows: render ${baseline.firstPaintMs} ms, filter ${baseline.filterMs} ms, scroll p95 frame ${baseline.scrollP95FrameMs} ms`);

    const result = {
      tickets: total,
      firstPaintMs: round(firstPaintMs),
      filterMs: round(filterMs),
      searchMs: round(searchMs),
      scrollP95FrameMs: round(scrollP95FrameMs),
      filterMaxMs: round(Math.max(...filters)),
      searchMaxMs: round(Math.max(...searches)),
      baseline,
    };
    if (json) console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await killHost(host);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
