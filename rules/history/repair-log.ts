/**
 * Past repairs per device, for pushes such as "the device's last 3 repairs" to the ERP. A repair
 * is a ticket of that device that was resolved (it has a `resolved` milestone).
 */
import type { Ticket } from '../model/ticket';

export interface RepairRecord {
  readonly id: string;
  readonly no: string | null;
  readonly title: string;
  readonly category: string | null;
  readonly createdAt: number;
  readonly resolvedAt: number;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export class RepairLog {
  private readonly byDevice = new Map<string, Map<string, RepairRecord>>();
  private readonly deviceOf = new Map<string, string>();

  constructor(tickets: Iterable<Ticket> = []) {
    for (const ticket of tickets) this.upsert(ticket);
  }

  upsert(ticket: Ticket): void {
    if (!ticket.key) return;
    this.remove(ticket.key);
    const device = text(ticket.fields.device);
    const resolvedAt = ticket.milestones.resolved;
    if (!device || resolvedAt === undefined || ticket.state === 'cancelled') return;
    let records = this.byDevice.get(device);
    if (!records) {
      records = new Map();
      this.byDevice.set(device, records);
    }
    records.set(ticket.key, {
      id: ticket.key, no: text(ticket.fields.no), title: text(ticket.fields.title) ?? '',
      category: text(ticket.fields.category), createdAt: ticket.createdAt, resolvedAt,
    });
    this.deviceOf.set(ticket.key, device);
  }

  remove(key: string): void {
    const device = this.deviceOf.get(key);
    if (device === undefined) return;
    this.deviceOf.delete(key);
    this.byDevice.get(device)?.delete(key);
  }

  /**
   * The device's last `limit` repairs resolved at or before `now`, newest first. One pass keeping
   * the best `limit` (a handful): copying and sorting every repair of a busy device on each push
   * was a sixth of a 30-day dry run over a 50,000-ticket seat.
   */
  recent(device: string, limit: number, now: number): RepairRecord[] {
    const records = this.byDevice.get(device);
    const top: RepairRecord[] = [];
    if (!records || limit <= 0) return top;
    for (const r of records.values()) {
      if (r.resolvedAt > now) continue;
      if (top.length === limit) {
        if (!newer(r, top[limit - 1]!)) continue;
        top[limit - 1] = r;
      } else top.push(r);
      for (let i = top.length - 1; i > 0 && newer(top[i]!, top[i - 1]!); i--) [top[i - 1], top[i]] = [top[i]!, top[i - 1]!];
    }
    return top;
  }
}

/** Newest first: the later resolution, then the smaller id. */
const newer = (a: RepairRecord, b: RepairRecord): boolean => a.resolvedAt > b.resolvedAt || (a.resolvedAt === b.resolvedAt && a.id < b.id);
