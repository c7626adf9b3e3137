import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { ICO_SIZES, LINUX_SIZES } from '../../scripts/make-icons';
import { parseConfig } from '../../sync-server/config';
import { ROOT } from '../sync/helpers/server-process';

/** The packaging configuration, checked where Electron cannot be downloaded (the installers are built elsewhere). */
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  files: string[];
  linux: { target: string[]; icon: string; category: string; maintainer: string };
  win: { target: { target: string; arch: string[] }[]; icon: string };
  nsis: { oneClick: boolean; installerIcon: string; uninstallerIcon: string };
  publish: { provider: string; url: string };
}

const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

function icoEntries(buf: Buffer): { size: number; png: Buffer }[] {
  expect(buf.readUInt16LE(0)).toBe(0);
  expect(buf.readUInt16LE(2)).toBe(1);
  return Array.from({ length: buf.readUInt16LE(4) }, (_, i) => {
    const at = 6 + 16 * i;
    const size = buf.readUInt8(at) || 256;
    return { size, png: buf.subarray(buf.readUInt32LE(at + 12), buf.readUInt32LE(at + 12) + buf.readUInt32LE(at + 8)) };
  });
}

describe('packaging configuration', () => {
  it('builds deb and AppImage for Linux and an NSIS installer for Windows from the electron-vite output', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(expect.arrayContaining(['deb', 'AppImage']));
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis.oneClick).toBe(false);
    expect(config.files).toEqual(['out/**']);
    expect(config.directories.buildResources).toBe('build');
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb refuses to build without one
  });

  it('has every icon it names, at the right sizes', async () => {
    for (const size of LINUX_SIZES) {
      const file = join(ROOT, config.linux.icon, `${size}x${size}.png`);
      expect(existsSync(file), file).toBe(true);
      const m = await sharp(file).metadata();
      expect([m.format, m.width, m.height]).toEqual(['png', size, size]);
    }
    expect(await sharp(join(ROOT, 'build', 'icon.png')).metadata()).toMatchObject({ format: 'png', width: 512, height: 512 });
    for (const ico of new Set([config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon])) {
      const entries = icoEntries(readFileSync(join(ROOT, ico)));
      expect(entries.map((e) => e.size)).toEqual(ICO_SIZES);
      for (const e of entries) expect(await sharp(e.png).metadata()).toMatchObject({ format: 'png', width: e.size, height: e.size });
    }
  });

  it('ships a systemd unit and a documented configuration file for the sync server', () => {
    const unit = readFileSync(join(ROOT, 'build', 'closeloop-sync.service'), 'utf8');
    for (const section of ['[Unit]', '[Service]', '[Install]']) expect(unit).toContain(section);
    expect(unit).toMatch(/^User=closeloop$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/closeloop\/sync\.env$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node --import tsx \/opt\/closeloop\/sync-server\/main\.ts .*\$CLOSELOOP_TLS/m);
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    const env = readFileSync(join(ROOT, 'build', 'closeloop-sync.env'), 'utf8');
    const vars = Object.fromEntries(env.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    for (const v of (unit.match(/\$CLOSELOOP_[A-Z]+/g) ?? []).map((x) => x.slice(1))) expect(Object.keys(vars)).toContain(v);
    expect(vars.CLOSELOOP_TLS).toMatch(/--tls-cert \S+ --tls-key \S+/);
    const argv = ['CLOSELOOP_LISTEN', 'CLOSELOOP_STORAGE', 'CLOSELOOP_TLS', 'CLOSELOOP_EXTRA'].flatMap((k) => (vars[k] ?? '').split(/\s+/).filter(Boolean));
    expect(parseConfig(argv)).toMatchObject({ host: '0.0.0.0', storage: 'embedded', tlsCert: '/etc/closeloop/tls/server.crt' });
  });

  it('feeds updates from the sync server: a generic provider whose URL the seat replaces at run time', () => {
    expect(config.publish.provider).toBe('generic');
    expect(new URL(config.publish.url).pathname).toBe('/updates/');
    expect(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')).toMatch(/placeholder[\s\S]*CLOSELOOP_SERVER/);
  });
});

/**
 * electron-builder's own validation (app-builder-lib, pinned with electron-builder in devDependencies):
 * the file is loaded the way `electron-builder` loads it and checked against the schema it ships,
 * the same check it runs before packaging. No Electron download is involved.
 */
describe('electron-builder.yml against electron-builder’s configuration schema', () => {
  // validateConfiguration only asks its debug logger whether it is on: a silent stand-in (the class lives in builder-util, a transitive package).
  const quiet = { isEnabled: false, add: () => undefined } as unknown as Parameters<typeof validateConfiguration>[1];
  const load = () => getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);

  it('is a valid configuration', async () => {
    const loaded = await load();
    expect(loaded.appId).toBe(config.appId);
    await expect(validateConfiguration(loaded, quiet)).resolves.toBeUndefined();
  });

  it('fails on a misspelt option, a wrong type or an unknown top-level key (the check can fail)', async () => {
    const loaded = await load();
    await expect(validateConfiguration({ ...loaded, linux: { ...loaded.linux, tagret: ['deb'] } } as typeof loaded, quiet)).rejects.toThrow(/configuration\.linux/);
    await expect(validateConfiguration({ ...loaded, nsis: { ...loaded.nsis, oneClick: 'no' } } as unknown as typeof loaded, quiet)).rejects.toThrow(/nsis\.oneClick/);
    await expect(validateConfiguration({ ...loaded, pubish: null } as typeof loaded, quiet)).rejects.toThrow(/pubish/);
  });
});
