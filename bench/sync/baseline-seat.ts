/**
 * A process of baseline seats: one automerge-repo `Repo` per seat (no storage: thin, like ours),
 * each with its own WebSocket to the baseline server, driven over IPC by baseline.ts. Times are
 * `clock()` as in seat-process.ts.
 */
import { Repo, parseAutomergeUrl, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateDemoTickets } from '../../domain';
import { toAutomerge } from '../../sync-server/protocol';
import type { BaselineCommand, BaselineReply } from './baseline-ipc';
import { answerCommands } from './ipc';
import type { Seen } from './stats';

const clock = () => performance.timeOrigin + performance.now();
type TicketDoc = Record<string, unknown>;

const repos = new Map<string, Repo>();
const handles = new Map<string, Map<string, DocHandle<TicketDoc>>>();
const seen: Seen[] = [];
/** Seats connected only after they made their documents (the server URL). */
const later = new Map<string, string>();
let recording = false;

function repo(name: string): Repo {
  const r = repos.get(name);
  if (!r) throw new Error(`no seat ${name} in this process`);
  return r;
}

/** Finds a document, asking again while the server does not have it yet; null when the time is up. */
async function findRetrying(r: Repo, url: AutomergeUrl, until: number): Promise<DocHandle<TicketDoc> | null> {
  while (clock() < until) {
    try {
      // No abort signal: automerge-repo 2.5 leaves a rejected promise unhandled behind an aborted find.
      const found = r.find<TicketDoc>(url);
      found.catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const h = await Promise.race([found, new Promise<null>((res) => (timer = setTimeout(() => res(null), Math.max(1, until - clock()))))]);
      clearTimeout(timer);
      return h;
    } catch {
      // Unavailable (the server does not have it yet): forget the handle so the next find asks again.
      await r.removeFromCache(parseAutomergeUrl(url).documentId).catch(() => undefined);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  return null;
}

/** Finds `urls` with at most `concurrency` finds in flight; how many were found, and when the last one was. */
async function findAll(r: Repo, urls: readonly AutomergeUrl[], until: number, concurrency: number, onFound?: (url: AutomergeUrl, h: DocHandle<TicketDoc>) => void): Promise<{ found: number; at: number | null }> {
  let next = 0;
  let found = 0;
  const worker = async () => {
    while (next < urls.length && clock() < until) {
      const url = urls[next++]!;
      const h = await findRetrying(r, url, until);
      if (!h) return;
      found++;
      onFound?.(url, h);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, worker));
  return { found, at: found === urls.length ? clock() : null };
}

async function handle(m: BaselineCommand): Promise<BaselineReply> {
  switch (m.cmd) {
    case 'connect':
      for (const name of m.seats) {
        repos.set(name, new Repo({ network: m.later ? [] : [new WebSocketClientAdapter(m.url)], sharePolicy: async () => true }));
        handles.set(name, new Map());
        if (m.later) later.set(name, m.url);
      }
      if (!m.later) {
        // A find before the connection is up answers "unavailable" at once: wait for the server.
        const until = clock() + 60_000;
        while (m.seats.some((n) => repo(n).peers.length === 0)) {
          if (clock() > until) throw new Error('baseline seats could not connect');
          await new Promise((res) => setTimeout(res, 10));
        }
      }
      return { ok: true };
    case 'open': {
      // Every seat finds the edited documents and listens for their changes.
      const until = clock() + m.timeoutMs;
      let found = 0;
      await Promise.all(
        m.seats.map(async (name) => {
          const r = await findAll(repo(name), m.urls, until, 10, (url, h) => {
            handles.get(name)!.set(url, h);
            h.on('change', () => {
              if (recording) seen.push({ seat: name, ticket: url, at: clock() });
            });
          });
          found += r.found;
        }),
      );
      return { ok: true, count: found };
    }
    case 'record':
      recording = m.on;
      if (m.on) seen.length = 0;
      return { ok: true };
    case 'edit': {
      const h = handles.get(m.seat)!.get(m.url)!;
      const at = clock();
      h.change((d) => {
        (d.comments as unknown[]).push(toAutomerge({ id: randomUUID(), at: new Date().toISOString(), by: m.seat, text: `bench edit ${m.n}` }));
        d.updatedAt = toAutomerge(new Date().toISOString());
      });
      return { ok: true, at };
    }
    case 'seen':
      return { ok: true, seen: seen.splice(0) };
    case 'create': {
      const r = repo(m.seat);
      const tickets = generateDemoTickets({ count: m.count, seed: 4242, now: Date.now(), perDay: 187 });
      const t0 = clock();
      const urls = tickets.map((t) => r.create(toAutomerge(t) as TicketDoc).url);
      const made = clock();
      // A seat that made its documents offline goes online now: the push starts here.
      const url = later.get(m.seat);
      if (url) r.networkSubsystem.addNetworkAdapter(new WebSocketClientAdapter(url));
      return { ok: true, urls, at: clock(), ms: made - t0 };
    }
    case 'findAll': {
      const t0 = clock();
      const r = await findAll(repo(m.seat), m.urls, t0 + m.capMs, m.concurrency);
      return { ok: true, count: r.found, at: r.at };
    }
    case 'stop':
      await Promise.all([...repos.values()].map((r) => r.shutdown().catch(() => undefined)));
      repos.clear();
      return { ok: true };
  }
}

answerCommands<BaselineCommand>(handle);
// automerge-repo times out handles it still waits for (60 s) with rejections no one awaits.
process.on('unhandledRejection', () => undefined);
