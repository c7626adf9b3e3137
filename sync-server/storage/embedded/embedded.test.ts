import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_SITE } from '../../../domain';
import { runSyncStorageTests, sampleTicket } from '../acceptance';
import type { NewChange } from '../types';
import { EmbeddedStorage } from './index';

runSyncStorageTests('embedded (classic-level)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-embedded-'));
  let storage = await EmbeddedStorage.open({ dir });
  return {
    storage,
    async reopen() {
      await storage.close();
      storage = await EmbeddedStorage.open({ dir });
      return storage;
    },
    async teardown() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}, { multiInstance: false });

describe('embedded ticket log', () => {
  it('commits an edit of a ticket it wrote without reading the ticket first (its meta is kept in memory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'closeloop-embedded-'));
    const storage = await EmbeddedStorage.open({ dir });
    try {
      const a = sampleTicket('MX20260218-0001');
      const seat = 'seat-1';
      const at = '2026-02-18T08:00:00.000Z';
      const commit = (changes: NewChange[], extra: { no?: string; basedOn?: string[] }) =>
        storage.commit({ seat, tickets: [{ id: a.id, site: DEMO_SITE.id, changes, row: null, basedOn: extra.basedOn ?? [], ...(extra.no ? { no: extra.no } : {}) }], audit: [{ at, kind: 'accept', seat, ticket: a.id, hashes: changes.map((c) => c.hash) }] });
      await commit([a.created], { no: 'MX20260218-0001' });
      // The sublevels read through the database's getMany: none may happen before the edit's write.
      const db = (storage as unknown as { db: { getMany: (...args: unknown[]) => unknown } }).db;
      const reads = vi.spyOn(db, 'getMany');
      const e1 = a.edit('title', 'y');
      const res = await commit([e1], { basedOn: [a.created.hash] });
      expect(res.tickets[0]).toEqual({ id: a.id, heads: a.heads(), merged: false });
      expect(reads).not.toHaveBeenCalled();
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
