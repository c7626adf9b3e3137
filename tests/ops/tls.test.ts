import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createLocalNode } from '../../electron/main/node';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain';
import { encodeFrame } from '../../sync-server/protocol';
import { LoginError, login } from '../../electron/main/sync/login';
import { admin, auditLines } from '../sync/helpers/admin';
import { ROOT, startServer, type ServerProcess } from '../sync/helpers/server-process';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { httpsGet, peerCertificate } from './helpers/https';
import { makePki, type Pki } from './helpers/pki';

/** A seat signed in over HTTPS, trusting `ca`. */
async function tlsSeat(url: string, user: string, device: string, ca: string, trust = ca): Promise<TestSeat> {
  const r = await login(url, { user, password: 'demo1234', device }, { ca });
  return new TestSeat(user, r.user.role as Role, r.seat.code, { url, token: r.token, ca: trust, backoff: { baseMs: 50, maxMs: 500 } });
}

describe('TLS with the plant CA', () => {
  let plant: Pki;
  let rogue: Pki;
  let server: ServerProcess;
  let url: string;
  let ca: string;
  const seats: TestSeat[] = [];
  let files: { cert: string; key: string };
  beforeAll(async () => {
    plant = makePki('mx');
    rogue = makePki('rogue');
    const issued = plant.issue('sync-1');
    files = { cert: join(plant.dir, 'live.crt'), key: join(plant.dir, 'live.key') };
    copyFileSync(issued.cert, files.cert);
    copyFileSync(issued.key, files.key);
    ca = plant.pem(plant.caCert);
    server = await startServer({ demo: 15, args: ['--tls-cert', files.cert, '--tls-key', files.key] });
    url = `https://127.0.0.1:${server.port}`;
  }, 120_000);
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('signs in, syncs and answers /healthz over TLS when the seat trusts the plant CA', async () => {
    const seat = await tlsSeat(url, 'zhang.wei', 'tls-pc', ca);
    seats.push(seat);
    seat.start();
    await seat.online();
    expect(seat.replica.ids()).toHaveLength(15);
    const health = JSON.parse((await httpsGet(`${url}/healthz`, ca)).body) as { ok: boolean; tls: boolean };
    expect(health).toMatchObject({ ok: true, tls: true });
  });

  it('lets a local node given the plant CA sign in and fill from the server, and says why without it', async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'closeloop-tls-node-')), mkdtempSync(join(tmpdir(), 'closeloop-tls-node-'))];
    const trusting = await createLocalNode({ dataDir: dirs[0]!, seat: 'AA', rules: false, log: () => undefined, sync: { server: url, ca } });
    const blind = await createLocalNode({ dataDir: dirs[1]!, seat: 'AB', rules: false, log: () => undefined, sync: { server: url } });
    try {
      await trusting.handlers['session.signIn']({ userId: 'zhou.sup', password: 'demo1234' }, { session: null });
      await waitFor(() => trusting.store.count() === 15, 15_000, 'the bootstrap over TLS');
      const refused = await blind.handlers['session.signIn']({ userId: 'zhou.sup', password: 'demo1234' }, { session: null }).catch((e: unknown) => e);
      expect((refused as { body?: { message?: string } }).body?.message).toMatch(/证书.*\[[A-Z_]+\]/);
    } finally {
      await trusting.close();
      await blind.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('refuses plain HTTP on the TLS port', async () => {
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });

  it('a seat that does not trust the server’s certificate refuses to sync and says why', async () => {
    const err = await login(url, { user: 'zhang.wei', password: 'demo1234', device: 'rogue-pc' }, { ca: rogue.pem(rogue.caCert) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginError);
    expect((err as Error).message).toMatch(/证书.*\[(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\]/);
    const noCa = await login(url, { user: 'zhang.wei', password: 'demo1234', device: 'rogue-pc' }).catch((e: unknown) => e);
    expect((noCa as Error).message).toMatch(/证书.*\[[A-Z_]+\]/);
    // a seat whose token is good but which trusts another CA (a spoofed server, or a missing plant CA)
    const seat = await tlsSeat(url, 'wang.fang', 'wrong-ca-pc', ca, rogue.pem(rogue.caCert));
    seats.push(seat);
    seat.start();
    await waitFor(() => /证书/.test(seat.client.status.error ?? ''), 10_000, 'the certificate error in the seat status');
    expect(seat.client.status.error).toMatch(/拒绝同步.*\[(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\]$/);
    expect(seat.client.status.online).toBe(false);
    expect(seat.replica.ids()).toEqual([]);
    const metrics = (await httpsGet(`${url}/metrics`, ca)).body;
    expect(Number(/^closeloop_tls_handshake_failures_total (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0);
  });

  it('installs a rotated certificate on SIGHUP without dropping the seats', async () => {
    const before = await peerCertificate(server.port, ca);
    const next = plant.issue('sync-1-rotated');
    copyFileSync(next.cert, files.cert);
    copyFileSync(next.key, files.key);
    server.proc.kill('SIGHUP');
    await waitFor(async () => (await peerCertificate(server.port, ca)).serialNumber !== before.serialNumber, 10_000, 'the new certificate served');
    expect(seats[0]!.client.status.online).toBe(true);
    // a broken file is not installed: the server keeps the certificate it has
    writeFileSync(files.cert, 'not a certificate');
    server.proc.kill('SIGHUP');
    await waitFor(() => /SIGHUP: the new certificate was not installed/.test(server.stderr()), 10_000, 'the refusal in the log');
    expect((await httpsGet(`${url}/healthz`, ca)).status).toBe(200);
  });

  it('cuts a revoked seat off at once and audits its later attempts with its identity', async () => {
    const seat = await tlsSeat(url, 'li.na', 'lost-laptop', ca);
    seats.push(seat);
    seat.start();
    await seat.online();
    const token = (seat.client as unknown as { opts: { token: string } }).opts.token;
    expect((await admin(server.data, 'revoke-seat', seat.code)).code).toBe(0);
    await waitFor(() => !seat.client.status.online && /revoked/.test(seat.client.status.error ?? ''), 5_000, 'the revoked seat cut off');
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/sync`, { ca });
      ws.on('open', () => ws.send(encodeFrame({ t: 'hello', token })));
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      ws.on('error', () => undefined);
    });
    expect(closed).toMatchObject({ code: 4403, reason: 'seat revoked' });
    const header = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/sync`, { ca, headers: { authorization: `Bearer ${token}` } });
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(header).toBe(401);
    await waitFor(async () => (await auditLines(server.data)).filter((l) => l.kind === 'auth_failed' && l.reason === 'seat revoked' && l.user === 'li.na' && l.device === 'lost-laptop').length >= 2, 10_000, 'two audited attempts');
    const lines = await auditLines(server.data);
    expect(lines.some((l) => l.kind === 'seat_revoked' && l.user === 'li.na')).toBe(true);
  });

  it('exposes Prometheus metrics', async () => {
    const r = await httpsGet(`${url}/metrics`, ca);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const line of r.body.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) [a-z_0-9]+ .+|[a-z_0-9]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+-]+)$/);
    expect(r.body).toMatch(/^closeloop_connections [1-9]/m);
    expect(r.body).toMatch(/^closeloop_audit_events_total\{kind="login"\} [1-9]/m);
    expect(r.body).toMatch(/^closeloop_site_log_seq\{site="mx-plant"\} [1-9]/m);
    expect(r.body).toMatch(/^closeloop_build_info\{.*tls="true".*\} 1$/m);
    expect(r.body).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

describe('plain HTTP beyond loopback', () => {
  it('refuses to start on a public address without TLS, naming the way out', () => {
    // exits while parsing its flags, before it binds anything
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'sync-server', 'main.ts'), '--host', '0.0.0.0', '--port', '0', '--data', join(ROOT, '.data', 'never-created')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/plain HTTP is refused.*--tls-cert.*--allow-plain-http/);
  });
});
