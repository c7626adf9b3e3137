import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SYSTEM_FORM } from '../../../domain/testing/fixtures';
import { DEMO_PEOPLE } from '../../../domain';
import type { CallContext } from '../../contract/ipc';
import { createLocalNode, type LocalNode } from '../node';
import { sha256 } from './seat-blobs';

/** The attachment calls on a node that runs alone (no sync server): chunks, limits, tickets. */
let dir: string;
let node: LocalNode;
const ctx: CallContext = { session: { user: DEMO_PEOPLE.find((p) => p.id === 'wang.fang')!, seat: 'AA' } };
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const pdf = (size: number) => {
  const b = new Uint8Array(size);
  b.set(new TextEncoder().encode('%PDF-1.7\n'));
  for (let i = 9; i < size; i++) b[i] = 32 + (i % 90);
  return b;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closeloop-att-node-'));
  node = await createLocalNode({ dataDir: dir, seat: 'AA', rules: false, log: () => undefined });
});
afterAll(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(name: string, bytes: Uint8Array, ticketId?: string) {
  const h = node.handlers;
  const { uploadId, chunkChars } = await h['attachments.begin']({ name, size: bytes.length }, ctx);
  const step = (chunkChars / 4) * 3;
  for (let at = 0; at < bytes.length; at += step) await h['attachments.chunk']({ uploadId, dataBase64: b64(bytes.subarray(at, at + step)) }, ctx);
  return h['attachments.finish']({ uploadId, ...(ticketId ? { ticketId } : {}) }, ctx);
}

describe('attachment calls on the seat', () => {
  it('accepts a 14.9 MB file in chunks and refuses a 15.1 MB one before any byte is sent', async () => {
    const big = pdf(14_900_000);
    const added = await upload('设备手册.pdf', big);
    expect(added).toMatchObject({ stored: true, ref: { hash: sha256(big), mime: 'application/pdf', size: 14_900_000 } });
    await expect(node.handlers['attachments.begin']({ name: '录像.mp4', size: 15_100_000 }, ctx))
      .rejects.toMatchObject({ body: { code: 'bad_request', field: 'size', message: '文件“录像.mp4”大小为 15.1 MB，超过单个附件上限 15 MB；请压缩或截取后再上传' } });
  }, 60_000);

  it('cancels an upload that sends more than it announced, and refuses a finish of an unknown upload', async () => {
    const { uploadId } = await node.handlers['attachments.begin']({ name: 'a.pdf', size: 10 }, ctx);
    await expect(node.handlers['attachments.chunk']({ uploadId, dataBase64: b64(pdf(20)) }, ctx)).rejects.toMatchObject({ body: { code: 'bad_request' } });
    await expect(node.handlers['attachments.finish']({ uploadId }, ctx)).rejects.toMatchObject({ body: { code: 'not_found' } });
  });

  it('adds files before the ticket exists and attaches them after, once per file', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#ddd' } }).png().toBuffer());
    const shot = await node.handlers['attachments.add']({ name: '报错截图.png', dataBase64: b64(png) }, ctx);
    expect(shot.ref).toMatchObject({ mime: 'image/png', by: 'wang.fang' });
    expect(shot.ref.thumb).toMatch(/^[0-9a-f]{64}$/);
    const { ticket } = await node.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, ctx);
    const refs = [{ hash: shot.ref.hash, name: shot.ref.name, thumb: shot.ref.thumb! }];
    await node.handlers['attachments.attach']({ ticketId: ticket.id, refs }, ctx);
    const out = await node.handlers['attachments.attach']({ ticketId: ticket.id, refs }, ctx);
    expect(out.attachments).toEqual([expect.objectContaining({ hash: shot.ref.hash, name: '报错截图.png', mime: 'image/png', size: shot.ref.size, thumb: shot.ref.thumb })]);
    const thumb = await node.handlers['attachments.get']({ hash: shot.ref.thumb! }, ctx);
    expect(await sharp(Buffer.from(thumb.dataBase64, 'base64')).metadata()).toMatchObject({ format: 'webp', width: 320 });
  });

  it('refuses to attach what the seat does not hold, and to fetch it with no server', async () => {
    const { ticket } = await node.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, ctx);
    const hash = 'e'.repeat(64);
    await expect(node.handlers['attachments.attach']({ ticketId: ticket.id, refs: [{ hash, name: 'x.jpg' }] }, ctx)).rejects.toMatchObject({ body: { code: 'not_found' } });
    await expect(node.handlers['attachments.get']({ hash }, ctx)).rejects.toMatchObject({ body: { code: 'unavailable' } });
    expect((await node.store.read(ticket.id))?.attachments).toEqual([]);
  });

  it('asks for a sign-in before anything is stored', async () => {
    await expect(node.handlers['attachments.add']({ name: 'a.pdf', dataBase64: b64(pdf(100)) }, { session: null })).rejects.toMatchObject({ body: { code: 'not_signed_in' } });
  });
});
