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
const OTHER = 'other-token-bbbbbbbbbbbbbbbbbbbbbbbbb';
const BOTH = 'both-token-cccccccccccccccccccccccccc';
const other: Session = {
  seat: { id: 's2', user: 'outsider', device: 'pc-2', code: 'AC', tokenHash: 'y', createdAt: '', lastSeen: '', revoked: false },
  user: { id: 'outsider', name: '外厂', role: 'agent', sites: ['other-plant'], password: '', disabled: false, createdAt: '' },
};
const both: Session = {
  seat: { id: 's3', user: 'zhao.lei', device: 'pc-3', code: 'AD', tokenHash: 'z', createdAt: '', lastSeen: '', revoked: false },
  user: { id: 'zhao.lei', name: '赵磊', role: 'agent', sites: ['mx-plant', 'other-plant'], password: '', disabled: false, createdAt: '' },
};
const SESSIONS: Record<string, Session> = { [TOKEN]: session, [OTHER]: other, [BOTH]: both };
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
    sessions: { verify: async (t) => SESSIONS[t] ?? { refused: 'unknown token' } },
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
const put = (hash: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = auth, site = 'mx-plant') => fetch(`${base}${hash}?site=${site}`, { method: 'PUT', headers, body });
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
    expect((await audit()).filter((l) => l.kind === 'blob_stored')).toEqual([expect.objectContaining({ user: 'wang.fang', seat: 's1', detail: { hash, site: 'mx-plant', size: 50_000, mime: 'image/png' } })]);
  });

  it('makes a portal photo a seat’s blob when a seat sends it or is told it is there', async () => {
    const at = new Date('2026-12-01T08:00:00Z');
    const later = new Date('2026-12-05T08:00:00Z');
    const byBoth = { authorization: `Bearer ${BOTH}` };
    const [sent, told, known] = [png(3_001), png(3_002), png(3_003)];
    for (const b of [sent, told, known]) await storage.putProvisionalBlob(sha(b), b, 'mx-plant', at);
    await storage.putBlob(sha(known), known, 'other-plant'); // the bytes are also another site's (a seat's upload there)
    expect((await put(sha(sent), sent, byBoth)).status).toBe(200); // already there for mx-plant: kept, not re-read
    expect((await fetch(`${base}${sha(told)}?site=mx-plant`, { method: 'HEAD', headers: byBoth })).status).toBe(200); // the client skips its PUT
    for (const b of [sent, told, known]) expect(await storage.expireBlob(sha(b), later)).toBe(false);
    expect(await storage.provisionalBlobs(later)).toEqual([]);
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

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const got = (hash: string, token: string, query = '') => fetch(base + hash + query, { headers: as(token) });
  const head = (hash: string, token: string, query = '') => fetch(base + hash + query, { method: 'HEAD', headers: as(token) });

  it('serves a blob only to people of a site it was uploaded for: 404 to the others, even knowing the hash', async () => {
    const body = png(4_000);
    const hash = sha(body);
    expect((await put(hash, body)).status).toBe(201);
    expect(await storage.blobSites(hash)).toEqual(['mx-plant']);
    const refused = await got(hash, OTHER);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual(await (await got('e'.repeat(64), OTHER)).json()); // the same as no blob at all
    expect((await head(hash, OTHER)).status).toBe(404);
    expect((await got(hash, TOKEN)).status).toBe(200);
    expect((await got(hash, BOTH)).status).toBe(200);
    expect((await head(hash, BOTH, '?site=mx-plant')).status).toBe(200);
    expect((await head(hash, BOTH, '?site=other-plant')).status).toBe(404);
    expect((await head(hash, OTHER, '?site=mx-plant')).status).toBe(404);
  });

  it('adds another site to a known blob only for someone who sends its bytes', async () => {
    const body = png(5_000);
    const hash = sha(body);
    expect((await put(hash, body)).status).toBe(201);
    // claiming it for other-plant without the bytes, or with other bytes, records nothing
    expect((await put(hash, new Uint8Array(0), as(BOTH), 'other-plant')).status).toBe(400);
    expect((await put(hash, png(5_001), as(BOTH), 'other-plant')).status).toBe(400);
    expect(await storage.blobSites(hash)).toEqual(['mx-plant']);
    expect((await got(hash, OTHER)).status).toBe(404);
    // with the bytes: 200 (the bytes were there), now readable at other-plant too
    const added = await put(hash, body, as(BOTH), 'other-plant');
    expect(added.status).toBe(200);
    expect(await storage.blobSites(hash)).toEqual(['mx-plant', 'other-plant']);
    expect((await got(hash, OTHER)).status).toBe(200);
    expect((await audit()).filter((l) => l.kind === 'blob_site_added')).toEqual([expect.objectContaining({ user: 'zhao.lei', detail: expect.objectContaining({ hash, site: 'other-plant' }) })]);
    // recorded for that site now: answered without reading the body
    expect((await put(hash, new Uint8Array(0), as(BOTH), 'other-plant')).status).toBe(200);
  });

  it('refuses an upload for a site the person does not work for (403, audited), and one naming no site', async () => {
    const body = png(6_000);
    const hash = sha(body);
    const r = await put(hash, body, as(OTHER), 'mx-plant');
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: string }).error).toContain('mx-plant');
    expect(await storage.hasBlob(hash)).toBe(false);
    expect((await audit()).filter((l) => l.kind === 'blob_refused' && l.reason === 'not a site of the user')).toEqual([
      expect.objectContaining({ user: 'outsider', seat: 's2', detail: expect.objectContaining({ hash, site: 'mx-plant' }) }),
    ]);
    expect((await fetch(base + hash, { method: 'PUT', headers: as(OTHER), body })).status).toBe(400);
    expect(await storage.hasBlob(hash)).toBe(false);
  });

  it('still serves a blob stored before sites were recorded to any signed-in seat', async () => {
    const body = png(7_000);
    const hash = sha(body);
    await storage.putBlob(hash, body); // as an older server stored it: no site
    expect((await got(hash, OTHER)).status).toBe(200);
    expect((await got(hash, TOKEN)).status).toBe(200);
    expect((await head(hash, OTHER)).status).toBe(200);
    // asked for one site, it is not recorded there: the seat uploads it again, which records the site
    expect((await head(hash, TOKEN, '?site=mx-plant')).status).toBe(404);
    expect((await put(hash, body)).status).toBe(200);
    expect(await storage.blobSites(hash)).toEqual(['mx-plant']);
    expect((await got(hash, OTHER)).status).toBe(404);
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
