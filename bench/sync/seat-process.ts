/**
 * A process of thin seats for the sync benchmark (ours): `SyncClient` over `MemoryReplica`, no
 * anti-entropy, driven over IPC by bench/sync.ts. One process hosts many seats (25 of the 100).
 * Every time is `clock()`: wall-clock milliseconds with sub-millisecond resolution, comparable
 * across the benchmark's processes.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket, dayKey, localDate, nextTicketNo, type NumberLease, type Role } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { SyncClient } from '../../electron/main/sync/client';
import { login } from '../../electron/main/sync/login';
import { MemoryReplica } from '../../electron/main/sync/memory-replica';
import { MAX_LEASE, toAutomerge } from '../../sync-server/protocol';
import { answerCommands, type SeatCommand, type SeatReply } from './ipc';
import type { Seen } from './stats';

const clock = () => performance.timeOrigin + performance.now();

interface BenchSeat {
  name: string;
  user: string;
  role: Role;
  code: string;
  replica: MemoryReplica;
  client: SyncClient;
  leases: NumberLease[];
}

const seats = new Map<string, BenchSeat>();
const seen: Seen[] = [];
let recording = false;
let expecting: { seat: string; count: number; resolve: (at: number) => void } | null = null;

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function signIn(url: string, name: string, user: string, password: string): Promise<BenchSeat> {
  const r = await login(url, { user, password, device: name });
  return attach(url, name, user, { token: r.token, role: r.user.role as Role, code: r.seat.code });
}

function attach(url: string, name: string, user: string, session: { token: string; role: Role; code: string }): BenchSeat {
  const replica = new MemoryReplica({ docCapacity: 200 });
  const client = new SyncClient({ url, token: session.token, replica, antiEntropy: false, backoff: { baseMs: 50, maxMs: 1_000 } });
  const seat: BenchSeat = { name, user, role: session.role, code: session.code, replica, client, leases: [] };
  client.on('remote', ({ ids }) => {
    const at = clock();
    if (recording) for (const ticket of ids) seen.push({ seat: name, ticket, at });
    if (expecting?.seat === name && replica.ids().length >= expecting.count) {
      expecting.resolve(at);
      expecting = null;
    }
  });
  seats.set(name, seat);
  return seat;
}

const online = (s: BenchSeat) => s.client.status.online && s.client.status.progress === null && s.client.status.lastSyncAt !== null;

function seat(name: string): BenchSeat {
  const s = seats.get(name);
  if (!s) throw new Error(`no seat ${name} in this process`);
  return s;
}

/**
 * One plain edit as a console makes it: a comment and the ticket's updatedAt. The person has the
 * ticket open, as in the console's detail view, so its document is loaded before the clock starts
 * (the seat took it from the feed as bytes; loading it is the detail view's cost, not the edit's).
 */
function edit(s: BenchSeat, ticket: string, n: number): number {
  s.replica.open(ticket);
  const at = clock();
  s.replica.change(ticket, (d) => {
    (d.comments as unknown[]).push(toAutomerge({ id: randomUUID(), at: new Date().toISOString(), by: s.user, text: `bench edit ${n}` }));
    d.updatedAt = toAutomerge(new Date().toISOString());
  });
  return at;
}

async function handle(m: SeatCommand): Promise<SeatReply> {
  switch (m.cmd) {
    case 'signIn': {
      // Sign-ins one after another (scrypt on the server), clients all started together.
      for (const s of m.seats) await signIn(m.url, s.name, s.user, m.password);
      for (const s of m.seats) seat(s.name).client.start();
      const t0 = clock();
      await until(() => m.seats.every((s) => online(seat(s.name))), m.timeoutMs, 'seats online');
      return { ok: true, ms: clock() - t0 };
    }
    case 'attach': {
      for (const s of m.seats) attach(m.url, s.name, s.user, { token: 'floor', role: 'agent', code: 'ZZ' }).client.start();
      const t0 = clock();
      await until(() => m.seats.every((s) => online(seat(s.name))), m.timeoutMs, 'seats online');
      return { ok: true, ms: clock() - t0 };
    }
    case 'openTickets': {
      const s = seat(m.seat);
      const ids = s.replica.ids().filter((id) => {
        const state = s.replica.row(id)?.state;
        return state !== undefined && state !== 'closed' && state !== 'cancelled';
      });
      return { ok: true, ids: ids.slice(0, m.limit) };
    }
    case 'record':
      recording = m.on;
      if (m.on) seen.length = 0;
      return { ok: true };
    case 'edit':
      return { ok: true, at: edit(seat(m.seat), m.ticket, m.n) };
    case 'seen':
      return { ok: true, seen: seen.splice(0) };
    case 'create': {
      // Numbers leased ahead (as the console does), then the tickets made locally in one go.
      const s = seat(m.seat);
      const now = Date.now();
      const day = dayKey(localDate(now, DEMO_SITE.timezone));
      for (let left = m.count; left > 0; left -= MAX_LEASE) {
        const b = await s.client.lease(DEMO_SITE.id, day, Math.min(MAX_LEASE, left));
        s.leases.push({ day, from: b.from, to: b.to, next: b.from });
      }
      const made0 = clock();
      let offlineNext: Record<string, number> = {};
      for (let i = 0; i < m.count; i++) {
        const n = nextTicketNo({ prefix: DEMO_SITE.prefix, seat: s.code, leases: s.leases, offlineNext }, day);
        s.leases = n.leases;
        offlineNext = n.offlineNext;
        const r = createTicket(COMPLETE_SYSTEM_FORM, { id: randomUUID(), no: n.no, site: DEMO_SITE.id, now: new Date(now + i).toISOString(), actor: { user: s.user, kind: s.role }, template: DEMO_TEMPLATE });
        if (!r.ok) throw new Error(r.message);
        s.replica.createTicket(r.ticket);
      }
      // The pushes start once this turn of the event loop ends: the clock starts here.
      return { ok: true, at: clock(), ms: clock() - made0 };
    }
    case 'expect': {
      const s = seat(m.seat);
      const at = await new Promise<number | null>((resolve) => {
        if (s.replica.ids().length >= m.count) return resolve(clock());
        const timer = setTimeout(() => ((expecting = null), resolve(null)), m.timeoutMs);
        expecting = { seat: m.seat, count: m.count, resolve: (t) => (clearTimeout(timer), resolve(t)) };
      });
      return { ok: true, at, count: s.replica.ids().length };
    }
    case 'count':
      return { ok: true, count: seat(m.seat).replica.ids().length, pending: seat(m.seat).replica.pendingCount() };
    case 'stop':
      await Promise.all([...seats.values()].map((s) => s.client.stop()));
      seats.clear();
      return { ok: true };
  }
}

answerCommands<SeatCommand>(handle);
