import type { TicketRow } from '../../../domain';
import type { Handlers, RelatedReason, RelatedTicket } from '../../contract/ipc';
import type { TicketStore } from '../store';

export interface RelatedDeps {
  store: TicketStore;
  clock: () => number;
}

const DAY = 86_400_000;

/** A phone as digits only (138-1234-5678 and 13812345678 are the same caller); too short to tell: null. */
export function phoneKey(v: string | null | undefined): string | null {
  const d = (v ?? '').replace(/\D/g, '');
  return d.length >= 5 ? d : null;
}

/** A device id as people type it: NFKC, trimmed, lower-cased (CNC-07 = cnc-07). */
export function deviceKey(v: string | null | undefined): string | null {
  const d = (v ?? '').normalize('NFKC').trim().toLowerCase();
  return d.length >= 2 ? d : null;
}

/**
 * The building and unit of a location written 楼栋/单元/房号 ("3号楼/2单元/1502" → "3号楼/2单元"),
 * so every flat of a unit shares one key; a location without a unit has none.
 */
export function unitKey(v: string | null | undefined): string | null {
  const parts = (v ?? '').normalize('NFKC').split(/[/／\\]/).map((p) => p.trim()).filter(Boolean);
  return parts.length >= 2 ? `${parts[0]}/${parts[1]}`.toLowerCase() : null;
}

export interface RelatedQuery {
  phone?: string | undefined;
  device?: string | undefined;
  location?: string | undefined;
  excludeId?: string | undefined;
  sinceDays: number;
  limit: number;
}

/**
 * The rows related to a caller, device or unit, created since `now − sinceDays`, newest first.
 * `rows` is in creation order (oldest first), so the walk goes from the newest back and stops at
 * the window's start: it costs the window's tickets, not the seat's 50,000.
 */
export function relatedRows(rows: readonly TicketRow[], q: RelatedQuery, now: number, keys: RowKeys = new RowKeys()): { rows: RelatedTicket[]; total: number; since: string } {
  const since = new Date(now - q.sinceDays * DAY).toISOString();
  const phone = phoneKey(q.phone);
  const device = deviceKey(q.device);
  const unit = unitKey(q.location);
  const tail = phone?.slice(-4) ?? '';
  const out: RelatedTicket[] = [];
  let total = 0;
  if (!phone && !device && !unit) return { rows: out, total, since };
  for (let i = rows.length - 1; i >= 0; i--) {
    const r = rows[i]!;
    if (r.createdAt < since) break;
    if (r.id === q.excludeId) continue;
    const reasons: RelatedReason[] = [];
    // A phone's last digits are a cheap test before its full key; devices and units repeat, so their keys are kept.
    if (phone && r.requesterPhone?.includes(tail) && phoneKey(r.requesterPhone) === phone) reasons.push('phone');
    if (device && r.device && keys.device(r.device) === device) reasons.push('device');
    if (unit && r.location && keys.unit(r.location) === unit) reasons.push('location');
    if (reasons.length === 0) continue;
    total++;
    if (out.length < q.limit) out.push({ row: r, reasons });
  }
  return { rows: out, total, since };
}

/** Device and unit keys of the rows' values, computed once per distinct value (a site has a few thousand). */
export class RowKeys {
  private readonly devices = new Map<string, string | null>();
  private readonly units = new Map<string, string | null>();
  device(v: string): string | null {
    return memo(this.devices, v, deviceKey);
  }
  unit(v: string): string | null {
    return memo(this.units, v, unitKey);
  }
}

const MEMO_MAX = 100_000;
function memo(m: Map<string, string | null>, v: string, f: (v: string) => string | null): string | null {
  const hit = m.get(v);
  if (hit !== undefined) return hit;
  if (m.size >= MEMO_MAX) m.clear();
  const k = f(v);
  m.set(v, k);
  return k;
}

export function relatedHandlers(deps: RelatedDeps): Pick<Handlers, 'tickets.related'> {
  const keys = new RowKeys();
  return {
    'tickets.related': async (q) => relatedRows(deps.store.rows(), q, deps.clock(), keys),
  };
}
