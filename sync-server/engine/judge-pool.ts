import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JudgedTicket } from './new-tickets';
import type { PolicyActor } from './policy';

/** tsx's ESM API (`register`) as an absolute URL: its "import" entry, beside the "require" one Node's resolver finds. */
function tsxApi(): string {
  const required = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(join(dirname(required), 'index.mjs')).href;
}

/** Judges tickets new to the server somewhere else than the push pipeline's own thread. */
export interface NewTicketJudge {
  /** False until the judge can take work (the pipeline then judges everything itself). */
  readonly ready: boolean;
  judge(tickets: { id: string; changes: Uint8Array[] }[], actor: PolicyActor): Promise<JudgedTicket[]>;
  close(): Promise<void>;
}

/** What the server log is told about the worker (each at most once per event). */
export interface WorkerJudgeEvents {
  /** A worker (the first, or a restarted one) takes work. */
  onReady?: () => void;
  /** A worker could not start or died: the pipeline judges everything itself until another is ready. */
  onFail?: (e: Error) => void;
  /** A new worker is being started after `failedStarts` consecutive workers that never became ready. */
  onRestart?: (failedStarts: number) => void;
  /** `failedStarts` workers in a row died before becoming ready: no further worker is started. */
  onGiveUp?: (failedStarts: number) => void;
}

export interface WorkerJudgeOptions {
  /** No start attempt sooner than this after the previous one (default 30 s). */
  restartGapMs?: number;
  /** Give up after this many consecutive workers that never became ready (default 3). */
  maxFailedStarts?: number;
  /** The clock for the gap, in ms. */
  now?: () => number;
  /** The worker's entry module (tests: one that fails at start); default judge-worker.ts. */
  entry?: URL;
}

/**
 * One worker thread that judges new tickets (judge-worker.ts), so that a push of many new tickets
 * (a seat back from a long offline stretch, an import) uses a second core: loading a new ticket's
 * document is most of the server's time in such a push (measured: 3.3 of 5.7 s of the main thread
 * for 5,000 tickets). Started when first asked whether it is ready (the first big push), so a
 * server that never gets one never pays for it. The server runs TypeScript through tsx; a worker
 * does not inherit the `--import` hook, so it registers tsx itself before loading its entry.
 *
 * A worker that dies (crash, `process.exit` in it, an uncaught error) fails the requests it holds
 * (the pipeline judges those tickets itself) and is replaced at the next push that asks whether the
 * judge is ready — that push is judged on the main thread while the new worker starts. The retry
 * policy is bounded two ways: at most one start attempt per `restartGapMs` (30 s), so a worker that
 * dies on every job costs one start per gap, not one per push; and after `maxFailedStarts` (3)
 * workers in a row that die before saying they are ready (no thread to be had, a broken install)
 * no further worker is started for the life of the process. A worker that becomes ready resets
 * that count.
 */
export class WorkerJudge implements NewTicketJudge {
  private worker: Worker | null = null;
  private state: 'idle' | 'starting' | 'ready' | 'dead' | 'given-up' | 'closed' = 'idle';
  private rid = 0;
  /** Consecutive workers that died (or could not be created) before becoming ready. */
  private failedStarts = 0;
  private lastStart = -Infinity;
  private readonly restartGapMs: number;
  private readonly maxFailedStarts: number;
  private readonly now: () => number;
  private readonly entry: URL;
  private readonly waiting = new Map<number, { resolve: (j: JudgedTicket[]) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly events: WorkerJudgeEvents = {},
    options: WorkerJudgeOptions = {},
  ) {
    this.restartGapMs = options.restartGapMs ?? 30_000;
    this.maxFailedStarts = options.maxFailedStarts ?? 3;
    this.now = options.now ?? Date.now;
    this.entry = options.entry ?? new URL('./judge-worker.ts', import.meta.url);
  }

  get ready(): boolean {
    if (this.state === 'idle') this.start();
    else if (this.state === 'dead' && this.now() - this.lastStart >= this.restartGapMs) {
      this.events.onRestart?.(this.failedStarts);
      this.start();
    }
    return this.state === 'ready';
  }

  /** The running worker's thread id (null while none runs): tells one worker from its replacement. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  /** Test seam: ends the running worker as a crash would (its requests fail, it is restarted later). */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  private start(): void {
    this.state = 'starting';
    this.lastStart = this.now();
    let worker: Worker | null = null;
    const fail = (e: Error) => {
      // Each worker fails once ('error' is followed by 'exit'); a replaced or closed one is not reported.
      if (this.state === 'closed' || this.state === 'given-up' || this.worker !== worker) return;
      if (this.state === 'starting') this.failedStarts++;
      this.worker = null;
      this.state = this.failedStarts >= this.maxFailedStarts ? 'given-up' : 'dead';
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.events.onFail?.(e);
      if (this.state === 'given-up') this.events.onGiveUp?.(this.failedStarts);
    };
    try {
      // Absolute URLs: an evaluated worker resolves bare names from the working directory, which
      // need not be the project's (the server may be started from anywhere).
      const boot = `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(this.entry.href)}); })`;
      worker = new Worker(boot, { eval: true });
    } catch (e) {
      // No thread to be had (ERR_WORKER_INIT_FAILED under a thread or memory limit), or no tsx: a failed start.
      fail(e as Error);
      return;
    }
    const started = worker;
    this.worker = started;
    started.unref();
    started.on('message', (m: { ready?: boolean; rid?: number; judged?: JudgedTicket[]; error?: string }) => {
      if (this.worker !== started) return;
      if (m.ready) {
        if (this.state !== 'starting') return;
        this.state = 'ready';
        this.failedStarts = 0;
        this.events.onReady?.();
        return;
      }
      const w = this.waiting.get(m.rid!);
      this.waiting.delete(m.rid!);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.judged!);
    });
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`the judge worker exited (${code})`)));
  }

  judge(tickets: { id: string; changes: Uint8Array[] }[], actor: PolicyActor): Promise<JudgedTicket[]> {
    if (this.state !== 'ready' || !this.worker) return Promise.reject(new Error('the judge worker is not running'));
    const rid = ++this.rid;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(rid, { resolve, reject });
      worker.postMessage({ rid, tickets, actor });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.state = 'closed'; // closing is not a failure: nothing is reported
    for (const w of this.waiting.values()) w.reject(new Error('the judge worker was closed'));
    this.waiting.clear();
    if (worker) await worker.terminate();
  }
}
