import type { SitePerson } from '../../../domain';
import { ContractError, type CallContext, type Handlers, type Session } from '../../contract/ipc';
import type { TicketStore } from '../store';
import type { SeatLink } from '../sync/seat-link';

/** The seat's default user (the last one signed in), kept so a restart stays signed in. */
export const SESSION_META = 'session';
interface SavedSession {
  userId: string;
}

export interface SessionDeps {
  store: TicketStore;
  people: readonly SitePerson[];
  /** The sync server link: when present, signing in needs the person's password. */
  link?: SeatLink | null;
}

/** Who is signed in on this connection: its own sign-in, else the seat's default user. */
export function currentSession(ctx: CallContext, deps: SessionDeps): Session | null {
  if (ctx.session) return ctx.session;
  const saved = deps.store.meta<SavedSession>(SESSION_META);
  const user = saved && deps.people.find((p) => p.id === saved.userId);
  return user ? { user, seat: deps.store.seat } : null;
}

export function requireSession(ctx: CallContext, deps: SessionDeps): Session {
  const s = currentSession(ctx, deps);
  if (!s) throw new ContractError({ code: 'not_signed_in', message: '请先登录' });
  return s;
}

export function sessionHandlers(deps: SessionDeps): Pick<Handlers, 'session.current' | 'session.signIn' | 'session.signOut'> {
  return {
    'session.current': async (_input, ctx) => currentSession(ctx, deps),
    'session.signIn': async ({ userId, password }, ctx) => {
      const user = deps.people.find((p) => p.id === userId);
      if (!user) throw new ContractError({ code: 'not_found', message: `没有这个用户：${userId}`, field: 'userId' });
      if (deps.link) {
        if (!password) throw new ContractError({ code: 'bad_request', message: '请输入密码', field: 'password' });
        const r = await deps.link.signIn(userId, password);
        if (!r.ok) throw new ContractError({ code: r.reason === 'bad_password' ? 'not_allowed' : 'unavailable', message: r.message, field: 'password' });
      }
      const session: Session = { user, seat: deps.store.seat };
      await deps.store.putMeta(SESSION_META, { userId } satisfies SavedSession);
      ctx.session = session;
      return session;
    },
    'session.signOut': async (_input, ctx) => {
      ctx.session = null;
      await deps.link?.signOut();
      await deps.store.putMeta(SESSION_META, undefined);
      return null;
    },
  };
}
