import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../../sync-server/auth/sessions';
import { blobRoutes } from '../../../sync-server/blobs/routes';
import { ImageWorker } from '../../../sync-server/blobs/image-worker';
import { EmbeddedStorage } from '../../../sync-server/storage/embedded';
import type { Ticket } from '../../../domain';
import type { TicketStore } from '../store';
import { BlobClient } from './blob-client';
import { SeatBlobs, sha256 } from './seat-blobs';
import { AttachmentService } from './service';

/** The seat's upload queue against the server's blob routes (in process): drains, retries, drops refusals. */
const TOKEN = 'seat-token-bbbbbbbbbbbbbbbbbbbbbbbbbb';
const session = {
  seat: { id: 's1', user: 'wang.fang', device: 'pc', code: 'AB', tokenHash: '', createdAt: '', lastSeen: '', revoked: false },
  user: { id: 'wang.fang', name: '王芳', role: 'agent', sites: ['mx-plant'], password: '', disabled: false, createdAt: '' },
} satisfies Session;
/** Just enough of a ticket store for `attach`: ticket ids starting `ot-` are of other-plant. */
const tickets = {
  update: async (id: string, edit: (t: Ticket) => { ticket: Ticket }) => edit({ id, site: id.startsWith('ot-') ? 'other-plant' : 'mx-plant', attachments: [] } as unknown as Ticket).ticket,
} as unknown as TicketStore;
const who = { user: 'wang.fang', seat: 'AB' };
const pdf = (n: number) => new TextEncoder().encode(`%PDF-1.7\n${'p'.repeat(n)}`);

let dirs: string[] = [];
let storage: EmbeddedStorage;
let server: Server;
let blobs: SeatBlobs;
let online = true;
const logged: string[] = [];
const images = new ImageWorker();
let service: AttachmentService;

beforeAll(async () => {
  dirs = [mkdtempSync(join(tmpdir(), 'closeloop-svc-server-')), mkdtempSync(join(tmpdir(), 'closeloop-svc-seat-'))];
  storage = await EmbeddedStorage.open({ dir: dirs[0]! });
  const routes = blobRoutes({ storage, now: () => new Date(), maxBytes: 5_000, sessions: { verify: async (t) => (t === TOKEN ? session : { refused: 'unknown' }) } });
  server = createServer((req, res) => void routes(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  blobs = await SeatBlobs.open(dirs[1]!);
  const client = new BlobClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: () => TOKEN });
  service = new AttachmentService({
    blobs, images, client, store: tickets, clock: () => Date.parse('2026-12-02T08:00:00Z'),
    log: (m) => logged.push(m), online: () => online,
  });
});
afterAll(async () => {
  await service.stop();
  await images.close();
  await blobs.close();
  await new Promise((r) => server.close(r));
  await storage.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the seat’s upload queue', () => {
  it('keeps files added offline, stores the same bytes once, and drains when back online', async () => {
    online = false;
    const a = await service.add('a.pdf', pdf(100), { user: 'wang.fang', seat: 'AB' });
    const again = await service.add('copy of a.pdf', pdf(100), { user: 'wang.fang', seat: 'AB' });
    await service.add('b.pdf', pdf(200), { user: 'wang.fang', seat: 'AB' });
    expect(again).toMatchObject({ stored: false, ref: { hash: a.ref.hash, name: 'copy of a.pdf' } });
    expect(await service.pending()).toBe(0); // staged: on no ticket yet
    const b = (await blobs.queued()).find((q) => q.hash !== a.ref.hash)!;
    await service.attach('mx-1', [a.ref, { hash: b.hash, name: 'b.pdf' }], who);
    expect(await service.flush()).toBe(0);
    expect(await service.pending()).toBe(2);
    online = true;
    expect(await service.flush()).toBe(2);
    expect(await service.pending()).toBe(0);
    expect(await storage.hasBlob(a.ref.hash)).toBe(true);
    expect(await storage.blobSites(a.ref.hash)).toEqual(['mx-plant']);
  });

  it('uploads a file only once it is on a ticket, for that ticket’s site', async () => {
    const staged = await service.add('staged.pdf', pdf(150), who);
    await service.flush();
    expect(await storage.hasBlob(staged.ref.hash)).toBe(false);
    expect(await blobs.queued()).toEqual([{ hash: staged.ref.hash, sites: [] }]);
    // a ticket of a site this person does not work for: the server refuses (403), the seat says so
    await service.attach('ot-1', [staged.ref], who);
    await service.flush();
    expect(await storage.hasBlob(staged.ref.hash)).toBe(false);
    expect(logged.join('\n')).toContain(`同步服务器拒收附件 ${staged.ref.hash.slice(0, 12)}…（站点 other-plant）`);
    await service.attach('mx-2', [staged.ref], who);
    expect(await service.flush()).toBe(1);
    expect(await storage.blobSites(staged.ref.hash)).toEqual(['mx-plant']);
    expect(await blobs.queued()).toEqual([]);
  });

  it('drops a blob the server refuses for good, says why, and goes on with the rest', async () => {
    online = false;
    const big = await service.add('big.pdf', pdf(6_000), { user: 'wang.fang', seat: 'AB' });
    const small = await service.add('small.pdf', pdf(300), { user: 'wang.fang', seat: 'AB' });
    await service.attach('mx-3', [big.ref, small.ref], who);
    online = true;
    await service.flush();
    expect(await service.pending()).toBe(0);
    expect(await storage.hasBlob(big.ref.hash)).toBe(false);
    expect(await storage.hasBlob(small.ref.hash)).toBe(true);
    expect(logged.join('\n')).toContain(`同步服务器拒收附件 ${big.ref.hash.slice(0, 12)}…（站点 mx-plant）：附件超过上限`);
  });

  it('fetches a blob it lacks from the server, checks it against its hash and keeps it', async () => {
    const bytes = pdf(400);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(bytes).digest('hex');
    await storage.putBlob(hash, bytes);
    expect(await blobs.has(hash)).toBe(false);
    const got = await service.fetch(hash);
    expect(got.mime).toBe('application/pdf');
    expect(await blobs.has(hash)).toBe(true);
    expect(await blobs.queued()).toEqual([]);
    await expect(service.fetch('f'.repeat(64))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps its blobs under the cache limit by dropping only what the server has, and fetches a dropped one again', async () => {
    const tight = new AttachmentService({
      blobs, images, store: tickets, clock: () => Date.parse('2026-12-02T09:00:00Z'), log: (m) => logged.push(m), online: () => true,
      client: new BlobClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: () => TOKEN }),
      cacheBytes: 1,
    });
    const staged = await tight.add('only-here.pdf', pdf(120), who); // on no ticket yet: only this seat has it
    const [uploaded, refused, fetched] = [pdf(100), pdf(6_000), pdf(400)].map(sha256) as [string, string, string];
    for (const h of [uploaded, refused, fetched, staged.ref.hash]) expect(await blobs.has(h)).toBe(true);
    const r = await tight.trim();
    expect(r.evicted).toBe(5); // a, b, staged-then-attached, small (uploaded) and the fetched one
    expect(await blobs.has(uploaded)).toBe(false);
    expect(await blobs.has(fetched)).toBe(false);
    expect(await blobs.has(refused)).toBe(true); // the server refused it: this seat's copy is the only one
    expect(await blobs.has(staged.ref.hash)).toBe(true); // in the upload queue
    const again = await tight.fetch(uploaded); // (and dropped again right after: this cache holds 1 byte)
    expect(sha256(again.bytes)).toBe(uploaded);
    await tight.stop();
  });
});
