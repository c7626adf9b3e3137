import {
  DEMO_PEOPLE, DEMO_SITE, DEMO_TEMPLATE, generateDemoTickets,
  type FormTemplate, type SiteInfo, type SitePerson,
} from '../../../domain';
import type { Handlers, NodeStatus } from '../../contract/ipc';
import { openPouchTicketStore, type TicketStore } from '../store';
import { NodeEvents, type NodeListener } from './events';
import { sessionHandlers } from './session';
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
    online: false, // no sync server yet (a later issue)
    lastSyncAt: store.meta<string>(LAST_SYNC_META) ?? null,
  });
  const changed = (ids: string[]) => {
    events.emit('tickets.changed', { ids });
    events.emit('node.status', status());
  };

  const handlers: Handlers = {
    'site.info': async () => ({ site, people: [...people], template }),
    ...sessionHandlers({ store, people }),
    ...ticketHandlers({ store, site, people, template, numbers: new TicketNumbers(store, site), clock, changed }),
    'node.status': async () => status(),
  };

  return {
    handlers,
    store,
    subscribe: (listener) => events.subscribe(listener),
    async seedDemo({ count, seed, batchSize, onProgress }) {
      const tickets = generateDemoTickets({ count, seed, now: clock() });
      const imported = await store.importTickets(tickets, { message: { by: 'demo', seat: store.seat, action: 'import' }, at: clock() }, {
        ...(batchSize ? { batchSize } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      if (imported > 0) changed(tickets.map((t) => t.id));
      return imported;
    },
    close: () => store.close(),
  };
}
