import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SeatInfo, UserInfo } from '../protocol';
import type { AuditLine, SeatRecord, SyncStorage, UserRecord } from '../storage/types';
import { verifyPassword } from './passwords';
import { hashToken, newToken } from './tokens';

/** Sign-in and token verification: the only ways a seat gets a session. */
export const loginRequest = z.object({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
  device: z.string().min(1).max(100).regex(/^[^\u0000-\u001f]+$/),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export interface Session {
  seat: SeatRecord;
  user: UserRecord;
}

export interface LoginResult {
  token: string;
  seat: SeatInfo;
  user: UserInfo;
}

export const userInfo = (u: UserRecord): UserInfo => ({ id: u.id, name: u.name, role: u.role, sites: [...u.sites] });

export class Sessions {
  constructor(
    private readonly storage: SyncStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private audit(line: Omit<AuditLine, 'at'>): Promise<void> {
    return this.storage.appendAudit([{ at: this.now().toISOString(), ...line }]);
  }

  /** A token for (user, device): the device keeps its seat (and seat code); a new login rotates the token. */
  async login(req: LoginRequest, from: string): Promise<LoginResult | null> {
    const user = await this.storage.getUser(req.user);
    const ok = await verifyPassword(user?.password ?? null, req.password);
    if (!user || !ok || user.disabled) {
      await this.audit({ kind: 'login_failed', user: req.user, device: req.device, reason: !user ? 'unknown user' : user.disabled ? 'user disabled' : 'wrong password', detail: { from } });
      return null;
    }
    const { token, hash } = newToken();
    const now = this.now().toISOString();
    let seat = await this.storage.findSeat(user.id, req.device);
    if (seat) {
      await this.storage.updateSeat(seat.id, { tokenHash: hash, lastSeen: now });
      seat = { ...seat, tokenHash: hash };
    } else {
      seat = await this.storage.createSeat({ id: randomUUID(), user: user.id, device: req.device, tokenHash: hash, createdAt: now, lastSeen: now, revoked: false });
    }
    await this.audit({ kind: 'login', user: user.id, device: req.device, seat: seat.id, detail: { from, code: seat.code } });
    return { token, seat: { id: seat.id, code: seat.code, device: seat.device }, user: userInfo(user) };
  }

  /** The session of a token, or why there is none (for the audit line and the close reason). */
  async verify(token: string): Promise<Session | { refused: string }> {
    const seat = await this.storage.seatByTokenHash(hashToken(token));
    if (!seat) return { refused: 'unknown token' };
    if (seat.revoked) return { refused: 'seat revoked' };
    const user = await this.storage.getUser(seat.user);
    if (!user || user.disabled) return { refused: 'user disabled' };
    return { seat, user };
  }
}
