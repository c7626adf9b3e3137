import { dayKey, localDate, nextTicketNo, type NumberLease, type SiteInfo } from '../../../domain';
import type { TicketStore } from '../store';

/** The seat's numbering state, kept in the store's meta record `numbering`. */
export interface NumberingState {
  leases: NumberLease[];
  /** The seat's own offline sequence per day (YYYYMMDD → next number). */
  offlineNext: Record<string, number>;
}

export const NUMBERING_META = 'numbering';

/** Keep at least this many leased numbers for today and tomorrow; lease this many at a time. */
export const LEASE_LOW = 20;
export const LEASE_BLOCK = 50;

/**
 * Hands out ticket numbers: from the server's leases while they last, else the seat's offline
 * form `MX20261124-AB001` (DESIGN.md §2). The state advances in memory synchronously, so two
 * creates never get the same number, and is written in the same write as the new ticket.
 * `seat` is the code offline numbers carry: the server-given one once the seat has synced.
 */
export class TicketNumbers {
  private state: NumberingState;

  constructor(
    private readonly store: TicketStore,
    private readonly site: SiteInfo,
    private readonly seat: () => string = () => store.seat,
  ) {
    this.state = store.meta<NumberingState>(NUMBERING_META) ?? { leases: [], offlineNext: {} };
  }

  /** The next number for a ticket created at `now`, and the meta to write with it. */
  next(now: number): { no: string; meta: Record<string, unknown> } {
    const day = this.dayOf(now);
    const r = nextTicketNo({ prefix: this.site.prefix, seat: this.seat(), leases: this.state.leases, offlineNext: this.state.offlineNext }, day);
    this.state = { leases: r.leases, offlineNext: r.offlineNext };
    return { no: r.no, meta: { [NUMBERING_META]: this.state } };
  }

  /** The blocks to lease now so that today and tomorrow keep at least `LEASE_LOW` numbers each. */
  wanted(now: number): { day: string; count: number }[] {
    return [this.dayOf(now), this.dayOf(now + 86_400_000)]
      .filter((day) => remaining(this.state.leases, day) < LEASE_LOW)
      .map((day) => ({ day, count: LEASE_BLOCK }));
  }

  /** Adds a block the server leased; leases of days before yesterday are dropped. */
  addLease(lease: { day: string; from: number; to: number }, now: number): Promise<void> {
    const yesterday = this.dayOf(now - 86_400_000);
    const leases = this.state.leases.filter((l) => l.day >= yesterday);
    leases.push({ ...lease, next: lease.from });
    this.state = { ...this.state, leases };
    return this.store.putMeta(NUMBERING_META, this.state);
  }

  private dayOf(at: number): string {
    return dayKey(localDate(at, this.site.timezone));
  }
}

/** Leased numbers not yet handed out for `day`. */
export function remaining(leases: readonly NumberLease[], day: string): number {
  return leases.filter((l) => l.day === day).reduce((n, l) => n + Math.max(0, l.to - l.next + 1), 0);
}
