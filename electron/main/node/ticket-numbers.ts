import { dayKey, localDate, nextTicketNo, type NumberLease, type SiteInfo } from '../../../domain';
import type { TicketStore } from '../store';

/** The seat's numbering state, kept in the store's meta record `numbering`. */
export interface NumberingState {
  leases: NumberLease[];
  /** The seat's own offline sequence per day (YYYYMMDD → next number). */
  offlineNext: Record<string, number>;
}

export const NUMBERING_META = 'numbering';

/**
 * Hands out ticket numbers: from the server's leases while they last, else the seat's offline
 * form `MX20261124-AB001` (DESIGN.md §2). The state advances in memory synchronously, so two
 * creates never get the same number, and is written in the same write as the new ticket.
 */
export class TicketNumbers {
  private state: NumberingState;

  constructor(
    private readonly store: TicketStore,
    private readonly site: SiteInfo,
  ) {
    this.state = store.meta<NumberingState>(NUMBERING_META) ?? { leases: [], offlineNext: {} };
  }

  /** The next number for a ticket created at `now`, and the meta to write with it. */
  next(now: number): { no: string; meta: Record<string, unknown> } {
    const day = dayKey(localDate(now, this.site.timezone));
    const r = nextTicketNo({ prefix: this.site.prefix, seat: this.store.seat, leases: this.state.leases, offlineNext: this.state.offlineNext }, day);
    this.state = { leases: r.leases, offlineNext: r.offlineNext };
    return { no: r.no, meta: { [NUMBERING_META]: this.state } };
  }
}
