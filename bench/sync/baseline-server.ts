/**
 * The baseline's sync server: an automerge-repo 2.5 `Repo` with the Node file-system storage
 * adapter and the WebSocket server adapter on 127.0.0.1, as automerge-repo's own sync server is
 * set up: it announces nothing, and gives any document a seat asks for by URL (`shareConfig`).
 *
 *   baseline-server.ts DIR                 serve DIR; prints {"event":"listening","port":N}
 *   baseline-server.ts DIR --seed N        put N demo tickets in DIR as documents, write their
 *                                          URLs to DIR/urls.json, then exit (not served)
 */
import { Repo, type AutomergeUrl } from '@automerge/automerge-repo';
import { WebSocketServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { generateDemoTickets } from '../../domain';
import { toAutomerge } from '../../sync-server/protocol';

// automerge-repo 2.5 times out handles it still waits for (60 s) with rejections no one awaits;
// they must not take the server down in the middle of a measurement.
process.on('unhandledRejection', (e) => process.stderr.write(`[baseline server] ignored: ${(e as Error).message}\n`));

const [dir, flag, n] = process.argv.slice(2);
if (!dir) throw new Error('usage: baseline-server.ts DIR [--seed N]');
const storage = new NodeFSStorageAdapter(join(dir, 'repo'));

if (flag === '--seed') {
  const count = Number(n);
  const urls: AutomergeUrl[] = [];
  const t0 = Date.now();
  for (let done = 0, w = 0; done < count; w++) {
    // A repo keeps every document it made: a new one per 1,000 keeps seeding from slowing down.
    const repo = new Repo({ storage, network: [], shareConfig: { announce: async () => false, access: async () => true } });
    const tickets = generateDemoTickets({ count: Math.min(1_000, count - done), seed: 777 + w, now: Date.now() - w * 5 * 86_400_000, perDay: 187 });
    for (const t of tickets) urls.push(repo.create(toAutomerge(t) as Record<string, unknown>).url);
    done += tickets.length;
    await repo.flush();
    await repo.shutdown();
    process.stderr.write(`[baseline seed] ${done}/${count} documents (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  writeFileSync(join(dir, 'urls.json'), JSON.stringify(urls));
  process.exit(0);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise<void>((r) => wss.once('listening', () => r()));
const repo = new Repo({ storage, network: [new WebSocketServerAdapter(wss as unknown as ConstructorParameters<typeof WebSocketServerAdapter>[0])] /* the adapter's own copy of the ws types */, shareConfig: { announce: async () => false, access: async () => true } });
const address = wss.address();
process.stdout.write(JSON.stringify({ event: 'listening', port: address !== null && typeof address === 'object' ? address.port : 0, pid: process.pid }) + '\n');
const stop = () => {
  void repo.shutdown().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
