import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { AdminInputError, type AdminRequest, type AdminService } from './service';

/**
 * The running server's admin socket, `<data>/admin.sock` (mode 0600): the embedded database is
 * locked by the server process, so the admin CLI asks the server to run the command (and a revoked
 * seat is disconnected at once). Whoever can open the socket already owns the data folder.
 */
export const adminSocketPath = (dataDir: string): string => join(dataDir, 'admin.sock');

type Reply = { ok: true; result: unknown } | { ok: false; input: boolean; error: string };

export function serveAdminSocket(dataDir: string, service: AdminService): Promise<Server> {
  const path = adminSocketPath(dataDir);
  rmSync(path, { force: true });
  const server = createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => undefined);
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 64 * 1024) return void sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      let req: AdminRequest;
      try {
        req = JSON.parse(buf.slice(0, nl)) as AdminRequest;
      } catch {
        return void sock.end(JSON.stringify({ ok: false, input: true, error: 'bad request' } satisfies Reply) + '\n');
      }
      service.run(req).then(
        (result) => sock.end(JSON.stringify({ ok: true, result } satisfies Reply) + '\n'),
        (e: Error) => sock.end(JSON.stringify({ ok: false, input: e instanceof AdminInputError, error: e.message } satisfies Reply) + '\n'),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      chmodSync(path, 0o600);
      resolve(server);
    });
  });
}

export function callAdminSocket(dataDir: string, req: AdminRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(adminSocketPath(dataDir));
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (c: string) => (buf += c));
    sock.on('error', (e) => reject(new Error(`the running server's admin socket is not answering: ${e.message}`)));
    sock.on('end', () => {
      try {
        const r = JSON.parse(buf) as Reply;
        if (r.ok) resolve(r.result);
        else reject(r.input ? new AdminInputError(r.error) : new Error(r.error));
      } catch {
        reject(new Error('the admin socket gave no answer'));
      }
    });
    sock.write(JSON.stringify(req) + '\n');
  });
}
