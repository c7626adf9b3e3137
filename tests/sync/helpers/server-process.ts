import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** The real sync server as a child process on 127.0.0.1 (`node --import tsx sync-server/main.ts`). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  data: string;
  proc: ChildProcess;
  stderr: () => string;
  /** SIGKILL: no shutdown, no flush. */
  kill9(): Promise<void>;
  /** Starts again on the same data folder and port. */
  restart(extra?: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  demo?: number;
  data?: string;
  args?: string[];
  port?: number;
}

function launch(args: string[]): Promise<{ proc: ChildProcess; port: number; err: string[] }> {
  // SYNC_SERVER_NODE_ARGS: extra node flags for the server (e.g. --cpu-prof when profiling).
  const nodeArgs = (process.env.SYNC_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, 'sync-server', 'main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], });
  const err: string[] = [];
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (c: string) => {
    err.push(c);
    if (err.length > 200) err.splice(0, 100);
  });
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`sync server did not start: ${err.join('')}`)), 120_000);
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: string; port?: number };
        if (m.event === 'listening' && m.port) {
          clearTimeout(timer);
          res({ proc, port: m.port, err });
        }
      } catch {
        // not the ready line
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`sync server exited (${code}): ${err.join('')}`));
    });
  });
}

const exited = (p: ChildProcess) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r())));

export async function startServer(opts: ServerOptions = {}): Promise<ServerProcess> {
  const ownData = !opts.data;
  const data = opts.data ?? mkdtempSync(join(tmpdir(), 'closeloop-sync-'));
  const base = (port: number) => ['--data', data, '--host', '127.0.0.1', '--port', String(port), ...(opts.demo !== undefined ? ['--demo', String(opts.demo)] : []), ...(opts.args ?? [])];
  let { proc, port, err } = await launch(base(opts.port ?? 0));
  const sp: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    data,
    proc,
    stderr: () => err.join(''),
    async kill9() {
      sp.proc.kill('SIGKILL');
      await exited(sp.proc);
    },
    async restart(extra: string[] = []) {
      ({ proc, port, err } = await launch([...base(port), ...extra]));
      sp.proc = proc;
    },
    async stop() {
      sp.proc.kill('SIGTERM');
      const t = setTimeout(() => sp.proc.kill('SIGKILL'), 5_000);
      await exited(sp.proc);
      clearTimeout(t);
      if (ownData) rmSync(data, { recursive: true, force: true });
    },
  };
  return sp;
}
