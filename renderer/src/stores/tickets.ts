import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getApi } from '../api';
import type { ActionId, FormAnswers, HistoryEntry, ListScope, TicketQuery, TicketRow, TicketState, TicketView } from '../types';
import { useSessionStore } from './session';

/** What the ticket list shows; the contract's query is derived from it. */
export interface ListQuery {
  states: TicketState[];
  scope: ListScope;
  text: string;
  page: number;
  pageSize: number;
}

export interface TransitionInput {
  assignee?: string;
  reason?: string;
  note?: string;
  form?: FormAnswers;
  missing?: string[];
}

const FIRST_PAGE: ListQuery = { states: [], scope: 'all', text: '', page: 1, pageSize: 20 };
const REFRESH_DEBOUNCE_MS = 300;

/**
 * Tickets as the console sees them: the list (query, rows, total), the ticket that is open (its
 * view with the actions the signed-in person may take, and its history), and the calls that change
 * tickets. Refreshes itself when the node says tickets changed. Failures are thrown to the caller,
 * which tells the person; background refreshes keep their error in `listError`.
 */
export const useTicketsStore = defineStore('tickets', () => {
  const api = getApi();
  const session = useSessionStore();

  const queryRef = ref<ListQuery>({ ...FIRST_PAGE });
  const rowsRef = ref<TicketRow[]>([]);
  const totalRef = ref(0);
  const listLoadingRef = ref(false);
  const listErrorRef = ref<unknown>(null);
  const currentRef = ref<TicketView | null>(null);
  const historyRef = ref<HistoryEntry[]>([]);

  const query = computed(() => queryRef.value);
  const rows = computed(() => rowsRef.value);
  const total = computed(() => totalRef.value);
  const listLoading = computed(() => listLoadingRef.value);
  const listError = computed(() => listErrorRef.value);
  const current = computed(() => currentRef.value);
  const history = computed(() => historyRef.value);
  const pageCount = computed(() => Math.max(1, Math.ceil(totalRef.value / queryRef.value.pageSize)));

  function contractQuery(q: ListQuery): TicketQuery {
    const out: TicketQuery = { offset: (q.page - 1) * q.pageSize, limit: q.pageSize, sort: 'createdAt_desc' };
    if (q.states.length > 0) out.states = [...q.states];
    if (q.scope === 'mine') out.assignee = session.user?.id ?? '';
    if (q.scope === 'unassigned') out.assignee = null;
    const text = q.text.trim();
    if (text) out.text = text;
    return out;
  }

  let listSeq = 0;
  async function loadList(): Promise<void> {
    const seq = ++listSeq;
    listLoadingRef.value = true;
    try {
      const r = await api['tickets.list'](contractQuery(queryRef.value));
      if (seq !== listSeq) return;
      rowsRef.value = r.rows;
      totalRef.value = r.total;
      listErrorRef.value = null;
    } catch (e) {
      if (seq === listSeq) listErrorRef.value = e;
      throw e;
    } finally {
      if (seq === listSeq) listLoadingRef.value = false;
    }
  }

  /** Changes the query; any change but the page itself starts again at page 1. */
  function setQuery(patch: Partial<ListQuery>): Promise<void> {
    const onlyPage = Object.keys(patch).every((k) => k === 'page');
    queryRef.value = { ...queryRef.value, ...patch, page: onlyPage ? (patch.page ?? 1) : 1 };
    return loadList();
  }

  async function loadHistory(id: string): Promise<void> {
    const h = await api['tickets.history']({ id });
    if (currentRef.value?.ticket.id === id) historyRef.value = h;
  }

  async function open(id: string): Promise<TicketView> {
    if (currentRef.value?.ticket.id !== id) {
      currentRef.value = null;
      historyRef.value = [];
    }
    const [view, h] = await Promise.all([api['tickets.get']({ id }), api['tickets.history']({ id })]);
    currentRef.value = view;
    historyRef.value = h;
    return view;
  }

  function close(): void {
    currentRef.value = null;
    historyRef.value = [];
  }

  function applied(view: TicketView): TicketView {
    if (currentRef.value?.ticket.id === view.ticket.id || currentRef.value === null) currentRef.value = view;
    void loadHistory(view.ticket.id).catch(() => {});
    return view;
  }

  async function create(form: FormAnswers): Promise<TicketView> {
    currentRef.value = null;
    historyRef.value = [];
    return applied(await api['tickets.create']({ form }));
  }

  async function transition(id: string, action: ActionId, input: TransitionInput = {}): Promise<TicketView> {
    return applied(await api['tickets.transition']({ id, action, input }));
  }

  async function comment(id: string, text: string): Promise<TicketView> {
    return applied(await api['tickets.comment']({ id, text }));
  }

  // The node tells every console when tickets change (this seat's or, later, synced ones).
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  const changedIds = new Set<string>();
  api.on('tickets.changed', ({ ids }) => {
    for (const id of ids) changedIds.add(id);
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      const ids = new Set(changedIds);
      changedIds.clear();
      if (!session.user) return;
      void loadList().catch(() => {});
      const open = currentRef.value?.ticket.id;
      if (open && ids.has(open)) {
        void Promise.all([api['tickets.get']({ id: open }), api['tickets.history']({ id: open })])
          .then(([view, h]) => {
            if (currentRef.value?.ticket.id !== open) return;
            currentRef.value = view;
            historyRef.value = h;
          })
          .catch(() => {});
      }
    }, REFRESH_DEBOUNCE_MS);
  });

  /** Forgets everything on sign-out, so the next person starts from a clean list. */
  function reset(): void {
    listSeq++;
    queryRef.value = { ...FIRST_PAGE };
    rowsRef.value = [];
    totalRef.value = 0;
    listErrorRef.value = null;
    listLoadingRef.value = false;
    close();
  }

  return {
    query, rows, total, pageCount, listLoading, listError, current, history,
    loadList, setQuery, open, close, loadHistory, create, transition, comment, reset,
  };
});
