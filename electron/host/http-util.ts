import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContractErrorBody, ErrorCode } from '../contract/ipc';

/** HTTP plumbing shared by the REST API and the static files. */

export const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  not_signed_in: 401,
  not_allowed: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: ContractErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error }, headers);
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: ContractErrorBody, readonly headers: Record<string, string> = {}) {
    super(body.message);
  }
}

export const badRequest = (message: string, field?: string): HttpError =>
  new HttpError(400, field === undefined ? { code: 'bad_request', message } : { code: 'bad_request', message, field });

/** Reads a JSON body of at most `limit` bytes; anything else is an HttpError naming what was wrong. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, { code: 'bad_request', message: '请求体须为 JSON（Content-Type: application/json）', field: 'content-type' });
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  req.setEncoding('utf8'); // a StringDecoder: characters split across chunks stay whole
  let text = '';
  let size = 0;
  for await (const chunk of req) {
    const part = chunk as string;
    size += Buffer.byteLength(part);
    if (size > limit) throw tooLarge(limit);
    text += part;
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('请求体不是有效的 JSON', 'body');
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, { code: 'bad_request', message: `请求体过大（上限 ${Math.round(limit / 1024)} KB）`, field: 'body' });
}

/**
 * Requests must name this server as their Host (127.0.0.1 or localhost on our port), so a web page
 * on another name that resolves to 127.0.0.1 (DNS rebinding) cannot talk to the node.
 */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return allowedHosts(port).includes(host);
}

/** A browser's Origin, when it sends one, must be this server's own. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}
