import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { dayKey, dayNumber } from '../../../domain/metrics';
import { getApi } from '../api';
import type {
  MetricsFreshness, MetricsOverview, MetricsStuck, MetricsTickets, MetricsTrends, Stage,
} from '../types';

/** The overview's period: today, or the last 7 or 30 days up to today (site zone). */
export type PeriodPreset = 'today' | '7d' | '30d';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['today', '7d', '30d'];
const PRESET_DAYS: Record<PeriodPreset, number> = { today: 1, '7d': 7, '30d': 30 };

/** The stuck view's filters (the contract's `metrics.stuck` input); null assignee = unassigned. */
export interface StuckQuery {
  assignee?: string | null;
  team?: string;
  area?: string;
  pool?: string;
  stage?: Stage;
}

export type DrillKind = 'building' | 'device';

const REFRESH_DEBOUNCE_MS = 1_000;
/** Time alone makes tickets late: refresh this often while a dashboard view is open. */
const TICK_MS = 60_000;

/** A date YYYY-MM-DD in a zone. */
export function zoneDate(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** The days of a preset ending `today`. */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  const end = dayNumber(today);
  if (end === null) return { from: today, to: today };
  return { from: dayKey(end - PRESET_DAYS[preset] + 1), to: today };
}

/**
 * The supervisor view's data: the overview of the chosen period, the trends, the stuck list with
 * its filters and a drill-down, all computed by the local node; and how fresh they are. While a
 * dashboard view is open (`activate`), it refreshes when tickets change and once a minute.
 * Failures are thrown to the caller; background refreshes keep theirs in `error`.
 */
export const useDashboardStore = defineStore('dashboard', () => {
  const api = getApi();

  const presetRef = ref<PeriodPreset>('7d');
  const overviewRef = ref<MetricsOverview | null>(null);
  const trendDaysRef = ref<30 | 90>(30);
  const trendsRef = ref<MetricsTrends | null>(null);
  const stuckQueryRef = ref<StuckQuery>({});
  const stuckRef = ref<MetricsStuck | null>(null);
  const drillRef = ref<{ kind: DrillKind; key: string; result: MetricsTickets } | null>(null);
  const freshnessRef = ref<MetricsFreshness | null>(null);
  const loadingRef = ref(0);
  const errorRef = ref<unknown>(null);

  const preset = computed(() => presetRef.value);
  const overview = computed(() => overviewRef.value);
  const trendDays = computed(() => trendDaysRef.value);
  const trends = computed(() => trendsRef.value);
  const stuckQuery = computed(() => stuckQueryRef.value);
  const stuck = computed(() => stuckRef.value);
  const drill = computed(() => drillRef.value);
  const freshness = computed(() => freshnessRef.value);
  const loading = computed(() => loadingRef.value > 0);
  const error = computed(() => errorRef.value);

  function fresh<T extends MetricsFreshness>(answer: T): T {
    const prev = freshnessRef.value;
    if (!prev || answer.asOf >= prev.asOf) freshnessRef.value = { asOf: answer.asOf, zone: answer.zone, today: answer.today, online: answer.online, lastSyncAt: answer.lastSyncAt };
    return answer;
  }

  async function tracked<T>(run: () => Promise<T>): Promise<T> {
    loadingRef.value++;
    try {
      const out = await run();
      errorRef.value = null;
      return out;
    } catch (e) {
      errorRef.value = e;
      throw e;
    } finally {
      loadingRef.value--;
    }
  }

  /** Today in the site's zone, as the node last said (or from the browser's clock before that). */
  function today(zone: string): string {
    return freshnessRef.value?.today ?? zoneDate(Date.now(), zone);
  }

  let overviewSeq = 0;
  async function loadOverview(zone = 'Asia/Shanghai', again = true): Promise<void> {
    const seq = ++overviewSeq;
    const period = presetPeriod(presetRef.value, today(zone));
    const answer = fresh(await tracked(() => api['metrics.overview'](period)));
    if (seq !== overviewSeq) return;
    overviewRef.value = answer;
    // The node's day differs from ours (first load near midnight, a node on another clock): ask again.
    if (again && answer.today !== period.to) await loadOverview(zone, false);
  }

  function setPreset(p: PeriodPreset, zone?: string): Promise<void> {
    presetRef.value = p;
    return loadOverview(zone);
  }

  let trendsSeq = 0;
  async function loadTrends(days: 30 | 90 = trendDaysRef.value): Promise<void> {
    const seq = ++trendsSeq;
    trendDaysRef.value = days;
    const answer = fresh(await tracked(() => api['metrics.trends']({ days })));
    if (seq === trendsSeq) trendsRef.value = answer;
  }

  let stuckSeq = 0;
  async function loadStuck(query: StuckQuery = stuckQueryRef.value): Promise<void> {
    const seq = ++stuckSeq;
    stuckQueryRef.value = { ...query };
    const answer = fresh(await tracked(() => api['metrics.stuck'](query)));
    if (seq === stuckSeq) stuckRef.value = answer;
  }

  async function openDrill(kind: DrillKind, key: string): Promise<void> {
    const period = overviewRef.value?.period ?? presetPeriod(presetRef.value, today('Asia/Shanghai'));
    const result = fresh(await tracked(() => api['metrics.tickets']({ ...period, [kind]: key })));
    drillRef.value = { kind, key, result };
  }

  function closeDrill(): void {
    drillRef.value = null;
  }

  /** Reloads what is showing (quietly: the error stays in `error`). */
  function refresh(): void {
    if (overviewRef.value) void loadOverview(overviewRef.value.zone).catch(() => {});
    if (trendsRef.value) void loadTrends().catch(() => {});
    if (stuckRef.value) void loadStuck().catch(() => {});
    const d = drillRef.value;
    if (d) void openDrill(d.kind, d.key).catch(() => {});
  }

  // Refresh while a dashboard view is open: after ticket changes (debounced) and once a minute.
  let active = 0;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let tick: ReturnType<typeof setInterval> | null = null;
  api.on('tickets.changed', () => {
    if (active === 0 || debounce) return;
    debounce = setTimeout(() => {
      debounce = null;
      if (active > 0) refresh();
    }, REFRESH_DEBOUNCE_MS);
  });
  api.on('node.status', (s) => {
    const f = freshnessRef.value;
    if (f) freshnessRef.value = { ...f, online: s.online, lastSyncAt: s.lastSyncAt };
  });

  /** A dashboard view opened; returns its close. */
  function activate(): () => void {
    active++;
    tick ??= setInterval(refresh, TICK_MS);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      active--;
      if (active === 0 && tick) {
        clearInterval(tick);
        tick = null;
      }
    };
  }

  /** Forgets everything on sign-out. */
  function reset(): void {
    overviewSeq++;
    trendsSeq++;
    stuckSeq++;
    overviewRef.value = null;
    trendsRef.value = null;
    stuckRef.value = null;
    stuckQueryRef.value = {};
    drillRef.value = null;
    freshnessRef.value = null;
    errorRef.value = null;
  }

  return {
    preset, overview, trendDays, trends, stuckQuery, stuck, drill, freshness, loading, error,
    loadOverview, setPreset, loadTrends, loadStuck, openDrill, closeDrill, refresh, activate, reset,
  };
});
