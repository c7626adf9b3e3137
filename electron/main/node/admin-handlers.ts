import { ContractError, type CallContext, type Handlers, type Session } from '../../contract/ipc';

/** What the admin calls need of the seat's link to the sync server (SeatLink). */
export interface AdminLink {
  status(): { online: boolean; user: string | null };
  readonly syncClient: { request(message: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>> } | null;
}

export interface AdminDeps {
  /** The link, or null when the node runs alone. */
  link: AdminLink | null;
  requireSession: (ctx: CallContext) => Session;
  /** How long the server may take to answer (default 20 s). */
  timeoutMs?: number;
}

export const NEEDS_SERVER = '管理功能需要连接同步服务器';

/** A server refusal or failure, for people: the server's own words kept after a Chinese lead-in. */
function serverError(e: unknown): ContractError {
  const err = e as Error & { code?: string };
  const why = err.message ?? String(e);
  switch (err.code) {
    case 'not_allowed':
      return new ContractError({ code: 'not_allowed', message: `同步服务器拒绝了管理操作：${why}` });
    case 'bad_request':
      return new ContractError({ code: 'bad_request', message: `管理操作有误：${why}` });
    case undefined:
      // offline, connection lost, timed out: the link's own errors
      return new ContractError({ code: 'unavailable', message: `${NEEDS_SERVER}（${why}）` });
    default:
      return new ContractError({ code: 'internal', message: `同步服务器出错：${why}` });
  }
}

/**
 * `admin.run`: the admin console's commands, run by the sync server (sync-server/admin/remote.ts).
 * The seat must have an admin signed in, syncing as that admin, and be online: the server checks
 * the role again and audits who did what.
 */
export function adminHandlers(deps: AdminDeps): Pick<Handlers, 'admin.run'> {
  return {
    'admin.run': async ({ cmd, args }, ctx) => {
      const session = deps.requireSession(ctx);
      if (session.user.role !== 'admin') throw new ContractError({ code: 'not_allowed', message: '只有系统管理员可以使用系统管理' });
      const link = deps.link;
      const client = link?.syncClient;
      if (!link || !client || !link.status().online) throw new ContractError({ code: 'unavailable', message: NEEDS_SERVER });
      const account = link.status().user;
      if (account !== session.user.id) {
        throw new ContractError({ code: 'not_allowed', message: `本席位正以 ${account ?? '（未登录）'} 的身份同步：请由 ${session.user.name} 输入密码重新登录后再使用系统管理` });
      }
      try {
        const answer = await client.request({ t: 'admin', cmd, args }, deps.timeoutMs ?? 20_000);
        return answer.result;
      } catch (e) {
        throw serverError(e);
      }
    },
  };
}
