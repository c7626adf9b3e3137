import type { SeatInfo, UserInfo } from '../../../sync-server/protocol';

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

export async function login(baseUrl: string, req: { user: string; password: string; device: string }): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch(new URL('/login', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
  } catch (e) {
    throw new LoginError(0, `the sync server at ${baseUrl} is not reachable (${(e as Error).message})`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<LoginResult> & { error?: string };
  if (!res.ok || !body.token) throw new LoginError(res.status, body.error ?? `sign-in failed (${res.status})`);
  return body as LoginResult;
}
