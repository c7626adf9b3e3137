import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TicketPage, TicketQuery, TicketRow } from '../types';

/** A node whose `tickets.list` answers only when the test lets it, over rows the test can change. */
const node = vi.hoisted(() => {
  const answers: { query: TicketQuery; release: () => void }[] = [];
  const state = { rows: [] as TicketRow[] };
  const api = {
    'tickets.list': (query: TicketQuery) => new Promise<TicketPage>((resolve) => {
      // The answer is what the node holds when the query is asked.
      const from = query.offset ?? 0;
      const page = { rows: state.rows.slice(from, from + (query.limit ?? 50)), total: state.rows.length };
      answers.push({ query, release: () => resolve(page) });
    }),
    'tickets.get': () => new Promise(() => {}),
    'tickets.queues': () => new Promise(() => {}),
    on: () => () => {},
  };
  return { api, answers, state };
});

vi.mock('../api', () => ({
  getApi: () => node.api,
  connectionState: () => 'connected',
  onConnectionChange: () => () => {},
}));

const { useWorkbenchStore, WINDOW } = await import('./workbench');

function rows(n: number, title: string): TicketRow[] {
  return Array.from({ length: n }, (_, i) => ({ id: `t${i}`, no: `GD-${i}`, title: `${title} ${i}`, state: 'pending_acceptance' }) as unknown as TicketRow);
}

/** Lets every answer asked so far come back, then waits for the store to take them. */
async function answerAll(): Promise<void> {
  for (const a of node.answers.splice(0)) a.release();
  await new Promise((r) => setTimeout(r, 0));
}

beforeEach(() => {
  setActivePinia(createPinia());
  node.answers.length = 0;
  node.state.rows = rows(120, '旧');
});

/** The store with its first window shown (120 rows 旧 0…119 on the node). */
async function openWorkbench() {
  const wb = useWorkbenchStore();
  const loading = wb.reload();
  await answerAll();
  await loading;
  return wb;
}

describe('the workbench store', () => {
  it('keeps showing the rows it has while a refresh after a change is on its way (the list blanked on every change)', async () => {
    const wb = await openWorkbench();
    expect(wb.rowAt(0)?.title).toBe('旧 0');

    node.state.rows = rows(120, '新');
    const refreshing = wb.refresh();
    expect(node.answers).toHaveLength(1);
    expect(wb.rowAt(0)?.title).toBe('旧 0');
    await answerAll();
    await refreshing;
    expect(wb.rowAt(0)?.title).toBe('新 0');
  });

  it('keeps a window fetched after the refresh started, and drops an older answer that comes back late', async () => {
    const wb = await openWorkbench();

    const stale = wb.ensure(WINDOW, 2 * WINDOW); // asked before the change, answered after the refresh
    const staleAnswer = node.answers.pop()!;
    node.state.rows = rows(120, '新');
    const refreshing = wb.refresh(); // the list's range is still window 1 only
    const refreshAnswers = node.answers.splice(0);
    const later = wb.ensure(2 * WINDOW, 3 * WINDOW); // asked after the refresh started
    await answerAll();
    await later;
    for (const a of refreshAnswers) a.release();
    await refreshing;
    staleAnswer.release();
    await stale;

    expect(wb.rowAt(2 * WINDOW)?.title).toBe(`新 ${2 * WINDOW}`);
    expect(wb.rowAt(WINDOW)?.title).toBe(`新 ${WINDOW}`);
  });

  it('says which search text the shown rows answer, which lags the text typed until its answer comes', async () => {
    const wb = useWorkbenchStore();
    const searching = wb.setText('轴承');
    expect(wb.text).toBe('轴承');
    expect(wb.shownText).toBe('');
    await answerAll();
    await searching;
    expect(wb.shownText).toBe('轴承');
  });
});

/** Answers that come back late or out of order while tickets change (found in review of the refresh). */
describe('the workbench refresh, with answers out of order', () => {
  it('fetches again a window the list scrolled back to during a refresh (it was dropped and never fetched again)', async () => {
    const wb = await openWorkbench();
    // The user looked at window 2, then scrolled back to the top.
    const w2 = wb.ensure(2 * WINDOW, 120);
    await answerAll();
    await w2;
    await wb.ensure(0, WINDOW);
    expect(wb.rowAt(2 * WINDOW)?.title).toBe(`旧 ${2 * WINDOW}`);

    node.state.rows = rows(120, '新');
    const refreshing = wb.refresh(); // range in view: window 0 only
    // While its answer is on the way, the user scrolls down to window 2 again. The list emits its
    // range once; window 2 is still in the map (the old rows), so ensure() asks for nothing.
    const scrolled = wb.ensure(2 * WINDOW, 120);
    await answerAll();
    await refreshing;
    await scrolled;
    await answerAll(); // anything asked since

    // The list does not emit its range again (first/last/seq unchanged), so what is in view now is all it gets.
    expect(wb.rowAt(2 * WINDOW)?.title).toBe(`新 ${2 * WINDOW}`);
  });

  it('keeps the newer total when two refreshes answer out of order', async () => {
    const wb = await openWorkbench();

    node.state.rows = rows(121, '一');
    const first = wb.refresh();
    const firstAnswers = node.answers.splice(0);
    node.state.rows = rows(122, '二'); // another change, 300 ms later: a second refresh
    const second = wb.refresh();
    await answerAll();
    await second;
    expect(wb.total).toBe(122);
    for (const a of firstAnswers) a.release(); // the first refresh's answer comes back last
    await first;

    expect(wb.rowAt(0)?.title).toBe('二 0'); // its rows were rightly kept…
    expect(wb.total).toBe(122); // …but its total was not
  });

  it('keeps the refreshed total when a window asked before the change comes back after the refresh', async () => {
    const wb = await openWorkbench();

    const w2 = wb.ensure(2 * WINDOW, 120); // fast scroll: window 2 asked…
    const w2Answer = node.answers.pop()!;
    await wb.ensure(0, WINDOW); // …and back to the top before it came
    node.state.rows = rows(60, '新'); // 60 tickets closed elsewhere
    const refreshing = wb.refresh(); // window 0 only
    await answerAll();
    await refreshing;
    expect(wb.total).toBe(60);
    w2Answer.release(); // asked before the change, answered last
    await w2;

    expect(wb.total).toBe(60);
  });

  it('refreshes after a new search whose answer was asked before tickets changed', async () => {
    const wb = await openWorkbench();

    const searching = wb.setText('轴承'); // asked now…
    const searchAnswer = node.answers.pop()!;
    node.state.rows = rows(120, '新'); // …a change lands…
    const refreshing = wb.refresh();
    searchAnswer.release(); // …and the search's answer (from before the change) comes first
    await searching;
    await answerAll(); // the dropped refresh, and the one the search started
    await refreshing;
    await answerAll();
    expect(wb.shownText).toBe('轴承');
    expect(wb.rowAt(0)?.title).toBe('新 0');
  });
});
