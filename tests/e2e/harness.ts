import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** What the console end-to-end tests need around them: a built console, the host, a browser. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-results/e2e');
const HOST_ENTRY = join(ROOT, 'electron/host/main.ts');
const RENDERER_INDEX = join(ROOT, 'out/renderer/index.html');

/** Fails (never skips) with a message that says what to do. */
export function checkPrerequisites(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium" (and fonts-noto-cjk for Chinese text).`);
  }
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`The console is not built (${RENDERER_INDEX} is missing): run "npm run build" first.`);
  }
  if (!existsSync(HOST_ENTRY)) throw new Error(`The browser host is missing (${HOST_ENTRY}).`);
  mkdirSync(SHOTS, { recursive: true });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A port nobody listens on right now, so the host can be restarted on the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface RunningHost {
  url: string;
  child: ChildProcess;
  output(): string;
}

/** Starts `electron/host/main.ts` and resolves with the address it prints; `args` after --data and --port. */
export function startHost(dataDir: string, port: number, timeoutMs = 90_000, args: readonly string[] = ['--demo', '50']): Promise<RunningHost> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_ENTRY, '--data', dataDir, '--port', String(port), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  const output = () => out;
  return new Promise((resolveHost, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host printed no address within ${timeoutMs} ms. Output:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveHost({ url: m[0], child, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The host exited (${signal ?? code}) before printing its address. Output:\n${out}`));
    });
  });
}

/** Kills the host outright (SIGKILL): what it acknowledged must already be on disk. */
export function killHost(host: RunningHost): Promise<void> {
  return new Promise((done) => {
    if (host.child.exitCode !== null || host.child.signalCode !== null) return done();
    host.child.once('exit', () => done());
    host.child.kill('SIGKILL');
  });
}

/** Ends a suite: closes the browser, kills its host and removes its data folder. */
export async function tearDown(browser: Browser | null, host: RunningHost | null, dataDir: string): Promise<void> {
  await browser?.close();
  if (host) await killHost(host);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

/** A screenshot named after the failed test, so a red run shows what the page looked like. */
export async function shotOnFailure(page: Page | undefined, prefix: string, task: { name: string; result?: { state?: string } }): Promise<void> {
  if (task.result?.state !== 'fail' || !page) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${prefix}failed-${task.name.slice(0, 40).replace(/[^\w\u4e00-\u9fff]+/g, '-')}.png`) });
}
