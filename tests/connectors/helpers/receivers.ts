import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Receivers on 127.0.0.1 that record what connectors send and misbehave on purpose. An HTTP
 * receiver either honours the idempotency key (a repeated key is answered 200 and not applied
 * again, like a well-behaved ERP) or does not (an SMS gateway: every request is an SMS).
 */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The idempotency key: the header, else the body's `key`, else a `d…` key at the start of a WeCom text. */
  key: string | null;
  at: number;
  /** Whether the receiver may have acted on it (answered 2xx or 5xx, or hung) — not a 4xx or a WeCom rate limit. */
  mayHaveActed: boolean;
}

export type Behaviour = (r: Received, nth: number) => { status?: number; body?: string; delayMs?: number; hang?: boolean; hugeBytes?: number; reset?: boolean } | undefined;

export interface HttpReceiver {
  url: string;
  port: number;
  requests: Received[];
  /** Keys applied (answered 2xx the first time), in order. */
  applied: string[];
  /** How many requests carried each key. */
  perKey: Map<string, number>;
  behave: Behaviour;
  close(): Promise<void>;
}

function keyOf(r: { headers: IncomingMessage['headers']; body: string; url: string }, header: string): string | null {
  const h = r.headers[header.toLowerCase()];
  if (typeof h === 'string') return h;
  try {
    const j = JSON.parse(r.body) as { key?: unknown };
    if (typeof j.key === 'string') return j.key;
    const content = (j as { text?: { content?: unknown } }).text?.content;
    if (typeof content === 'string') return /^(d[0-9a-f]{32})\b/.exec(content)?.[1] ?? null;
  } catch {
    // not JSON
  }
  const m = /[?&]key=([^&]+)/.exec(r.url);
  return m ? decodeURIComponent(m[1]!) : null;
}

export async function startHttpReceiver(opts: { honoursKey: boolean; header?: string; behave?: Behaviour; port?: number } = { honoursKey: true }): Promise<HttpReceiver> {
  const rec: HttpReceiver = { url: '', port: 0, requests: [], applied: [], perKey: new Map(), behave: opts.behave ?? (() => undefined), close: async () => undefined };
  const done = new Set<string>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      const body = new TextDecoder().decode(Buffer.concat(chunks as never));
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, key: null, at: Date.now(), mayHaveActed: true };
      r.key = keyOf(r, opts.header ?? 'idempotency-key');
      rec.requests.push(r);
      if (r.key) rec.perKey.set(r.key, (rec.perKey.get(r.key) ?? 0) + 1);
      const b = rec.behave(r, rec.requests.length) ?? {};
      const st = b.status ?? 200;
      r.mayHaveActed = !!(b.hang || b.reset || b.delayMs) || (st >= 200 && st < 300 && !(b.body ?? '').includes('45009')) || st >= 500;
      const answer = () => {
        if (b.reset) return req.socket.destroy();
        if (b.hang) return;
        const status = b.status ?? 200;
        if (status >= 200 && status < 300 && r.key && !(b.body ?? '').includes('45009')) {
          if (opts.honoursKey && done.has(r.key)) {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            return res.end('{"duplicate":true}');
          }
          done.add(r.key);
          rec.applied.push(r.key);
        }
        res.writeHead(status, { 'Content-Type': 'application/json' });
        if (b.hugeBytes) {
          const chunk = 'x'.repeat(64 * 1024);
          let left = b.hugeBytes;
          const pump = () => {
            while (left > 0) {
              left -= chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('error', () => undefined);
          return pump();
        }
        res.end(b.body ?? '{"errcode":0,"errmsg":"ok"}');
      };
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  rec.port = (server.address() as AddressInfo).port;
  rec.url = `http://127.0.0.1:${rec.port}`;
  rec.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return rec;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
  messageId: string | null;
  key: string | null;
}

export interface SmtpReceiver {
  port: number;
  mails: Mail[];
  /** Return an SMTP error code (e.g. 451, 550) to refuse a message. */
  refuse: (raw: string, nth: number) => number | null;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const rec: SmtpReceiver = { port: 0, mails: [], refuse: () => null, close: async () => undefined };
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Uint8Array[] = [];
      stream.on('data', (c: Uint8Array) => chunks.push(c));
      stream.on('end', () => {
        const raw = new TextDecoder().decode(Buffer.concat(chunks as never));
        const code = rec.refuse(raw, ++n);
        if (code) {
          const err = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
          err.responseCode = code;
          return callback(err);
        }
        const header = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(raw)?.[1]?.trim() ?? null;
        rec.mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, messageId: header('Message-ID'), key: header('X-Closeloop-Idempotency-Key') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  rec.port = (server.server.address() as AddressInfo).port;
  rec.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return rec;
}
