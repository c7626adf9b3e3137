import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAutoUpdates, type UpdaterPort } from './auto-update';
import { ACCEPT, CHROMIUM, REFUSE } from './plant-ca';

/** electron-updater's `autoUpdater` as far as the seat uses it, recording what it is told. */
function fakeUpdater(answers: (() => Promise<unknown>)[]) {
  const listeners = new Map<string, (info: { version: string }) => void>();
  const state = {
    feed: null as unknown,
    verify: null as ((req: unknown, callback: (verdict: number) => void) => void) | null,
    checks: 0,
    autoDownload: false,
    autoInstallOnAppQuit: false,
  };
  const updater = {
    setFeedURL: (feed: unknown) => { state.feed = feed; },
    set autoDownload(v: boolean) { state.autoDownload = v; },
    set autoInstallOnAppQuit(v: boolean) { state.autoInstallOnAppQuit = v; },
    logger: null,
    netSession: { setCertificateVerifyProc: (fn: typeof state.verify) => { state.verify = fn; } },
    on: (event: string, fn: (info: { version: string }) => void) => { listeners.set(event, fn); },
    checkForUpdates: () => answers[Math.min(state.checks++, answers.length - 1)]!(),
    currentVersion: { version: '1.1.0' },
  };
  return { port: updater as unknown as UpdaterPort, state, emit: (event: string, version: string) => listeners.get(event)?.({ version }) };
}

const available = (version: string) => async () => ({ isUpdateAvailable: true, updateInfo: { version, files: [{ url: `Closeloop-Setup-${version}.exe` }], releaseDate: '2026-12-01T08:00:00.000Z' } });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('automatic updates from the plant’s sync server', () => {
  afterEach(() => vi.useRealTimers());

  it('reads the generic feed under the sync server, downloads by itself, installs on quit, and says what it found', async () => {
    const lines: string[] = [];
    const fake = fakeUpdater([available('1.2.0')]);
    const stop = await startAutoUpdates({ server: 'wss://sync.plant.local:8787', log: (l) => lines.push(l), now: () => new Date(), load: async () => fake.port });
    await settle();
    expect(fake.state.feed).toEqual({ provider: 'generic', url: 'https://sync.plant.local:8787/updates/' });
    expect(fake.state.autoDownload).toBe(true);
    expect(fake.state.autoInstallOnAppQuit).toBe(true);
    expect(lines).toContain('update 1.2.0 available (running 1.1.0)');
    fake.emit('update-downloaded', '1.2.0');
    expect(lines).toContain('update 1.2.0 downloaded: installs when Closeloop quits');
    expect(fake.state.verify).toBeNull(); // no plant CA: Chromium's own verdict
    stop();
  });

  it('checks again every few hours until stopped, and logs a failed check without stopping', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const fake = fakeUpdater([async () => { throw new Error('connect ECONNREFUSED'); }, async () => null, available('1.3.0')]);
    const stop = await startAutoUpdates({ server: 'http://127.0.0.1:8787', log: (l) => lines.push(l), now: () => new Date(), everyMs: 60_000, load: async () => fake.port });
    await vi.advanceTimersByTimeAsync(0);
    expect(lines).toEqual(['update check failed (http://127.0.0.1:8787/updates/): connect ECONNREFUSED']);
    await vi.advanceTimersByTimeAsync(60_000); // not packaged: electron-updater skips and logs it itself
    expect(lines).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lines.at(-1)).toBe('update 1.3.0 available (running 1.1.0)');
    stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fake.state.checks).toBe(3);
  });

  it('with the plant CA, judges the sync server’s certificate by it and leaves other hosts to Chromium', async () => {
    const fake = fakeUpdater([async () => null]);
    const stop = await startAutoUpdates({ server: 'https://sync.plant.local:8787', ca: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----', log: () => undefined, now: () => new Date(), load: async () => fake.port });
    const ask = (hostname: string, verificationResult: string) => new Promise<number>((resolve) => fake.state.verify!({ hostname, verificationResult, certificate: { data: '' } }, resolve));
    expect(await ask('github.com', 'net::ERR_CERT_AUTHORITY_INVALID')).toBe(CHROMIUM);
    expect(await ask('sync.plant.local', 'net::OK')).toBe(ACCEPT);
    expect(await ask('sync.plant.local', 'net::ERR_CERT_AUTHORITY_INVALID')).toBe(REFUSE); // a chain that does not lead to the plant CA
    stop();
  });
});
