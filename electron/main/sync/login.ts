import { request as httpsRequest } from 'node:https';
import type { SeatInfo, UserInfo } from '../../../sync-server/protocol';
import { tlsProblem } from './tls-error';

/** Signs a seat in: `POST /login` → a token the seat keeps (and works offline with until revoked). */
export interface LoginResult {
  token: string;
  seat: SeatInfo;
  user: UserInfo;
}

export class LoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/** POST over HTTPS trusting only `ca` (the plant CA); fetch cannot take a CA without undici's Agent. */
function postWithCa(url: URL, body: string, ca: string): Promise<{ ok: boolean; status: number; json(): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const r = httpsRequest(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks as Uint8Array[]).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

export async function login(baseUrl: string, req: { user: string; password: string; device: string }, opts: { ca?: string } = {}): Promise<LoginResult> {
  let res: { ok: boolean; status: number; json(): Promise<unknown> };
  try {
    if (opts.ca && baseUrl.startsWith('https:')) res = await postWithCa(new URL('/login', baseUrl), JSON.stringify(req), opts.ca);
    else res = await fetch(new URL('/login', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
  } catch (e) {
    const tls = tlsProblem(e) ?? tlsProblem((e as { cause?: unknown }).cause);
    if (tls) throw new LoginError(0, tls);
    throw new LoginError(0, `the sync server at ${baseUrl} is not reachable (${(e as Error).message})`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<LoginResult> & { error?: string };
  if (!res.ok || !body.token) throw new LoginError(res.status, body.error ?? `sign-in failed (${res.status})`);
  return body as LoginResult;
}
