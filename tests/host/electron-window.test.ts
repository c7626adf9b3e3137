import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Opens the real Electron app and checks what a page inside it can and cannot reach. Needs the
 * Electron binary; where the npm package came without it, the test says so in one line and passes.
 */
const root = process.cwd();

function electronBinary(): string | null {
  const pathTxt = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

describe('the Electron window', () => {
  it('exposes only the contract to an isolated, sandboxed page', async () => {
    const executablePath = electronBinary();
    if (!executablePath) {
      console.log('skipped: no Electron binary');
      return;
    }
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
      expect(spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' }).status).toBe(0);
    }
    const { _electron } = await import('playwright-core');
    const dataDir = await mkdtemp(join(tmpdir(), 'closeloop-electron-'));
    const app = await _electron.launch({ executablePath, args: [root], env: { ...process.env, CLOSELOOP_DATA_DIR: dataDir } });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      const seen = await page.evaluate(async () => {
        const w = window as unknown as Record<string, unknown> & { closeloop: Record<string, unknown> };
        const site = (await (w.closeloop['site.info'] as (i: object) => Promise<{ site: { id: string } }>)({})).site.id;
        let nodeSeen = false;
        try {
          nodeSeen = typeof (globalThis as Record<string, unknown>).process !== 'undefined' || typeof w.require !== 'undefined';
        } catch {
          nodeSeen = false;
        }
        return { origin: location.origin, keys: Object.keys(w.closeloop).sort(), site, nodeSeen, opened: window.open('https://example.com') === null };
      });
      expect(seen.keys).toContain('tickets.list');
      expect(seen.keys).toContain('on');
      expect(seen.keys).not.toContain('send');
      expect(seen.site).toBe('mx-plant');
      expect(seen.nodeSeen).toBe(false);
      expect(seen.opened).toBe(true);
      expect(seen.origin).toBe('app://closeloop');
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
