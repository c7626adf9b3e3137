import { randomUUID } from 'node:crypto';
import {
  DEMO_SITE, DEMO_TEMPLATE, applyTransition, checkTransition, createTicket, dayKey, localDate, nextTicketNo,
  type ActionId, type FormAnswers, type NumberLease, type Role, type Ticket, type TransitionInput,
} from '../../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../../domain/testing/fixtures';
import { toAutomerge } from '../../../sync-server/protocol';
import { SyncClient, type SyncClientOptions } from '../../../electron/main/sync/client';
import { login } from '../../../electron/main/sync/login';
import { MemoryReplica } from '../../../electron/main/sync/memory-replica';

/**
 * A test seat: an in-memory replica, a real sync client, and the console's actions done the way
 * the local node does them (domain rules, ticket numbers from leases or the offline fallback).
 */
export class TestSeat {
  readonly replica: MemoryReplica;
  readonly client: SyncClient;
  private leases: NumberLease[] = [];
  private offlineNext: Record<string, number> = {};
  private seq = 0;

  constructor(
    readonly user: string,
    readonly role: Role,
    readonly code: string,
    opts: Omit<SyncClientOptions, 'replica'>,
    replica?: MemoryReplica,
  ) {
    this.replica = replica ?? new MemoryReplica();
    this.client = new SyncClient({ ...opts, replica: this.replica });
  }

  static async signIn(url: string, user: string, device = `${user}-pc`, extra: Partial<SyncClientOptions> & { password?: string } = {}, replica?: MemoryReplica): Promise<TestSeat> {
    const { password = 'demo1234', ...rest } = extra;
    const r = await login(url, { user, password, device });
    extra = rest;
    return new TestSeat(user, r.user.role as Role, r.seat.code, { url, token: r.token, backoff: { baseMs: 50, maxMs: 1_000 }, ...extra }, replica);
  }

  start(): this {
    this.client.start();
    return this;
  }

  async online(timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.client.status.online && this.client.status.progress === null && this.client.status.lastSyncAt !== null, timeoutMs, `${this.user} online`);
  }

  async lease(count = 20, now = Date.now()): Promise<void> {
    const day = dayKey(localDate(now, DEMO_SITE.timezone));
    const block = await this.client.lease(DEMO_SITE.id, day, count);
    this.leases.push({ day, from: block.from, to: block.to, next: block.from });
  }

  /** A new ticket (numbered from a lease, or offline with the seat code). */
  create(answers: FormAnswers = COMPLETE_SYSTEM_FORM, now = Date.now()): string {
    const day = dayKey(localDate(now, DEMO_SITE.timezone));
    const n = nextTicketNo({ prefix: DEMO_SITE.prefix, seat: this.code, leases: this.leases, offlineNext: this.offlineNext }, day);
    this.leases = n.leases;
    this.offlineNext = n.offlineNext;
    const r = createTicket(answers, { id: randomUUID(), no: n.no, site: DEMO_SITE.id, now: new Date(now).toISOString(), actor: { user: this.user, kind: this.role }, template: DEMO_TEMPLATE });
    if (!r.ok) throw new Error(r.message);
    return this.replica.createTicket(r.ticket);
  }

  /** A workflow action as the console makes it; `force` skips the local check (to test the server). */
  act(id: string, action: ActionId, input: TransitionInput = {}, opts: { force?: boolean; now?: number } = {}): void {
    const t = this.replica.ticket(id);
    if (!t) throw new Error(`no ticket ${id}`);
    const actor = { user: this.user, kind: this.role };
    const refusal = checkTransition(t, action, actor, input);
    if (refusal && !opts.force) throw new Error(`${action}: ${refusal.messageEn}`);
    const next = structuredClone(t);
    applyTransition(next, action, actor, input, new Date(opts.now ?? Date.now() + this.seq++).toISOString());
    // Setting a conflicted field again (even to the value that won) is what settles the conflict.
    this.write(id, t, next, Object.keys(this.replica.row(id)?.conflicts ?? {}));
  }

  comment(id: string, text: string): void {
    const t = this.replica.ticket(id)!;
    const next = structuredClone(t);
    next.comments.push({ id: randomUUID(), at: new Date().toISOString(), by: this.user, text });
    next.updatedAt = new Date().toISOString();
    this.write(id, t, next);
  }

  /** Writes the difference between two ticket states as one Automerge change (lists grow by appending). */
  write(id: string, before: Ticket, after: Ticket, always: readonly string[] = []): void {
    this.replica.change(id, (d) => {
      for (const [k, v] of Object.entries(after)) {
        const prev = (before as unknown as Record<string, unknown>)[k];
        if (always.includes(k)) {
          d[k] = toAutomerge(v);
          continue;
        }
        if (JSON.stringify(prev) === JSON.stringify(v)) continue;
        if (Array.isArray(prev) && Array.isArray(v) && JSON.stringify(v.slice(0, prev.length)) === JSON.stringify(prev)) {
          for (const x of v.slice(prev.length)) (d[k] as unknown[]).push(toAutomerge(x));
        } else if (prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(v)) {
          const target = d[k] as Record<string, unknown>;
          for (const [kk, vv] of Object.entries(v)) if (JSON.stringify((prev as Record<string, unknown>)[kk]) !== JSON.stringify(vv)) target[kk] = toAutomerge(vv);
        } else d[k] = toAutomerge(v);
      }
    });
  }

  async stop(): Promise<void> {
    await this.client.stop();
  }
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every seat holds the same tickets at the same heads. */
export function sameState(seats: readonly TestSeat[]): boolean {
  const [first, ...rest] = seats;
  if (!first) return true;
  const ids = first.replica.ids().sort();
  return rest.every((s) => {
    const other = s.replica.ids().sort();
    return other.length === ids.length && other.every((id, i) => id === ids[i] && JSON.stringify(s.replica.headsNow(id)) === JSON.stringify(first.replica.headsNow(id)));
  });
}
