import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP request with a deadline and a response size cap, answering what a delivery needs to
 * know: was it surely not delivered (the connection never opened), surely answered (a status), or
 * unknown (the request may have reached the receiver: reset or timed out after connecting).
 */
export type HttpResult =
  | { kind: 'response'; status: number; body: string; truncated: boolean }
  | { kind: 'not_delivered'; error: string }
  | { kind: 'unknown'; error: string };

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** UTF-8 text. */
  body?: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** UTF-8 text of byte chunks. */
export function utf8(chunks: readonly Uint8Array[]): string {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

export function httpSend(req: HttpRequest): Promise<HttpResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(req.url);
    } catch {
      return resolve({ kind: 'not_delivered', error: `"${req.url}" is not a URL` });
    }
    const lib = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
    if (!lib) return resolve({ kind: 'not_delivered', error: `${u.protocol} is not http or https` });
    let connected = false;
    let done = false;
    const finish = (r: HttpResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const headers = { ...req.headers, ...(req.body ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}) };
    const r = lib.request(u, { method: req.method, headers, agent: false }, (res) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (c: Uint8Array) => {
        if (truncated) return;
        size += c.length;
        if (size > req.maxResponseBytes) {
          truncated = true;
          chunks.push(c.subarray(0, Math.max(0, req.maxResponseBytes - (size - c.length))));
          finish({ kind: 'response', status: res.statusCode ?? 0, body: utf8(chunks), truncated: true });
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => finish({ kind: 'response', status: res.statusCode ?? 0, body: utf8(chunks), truncated }));
      res.on('error', () => finish({ kind: 'response', status: res.statusCode ?? 0, body: utf8(chunks), truncated: true }));
    });
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    r.on('socket', (s) => {
      if (!s.connecting) connected = true;
      else s.once('connect', () => (connected = true));
    });
    r.on('error', (e: NodeJS.ErrnoException) => {
      const msg = `${u.host}: ${e.code ? `${e.code} ` : ''}${e.message}`;
      finish(connected ? { kind: 'unknown', error: msg } : { kind: 'not_delivered', error: msg });
    });
    r.end(req.body);
  });
}

/** How an HTTP answer counts for a delivery. */
export type Verdict = { kind: 'sent'; detail: string } | { kind: 'retry'; error: string } | { kind: 'failed'; error: string } | { kind: 'unknown'; error: string };

const snippet = (s: string) => s.replace(/\s+/g, ' ').slice(0, 200);

/**
 * 2xx: sent. 408, 429 and `retryStatuses`: not processed, try again. Other 4xx: refused for good.
 * 5xx: the receiver failed while handling it — try again where the key makes that safe, else unknown.
 */
export function judgeHttp(r: HttpResult, opts: { idempotent: boolean; retryStatuses?: readonly number[] }): Verdict {
  if (r.kind === 'not_delivered') return { kind: 'retry', error: `not delivered: ${r.error}` };
  if (r.kind === 'unknown') return opts.idempotent ? { kind: 'retry', error: r.error } : { kind: 'unknown', error: r.error };
  const note = r.truncated ? ' (response cut at the size limit)' : '';
  if (r.status >= 200 && r.status < 300) return { kind: 'sent', detail: `HTTP ${r.status}${note}` };
  const error = `HTTP ${r.status}: ${snippet(r.body)}${note}`;
  if (r.status === 408 || r.status === 429 || opts.retryStatuses?.includes(r.status)) return { kind: 'retry', error };
  if (r.status >= 500) return opts.idempotent ? { kind: 'retry', error } : { kind: 'unknown', error };
  return { kind: 'failed', error };
}
