import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertBlobHash, BlobHashMismatch, type BlobStorage } from '../blob-types';

/**
 * Blobs of the embedded store: one file per blob, `<data>/blobs/<first two hex>/<hash>`. A blob is
 * written to `<data>/blobs/tmp`, synced, then renamed into place (and the folder synced), so a
 * crash leaves either the whole blob or none of it under its name.
 */
export class EmbeddedBlobs implements BlobStorage {
  private readonly root: string;
  private readonly tmp: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs');
    this.tmp = join(this.root, 'tmp');
    mkdirSync(this.tmp, { recursive: true });
  }

  private path(hash: string): string {
    assertBlobHash(hash);
    return join(this.root, hash.slice(0, 2), hash);
  }

  async putBlob(hash: string, bytes: Uint8Array): Promise<boolean> {
    const final = this.path(hash);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== hash) throw new BlobHashMismatch(hash, actual);
    if (await this.hasBlob(hash)) return false;
    const dir = join(this.root, hash.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const temp = join(this.tmp, `${hash}.${randomBytes(6).toString('hex')}`);
    try {
      const f = await open(temp, 'wx');
      try {
        await f.writeFile(bytes);
        await f.sync();
      } finally {
        await f.close();
      }
      await rename(temp, final);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    const d = await open(dir, 'r');
    await d.sync().finally(() => d.close());
    return true;
  }

  async getBlob(hash: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path(hash)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async hasBlob(hash: string): Promise<boolean> {
    try {
      return (await stat(this.path(hash))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  /** Every stored blob's hash (backups): the two-letter folders, then their files. */
  async *hashes(): AsyncIterable<string> {
    for (const dir of (await readdir(this.root)).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()) {
      for (const f of (await readdir(join(this.root, dir))).filter((x) => /^[0-9a-f]{64}$/.test(x)).sort()) yield f;
    }
  }
}
