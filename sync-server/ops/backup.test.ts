import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStorage } from '../storage/embedded';
import { makeBackup, restoreBackup } from './backup';
import { BACKUP_FORMAT, openBackupFile, writeBackupFile } from './backup-file';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'closeloop-backupfile-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function* batches(n: number): AsyncIterable<Uint8Array[]> {
  for (let i = 0; i < n; i += 500) yield Array.from({ length: Math.min(500, n - i) }, (_, j) => new TextEncoder().encode(`record ${i + j}`));
}

describe('the backup file', () => {
  it('reads back what was written, with its header', async () => {
    const file = join(temp(), 'x.backup');
    const t = await writeBackupFile(file, { format: BACKUP_FORMAT, version: 1, storage: 'embedded', createdAt: '2026-03-01T04:00:00.000Z', sites: { 'mx-plant': 7 } }, batches(2_345));
    expect(t.records).toBe(2_345);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const { header, records } = await openBackupFile(file);
    expect(header.sites).toEqual({ 'mx-plant': 7 });
    let n = 0;
    for await (const b of records) for (const r of b) expect(new TextDecoder().decode(r)).toBe(`record ${n++}`);
    expect(n).toBe(2_345);
  });

  it('refuses a truncated backup and keeps nothing of it', async () => {
    const dir = temp();
    const source = await EmbeddedStorage.open({ dir: join(dir, 'live') });
    await source.putSite({ id: 'mx-plant', name: 'x', prefix: 'MX', timezone: 'Asia/Shanghai' });
    await source.putUser({ id: 'u', name: 'u', role: 'agent', sites: ['mx-plant'], password: 'scrypt$x', disabled: false, createdAt: '2026-03-01T00:00:00.000Z' });
    const file = join(dir, 'good.backup');
    await makeBackup(source, file);
    await source.close();
    const bytes = readFileSync(file);
    writeFileSync(join(dir, 'cut.backup'), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length - 12));
    await expect(restoreBackup({ file: join(dir, 'cut.backup'), storage: 'embedded', data: join(dir, 'target') })).rejects.toThrow();
    expect(existsSync(join(dir, 'target', 'db'))).toBe(false);
    expect(existsSync(join(dir, 'target', 'db.restoring'))).toBe(false);
    await expect(restoreBackup({ file: join(dir, 'good.backup'), storage: 'postgres', pg: 'postgres://nowhere/x' })).rejects.toThrow(/backup is of embedded storage/);
    const r = await restoreBackup({ file: join(dir, 'good.backup'), storage: 'embedded', data: join(dir, 'target') });
    expect(r.records).toBeGreaterThan(0);
    await expect(restoreBackup({ file: join(dir, 'good.backup'), storage: 'embedded', data: join(dir, 'target') })).rejects.toThrow(/holds data: add --force/);
    const again = await restoreBackup({ file: join(dir, 'good.backup'), storage: 'embedded', data: join(dir, 'target'), force: true });
    expect(again.replaced).toMatch(/db\.replaced-/);
    const restored = await EmbeddedStorage.open({ dir: join(dir, 'target') });
    expect((await restored.getUser('u'))?.role).toBe('agent');
    expect((await restored.readAudit(0, 10)).map((l) => l.line.kind)).toEqual(['backup_restored']); // the backup_made line follows its snapshot
    await restored.close();
  });
});
