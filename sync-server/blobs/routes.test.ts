import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../auth/sessions';
import { EmbeddedStorage } from '../storage/embedded';
import { blobRoutes } from './routes';

const TOKEN = 'seat-token-aaaaaaaaaaaaaaaaaaaaaaaa';
const session: Session = {
  seat: { id: 's1', user: 'wang.fang', device: 'pc-1', code: 'AB', tokenHash: 'x', createdAt: '', lastSeen: '', revoked: false },
  user: { id: 'wang.fang', name: '王芳', role: 'agent', sites: ['mx-plant'], password: '', disabled: false, createdAt: '' },
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const png = (size: number) => {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) b[i] = i % 251;
  return b;
};

let dir: string;
let storage: EmbeddedStorage;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closeloop-blobs-'));
  storage = await EmbeddedStorage.open({ dir });
  const routes = blobRoutes({
    storage, now: () => new Date('2026-12-02T08:00:00Z'), maxBytes: 1_000_000, uploadsPerMinute: 12,
    sessions: { verify: async (t) => (t === TOKEN ? session : { refused: 'unknown token' }) },
  });
  server = createServer((req, res) => void routes(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/blobs/`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const put = (hash: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = auth) => fetch(base + hash, { method: 'PUT', headers, body });
const audit = async () => (await storage.readAudit(0, 100)).map((a) => a.line);

describe('blob routes of the sync server', () => {
  it('stores an upload under its hash once, and serves it back with the sniffed type', async () => {
    const body = png(50_000);
    const hash = sha(body);
    expect((await put(hash, body)).status).toBe(201);
    expect((await put(hash, body)).status).toBe(200);
    const got = await fetch(base + hash, { headers: auth });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha(new Uint8Array(await got.arrayBuffer()))).toBe(hash);
    expect((await fetch(base + hash, { method: 'HEAD', headers: auth })).status).toBe(200);
    expect((await audit()).filter((l) => l.kind === 'blob_stored')).toEqual([expect.objectContaining({ user: 'wang.fang', seat: 's1', detail: { hash, size: 50_000, mime: 'image/png' } })]);
  });

  it('refuses a body whose hash differs from its address, storing nothing', async () => {
    const claimed = sha(png(100));
    const r = await put(claimed, png(200));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toContain('SHA-256 与地址不符');
    expect(await storage.hasBlob(claimed)).toBe(false);
    expect(readdirSync(join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('refuses an oversized body and content of a type tickets do not take', async () => {
    const big = png(1_200_000);
    expect((await put(sha(big), big)).status).toBe(413);
    expect(await storage.hasBlob(sha(big))).toBe(false);
    const exe = new TextEncoder().encode('MZ\x90\x00 not a photo at all');
    expect((await put(sha(exe), exe)).status).toBe(415);
    expect(await storage.hasBlob(sha(exe))).toBe(false);
    expect((await audit()).filter((l) => l.kind === 'blob_refused').map((l) => l.reason)).toEqual(expect.arrayContaining(['hash mismatch', 'too large', 'unsupported type']));
  });

  it('answers only seats with a valid token, and only content addresses', async () => {
    const body = png(100);
    expect((await put(sha(body), body, {})).status).toBe(401);
    expect((await put(sha(body), body, { authorization: 'Bearer wrong-token-xxxxxxxxxxxxxxxxxxxx' })).status).toBe(401);
    expect((await fetch(base + sha(body))).status).toBe(401);
    expect((await fetch(`${base}..%2F..%2Fdb%2FCURRENT`, { headers: auth })).status).toBe(400);
    expect((await fetch(base + 'f'.repeat(64), { headers: auth })).status).toBe(404);
    expect((await fetch(base + sha(body), { method: 'DELETE', headers: auth })).status).toBe(405);
  });

  it('tells a seat that floods uploads to slow down, without reading the bodies', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const body = png(300 + i);
      codes.push((await put(sha(body), body)).status);
    }
    expect(codes).toContain(429);
    expect(codes.filter((c) => c === 201).length).toBeLessThan(12);
  });
});
