import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreEmbeddedRecords } from './backup';
import { EmbeddedStorage } from './index';

/** The embedded backup carries the attachment blobs (files beside the LevelDB) and restores them checked. */
describe('embedded backup of attachment blobs', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'closeloop-bb-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const collect = async (it: AsyncIterable<Uint8Array[]>) => {
    const out: Uint8Array[][] = [];
    for await (const b of it) out.push(b.map((r) => r.slice()));
    return out;
  };
  async function* replay(batches: Uint8Array[][]) {
    yield* batches;
  }

  it('backs up every blob with the database and restores it under its hash', async () => {
    const from = await EmbeddedStorage.open({ dir: dir() });
    const photo = new TextEncoder().encode('一张现场照片的字节'.repeat(100));
    const hash = createHash('sha256').update(photo).digest('hex');
    await from.putBlob(hash, photo);
    await from.putSite({ id: 'mx-plant', name: '明湘工业园', prefix: 'MX', timezone: 'Asia/Shanghai' });
    const batches = await collect(from.backupRecords());
    await from.close();

    const target = dir();
    await restoreEmbeddedRecords(join(target, 'db'), replay(batches));
    const to = await EmbeddedStorage.open({ dir: target });
    expect(await to.getBlob(hash)).toEqual(photo);
    expect((await to.getSite('mx-plant'))?.name).toBe('明湘工业园');
    await to.close();
  });

  it('refuses a blob whose bytes do not match its name', async () => {
    const from = await EmbeddedStorage.open({ dir: dir() });
    const bytes = new TextEncoder().encode('原始内容');
    await from.putBlob(createHash('sha256').update(bytes).digest('hex'), bytes);
    const batches = await collect(from.backupRecords());
    await from.close();
    const last = batches.at(-1)![0]!;
    last[last.byteLength - 1] = last[last.byteLength - 1]! ^ 0xff; // a flipped byte in the blob
    await expect(restoreEmbeddedRecords(join(dir(), 'db'), replay(batches))).rejects.toThrow();
  });

  it('restores the sites each blob belongs to, also for a blob stored after the snapshot', async () => {
    const from = await EmbeddedStorage.open({ dir: dir() });
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const early = new TextEncoder().encode('备份前的照片'.repeat(50));
    const late = new TextEncoder().encode('快照之后的照片'.repeat(50));
    const old = new TextEncoder().encode('记录站点之前的照片'.repeat(50));
    await from.putBlob(sha(early), early, 'mx-plant');
    await from.putBlob(sha(early), early, 'other-plant');
    await from.putBlob(sha(old), old);
    const out: Uint8Array[][] = [];
    const it = from.backupRecords()[Symbol.asyncIterator]();
    const first = await it.next(); // the LevelDB snapshot is taken here
    out.push(first.value!.map((r: Uint8Array) => r.slice()));
    await from.putBlob(sha(late), late, 'other-plant');
    for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value.map((x: Uint8Array) => x.slice()));
    await from.close();

    const target = dir();
    await restoreEmbeddedRecords(join(target, 'db'), replay(out));
    const to = await EmbeddedStorage.open({ dir: target });
    expect(await to.blobSites(sha(early))).toEqual(['mx-plant', 'other-plant']);
    expect(await to.blobSites(sha(late))).toEqual(['other-plant']);
    expect(await to.getBlob(sha(late))).toEqual(late);
    expect(await to.blobSites(sha(old))).toEqual([]);
    await to.close();
  });
});
