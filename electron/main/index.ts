import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session, type WebContents } from 'electron';
import { calls, dispatch, type CallContext, type CallName, type ContractErrorBody } from '../contract/ipc';
import { callChannel, eventChannel } from '../preload/channels';
import cn2026 from '../../rules/calendars/cn-2026.yaml?raw';
import seedPack from '../../rules/packs/seed.yaml?raw';
import { parseCalendarFile } from '../../rules';
import { createLocalNode } from './node';
import { APP_ORIGIN, appOrigins, contentSecurityPolicy, hardenEveryContents, hardenSession, isTrustedSender } from './security';
import { registerAppScheme, serveApp } from './window/app-protocol';
import { openMainWindow } from './window/main-window';
import { startAutoUpdates } from './updates/auto-update';

/**
 * Electron's composition root: wires the local node, the contract's IPC handlers, the security
 * modules and the window together. No state at module level: everything lives in `start()`.
 */
registerAppScheme(protocol); // before 'ready', as Electron requires
app.enableSandbox();

const UNTRUSTED: ContractErrorBody = { code: 'not_allowed', message: '调用来自非本应用页面，已拒绝' };

async function start(): Promise<void> {
  const appDir = app.getAppPath();
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const origins = appOrigins(devUrl);
  const csp = contentSecurityPolicy({ connect: origins.filter((o) => o.startsWith('ws:')) });
  const policy = { origins, csp };
  hardenSession(session.defaultSession, policy);
  hardenEveryContents(app, policy);
  serveApp(protocol, join(appDir, 'out', 'renderer'), csp);

  const dataDir = process.env.CLOSELOOP_DATA_DIR ?? app.getPath('userData');
  // The built-in rulebook and calendars are embedded at build time: the packaged app ships out/ only.
  const calendar = parseCalendarFile(cn2026, 'cn-2026.yaml');
  const rulebook = { seed: { text: seedPack, file: 'seed.yaml' }, calendars: { [calendar.name]: calendar } };
  // CLOSELOOP_SERVER: the plant's sync server (http://host:port); without it the seat runs alone.
  const server = process.env.CLOSELOOP_SERVER;
  // CLOSELOOP_CA: a PEM file with the plant CA that issued the server's certificate.
  const ca = process.env.CLOSELOOP_CA ? readFileSync(process.env.CLOSELOOP_CA, 'utf8') : undefined;
  const node = await createLocalNode({ dataDir, seat: process.env.CLOSELOOP_SEAT ?? 'AA', rules: { source: rulebook }, ...(server ? { sync: { server, ...(ca ? { ca } : {}) } } : {}) });
  // Updates come from the plant's sync server (/updates/), only when one is configured; a failure is logged, never fatal.
  const stopUpdates = server
    ? await startAutoUpdates({ server, ...(ca ? { ca } : {}), now: () => new Date(), log: (line) => console.log(`[updates] ${line}`) }).catch((e: unknown) => {
        console.error('[updates] not started:', (e as Error).message);
        return () => undefined;
      })
    : () => undefined;
  const demo = Number(process.env.CLOSELOOP_DEMO ?? 0);
  if (!server && demo > 0 && (await node.handlers['node.status']({}, { session: null })).ticketCount === 0) {
    await node.seedDemo({ count: demo, seed: 1 });
  }

  // One CallContext per window (its session), dropped with the window.
  const contexts = new Map<number, CallContext>();
  const ctxFor = (sender: WebContents): CallContext => {
    let ctx = contexts.get(sender.id);
    if (!ctx) {
      const id = sender.id;
      ctx = { session: null };
      contexts.set(id, ctx);
      sender.once('destroyed', () => contexts.delete(id));
    }
    return ctx;
  };
  for (const name of Object.keys(calls) as CallName[]) {
    ipcMain.handle(callChannel(name), (e, input: unknown) => {
      if (!isTrustedSender(e.senderFrame?.url, origins)) return { ok: false, error: UNTRUSTED };
      return dispatch(node.handlers, name, input, ctxFor(e.sender));
    });
  }
  const unsubscribe = node.subscribe((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(eventChannel(event), payload);
  });

  const icon = join(appDir, 'build', 'icon.png'); // packaged apps take theirs from electron-builder
  const spec = { preload: join(appDir, 'out', 'preload', 'index.cjs'), ...(existsSync(icon) ? { icon } : {}) };
  const open = () => openMainWindow(BrowserWindow, spec, devUrl ?? `${APP_ORIGIN}/`);
  await open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closed = false;
  app.on('will-quit', (e) => {
    if (closed) return;
    e.preventDefault();
    closed = true;
    unsubscribe();
    stopUpdates();
    for (const name of Object.keys(calls)) ipcMain.removeHandler(callChannel(name as CallName));
    node.close().finally(() => app.quit());
  });
}

app.whenReady().then(start).catch((e: unknown) => {
  console.error('Closeloop failed to start:', e);
  app.exit(1);
});
