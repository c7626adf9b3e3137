/**
 * Ticket numbers (DESIGN.md §2): `MX20260218-0872` — the site's prefix, the creation date in the
 * site's zone, a 4-digit sequence per site and day (5 digits past 9,999) from a block the server
 * leased to the seat. A seat that runs out while offline uses `MX20260218-AB017`: its 2-letter seat
 * code and its own 3-digit sequence (more digits past 999). A leased number is all digits after the
 * dash and an offline one starts with two letters, so they can never collide.
 */
export interface TicketNo {
  prefix: string;
  /** YYYYMMDD */
  day: string;
  kind: 'leased' | 'offline';
  seq: number;
  seat: string | null;
}

const PREFIX = /^[A-Z]{1,6}$/;
const SEAT = /^[A-Z]{2}$/;
const DAY = /^\d{8}$/;
const NO = /^([A-Z]{1,6})(\d{8})-(?:(\d{4,5})|([A-Z]{2})(\d{3,6}))$/;

export class NumberingError extends Error {}

function check(ok: boolean, message: string): void {
  if (!ok) throw new NumberingError(message);
}

export function dayKey(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

export function formatLeasedNo(prefix: string, day: string, seq: number): string {
  check(PREFIX.test(prefix), `编号前缀应为 1–6 个大写字母：${prefix}`);
  check(DAY.test(day), `日期应为 YYYYMMDD：${day}`);
  check(Number.isInteger(seq) && seq >= 1 && seq <= 99_999, `序号超出范围：${seq}`);
  return `${prefix}${day}-${String(seq).padStart(4, '0')}`;
}

export function formatOfflineNo(prefix: string, day: string, seat: string, seq: number): string {
  check(PREFIX.test(prefix), `编号前缀应为 1–6 个大写字母：${prefix}`);
  check(DAY.test(day), `日期应为 YYYYMMDD：${day}`);
  check(SEAT.test(seat), `座席代码应为 2 个大写字母：${seat}`);
  check(Number.isInteger(seq) && seq >= 1 && seq <= 999_999, `序号超出范围：${seq}`);
  return `${prefix}${day}-${seat}${String(seq).padStart(3, '0')}`;
}

export function parseTicketNo(no: string): TicketNo | null {
  const m = NO.exec(no);
  if (!m) return null;
  const [, prefix, day, leased, seat, offline] = m;
  if (leased !== undefined) {
    if (leased.length === 5 && Number(leased) < 10_000) return null; // 5 digits only past 9,999
    return { prefix: prefix!, day: day!, kind: 'leased', seq: Number(leased), seat: null };
  }
  return { prefix: prefix!, day: day!, kind: 'offline', seq: Number(offline), seat: seat! };
}

/** A block of sequence numbers the server leased to one seat for one day: `[from, to]`. */
export interface NumberLease {
  day: string;
  from: number;
  to: number;
  next: number;
}

/**
 * Hands out the next number: from the seat's lease for the day while it lasts, otherwise the
 * seat's offline sequence. Returns the number and the updated state (no mutation).
 */
export function nextTicketNo(
  state: { prefix: string; seat: string; leases: readonly NumberLease[]; offlineNext: Readonly<Record<string, number>> },
  day: string,
): { no: string; leases: NumberLease[]; offlineNext: Record<string, number> } {
  const leases = state.leases.map((l) => ({ ...l }));
  const lease = leases.find((l) => l.day === day && l.next <= l.to);
  if (lease) {
    const no = formatLeasedNo(state.prefix, day, lease.next);
    lease.next += 1;
    return { no, leases, offlineNext: { ...state.offlineNext } };
  }
  const seq = state.offlineNext[day] ?? 1;
  return { no: formatOfflineNo(state.prefix, day, state.seat, seq), leases, offlineNext: { ...state.offlineNext, [day]: seq + 1 } };
}
