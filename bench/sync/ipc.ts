import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Seen } from './stats';

/** The commands a bench seat process takes (seat-process.ts) and its replies, over Node IPC. */
export type SeatCommand =
  | { cmd: 'signIn'; url: string; password: string; seats: { name: string; user: string }[]; timeoutMs: number }
  /** Seats on the fan-out floor's bare server (floor-server.ts): no login, any token. */
  | { cmd: 'attach'; url: string; seats: { name: string; user: string }[]; timeoutMs: number }
  | { cmd: 'openTickets'; seat: string; limit: number }
  | { cmd: 'record'; on: boolean }
  | { cmd: 'edit'; seat: string; ticket: string; n: number }
  | { cmd: 'seen' }
  | { cmd: 'create'; seat: string; count: number }
  | { cmd: 'expect'; seat: string; count: number; timeoutMs: number }
  | { cmd: 'count'; seat: string }
  | { cmd: 'stop' };

export interface SeatReply {
  ok: boolean;
  error?: string;
  ms?: number;
  at?: number | null;
  ids?: string[];
  seen?: Seen[];
  count?: number;
  pending?: number;
}

/** A child process (`node --import tsx <script>`) answering commands one reply each, by id. */
export class ChildWorker<C extends object, R extends { ok: boolean; error?: string }> {
  private readonly proc: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: R) => void; reject: (e: Error) => void }>();

  constructor(script: string, args: string[] = [], env: Record<string, string> = {}) {
    // BENCH_SYNC_NODE_ARGS: extra node flags for these processes (e.g. --cpu-prof when profiling).
    const nodeArgs = (process.env.BENCH_SYNC_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.proc = fork(fileURLToPath(new URL(script, import.meta.url)), args, { execArgv: [...nodeArgs, '--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
    this.proc.on('message', (raw) => {
      const r = raw as R & { id: number };
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (!w) return;
      if (r.ok) w.resolve(r);
      else w.reject(new Error(r.error ?? 'failed'));
    });
    this.proc.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`${script} exited (${code})`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.proc.pid ?? 0;
  }

  ask(command: C): Promise<R> {
    const id = ++this.next;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.proc.send({ ...command, id });
    });
  }

  /** Disconnects and waits for the exit (SIGKILL after 10 s). */
  async close(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    if (this.proc.connected) this.proc.disconnect();
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
}

/** The commands of the fan-out floor's server (floor-server.ts). */
export type FloorCommand = { cmd: 'start'; tickets: number } | { cmd: 'send'; ticket: string; n: number };

export interface FloorReply {
  ok: boolean;
  error?: string;
  url?: string;
  ids?: string[];
  at?: number;
  count?: number;
}

export type FloorProcess = ChildWorker<FloorCommand, FloorReply>;
export const floorProcess = (): FloorProcess => new ChildWorker<FloorCommand, FloorReply>('./floor-server.ts');

/** The child's side of a `ChildWorker`: answers each command with `handle`'s reply (or its error), by id; exits with its parent. */
export function answerCommands<C>(handle: (m: C) => Promise<object>): void {
  process.on('message', (raw) => {
    const m = raw as C & { id: number };
    handle(m).then(
      (r) => process.send!({ ...r, id: m.id }),
      (e: unknown) => process.send!({ ok: false, error: (e as Error).stack ?? String(e), id: m.id }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

export type SeatProcess = ChildWorker<SeatCommand, SeatReply>;
export const seatProcess = (): SeatProcess => new ChildWorker<SeatCommand, SeatReply>('./seat-process.ts');

/**
 * Runs `node [nodeArgs] --import tsx <script> [args]` (a path next to this file) to its end, its
 * stderr shown; resolves with its stdout, rejects naming `what` when it exits with another code than 0.
 */
export function runScript(script: string, args: string[], what: string, nodeArgs: string[] = []): Promise<string> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${what} failed (${code})`))));
  });
}
