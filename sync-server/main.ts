import { mkdirSync, readFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { AdminService } from './admin/service';
import { serveAdminSocket } from './admin/socket';
import { RemoteAdmin } from './admin/remote';
import { Sessions } from './auth/sessions';
import { USAGE, parseConfig, plainHttpWarning, type ServerConfig } from './config';
import { ServerMetrics } from './ops/metrics';
import { Connectors } from './connectors';
import { loadConnectorsFile, type ConnectorsFile } from './connectors/config';
import { Compactor } from './engine/compactor';
import { WorkerJudge } from './engine/judge-pool';
import { PushPipeline } from './engine/push';
import { PhotoSweep } from './portal/sweep';
import { TicketDocs } from './engine/tickets';
import { warmUp } from './engine/warm-up';
import { SeatConnection } from './net/connection';
import { SiteDocs } from './site-docs/service';
import { siteDocProblem } from './site-docs/validate';
import { builtinCalendars } from '../rules/node/load';
import { Hub } from './net/hub';
import { createSyncServer } from './net/server';
import { seedDemo } from './seed/demo';
import { EmbeddedStorage } from './storage/embedded';
import { PostgresStorage } from './storage/postgres';
import type { SyncStorage } from './storage/types';

/**
 * The sync server's composition root: storage, the push pipeline, the fan-out hub, HTTP/WebSocket,
 * background compaction and the admin socket. Prints one JSON line `{"event":"listening",…}` when
 * ready (tests and scripts read the port from it).
 */
async function openStorage(c: ServerConfig): Promise<SyncStorage> {
  if (c.storage === 'postgres') return PostgresStorage.open({ url: c.pg! });
  return EmbeddedStorage.open({ dir: c.data });
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (e) {
    const msg = e instanceof ZodError ? e.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n') : (e as Error).message;
    process.stderr.write(`${msg}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const now = () => new Date();
  const log = (s: string) => process.stderr.write(`[sync ${config.instance}] ${s}\n`);
  let connectorsFile: ConnectorsFile | null = null;
  try {
    if (config.connectors) connectorsFile = loadConnectorsFile(config.connectors);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  mkdirSync(config.data, { recursive: true });
  const readTls = () => (config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : undefined);
  const tls = readTls();
  const plain = plainHttpWarning(config);
  const warnPlain = () => plain && log(`\n${'!'.repeat(100)}\n${plain}\n${'!'.repeat(100)}`);
  warnPlain();
  let live = () => 0;
  const raw = await openStorage(config);
  const metrics = new ServerMetrics(raw, { instance: config.instance, version: process.env.npm_package_version ?? '0.1.0', tls: !!tls }, () => live());
  const storage = metrics.meter(raw);
  if (config.demo !== undefined && (await seedDemo(storage, config.demo, now(), log))) log(`demo site mx-plant seeded with ${config.demo} tickets (demo users' password: demo1234 — demo only)`);
  const docs = new TicketDocs(storage, config.docCache);
  const judge = new WorkerJudge({
    onReady: () => log('judge worker ready: half of a big push’s new tickets are judged there'),
    onFail: (e) => log(`judge worker unavailable (${e.message}): new tickets are judged on the main thread until it is restarted`),
    onRestart: (failed) => log(`judge worker restarting${failed > 0 ? ` (${failed} failed start${failed > 1 ? 's' : ''} in a row)` : ''}`),
    onGiveUp: (failed) => log(`judge worker given up after ${failed} failed starts in a row: new tickets are judged on the main thread until the server restarts`),
  });
  const pipeline = new PushPipeline(storage, docs, now, judge);
  const hub = new Hub();
  storage.onAppend((entries) => {
    hub.publish(entries);
    if (storage.kind === 'postgres') {
      // Entries written by other instances: the LRU copies that lack them are dropped (reloaded on use).
      void pipeline.queue.run(async () => {
        for (const e of entries) if (docs.cache.get(e.ticketId) && !docs.hasChange(e.ticketId, e.hash)) docs.cache.drop(e.ticketId);
      });
    }
  });
  const calendars = builtinCalendars();
  const siteDocs = new SiteDocs({
    storage, now,
    problem: (kind, body) => siteDocProblem(kind, body, calendars),
    // Through the admin event channel, not straight to this instance's seats: on PostgreSQL every
    // instance hears it (LISTEN/NOTIFY) and sends the new versions to its own seats of the site.
    broadcast: (site, list) => void storage.publishAdmin({ kind: 'site_docs', site, ids: list.map((d) => d.id) }).catch((e: unknown) => log(`site documents not announced: ${(e as Error).message}`)),
  });
  storage.onAdmin((e) => {
    if (e.kind !== 'site_docs') return;
    void storage.listSiteDocs(e.site).then((all) => {
      const docs = all.filter((d) => e.ids.includes(d.id));
      if (docs.length === 0) return;
      hub.forEach((s) => {
        if (s instanceof SeatConnection && s.sites.has(e.site)) s.send({ t: 'siteDocs', site: e.site, docs });
      });
    }, (err: unknown) => log(`site documents not sent to this instance's seats: ${(err as Error).message}`));
  });
  const connectors = connectorsFile ? new Connectors(connectorsFile, { storage, push: (who, tickets) => pipeline.push(who, tickets), now, log, instance: config.instance }) : null;
  const adminService = new AdminService(storage, now, { instance: config.instance, retentionDays: config.auditRetentionDays, ...(connectors ? { connectors: () => connectors.describe() } : {}), backedUp: (ok) => (metrics.backups.inc({ result: ok ? 'ok' : 'failed' }), ok && (metrics.lastBackup = Date.now() / 1000)) });
  // Admin commands from an admin's console (sync-server/admin/remote.ts); `health` says what /healthz says.
  const startedAt = now();
  const remote = new RemoteAdmin({
    service: adminService, storage, now,
    health: () => ({ ok: true, instance: config.instance, storage: storage.kind, tls: !!tls, connections: live(), uptimeS: Math.round(process.uptime()), startedAt: startedAt.toISOString(), rssMb: Math.round(process.memoryUsage.rss() / 1e6) }),
  });
  const server = createSyncServer({ storage, pipeline, hub, siteDocs, admin: remote, sessions: new Sessions(storage, now), now, maxFrameBytes: config.maxFrame, maxBlobBytes: Math.round(config.maxAttachmentMb * 1_000_000), updatesDir: config.updates, instance: config.instance, metrics, ...(tls ? { tls } : {}) });
  live = () => server.connections().length;
  const plainTimer = plain ? setInterval(warnPlain, 3_600_000).unref() : null;
  process.on('SIGHUP', () => {
    try {
      const next = readTls();
      if (next) server.reloadTls(next);
      log(next ? 'SIGHUP: TLS certificate and key reloaded' : 'SIGHUP: no TLS configured');
    } catch (e) {
      log(`SIGHUP: the new certificate was not installed (${(e as Error).message}); the old one stays`);
    }
  });
  const compactor = new Compactor(storage, config.compactMs);
  compactor.start();
  // Portal photos no report took within a day are deleted: hourly, and once now (portal/sweep.ts).
  const photoSweep = new PhotoSweep({ storage, now, log });
  photoSweep.start();
  const admin = await serveAdminSocket(config.data, adminService).catch((e: Error) => {
    log(`admin socket unavailable (${e.message}); the admin CLI needs the server stopped`);
    return null;
  });
  await new Promise<void>((resolve, reject) => {
    server.http.once('error', reject);
    server.http.listen(config.port, config.host, () => resolve());
  });
  if (connectors) {
    const started = await connectors.start();
    log(`connectors: ${connectors.connectors.size} configured${started.inboundPort !== null ? `, inbound webhooks on ${connectorsFile?.inbound?.host ?? '127.0.0.1'}:${started.inboundPort}` : ''}`);
    process.stdout.write(JSON.stringify({ event: 'connectors', connectors: connectors.connectors.size, inboundPort: started.inboundPort }) + '\n');
  }
  const addr = server.http.address();
  const port = addr && typeof addr === 'object' ? addr.port : config.port;
  process.stdout.write(JSON.stringify({ event: 'listening', host: config.host, port, storage: storage.kind, instance: config.instance, tls: !!tls, pid: process.pid }) + '\n');
  // Once listening, in the background and bounded: the edit path compiled and recently changed
  // tickets in the document cache (engine/warm-up.ts). Reads only; a failure is logged, never fatal.
  const warming = new AbortController();
  const warmedUp = warmUp({ storage, pipeline, now, signal: warming.signal }).then(
    (r) => log(`warm-up: ${r.rehearsed} edits rehearsed, ${r.preloaded} recently changed tickets loaded into the document cache in ${r.ms} ms${r.cut ? ' (cut short)' : ''}`),
    (e: unknown) => log(`warm-up skipped (${(e as Error).message})`),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    admin?.close();
    await connectors?.stop();
    if (plainTimer) clearInterval(plainTimer);
    warming.abort();
    await server.close();
    await warmedUp;
    await compactor.stop();
    await photoSweep.stop();
    await pipeline.queue.run(async () => undefined);
    await judge.close();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`sync server failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
