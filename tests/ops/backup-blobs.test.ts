import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBackup, restoreBackup } from '../../sync-server/ops/backup';
import { EmbeddedStorage } from '../../sync-server/storage/embedded';
import { PostgresStorage } from '../../sync-server/storage/postgres';
import type { SyncStorage } from '../../sync-server/storage/types';
import { usePostgres } from '../../sync-server/testing/use-postgres';

/**
 * Attachment blobs and the sites they belong to (and a site document) go through backup and restore on both storages:
 * after a restore into a fresh target, each blob is readable at exactly the sites it was before,
 * and a blob stored before sites were recorded is still siteless.
 */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = (seed: number) => Uint8Array.from({ length: 3_000 }, (_, i) => (i * seed + 1) % 256);
const [shared, mine, old] = [bytes(7), bytes(11), bytes(13)];

async function fill(s: SyncStorage): Promise<void> {
  await s.putBlob(sha(shared), shared, 'mx-plant');
  await s.putBlob(sha(shared), shared, 'other-plant');
  await s.putBlob(sha(mine), mine, 'other-plant');
  await s.putBlob(sha(old), old);
  // A site document too: a restore into a fresh PostgreSQL database once lacked its table.
  await s.putSiteDoc({ site: 'mx-plant', kind: 'rulebook', id: 'v-backup', body: 'version: 1\n', meta: { note: '备份前发布' }, by: 'admin', at: '2026-12-02T10:00:00.000Z' });
}

async function check(s: SyncStorage): Promise<void> {
  expect(await s.blobSites(sha(shared))).toEqual(['mx-plant', 'other-plant']);
  expect(await s.blobSites(sha(mine))).toEqual(['other-plant']);
  expect(await s.blobSites(sha(old))).toEqual([]);
  for (const b of [shared, mine, old]) expect(await s.getBlob(sha(b))).toEqual(b);
  expect((await s.listSiteDocs('mx-plant')).map((d) => d.id)).toEqual(['v-backup']);
}

describe('backup and restore of attachment blobs with their sites', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'closeloop-bkb-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('embedded', async () => {
    const from = await EmbeddedStorage.open({ dir: dir() });
    await fill(from);
    const file = join(dir(), 'blobs.backup');
    await makeBackup(from, file);
    await from.close();
    const data = dir();
    await restoreBackup({ file, storage: 'embedded', data });
    const to = await EmbeddedStorage.open({ dir: data });
    try {
      await check(to);
    } finally {
      await to.close();
    }
  });

  describe('PostgreSQL', () => {
    const postgres = usePostgres();

    it('into a fresh database', async () => {
      const from = await PostgresStorage.open({ url: await postgres.database(`bkb_from_${process.pid}`) });
      await fill(from);
      const file = join(dir(), 'blobs-pg.backup');
      await makeBackup(from, file);
      await from.close();
      const pg = await postgres.database(`bkb_to_${process.pid}`);
      await restoreBackup({ file, storage: 'postgres', pg });
      const to = await PostgresStorage.open({ url: pg });
      try {
        await check(to);
      } finally {
        await to.close();
      }
    }, 120_000);
  });
});
