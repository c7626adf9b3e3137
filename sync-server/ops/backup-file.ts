import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, fsyncSync, openSync, closeSync, renameSync, rmSync } from 'node:fs';
import { createGunzip, createGzip } from 'node:zlib';

/**
 * The backup file: gzip of `header JSON \n` · records `[u32 BE length][bytes]` · `[u32 0]` ·
 * `trailer JSON` with the record count and the SHA-256 over every record (length and bytes).
 * Written to `<out>.partial`, fsynced, then renamed: a file named `<out>` is always whole. Reading
 * checks the trailer before the last records are handed over, so a damaged file fails the restore
 * (which then keeps nothing).
 */
export const BACKUP_FORMAT = 'closeloop-sync-backup';

const utf8 = new TextEncoder();
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};
const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  storage: 'embedded' | 'postgres';
  createdAt: string;
  /** Each site's last log sequence when the backup started (the snapshot holds at least these). */
  sites: Record<string, number>;
  instance?: string;
}

export interface BackupTrailer {
  records: number;
  sha256: string;
}

export async function writeBackupFile(out: string, header: BackupHeader, records: AsyncIterable<Uint8Array[]>): Promise<BackupTrailer & { bytes: number }> {
  const partial = `${out}.partial`;
  const file = createWriteStream(partial, { mode: 0o600 });
  const gz = createGzip({ level: 6 });
  gz.pipe(file);
  const done = new Promise<void>((resolve, reject) => {
    file.once('finish', resolve);
    file.once('error', reject);
    gz.once('error', reject);
  });
  const put = async (b: Uint8Array) => {
    if (!gz.write(b)) await new Promise<void>((r) => gz.once('drain', () => r()));
  };
  const hash = createHash('sha256');
  let n = 0;
  try {
    await put(utf8.encode(JSON.stringify(header) + '\n'));
    for await (const batch of records) {
      for (const r of batch) {
        const len = u32(r.byteLength);
        hash.update(len).update(r);
        await put(len);
        await put(r);
        n += 1;
      }
    }
    const trailer: BackupTrailer = { records: n, sha256: hash.digest('hex') };
    await put(u32(0));
    await put(utf8.encode(JSON.stringify(trailer)));
    gz.end();
    await done;
    const fd = openSync(partial, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, out);
    return { ...trailer, bytes: file.bytesWritten };
  } catch (e) {
    gz.destroy();
    file.destroy();
    rmSync(partial, { force: true });
    throw e;
  }
}

export class BackupFileError extends Error {}

/** Reads a backup file: its header, then its records in batches (the last batch only once the trailer checks out). */
export async function openBackupFile(path: string): Promise<{ header: BackupHeader; records: AsyncIterable<Uint8Array[]> }> {
  const input = createReadStream(path).pipe(createGunzip());
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buf: Buffer = Buffer.alloc(0);
  const more = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) return false;
    buf = buf.length === 0 ? r.value : Buffer.concat([view(buf), view(r.value)]);
    return true;
  };
  const take = async (n: number): Promise<Buffer> => {
    while (buf.length < n) if (!(await more())) throw new BackupFileError('the backup file is truncated');
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
  let nl = -1;
  while ((nl = buf.indexOf(10)) < 0) if (!(await more()) || buf.length > 1 << 20) throw new BackupFileError('not a Closeloop backup (no header)');
  let header: BackupHeader;
  try {
    header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as BackupHeader;
  } catch {
    throw new BackupFileError('not a Closeloop backup (unreadable header)');
  }
  if (header.format !== BACKUP_FORMAT || header.version !== 1) throw new BackupFileError(`not a Closeloop backup (format ${String(header.format)} v${String(header.version)})`);
  buf = buf.subarray(nl + 1);
  async function* records(): AsyncIterable<Uint8Array[]> {
    const hash = createHash('sha256');
    let n = 0;
    let batch: Uint8Array[] = [];
    for (;;) {
      const lenBuf = view(await take(4));
      const len = new DataView(lenBuf.buffer, lenBuf.byteOffset, 4).getUint32(0);
      if (len === 0) break;
      const rec = view(await take(len)).slice();
      hash.update(lenBuf).update(rec);
      batch.push(rec);
      n += 1;
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
    while (await more());
    let trailer: BackupTrailer;
    try {
      trailer = JSON.parse(buf.toString('utf8')) as BackupTrailer;
    } catch {
      throw new BackupFileError('the backup file has no readable trailer (truncated?)');
    }
    if (trailer.records !== n || trailer.sha256 !== hash.digest('hex')) throw new BackupFileError(`the backup file is damaged: ${n} records read, checksum does not match the trailer`);
    if (batch.length > 0) yield batch;
  }
  return { header, records: records() };
}
