import {
  DEMO_PEOPLE, DEMO_SITE, DEMO_TEMPLATE, generateDemoTickets,
  type FormTemplate, type SiteInfo, type SitePerson,
} from '../../../domain';
import type { Handlers, NodeClock, NodeStatus } from '../../contract/ipc';
import { Rulebook, SeatRunner, rulesHandlers, sourceTreeRulebook, type RulebookSource, type Timers } from '../rules';
import { openPouchTicketStore, type TicketStore } from '../store';
import { SeatMetrics, metricsHandlers, metricsSettings } from '../metrics';
import { NodeEvents, type NodeListener } from './events';
import { requireSession, sessionHandlers } from './session';
import { ticketHandlers } from './ticket-handlers';
import { TicketNumbers } from './ticket-numbers';

export interface LocalNodeOptions {
  /** The seat's data folder. */
  dataDir: string;
  /** The seat's 2-letter code (offline ticket numbers use it). */
  seat: string;
  /** The time now (epoch ms; a Date is accepted too). Defaults to the system clock. */
  clock?: () => number | Date;
  site?: SiteInfo;
  people?: readonly SitePerson[];
  template?: FormTemplate;
  /** Live Automerge documents kept in memory (default 500). */
  cacheSize?: number;
  /** The seat's rule runner: on unless `false` (tests of the bare node). */
  rules?: false | RulesOptions;
  /** Where errors of background work go (default console.error). */
  log?: (message: string, error?: unknown) => void;
}

export interface RulesOptions {
  /** The built-in rulebook (default: rules/packs/seed.yaml and rules/calendars from the sources). */
  source?: RulebookSource;
  timers?: Timers;
  /** Longest the SLA timer sleeps before looking at the clock again (default 60 s). */
  maxSleepMs?: number;
  bannerThrottleMs?: number;
}

export interface SeedOptions {
  count: number;
  seed: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The local node: the contract's handlers over the seat's store, and the events they cause. */
export interface LocalNode {
  handlers: Handlers;
  subscribe(listener: NodeListener): () => void;
  /** Imports generated demo tickets (ending now); returns how many were new. */
  seedDemo(opts: SeedOptions): Promise<number>;
  close(): Promise<void>;
  store: TicketStore;
  /** The rule runner, or null when rules are off. */
  rules: SeatRunner | null;
  rulebook: Rulebook;
  /** The supervisor's dashboard over the store's rows (built on first use). */
  metrics: SeatMetrics;
  /**
   * Tickets changed other than through the handlers (merged from other seats, imported): the
   * consoles are told, and the runner brings counts, SLA clocks and banners up to date.
   */
  ticketsChanged(ids: string[]): void;
  /** The injected clock was set (tests, the host's `--clock-file`): timers and consoles follow. */
  clockChanged(): void;
}

/** The meta record where the sync client (a later issue) records its last successful sync. */
export const LAST_SYNC_META = 'lastSyncAt';

export async function createLocalNode(opts: LocalNodeOptions): Promise<LocalNode> {
  const site = opts.site ?? DEMO_SITE;
  const people = opts.people ?? DEMO_PEOPLE;
  const template = opts.template ?? DEMO_TEMPLATE;
  const source = opts.clock ?? Date.now;
  const clock = (): number => {
    const now = source();
    return typeof now === 'number' ? now : now.getTime();
  };
  const store = await openPouchTicketStore({ dataDir: opts.dataDir, seat: opts.seat, ...(opts.cacheSize ? { cacheSize: opts.cacheSize } : {}) });
  const events = new NodeEvents();

  const status = (): NodeStatus => ({
    ticketCount: store.count(),
    outboxPending: store.pendingCount(),
    online: false,
    lastSyncAt: store.meta<string>(LAST_SYNC_META) ?? null,
    sync: null,
  });
  const changed = (ids: string[]) => {
    events.emit('tickets.changed', { ids });
    events.emit('node.status', status());
  };
  const nodeClock = (): NodeClock => ({ now: new Date(clock()).toISOString(), timezone: site.timezone });
  const log = opts.log ?? ((message: string, error?: unknown) => console.error(message, error));

  const rulesOpts = opts.rules === false ? null : (opts.rules ?? {});
  const rulebook = Rulebook.open(store, rulesOpts?.source ?? sourceTreeRulebook(), people);
  const runner = new SeatRunner({
    store, rulebook, clock, changed, log,
    emit: (event, payload) => events.emit(event, payload),
    ...(rulesOpts?.timers ? { timers: rulesOpts.timers } : {}),
    ...(rulesOpts?.maxSleepMs ? { maxSleepMs: rulesOpts.maxSleepMs } : {}),
    ...(rulesOpts?.bannerThrottleMs !== undefined ? { bannerThrottleMs: rulesOpts.bannerThrottleMs } : {}),
  });
  const rules = rulesOpts ? runner : null;
  const metrics = new SeatMetrics({
    store, clock, log, sync: status,
    settings: () => metricsSettings(rulebook.current(), { timezone: site.timezone, people }),
  });
  rulebook.onChange(() => metrics.settingsChanged());
  const ticketsChanged = (ids: string[]) => {
    changed(ids);
    rules?.ticketsChanged(ids);
  };

  const handlers: Handlers = {
    'site.info': async () => ({ site, people: [...people], template }),
    ...sessionHandlers({ store, people }),
    ...ticketHandlers({ store, site, people, template, numbers: new TicketNumbers(store, site), clock, changed, ...(rules ? { rules } : {}) }),
    ...rulesHandlers({
      store, rulebook, banners: runner.banners, history: runner.history, people, clock,
      requireSession: (ctx) => requireSession(ctx, { store, people }),
      published: (version) => events.emit('rulebook.changed', { version }),
    }),
    ...metricsHandlers({ metrics, requireSession: (ctx) => requireSession(ctx, { store, people }) }),
    'node.status': async () => status(),
    'node.clock': async () => nodeClock(),
  };
  rules?.start();

  return {
    handlers,
    store,
    rules,
    rulebook,
    metrics,
    ticketsChanged,
    clockChanged() {
      rules?.clockChanged();
      events.emit('node.clock', nodeClock());
    },
    subscribe: (listener) => events.subscribe(listener),
    async seedDemo({ count, seed, batchSize, onProgress }) {
      const tickets = generateDemoTickets({ count, seed, now: clock() });
      const imported = await store.importTickets(tickets, { message: { by: 'demo', seat: store.seat, action: 'import' }, at: clock() }, {
        ...(batchSize ? { batchSize } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      if (imported > 0) ticketsChanged(tickets.map((t) => t.id));
      return imported;
    },
    async close() {
      await runner.stop();
      metrics.close();
      await store.close();
    },
  };
}
