import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DEMO_SITE } from '../../domain';
import { EmbeddedStorage } from '../storage/embedded';

/**
 * In a test file or `describe` block: `fresh(prefix)` opens embedded storage in a new temp folder
 * with the demo site in it; every storage opened is closed, and its folder removed, after each test.
 */
export function useEmbeddedStorage(): { fresh(prefix: string): Promise<EmbeddedStorage> } {
  const dirs: string[] = [];
  const open: EmbeddedStorage[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    async fresh(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      const storage = await EmbeddedStorage.open({ dir });
      open.push(storage);
      await storage.putSite({ ...DEMO_SITE });
      return storage;
    },
  };
}
