import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { OPEN_STATES } from '../../../domain';
import { getApi } from '../api';
import type { RowSla, TicketQuery, TicketQueues, TicketRow, TicketView } from '../types';
import { useSessionStore } from './session';

/** A workbench queue: open tickets, every ticket (closed ones too), mine, nobody's, one pool's, or those breaching their SLA. */
export type Queue =
  | { kind: 'open' }
  | { kind: 'all' }
  | { kind: 'mine' }
  | { kind: 'unassigned' }
  | { kind: 'breaching' }
  /** The conflicts inbox: tickets (open or not) with a field two seats set concurrently. */
  | { kind: 'conflicted' }
  | { kind: 'pool'; pool: string };

/** Rows travel from the node in windows of this many, as the list scrolls to them. */
export const WINDOW = 50;
const REFRESH_DEBOUNCE_MS = 300;
const EMPTY_QUEUES: TicketQueues = { all: 0, open: 0, mine: 0, unassigned: 0, breaching: 0, conflicted: 0, pools: [] };

interface Window {
  rows: TicketRow[];
  sla: Record<string, RowSla>;
  /** When its fetch started, on the store's own count: a refresh keeps windows fetched after it started. */
  asked: number;
}

export const sameQueue = (a: Queue, b: Queue): boolean =>
  a.kind === b.kind && (a.kind !== 'pool' || (b.kind === 'pool' && a.pool === b.pool));

/**
 * The workbench: which queue and search text the list shows, how many tickets match, and the rows
 * fetched so far in windows (the list asks for the windows it scrolls to; 50,000 rows never cross
 * the wire at once), the queue counts, the selected row and what its person may do to it. Each
 * query change bumps `seq`, so a late answer to an older query is dropped.
 */
export const useWorkbenchStore = defineStore('workbench', () => {
  const api = getApi();
  const session = useSessionStore();

  const queueRef = ref<Queue>({ kind: 'open' });
  const textRef = ref('');
  const totalRef = ref(0);
  const loadedRef = ref(false);
  const windowsRef = shallowRef(new Map<number, Window>());
  const queuesRef = ref<TicketQueues>(EMPTY_QUEUES);
  const selectedRef = ref(-1);
  const selectedViewRef = shallowRef<TicketView | null>(null);
  const seqRef = ref(0);
  const shownTextRef = ref('');

  const queue = computed(() => queueRef.value);
  const text = computed(() => textRef.value);
  const total = computed(() => totalRef.value);
  const loaded = computed(() => loadedRef.value);
  const queues = computed(() => queuesRef.value);
  const selected = computed(() => selectedRef.value);
  const selectedView = computed(() => selectedViewRef.value);
  /** Changes whenever the list shows a new query's first rows (the benchmark waits on it). */
  const seq = computed(() => seqRef.value);
  /** The search text the listed rows answer: `text` runs ahead of it while the answer is on its way. */
  const shownText = computed(() => shownTextRef.value);

  const pending = new Set<number>();
  let lastRange: [number, number] = [0, WINDOW];
  /** Counts the questions asked of the node; each answer carries its number (`asked`). */
  let asks = 0;
  /** Answers asked before this were asked before the latest change (set as a refresh starts). */
  let staleBefore = 0;
  /** The number of the answer the total comes from: an answer asked earlier never replaces it. */
  let totalAsked = 0;

  function contractQuery(offset: number, limit: number): TicketQuery {
    const qu = queueRef.value;
    const q: TicketQuery = { offset, limit, sort: 'createdAt_desc' };
    if (qu.kind !== 'all' && qu.kind !== 'conflicted') q.states = [...OPEN_STATES];
    if (qu.kind === 'conflicted') q.conflicted = true;
    if (qu.kind === 'mine') q.assignee = session.user?.id ?? '';
    if (qu.kind === 'unassigned') q.assignee = null;
    if (qu.kind === 'pool') q.pool = qu.pool;
    if (qu.kind === 'breaching') q.breaching = true;
    const t = textRef.value.trim();
    if (t) q.text = t;
    return q;
  }

  function rowAt(index: number): TicketRow | undefined {
    return windowsRef.value.get(Math.floor(index / WINDOW))?.rows[index % WINDOW];
  }

  function slaOf(index: number): RowSla | undefined {
    const w = windowsRef.value.get(Math.floor(index / WINDOW));
    const r = w?.rows[index % WINDOW];
    return r ? w?.sla[r.id] : undefined;
  }

  function setTotal(total: number, asked: number): void {
    if (asked < totalAsked) return;
    totalRef.value = total;
    totalAsked = asked;
  }

  function keep(n: number, w: Window, total: number): void {
    if (w.asked < staleBefore) return; // asked before the latest change: the refresh has its window, or drops it
    if ((windowsRef.value.get(n)?.asked ?? -1) > w.asked) return; // a refresh answered after this was asked
    const next = new Map(windowsRef.value);
    next.set(n, w);
    windowsRef.value = next;
    setTotal(total, w.asked);
  }

  async function fetchWindow(n: number, seq: number): Promise<void> {
    pending.add(n);
    try {
      const asked = ++asks;
      const page = await api['tickets.list'](contractQuery(n * WINDOW, WINDOW));
      if (seq !== seqRef.value) return;
      keep(n, { rows: page.rows, sla: page.sla ?? {}, asked }, page.total);
    } finally {
      if (seq === seqRef.value) pending.delete(n);
    }
  }

  /** The numbers of the windows that hold rows start..end (exclusive) of the current total. */
  function windowsOf(start: number, end: number): number[] {
    const out: number[] = [];
    const last = Math.min(end, Math.max(totalRef.value, 1)) - 1;
    for (let n = Math.floor(Math.max(0, start) / WINDOW); n <= Math.floor(Math.max(0, last) / WINDOW); n++) out.push(n);
    return out;
  }

  /** Makes sure rows start..end (exclusive) are fetched; the list calls it as it scrolls. */
  function ensure(start: number, end: number): Promise<void> {
    lastRange = [start, end];
    const seq = seqRef.value;
    const jobs = windowsOf(start, end).filter((n) => !windowsRef.value.has(n) && !pending.has(n)).map((n) => fetchWindow(n, seq));
    return Promise.all(jobs).then(() => undefined);
  }

  /**
   * Fetches the windows in view again after tickets changed, and shows the old rows until the new
   * ones arrive: clearing them first blanked the list for a moment on every change (and a row
   * being dragged then lost its drag). Windows out of view are dropped; the list fetches them again
   * when it scrolls to them. A window fetched after this refresh started is newer, and stays; one
   * the list scrolled to meanwhile keeps its old rows on screen and is fetched again. A refresh
   * that a later one overtook changes nothing.
   */
  async function refresh(): Promise<void> {
    const seq = seqRef.value;
    const since = ++asks;
    staleBefore = since;
    const numbers = windowsOf(...lastRange);
    const pages = await Promise.all(numbers.map((n) => api['tickets.list'](contractQuery(n * WINDOW, WINDOW))));
    if (seq !== seqRef.value || since < staleBefore) return;
    const shown = windowsRef.value;
    const next = new Map<number, Window>();
    for (const [n, w] of shown) if (w.asked > since) next.set(n, w);
    numbers.forEach((n, i) => {
      const page = pages[i]!;
      if (!next.has(n)) next.set(n, { rows: page.rows, sla: page.sla ?? {}, asked: since });
    });
    const lastPage = pages.at(-1);
    if (lastPage) setTotal(lastPage.total, since);
    const again = windowsOf(...lastRange).filter((n) => !next.has(n));
    for (const n of again) {
      const old = shown.get(n);
      if (old) next.set(n, old);
    }
    windowsRef.value = next;
    for (const n of again) void fetchWindow(n, seq).catch(() => undefined);
  }

  let reloadSeq = 0;
  /** Starts the list again from its first window (a new queue or search); only the latest call's answer is kept. */
  async function reload(): Promise<void> {
    const mine = ++reloadSeq;
    const before = seqRef.value;
    const text = textRef.value;
    const asked = ++asks;
    const page = await api['tickets.list'](contractQuery(0, WINDOW));
    if (mine !== reloadSeq || seqRef.value !== before) return;
    pending.clear();
    seqRef.value = before + 1;
    shownTextRef.value = text;
    windowsRef.value = new Map([[0, { rows: page.rows, sla: page.sla ?? {}, asked }]]);
    totalRef.value = page.total;
    totalAsked = asked;
    loadedRef.value = true;
    select(page.rows.length > 0 ? 0 : -1);
    lastRange = [0, WINDOW];
    // Tickets changed while this was asked: the refresh of that change was dropped with the old query.
    if (asked < staleBefore) void refresh().catch(() => undefined);
  }

  function setQueue(q: Queue): Promise<void> {
    queueRef.value = q;
    return reload();
  }

  function setText(t: string): Promise<void> {
    textRef.value = t;
    return reload();
  }

  async function loadQueues(): Promise<void> {
    queuesRef.value = await api['tickets.queues']({});
  }

  let viewSeq = 0;
  /** Selects a row and fetches what its person may do to it (for `a` and `d`). */
  function select(index: number): void {
    selectedRef.value = index;
    const row = rowAt(index);
    const mine = ++viewSeq;
    selectedViewRef.value = null;
    if (!row) return;
    void api['tickets.get']({ id: row.id })
      .then((v) => { if (mine === viewSeq) selectedViewRef.value = v; })
      .catch(() => undefined);
  }

  // Tickets changed on this seat or by sync: fetch the windows in view again, and the counts.
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  api.on('tickets.changed', () => {
    if (refreshTimer || !loadedRef.value) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (!session.user) return;
      void refresh().catch(() => undefined);
      void loadQueues().catch(() => undefined);
      if (selectedRef.value >= 0) {
        const id = selectedViewRef.value?.ticket.id;
        if (id) void api['tickets.get']({ id }).then((v) => { if (selectedViewRef.value?.ticket.id === id) selectedViewRef.value = v; }).catch(() => undefined);
      }
    }, REFRESH_DEBOUNCE_MS);
  });

  function reset(): void {
    seqRef.value++;
    reloadSeq++;
    pending.clear();
    queueRef.value = { kind: 'open' };
    textRef.value = '';
    shownTextRef.value = '';
    totalRef.value = 0;
    loadedRef.value = false;
    windowsRef.value = new Map();
    queuesRef.value = EMPTY_QUEUES;
    selectedRef.value = -1;
    selectedViewRef.value = null;
  }

  return {
    queue, text, shownText, total, loaded, queues, selected, selectedView, seq,
    rowAt, slaOf, ensure, reload, refresh, setQueue, setText, loadQueues, select, reset,
  };
});
