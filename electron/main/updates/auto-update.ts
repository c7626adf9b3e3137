import type * as ElectronUpdater from 'electron-updater';
import type { AppUpdater } from 'electron-updater';
import { describeVerdict, updateFeedUrl } from './check';
import { plantCaVerifier } from './plant-ca';

/**
 * Updates from the plant's own sync server (docs/operations.md § Updates): electron-updater's
 * generic provider pointed at `<CLOSELOOP_SERVER>/updates/`, checked at start and every few hours;
 * a downloaded update installs when the app quits. electron-updater is imported here, lazily, and
 * only by the Electron composition root: plain Node (electron/host, tests) never loads it.
 *
 * No seat token is sent: the feed is public on the plant network by design (sync-server/updates/routes.ts).
 */
export const CHECK_EVERY_MS = 4 * 3_600_000;

/** What this module uses of electron-updater's `autoUpdater` (a fake one in the tests: Electron is not there). */
export type UpdaterPort = Pick<AppUpdater, 'setFeedURL' | 'autoDownload' | 'autoInstallOnAppQuit' | 'logger' | 'netSession' | 'on' | 'checkForUpdates' | 'currentVersion'>;

export interface AutoUpdateOptions {
  /** CLOSELOOP_SERVER. */
  server: string;
  /** CLOSELOOP_CA's PEM, the plant CA: the updater's session trusts the server's certificate by it too. */
  ca?: string;
  log: (line: string) => void;
  now: () => Date;
  everyMs?: number;
  /** electron-updater's `autoUpdater` (default: imported now). */
  load?: () => Promise<UpdaterPort>;
}

async function loadUpdater(): Promise<UpdaterPort> {
  // electron-updater is CommonJS and defines `autoUpdater` with a getter; take it from the default export when the ESM view lacks it.
  const mod = (await import('electron-updater')) as typeof ElectronUpdater & { default?: typeof ElectronUpdater };
  return mod.default?.autoUpdater ?? mod.autoUpdater;
}

/** Starts checking; returns a function that stops the timer. */
export async function startAutoUpdates(opts: AutoUpdateOptions): Promise<() => void> {
  const url = updateFeedUrl(opts.server);
  const updater = await (opts.load ?? loadUpdater)();
  updater.setFeedURL({ provider: 'generic', url });
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.logger = { info: (m) => opts.log(String(m)), warn: (m) => opts.log(`warning: ${String(m)}`), error: (m) => opts.log(`error: ${String(m)}`), debug: () => undefined };
  if (opts.ca) {
    const verify = plantCaVerifier({ host: new URL(url).hostname, ca: opts.ca, now: opts.now });
    updater.netSession.setCertificateVerifyProc((req, callback) => callback(verify(req)));
  }
  updater.on('update-available', (info) => opts.log(`update ${info.version} available: downloading from ${url}`));
  updater.on('update-downloaded', (info) => opts.log(`update ${info.version} downloaded: installs when Closeloop quits`));
  const check = () =>
    updater.checkForUpdates().then(
      (r) => {
        if (!r) return; // not packaged: electron-updater skips the check and says so in its log
        const [version, current] = [r.updateInfo.version, updater.currentVersion.version];
        const files = r.updateInfo.files.map((f) => f.url);
        opts.log(describeVerdict(r.isUpdateAvailable ? { kind: 'available', version, current, files, releaseDate: r.updateInfo.releaseDate ?? null } : { kind: 'none', version, current }));
      },
      (e: unknown) => opts.log(`update check failed (${url}): ${(e as Error).message}`),
    );
  void check();
  const timer = setInterval(() => void check(), opts.everyMs ?? CHECK_EVERY_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
