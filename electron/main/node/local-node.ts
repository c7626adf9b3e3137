import {
  DEMO_PEOPLE, DEMO_SITE, DEMO_TEMPLATE, generateDemoTickets,
  type FormTemplate, type SiteInfo, type SitePerson,
} from '../../../domain';
import type { Handlers, NodeClock, NodeStatus } from '../../contract/ipc';
import { Rulebook, SeatRunner, rulesHandlers, sourceTreeRulebook, type RulebookSource, type Timers } from '../rules';
import { openPouchTicketStore, type TicketStore } from '../store';
import { SeatMetrics, metricsHandlers, metricsSettings } from '../metrics';
import { NodeEvents, type NodeListener } from './events';
import { SeatLink } from '../sync/seat-link';
import { publishedTemplate } from './forms-record';
import { formPublisher, formsPort } from './forms-replica';
import type { SyncClientOptions } from '../sync/client';
import { requireSession, sessionHandlers } from './session';
import { ticketHandlers } from './ticket-handlers';
import { formHandlers } from './form-handlers';
import { relatedHandlers } from './related-handlers';
import { adminHandlers } from './admin-handlers';
import { TicketNumbers } from './ticket-numbers';
import { openSeatAttachments, type AttachmentOptions, type AttachmentService } from '../attachments';

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
  /** Sync with this server (`http://host:port`); without it the node runs alone. */
  sync?: { server: string; ca?: string; client?: Partial<Omit<SyncClientOptions, 'url' | 'token' | 'replica'>> };
  /** Attachment limits and upload cadence (default 15 MB, queue looked at every 3 s). */
  attachments?: AttachmentOptions;
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
  /** The link to the sync server, or null when the node runs alone. */
  link: SeatLink | null;
  /** Photos, recordings and documents on tickets (electron/main/attachments). */
  attachments: AttachmentService;
}

/**
 * The meta record that keeps the sync link's last successful sync, so a seat restarted while the
 * server is away still says "as of last sync HH:MM" (the link itself only knows it while it runs).
 */
export const LAST_SYNC_META = 'lastSyncAt';
/** While online, the last sync is written to the meta record at most this often (on a drop, at once). */
const LAST_SYNC_SAVE_MS = 30_000;

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

  let link: SeatLink | null = null;
  const status = (): NodeStatus => {
    const sync = link?.status() ?? null;
    return {
      ticketCount: store.count(),
      outboxPending: store.pendingCount(),
      online: sync?.online ?? false,
      lastSyncAt: link?.lastSyncAt() ?? store.meta<string>(LAST_SYNC_META) ?? null,
      sync,
    };
  };
  const changed = (ids: string[]) => {
    events.emit('tickets.changed', { ids });
    events.emit('node.status', status());
  };
  const nodeClock = (): NodeClock => ({ now: new Date(clock()).toISOString(), timezone: site.timezone });
  const log = opts.log ?? ((message: string, error?: unknown) => (error === undefined ? console.error(message) : console.error(message, error)));

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
  // Every version put in force — published here or taken from the server — tells the consoles once.
  rulebook.onChange((active) => {
    metrics.settingsChanged();
    events.emit('rulebook.changed', { version: active.version });
  });
  const ticketsChanged = (ids: string[]) => {
    changed(ids);
    rules?.ticketsChanged(ids);
  };
  const numbers = new TicketNumbers(store, site, () => link?.seatCode ?? store.seat);
  // The link's last sync into LAST_SYNC_META: when the link drops or the node closes, and at most
  // every LAST_SYNC_SAVE_MS while it is up (a busy link syncs several times a second).
  let lastSyncSaved = store.meta<string>(LAST_SYNC_META) ?? null;
  let lastSyncSavedAt = Number.NEGATIVE_INFINITY;
  let closed = false;
  const saveLastSync = (force: boolean): Promise<void> => {
    const at = link?.lastSyncAt() ?? null;
    if (closed || !at || at === lastSyncSaved) return Promise.resolve();
    if (!force && link?.status().online && clock() - lastSyncSavedAt < LAST_SYNC_SAVE_MS) return Promise.resolve();
    lastSyncSaved = at;
    lastSyncSavedAt = clock();
    return store.putMeta(LAST_SYNC_META, at).catch((e: unknown) => log('上次同步时间未能保存', e));
  };
  if (opts.sync) {
    let statusTimer: NodeJS.Timeout | null = null;
    link = new SeatLink({
      server: opts.sync.server, store, site: site.id, clock, log, numbers,
      ...(opts.sync.ca ? { ca: opts.sync.ca } : {}),
      remote: ticketsChanged,
      docs: [
        { kind: 'rulebook', ids: () => rulebook.ids(), absorb: (d) => rulebook.absorb(d), unsent: () => rulebook.unsent(), sent: (id) => rulebook.sent(id), onPublished: (l) => rulebook.onPublished(l) },
        formsPort({ store, site, template }, () => events.emit('node.status', status())),
      ],
      // Status changes come in bursts during a bootstrap: tell consoles at most 5 times a second.
      statusChanged: () => {
        statusTimer ??= setTimeout(() => {
          statusTimer = null;
          void saveLastSync(false);
          events.emit('node.status', status());
        }, 200);
      },
      ...(opts.sync.client ? { client: opts.sync.client } : {}),
    });
  }
  // The outbox grows with every local write: consoles see "changes waiting" without asking.
  store.onLocalChange(() => {
    link?.numberUsed();
  });

  const attachments = await openSeatAttachments({
    ...opts.attachments, dataDir: opts.dataDir, store, clock, log, online: () => link?.status().online ?? false,
    ...(opts.sync ? { sync: { server: opts.sync.server, ca: opts.sync.ca } } : {}),
  });
  const handlers: Handlers = {
    'site.info': async () => ({ site, people: [...people], template: publishedTemplate({ store, site, template }) }),
    ...sessionHandlers({ store, people, link }),
    ...ticketHandlers({
      store, site, people, template, numbers, clock, changed, ...(rules ? { rules } : {}),
      mayWrite: (s) => {
        const account = link?.status().user;
        return link && account && account !== s.user.id ? `本席位正以 ${account} 的身份同步：请以该身份操作，或由 ${s.user.name} 输入密码重新登录` : null;
      },
    }),
    ...rulesHandlers({
      store, rulebook, banners: runner.banners, history: runner.history, people, clock,
      requireSession: (ctx) => requireSession(ctx, { store, people }),
      emit: (event, payload) => events.emit(event, payload),
    }),
    ...metricsHandlers({ metrics, requireSession: (ctx) => requireSession(ctx, { store, people }) }),
    ...adminHandlers({ link, requireSession: (ctx) => requireSession(ctx, { store, people }) }), // admin.run, through the sync server
    ...formHandlers({
      store, site, people, template, clock,
      ...(link ? { publishRemote: formPublisher(link, clock) } : {}),
    }), ...relatedHandlers({ store, clock }), // forms.get/publish, tickets.related
    'node.status': async () => status(),
    'node.clock': async () => nodeClock(),
    ...attachments.handlers({ requireSession: (ctx) => requireSession(ctx, { store, people }), changed: ticketsChanged }),
  };
  rules?.start();
  link?.start();
  attachments.start();

  return {
    handlers,
    store,
    rules,
    rulebook,
    metrics,
    link,
    attachments: attachments.service,
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
      await saveLastSync(true); // before the link stops: a stopped link forgets its client
      closed = true;
      await link?.stop();
      await attachments.close();
      await runner.stop();
      metrics.close();
      await store.close();
    },
  };
}
