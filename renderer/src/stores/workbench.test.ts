import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TicketPage, TicketQuery, TicketRow } from '../types';

/** A node whose `tickets.list` answers only when the test lets it, over rows the test can change. */
const node = vi.hoisted(() => {
  const answers: { query: TicketQuery; release: () => void }[] = [];
  const state = { rows: [] as TicketRow[] };
  const api = {
    'tickets.list': (query: TicketQuery) => new Promise<TicketPage>((resolve) => {
      answers.push({
        query,
        release: () => {
          const from = query.offset ?? 0;
          resolve({ rows: state.rows.slice(from, from + (query.limit ?? 50)), total: state.rows.length });
        },
      });
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

describe('the workbench store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    node.answers.length = 0;
    node.state.rows = rows(120, '旧');
  });

  it('keeps showing the rows it has while a refresh after a change is on its way (the list blanked on every change)', async () => {
    const wb = useWorkbenchStore();
    const loading = wb.reload();
    await answerAll();
    await loading;
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
    const wb = useWorkbenchStore();
    const loading = wb.reload();
    await answerAll();
    await loading;

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
    node.state.rows = rows(120, '旧');
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
