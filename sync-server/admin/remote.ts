import type { Session } from '../auth/sessions';
import type { ClientMessage, ServerMessage } from '../protocol';
import type { SyncStorage } from '../storage/types';
import type { RemoteAdminCommand } from './remote-commands';
import { AdminInputError, type AdminActor, type AdminService } from './service';

/**
 * Admin commands from the console, over the seat's authenticated sync connection (`{t:'admin'}`).
 * Only a user whose role is admin *now* (read again from storage: a demoted or disabled admin's
 * open connection is not enough) runs the whitelisted commands (remote-commands.ts); every refusal
 * is audited (`refuse`), and the commands that change something are audited by AdminService with
 * the acting admin, seat and device instead of `admin-cli`.
 */

/** What /healthz says, for the console's server tab. */
export interface ServerHealth {
  ok: true;
  instance: string;
  storage: string;
  tls: boolean;
  connections: number;
  uptimeS: number;
  startedAt: string;
  rssMb: number;
}

export interface RemoteAdminDeps {
  service: AdminService;
  storage: SyncStorage;
  now: () => Date;
  health: () => ServerHealth;
}

export type AdminMessage = Extract<ClientMessage, { t: 'admin' }>;
type Reply = (m: ServerMessage) => void;

/** Longest list a console asks for at once (the CLI may ask for more). */
export const MAX_REMOTE_LAST = 1_000;

export class RemoteAdmin {
  constructor(private readonly deps: RemoteAdminDeps) {}

  private async refuse(session: Session, msg: AdminMessage, reply: Reply, reason: string): Promise<void> {
    const { seat, user } = session;
    await this.deps.storage
      .appendAudit([{ at: this.deps.now().toISOString(), kind: 'refuse', user: user.id, seat: seat.id, device: seat.device, reason, detail: { cmd: msg.cmd } }])
      .catch(() => undefined);
    reply({ t: 'error', re: msg.rid, code: 'not_allowed', message: reason });
  }

  async handle(session: Session, msg: AdminMessage, reply: Reply): Promise<void> {
    const user = await this.deps.storage.getUser(session.user.id);
    if (!user || user.disabled || user.role !== 'admin') {
      return this.refuse(session, msg, reply, `admin command "${msg.cmd}" refused: ${session.user.id} is ${user?.disabled ? 'disabled' : `a ${user?.role ?? 'unknown user'}`}, not an admin`);
    }
    const last = msg.args.last;
    if (last !== undefined && Number(last) > MAX_REMOTE_LAST) {
      return reply({ t: 'error', re: msg.rid, code: 'bad_request', message: `last: at most ${MAX_REMOTE_LAST} from the console` });
    }
    if (msg.cmd === 'health') return reply({ t: 'admin', re: msg.rid, result: this.deps.health() });
    const { seat } = session;
    const actor: AdminActor = { by: user.id, seat: seat.id, device: seat.device };
    let answered = false;
    try {
      const result = await this.deps.service.run({ cmd: msg.cmd satisfies RemoteAdminCommand, args: { ...msg.args } }, {
        actor,
        // This very connection is about to close (the admin revoked their own seat or disabled
        // themselves): the answer goes out first, and says so.
        beforeCutOff: (event, r) => {
          const self = event.kind === 'seat_revoked' ? event.seat === seat.id : event.user === user.id;
          if (!self) return;
          answered = true;
          const note = event.kind === 'seat_revoked' ? 'this is the seat you are connected from: it is cut off now' : 'you disabled yourself: this connection is cut off now';
          reply({ t: 'admin', re: msg.rid, result: { ...(r as Record<string, unknown>), self: true, note } });
        },
      });
      if (!answered) reply({ t: 'admin', re: msg.rid, result });
    } catch (e) {
      if (answered) return;
      if (e instanceof AdminInputError) return reply({ t: 'error', re: msg.rid, code: 'bad_request', message: e.message });
      reply({ t: 'error', re: msg.rid, code: 'internal', message: (e as Error).message });
    }
  }
}

/** The connection's entry point: a server without the remote admin refuses the command. */
export function remoteAdmin(admin: RemoteAdmin | undefined, session: Session, msg: AdminMessage, reply: Reply): Promise<void> {
  if (!admin) return Promise.resolve(reply({ t: 'error', re: msg.rid, code: 'unsupported', message: 'this server takes no admin commands from seats' }));
  return admin.handle(session, msg, reply);
}
