import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../electron/contract/ipc';
import { createLocalNode, type LocalNode } from '../../electron/main/node';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { waitFor } from '../sync/helpers/seat';

/**
 * Attachments between two real local nodes through the real sync server: a photo added while the
 * server is down is stored on the seat, queued, uploaded on reconnect, and fetched on demand by the
 * other seat — without its GPS tags, and stored once however often it is attached.
 */
const FAST = { backoff: { baseMs: 50, maxMs: 400 }, antiEntropyMs: 0 };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const blobFiles = (data: string) => readdirSync(join(data, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

describe('attachments between seats through the sync server', () => {
  let server: ServerProcess;
  const dirs: string[] = [];
  const nodes: LocalNode[] = [];
  const open = async (seat: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-att-'));
    dirs.push(dataDir);
    const node = await createLocalNode({ dataDir, seat, rules: false, log: () => undefined, sync: { server: server.url, client: FAST }, attachments: { flushEveryMs: 100 } });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    server = await startServer({ demo: 3 });
  }, 120_000);
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('uploads a photo added offline when the seat reconnects; the other seat fetches it without GPS; stored once', async () => {
    const a = await open('AA');
    const b = await open('AB');
    const actx: CallContext = { session: null };
    const bctx: CallContext = { session: null };
    actx.session = await a.handlers['session.signIn']({ userId: 'wang.fang', password: 'demo1234' }, actx);
    bctx.session = await b.handlers['session.signIn']({ userId: 'zhang.wei', password: 'demo1234' }, bctx);
    const online = (n: LocalNode) => n.link?.status().online === true;
    await waitFor(() => online(a) && online(b), 30_000, 'both seats online');
    const { ticket } = await a.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, actx);
    await waitFor(() => b.store.row(ticket.id) !== undefined, 20_000, 'the ticket on the other seat');

    await server.kill9(); // (stop() would remove the server's data folder)
    await waitFor(() => !online(a), 10_000, 'seat A offline');
    const photo = new Uint8Array(await sharp({ create: { width: 800, height: 600, channels: 3, background: '#808040' } })
      .jpeg().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1' } }).toBuffer());
    const first = await a.handlers['attachments.add']({ ticketId: ticket.id, name: '../../现场照片.jpg', dataBase64: b64(photo) }, actx);
    const again = await a.handlers['attachments.add']({ ticketId: ticket.id, name: '现场照片.jpg', dataBase64: b64(photo) }, actx);
    expect(first).toMatchObject({ stored: true, ref: { name: '现场照片.jpg', mime: 'image/jpeg', by: 'wang.fang' } });
    expect(again).toMatchObject({ stored: false, ref: { hash: first.ref.hash } });
    await expect(a.handlers['attachments.add']({ ticketId: ticket.id, name: 'fake.jpg', dataBase64: b64(new TextEncoder().encode('MZ not a photo')) }, actx))
      .rejects.toMatchObject({ body: { code: 'bad_request', message: expect.stringContaining('不是有效的图片') } });
    expect((await a.store.read(ticket.id))?.attachments).toHaveLength(1);
    expect(await a.attachments.pending()).toBe(2); // the photo and its thumbnail

    await server.restart();
    await waitFor(async () => online(a) && (await a.attachments.pending()) === 0, 30_000, 'the queue uploaded after reconnecting');
    await waitFor(async () => ((await b.store.read(ticket.id))?.attachments.length ?? 0) === 1, 20_000, 'the reference on the other seat');
    const ref = (await b.store.read(ticket.id))!.attachments[0]!;
    expect(ref.thumb).toBeDefined();

    const got = await b.handlers['attachments.get']({ hash: ref.hash }, bctx);
    const bytes = new Uint8Array(Buffer.from(got.dataBase64, 'base64'));
    expect(sha(bytes)).toBe(ref.hash);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    const thumb = await b.handlers['attachments.get']({ hash: ref.thumb! }, bctx);
    expect(thumb.mime).toBe('image/webp');
    // Cached: the other seat answers from its own store with the server gone.
    expect(blobFiles(server.data)).toBe(2);
    await server.kill9();
    await expect(b.handlers['attachments.get']({ hash: ref.hash }, bctx)).resolves.toMatchObject({ hash: ref.hash });
    await server.restart();
  }, 120_000);
});
