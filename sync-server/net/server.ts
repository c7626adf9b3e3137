import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearer, hashToken } from '../auth/tokens';
import type { ServerMetrics } from '../ops/metrics';
import { loginRequest, userInfo, type Session, type Sessions } from '../auth/sessions';
import { CLOSE, DEFAULT_MAX_FRAME_BYTES, PROTOCOL_VERSION, SYNC_PATH, clientMessage, decodeFrame } from '../protocol';
import { SeatConnection, rawBytes, type ConnectionDeps } from './connection';
import { blobRoutes, isBlobRequest } from '../blobs/routes';
import { ImageWorker } from '../blobs/image-worker';
import { PortalService } from '../portal/service';
import { isPortalRequest, portalRoutes } from '../portal/routes';
import { isUpdatesRequest, updateRoutes } from '../updates/routes';

/**
 * HTTP and WebSocket. `POST /login` signs a seat in; `/sync` is the feed. A connection is
 * authenticated before anything else happens: by `Authorization: Bearer` at the upgrade (refused
 * with 401 before the socket opens), or by a `hello` frame that must come first and alone. Until
 * the token verifies nothing is processed or sent; a bad token closes the socket with a reason
 * and an audit line.
 */
export interface ServerOptions extends Omit<ConnectionDeps, 'hub'> {
  sessions: Sessions;
  hub: ConnectionDeps['hub'];
  maxFrameBytes?: number;
  authTimeoutMs?: number;
  instance: string;
  /** PEM certificate chain and key (the plant CA's): every endpoint is served over HTTPS/WSS. */
  tls?: TlsFiles;
  /** `/metrics` (Prometheus text) when given. */
  metrics?: ServerMetrics;
  /** Largest attachment blob accepted on `PUT /blobs/<sha256>` (default 15 MB). */
  maxBlobBytes?: number;
  /** The desktop app's update feed folder, served read-only at `/updates/` (sync-server/updates/routes.ts). */
  updatesDir?: string;
}

export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface SyncServer {
  http: Server | TlsServer;
  /** Installs a new certificate and key for new connections (rotation without a restart). */
  reloadTls(files: TlsFiles): void;
  connections(): SeatConnection[];
  close(): Promise<void>;
}

const MAX_LOGIN_BYTES = 4096;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: string[] = [];
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      size += Buffer.byteLength(c);
      if (size > limit) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(chunks.join('')));
    req.on('error', () => resolve(null));
  });
}

export function createSyncServer(opts: ServerOptions): SyncServer {
  const { storage, sessions, now } = opts;
  const live = new Set<SeatConnection>();
  const audit = (line: Record<string, unknown>) => void storage.appendAudit([{ at: now().toISOString(), kind: 'auth_failed', ...line }]).catch(() => undefined);
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, perMessageDeflate: false });
  const blobs = blobRoutes({ storage, sessions, now, ...(opts.maxBlobBytes ? { maxBytes: opts.maxBlobBytes } : {}) });
  // The requester portal (sync-server/portal): photos are re-encoded in a worker, tickets go through the pipeline.
  const images = new ImageWorker();
  const updates = opts.updatesDir ? updateRoutes({ dir: opts.updatesDir }) : null;
  const portal = portalRoutes({ storage, sessions, now, portal: new PortalService({ storage, images, now, push: (who, tickets) => opts.pipeline.push(who, tickets) }) });

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req, MAX_LOGIN_BYTES);
    if (text === null) return json(res, 413, { error: 'request too large' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(res, 400, { error: 'the body must be JSON: {user, password, device}' });
    }
    const parsed = loginRequest.safeParse(body);
    if (!parsed.success) return json(res, 400, { error: `bad login request: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}` });
    const result = await sessions.login(parsed.data, req.socket.remoteAddress ?? '');
    if (!result) return json(res, 401, { error: 'wrong user, password, or the user is disabled' });
    json(res, 200, result);
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () => opts.metrics?.http.inc({ path: ['/login', '/healthz', '/metrics'].includes(req.url ?? '') ? req.url! : 'other', code: String(res.statusCode) }));
    if (req.method === 'GET' && req.url === '/metrics' && opts.metrics) {
      opts.metrics.registry.render().then(
        (text) => {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
          res.end(text);
        },
        () => json(res, 500, { error: 'metrics unavailable' }),
      );
    } else if (req.method === 'POST' && req.url === '/login') {
      login(req, res).catch(() => json(res, 500, { error: 'internal error' }));
    } else if (req.method === 'GET' && req.url === '/healthz') {
      const cpu = process.cpuUsage();
      json(res, 200, { ok: true, instance: opts.instance, storage: storage.kind, tls: !!opts.tls, connections: live.size, rssMb: Math.round(process.memoryUsage.rss() / 1e6), cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
    } else if (isBlobRequest(req)) {
      blobs(req, res).catch(() => (res.headersSent ? res.destroy() : json(res, 500, { error: 'internal error' })));
    } else if (isPortalRequest(req)) {
      void portal(req, res);
    } else if (updates && isUpdatesRequest(req)) {
      updates(req, res).catch(() => (res.headersSent ? res.destroy() : json(res, 500, { error: 'internal error' })));
    } else json(res, 404, { error: 'not found' });
  };
  const http = opts.tls ? createTlsServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, handle) : createServer(handle);
  if (opts.tls) (http as TlsServer).on('tlsClientError', () => opts.metrics?.tlsFailures.inc());

  /** An attempt with a token: the audit line names the seat, user and device the token was issued to (a revoked laptop's later tries). */
  const refusedToken = (token: string, reason: string, from: string) =>
    void storage.seatByTokenHash(hashToken(token)).then(
      (seat) => audit({ reason, ...(seat ? { seat: seat.id, user: seat.user, device: seat.device } : {}), detail: { from } }),
      () => audit({ reason, detail: { from } }),
    );

  async function accept(ws: WebSocket, session: Session): Promise<void> {
    const sites = (await Promise.all(session.user.sites.map((s) => storage.getSite(s)))).filter((s) => s !== null);
    if (ws.readyState !== ws.OPEN) return;
    const conn = new SeatConnection(ws, session, opts);
    live.add(conn);
    ws.on('close', () => live.delete(conn));
    const { seat } = session;
    conn.send({ t: 'welcome', version: PROTOCOL_VERSION, seat: { id: seat.id, code: seat.code, device: seat.device }, user: userInfo(session.user), sites, serverTime: now().toISOString() });
    void storage.updateSeat(seat.id, { lastSeen: now().toISOString() }).catch(() => undefined);
  }

  function refuse(ws: WebSocket, reason: string, from: string, token?: string): void {
    if (token) refusedToken(token, reason, from);
    else audit({ reason, detail: { from } });
    ws.close(reason === 'seat revoked' ? CLOSE.revoked : CLOSE.unauthenticated, reason);
  }

  /** No Authorization header: the first frame must be `hello {token}`, within the timeout. */
  function awaitHello(ws: WebSocket, from: string): void {
    let state: 'waiting' | 'verifying' = 'waiting';
    const timer = setTimeout(() => refuse(ws, 'no hello within the time limit', from), opts.authTimeoutMs ?? 5_000);
    const onMessage = (data: Parameters<typeof rawBytes>[0]) => {
      if (state !== 'waiting') {
        clearTimeout(timer);
        ws.off('message', onMessage);
        return refuse(ws, 'frame before authentication', from);
      }
      state = 'verifying';
      let token: string | null = null;
      try {
        const m = clientMessage.safeParse(decodeFrame(rawBytes(data)));
        if (m.success && m.data.t === 'hello') token = m.data.token;
      } catch {
        token = null;
      }
      if (!token) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        return refuse(ws, 'the first frame must be hello {token}', from);
      }
      void sessions.verify(token).then((s) => {
        clearTimeout(timer);
        ws.off('message', onMessage);
        if ('refused' in s) return refuse(ws, s.refused, from, token ?? undefined);
        if (ws.readyState === ws.OPEN) void accept(ws, s).catch(() => ws.terminate());
      });
    };
    ws.on('message', onMessage);
    ws.on('close', () => clearTimeout(timer));
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const from = req.socket.remoteAddress ?? '';
    if (new URL(req.url ?? '/', 'http://x').pathname !== SYNC_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const token = bearer(req.headers.authorization);
    if (req.headers.authorization !== undefined && !token) {
      audit({ reason: 'malformed Authorization header', detail: { from } });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!token) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        awaitHello(ws, from);
      });
      return;
    }
    void sessions.verify(token).then((s) => {
      if ('refused' in s) {
        refusedToken(token, s.refused, from);
        socket.end(`HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nX-Closeloop-Reason: ${s.refused}\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        void accept(ws, s).catch(() => ws.terminate());
      });
    });
  });

  wss.on('wsClientError', (_err, socket) => socket.destroy());

  storage.onAdmin((e) => {
    for (const c of live) {
      if ((e.kind === 'seat_revoked' && c.seatId === e.seat) || (e.kind === 'user_disabled' && c.session.user.id === e.user)) {
        c.close(CLOSE.revoked, e.kind === 'seat_revoked' ? 'seat revoked' : 'user disabled');
      }
    }
  });

  return {
    http,
    reloadTls(files: TlsFiles) {
      if (!opts.tls) throw new Error('the server runs without TLS');
      (http as TlsServer).setSecureContext({ cert: files.cert, key: files.key, minVersion: 'TLSv1.2' });
    },
    connections: () => [...live],
    async close() {
      for (const c of live) c.close(CLOSE.shuttingDown, 'server shutting down');
      wss.close();
      await images.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

