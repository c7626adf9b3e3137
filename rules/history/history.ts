/**
 * What a seat knows about past tickets for rules: counts (the `count` leaf) and repairs per
 * device (pushes). The seat runner keeps one and upserts tickets as they change.
 */
import type { Ticket } from '../model/ticket';
import { CountIndex } from './count-index';
import { RepairLog } from './repair-log';

export class TicketHistory {
  readonly counts: CountIndex;
  readonly repairs: RepairLog;

  constructor(tickets: Iterable<Ticket> = []) {
    const list = [...tickets];
    this.counts = new CountIndex(list);
    this.repairs = new RepairLog(list);
  }

  upsert(ticket: Ticket): void {
    this.counts.upsert(ticket);
    this.repairs.upsert(ticket);
  }

  remove(key: string): void {
    this.counts.remove(key);
    this.repairs.remove(key);
  }
}
