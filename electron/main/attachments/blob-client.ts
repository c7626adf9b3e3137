import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The seat's side of `/blobs/<sha256>` on the sync server, with the seat's bearer token. Plain
 * node:http(s) rather than fetch: an https server is trusted through the plant CA only (`ca`),
 * which fetch cannot take without undici's Agent.
 */
export interface BlobClientOptions {
  server: string;
  ca?: string;
  /** The seat's token now, or null when it is not signed in at the server. */
  token: () => string | null;
  timeoutMs?: number;
}

export type BlobPutResult = 'stored' | 'refused' | 'retry';

interface Answer {
  status: number;
  body: Buffer;
}

export class BlobClient {
  constructor(private readonly opts: BlobClientOptions) {}

  /**
   * Uploads the bytes for a ticket of `site` (the server records the blob for that site): 'stored'
   * (or already there for that site), 'refused' for good (4xx), 'retry' (offline, 5xx).
   */
  async put(hash: string, bytes: Uint8Array, site: string): Promise<{ result: BlobPutResult; message: string }> {
    try {
      const head = await this.send('HEAD', hash, undefined, site);
      if (head.status === 200) return { result: 'stored', message: 'already on the server' };
      const r = await this.send('PUT', hash, bytes, site);
      if (r.status === 200 || r.status === 201) return { result: 'stored', message: String(r.status) };
      const message = errorText(r);
      if (r.status === 401 || r.status >= 500 || r.status === 429) return { result: 'retry', message };
      return { result: 'refused', message };
    } catch (e) {
      return { result: 'retry', message: (e as Error).message };
    }
  }

  /** The bytes from the server, or null when it does not have them; throws when it is unreachable. */
  async get(hash: string): Promise<Uint8Array | null> {
    const r = await this.send('GET', hash);
    if (r.status === 404) return null;
    if (r.status !== 200) throw new Error(errorText(r));
    return new Uint8Array(r.body.buffer, r.body.byteOffset, r.body.length);
  }

  private send(method: 'HEAD' | 'PUT' | 'GET', hash: string, body?: Uint8Array, site?: string): Promise<Answer> {
    const token = this.opts.token();
    if (!token) return Promise.reject(new Error('本席位尚未登录同步服务器'));
    const url = new URL(`/blobs/${hash}`, this.opts.server);
    if (site !== undefined) url.searchParams.set('site', site);
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
    if (body) Object.assign(headers, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(url, { method, headers, ...(https && this.opts.ca ? { ca: this.opts.ca } : {}), timeout: this.opts.timeoutMs ?? 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks as Uint8Array[]) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('同步服务器响应超时')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function errorText(r: Answer): string {
  try {
    return (JSON.parse(r.body.toString('utf8')) as { error?: string }).error ?? `HTTP ${r.status}`;
  } catch {
    return `HTTP ${r.status}`;
  }
}
