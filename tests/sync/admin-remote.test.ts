import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLines } from './helpers/admin';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, waitFor } from './helpers/seat';

/** The admin console's commands over a real server and real seats (sync-server/admin/remote.ts). */
describe('admin commands over the sync connection', () => {
  let server: ServerProcess;
  const seats: TestSeat[] = [];
  const seat = async (user: string, device: string): Promise<TestSeat> => {
    const s = await TestSeat.signIn(server.url, user, device);
    seats.push(s);
    s.start();
    await s.online(60_000);
    return s;
  };
  beforeAll(async () => {
    server = await startServer({ demo: 20 });
  }, 180_000);
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('lets an admin list users and seats, and revoke a seat that is then cut off at once', async () => {
    const admin = await seat('admin', 'admin-pc');
    const agent = await seat('wang.fang', 'lost-laptop');
    const users = (await admin.client.request({ t: 'admin', cmd: 'list-users', args: {} })).result as { id: string; role: string; password?: string }[];
    expect(users.find((u) => u.id === 'admin')?.role).toBe('admin');
    expect(users.some((u) => 'password' in u)).toBe(false);
    const seatList = (await admin.client.request({ t: 'admin', cmd: 'list-seats', args: {} })).result as { id: string; user: string; device: string; code: string; tokenHash?: string }[];
    const lost = seatList.find((s) => s.device === 'lost-laptop')!;
    expect(lost.code).toBe(agent.code);
    expect(seatList.some((s) => 'tokenHash' in s)).toBe(false);

    const revoked = (await admin.client.request({ t: 'admin', cmd: 'revoke-seat', args: { id: lost.code } })).result;
    expect(revoked).toEqual({ id: lost.id, code: lost.code, revoked: true });
    await waitFor(() => !agent.client.status.online, 5_000, 'the revoked seat cut off');
    expect(agent.client.status.error).toMatch(/seat revoked/);
    const lines = await auditLines(server.data);
    expect(lines.find((l) => l.kind === 'seat_revoked' && l.device === 'lost-laptop')?.detail).toMatchObject({ by: 'admin', device: 'admin-pc' });
    // The admin's own link stays up.
    expect(admin.client.status.online).toBe(true);
    const health = (await admin.client.request({ t: 'admin', cmd: 'health', args: {} })).result as { storage: string; connections: number; uptimeS: number };
    expect(health).toMatchObject({ storage: 'embedded' });
    expect(health.connections).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('refuses a supervisor and audits the refusal; the supervisor keeps syncing', async () => {
    const sup = await seat('zhou.sup', 'sup-pc');
    const err = await sup.client.request({ t: 'admin', cmd: 'list-users', args: {} }).then(() => null, (e: Error & { code?: string }) => e);
    expect(err?.code).toBe('not_allowed');
    expect(err?.message).toMatch(/not an admin/);
    const lines = await auditLines(server.data);
    expect(lines.find((l) => l.kind === 'refuse' && l.user === 'zhou.sup')).toMatchObject({ device: 'sup-pc', detail: { cmd: 'list-users' } });
    expect(sup.client.status.online).toBe(true);
  }, 120_000);

  it('answers an admin who revokes the seat they are connected from, then cuts it off', async () => {
    const admin = await seat('admin', 'admin-laptop-2');
    const r = (await admin.client.request({ t: 'admin', cmd: 'revoke-seat', args: { id: admin.code } })).result as { revoked: boolean; self?: boolean; note?: string };
    expect(r).toMatchObject({ revoked: true, self: true });
    expect(r.note).toMatch(/cut off/);
    await waitFor(() => !admin.client.status.online, 5_000, 'own seat cut off');
  }, 120_000);
});
