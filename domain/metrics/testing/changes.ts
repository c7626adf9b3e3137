/**
 * Random edits to ticket rows for the dashboard's equivalence test and benchmark: the next
 * milestone (sometimes ahead of `now`, as a seat with a fast clock would record it), a step back,
 * cancel, reopen, a return for information, another device or location, a new ticket, a deletion.
 */
import { pick, uuidFrom } from '../../demo/random';
import type { Rng } from '../../demo/random';
import { MILESTONES } from '../../ticket';
import type { Milestone, TicketState } from '../../ticket';
import type { MetricTicket } from '../types';

const MIN = 60_000;
const STATE_AFTER: Partial<Record<Milestone, TicketState>> = {
  created: 'pending_acceptance', assigned: 'dispatched', accepted: 'in_progress', firstResponse: 'in_progress',
  arrived: 'in_progress', resolved: 'pending_verification', verified: 'closed', archived: 'closed',
};
const DEVICES = ['M-07', 'M-08', 'AC-3F-02', 'SRV-HR', 'APP-XJ', 'PUMP-1'];
const LOCATIONS = ['1号楼/1单元/0101', '2号楼 3单元', '3号楼', '11号楼/2单元', null];

/** A change as the seat's store sees it: the row before (null for a new ticket) and after (null once deleted). */
export interface Change<T> {
  readonly previous: T | null;
  readonly next: T | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function lastSet(t: MetricTicket): number {
  for (let i = MILESTONES.length - 1; i >= 0; i--) if (t.milestones[MILESTONES[i] as Milestone]) return i;
  return 0;
}

/** One random change to one of `rows` (or a new ticket) at `now`. */
export function randomChange<T extends MetricTicket>(rng: Rng, rows: readonly T[], now: number): Change<T> {
  const row = pick(rng, rows);
  const r = rng();
  const last = lastSet(row);
  const lastMs = Date.parse(row.milestones[MILESTONES[last] as Milestone] ?? row.createdAt);
  if (r < 0.4 && last < MILESTONES.length - 1 && row.state !== 'cancelled') {
    const next = MILESTONES[last + 1] as Milestone;
    const at = Math.max(lastMs, now - Math.floor(rng() * 6 * 60) * MIN + (rng() < 0.1 ? 30 * MIN : 0));
    return { previous: row, next: { ...row, state: STATE_AFTER[next] ?? row.state, milestones: { ...row.milestones, [next]: iso(at) }, assignee: row.assignee ?? 'lin.chief' } };
  }
  if (r < 0.5 && last > 0) {
    const milestones = { ...row.milestones };
    delete milestones[MILESTONES[last] as Milestone];
    return { previous: row, next: { ...row, milestones, state: STATE_AFTER[MILESTONES[last - 1] as Milestone] ?? row.state } };
  }
  if (r < 0.56) return { previous: row, next: { ...row, state: 'cancelled' } };
  if (r < 0.6 && row.state === 'closed') return { previous: row, next: { ...row, state: 'in_progress' } };
  if (r < 0.68) return { previous: row, next: { ...row, returns: (typeof row.returns === 'number' ? row.returns : 0) + 1 } };
  if (r < 0.78) return { previous: row, next: { ...row, device: pick(rng, DEVICES), location: pick(rng, LOCATIONS), pool: pick(rng, ['网络', '机械', null]) } };
  if (r < 0.93) {
    const created = iso(now - Math.floor(rng() * 5 * 60) * MIN + (rng() < 0.05 ? 20 * MIN : 0));
    const id = uuidFrom(rng);
    return { previous: row, next: { ...row, id, no: id.slice(0, 8), state: 'pending_acceptance', createdAt: created, milestones: { created }, returns: 0, assignee: null, device: pick(rng, DEVICES) } };
  }
  return { previous: row, next: null };
}

/** The seat's rows by id, as an array too (for random picks), kept current change by change. */
export class RowStore<T extends MetricTicket> {
  readonly list: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(rows: Iterable<T>) {
    for (const r of rows) this.put(r);
  }

  get size(): number {
    return this.list.length;
  }

  apply(c: Change<T>): void {
    if (c.previous) this.delete(c.previous.id);
    if (c.next) this.put(c.next);
  }

  private put(row: T): void {
    const i = this.index.get(row.id);
    if (i === undefined) {
      this.index.set(row.id, this.list.length);
      this.list.push(row);
    } else this.list[i] = row;
  }

  private delete(id: string): void {
    const i = this.index.get(id);
    if (i === undefined) return;
    const last = this.list.pop() as T;
    this.index.delete(id);
    if (i < this.list.length) {
      this.list[i] = last;
      this.index.set(last.id, i);
    }
  }
}
