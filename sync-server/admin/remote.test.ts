import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../auth/sessions';
import { clientMessage, type ServerMessage } from '../protocol';
import { EmbeddedStorage } from '../storage/embedded';
import type { AuditLine, SeatRecord, UserRecord } from '../storage/types';
import { RemoteAdmin, remoteAdmin, type AdminMessage } from './remote';
import { AdminService } from './service';

const NOW = new Date('2026-03-02T08:00:00.000Z');
const user = (id: string, role: UserRecord['role']): UserRecord => ({ id, name: id, role, sites: ['mx-plant'], password: 'scrypt$x', disabled: false, createdAt: NOW.toISOString() });
const seatOf = (id: string, u: string, device: string, code: string): SeatRecord => ({ id, user: u, device, code, tokenHash: `${id}-hash`, createdAt: NOW.toISOString(), lastSeen: NOW.toISOString(), revoked: false });

let dir: string;
let storage: EmbeddedStorage;
let remote: RemoteAdmin;
let adminSession: Session;
let supSession: Session;

/** Runs one admin message the way the connection does, and returns what was sent back. */
async function ask(session: Session, cmd: string, args: Record<string, string> = {}, admin: RemoteAdmin | null = remote): Promise<ServerMessage[]> {
  const msg = clientMessage.parse({ t: 'admin', rid: 7, cmd, args }) as AdminMessage;
  const out: ServerMessage[] = [];
  await remoteAdmin(admin ?? undefined, session, msg, (m) => out.push(m));
  return out;
}
const audit = async (): Promise<AuditLine[]> => (await storage.readAudit(0, 1_000)).map((x) => x.line);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closeloop-remote-admin-'));
  storage = await EmbeddedStorage.open({ dir });
  await storage.putSite({ id: 'mx-plant', name: '明湘工业园', prefix: 'MX', timezone: 'Asia/Shanghai' });
  await storage.putUser(user('admin', 'admin'));
  await storage.putUser(user('zhou.sup', 'supervisor'));
  await storage.putUser(user('wang.fang', 'agent'));
  const seats = [seatOf('s-admin', 'admin', 'admin-pc', ''), seatOf('s-sup', 'zhou.sup', 'sup-pc', ''), seatOf('s-agent', 'wang.fang', 'agent-pc', '')];
  const stored = await Promise.all(seats.map((s) => storage.createSeat(s)));
  adminSession = { seat: stored[0]!, user: user('admin', 'admin') };
  supSession = { seat: stored[1]!, user: user('zhou.sup', 'supervisor') };
  remote = new RemoteAdmin({
    service: new AdminService(storage, () => NOW), storage, now: () => NOW,
    health: () => ({ ok: true, instance: 'a', storage: 'embedded', tls: false, connections: 3, uptimeS: 12, startedAt: NOW.toISOString(), rssMb: 80 }),
  });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin commands from a console', () => {
  it('lists users without their password hashes for an admin', async () => {
    const [m] = await ask(adminSession, 'list-users');
    expect(m).toMatchObject({ t: 'admin', re: 7 });
    const users = (m as { result: Record<string, unknown>[] }).result;
    expect(users.map((u) => u.id).sort()).toEqual(['admin', 'wang.fang', 'zhou.sup']);
    expect(users.every((u) => !('password' in u))).toBe(true);
  });

  it('refuses a supervisor, says why, and audits the refusal', async () => {
    const [m] = await ask(supSession, 'list-users');
    expect(m).toMatchObject({ t: 'error', re: 7, code: 'not_allowed' });
    expect((m as { message: string }).message).toMatch(/zhou\.sup is a supervisor, not an admin/);
    const refusal = (await audit()).find((l) => l.kind === 'refuse');
    expect(refusal).toMatchObject({ user: 'zhou.sup', seat: 's-sup', device: 'sup-pc', detail: { cmd: 'list-users' } });
  });

  it('refuses an admin demoted since the connection opened', async () => {
    await storage.putUser({ ...user('admin', 'supervisor') });
    const [m] = await ask(adminSession, 'list-seats');
    expect(m).toMatchObject({ t: 'error', code: 'not_allowed' });
  });

  it('records the acting admin, seat and device on what it changes (the CLI stays admin-cli)', async () => {
    const [m] = await ask(adminSession, 'add-user', { id: 'li.new', role: 'agent', sites: 'mx-plant', name: '李新' });
    const added = (m as { result: { id: string; password?: string } }).result;
    expect(added.id).toBe('li.new');
    expect(added.password).toMatch(/.{8,}/);
    await new AdminService(storage, () => NOW).run({ cmd: 'disable-user', args: { id: 'li.new' } });
    const lines = await audit();
    expect(lines.find((l) => l.kind === 'user_added')?.detail).toMatchObject({ by: 'admin', seat: 's-admin', device: 'admin-pc' });
    expect(lines.find((l) => l.kind === 'user_disabled')?.detail).toMatchObject({ by: 'admin-cli' });
  });

  it('answers a bad argument with the admin service’s message', async () => {
    const [m] = await ask(adminSession, 'set-user', { id: 'nobody', role: 'agent' });
    expect(m).toMatchObject({ t: 'error', code: 'bad_request', message: expect.stringMatching(/no user "nobody"/) });
  });

  it('answers health with what /healthz says', async () => {
    const [m] = await ask(adminSession, 'health');
    expect((m as { result: unknown }).result).toMatchObject({ instance: 'a', storage: 'embedded', connections: 3, uptimeS: 12 });
  });

  it('revokes the seat it is asked from, answering before the connection is cut off', async () => {
    const order: string[] = [];
    storage.onAdmin((e) => order.push(`cut:${e.kind}`));
    const msg = clientMessage.parse({ t: 'admin', rid: 9, cmd: 'revoke-seat', args: { id: 's-admin' } }) as AdminMessage;
    await remote.handle(adminSession, msg, (m) => order.push(`reply:${m.t}:${JSON.stringify((m as { result?: unknown }).result)}`));
    expect(order).toHaveLength(2);
    expect(order[0]).toMatch(/^reply:admin:.*"self":true.*cut off now/);
    expect(order[1]).toBe('cut:seat_revoked');
    expect((await storage.listSeats()).find((s) => s.id === 's-admin')?.revoked).toBe(true);
  });

  it('revokes another seat by its code with one answer', async () => {
    const code = (await storage.listSeats()).find((s) => s.id === 's-agent')!.code;
    const out = await ask(adminSession, 'revoke-seat', { id: code });
    expect(out).toEqual([{ t: 'admin', re: 7, result: { id: 's-agent', code, revoked: true } }]);
  });

  it('retries a dead letter for an admin and records who asked', async () => {
    const dead = {
      id: `d${'a'.repeat(32)}`, ticket: 't1', site: 'mx-plant', no: 'MX20260302-0001', key: 'night@1/notify/sms/lin.chief', channel: 'sms', connector: 'sms-gw', to: 'lin.chief',
      vars: {}, seenHeads: [], state: 'dead' as const, outcome: 'failed' as const, attempts: 5, nextAt: 0, owner: null, leaseUntil: null, lastError: 'HTTP 500',
      createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), sentAt: null, reportPending: false, reportError: null, version: 0,
    };
    await storage.addDeliveries([dead]);
    const [list] = await ask(adminSession, 'dead-letters');
    expect((list as { result: { key: string; error: string }[] }).result).toEqual([expect.objectContaining({ key: dead.id, error: 'HTTP 500' })]);
    const [m] = await ask(adminSession, 'retry', { id: dead.id });
    expect((m as { result: { state: string } }).result.state).toBe('queued');
    expect((await audit()).find((l) => l.kind === 'delivery_retried')?.detail).toMatchObject({ delivery: dead.id, by: 'admin', seat: 's-admin' });
  });

  it('limits how much a console lists at once', async () => {
    const [m] = await ask(adminSession, 'audit', { last: '5000' });
    expect(m).toMatchObject({ t: 'error', code: 'bad_request' });
  });

  it('is refused by a server without the remote admin', async () => {
    const [m] = await ask(adminSession, 'list-users', {}, null);
    expect(m).toMatchObject({ t: 'error', code: 'unsupported' });
  });
});

describe('the admin message', () => {
  it('takes only the whitelisted commands and short arguments', () => {
    expect(clientMessage.safeParse({ t: 'admin', rid: 1, cmd: 'backup', args: { out: '/tmp/x' } }).success).toBe(false);
    expect(clientMessage.safeParse({ t: 'admin', rid: 1, cmd: 'list-users', args: { id: 'x'.repeat(2_001) } }).success).toBe(false);
    expect(clientMessage.safeParse({ t: 'admin', rid: 1, cmd: 'list-users', args: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`a${'b'.repeat(i)}`, 'v'])) }).success).toBe(false);
    expect(clientMessage.safeParse({ t: 'admin', rid: 1, cmd: 'list-users', args: { 'Bad Name': 'v' } }).success).toBe(false);
    expect(clientMessage.safeParse({ t: 'admin', rid: 1, cmd: 'revoke-seat', args: { id: 'AB' } }).success).toBe(true);
  });
});
