import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contentSecurityPolicy } from '../main/security/csp';
import type { HostedNode } from './hosted-node';
import { hostAllowed, sendError } from './http-util';
import { createRestApi } from './rest';
import { serveStatic } from './static';
import { ensureApiToken } from './token';
import { attachContractSocket } from './ws';

/**
 * The browser host: the local node served to a plain browser on 127.0.0.1 — the built console,
 * the contract over WebSocket, and the REST API. Never on another address: the node holds a
 * site's tickets and the WebSocket has no token of its own (Host and Origin are checked instead).
 */
export const LOOPBACK = '127.0.0.1';

export interface HostConfig {
  node: HostedNode;
  /** The built console (out/renderer). */
  rendererRoot: string;
  /** Where the REST token lives (`<dataDir>/api-token`). */
  dataDir: string;
  /** The node's seat code (REST requests act on it). */
  seat: string;
  /** 0 picks a free port. */
  port: number;
  /** Only 127.0.0.1 is accepted; anything else is refused. */
  bindAddress?: string;
  bodyLimit?: number;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  tokenPath: string;
  close(): Promise<void>;
}

export function assertLoopbackBind(address: string): void {
  if (address !== LOOPBACK) throw new Error(`the host binds to ${LOOPBACK} only (refusing "${address}")`);
}

export async function startHost(cfg: HostConfig): Promise<RunningHost> {
  const bind = cfg.bindAddress ?? LOOPBACK;
  assertLoopbackBind(bind);
  const { token, path: tokenPath } = await ensureApiToken(cfg.dataDir);
  const rest = createRestApi({ node: cfg.node, token, tokenPath, seat: cfg.seat, ...(cfg.bodyLimit ? { bodyLimit: cfg.bodyLimit } : {}) });
  let port = cfg.port;
  let csp = contentSecurityPolicy();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fail = (e: unknown) => {
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: `内部错误：${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    };
    try {
      if (!hostAllowed(req, port)) return sendError(res, 403, { code: 'not_allowed', message: `请通过 http://${LOOPBACK}:${port}/ 访问`, field: 'Host' });
      const path = req.url ?? '/';
      if (path === '/api' || path.startsWith('/api/') || path.startsWith('/api?')) return void rest(req, res).catch(fail);
      void serveStatic(req, res, cfg.rendererRoot, csp).catch(fail);
    } catch (e) {
      fail(e);
    }
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const socket = attachContractSocket(server, cfg.node, () => port);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  csp = contentSecurityPolicy({ connect: [`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`] });

  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    token,
    tokenPath,
    async close() {
      await socket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
