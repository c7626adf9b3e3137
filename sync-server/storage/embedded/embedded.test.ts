import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSyncStorageTests } from '../acceptance';
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
