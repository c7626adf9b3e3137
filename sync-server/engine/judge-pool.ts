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

/**
 * One worker thread that judges new tickets (judge-worker.ts), so that a push of many new tickets
 * (a seat back from a long offline stretch, an import) uses a second core: loading a new ticket's
 * document is most of the server's time in such a push (measured: 3.3 of 5.7 s of the main thread
 * for 5,000 tickets). Started when first asked whether it is ready (the first big push), so a
 * server that never gets one never pays for it. The server runs TypeScript through tsx; a worker
 * does not inherit the `--import` hook, so it registers tsx itself before loading its entry.
 */
export class WorkerJudge implements NewTicketJudge {
  private worker: Worker | null = null;
  private state: 'idle' | 'starting' | 'ready' | 'failed' = 'idle';
  private rid = 0;
  private readonly waiting = new Map<number, { resolve: (j: JudgedTicket[]) => void; reject: (e: Error) => void }>();

  /**
   * `onReady`: told once the worker takes work; `onFail`: told once when it cannot start or dies
   * (the pipeline then judges everything itself).
   */
  constructor(private readonly events: { onReady?: () => void; onFail?: (e: Error) => void } = {}) {}

  get ready(): boolean {
    if (this.state === 'idle') this.start();
    return this.state === 'ready';
  }

  private start(): void {
    this.state = 'starting';
    const fail = (e: Error) => {
      if (this.state === 'failed') return;
      this.state = 'failed';
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.events.onFail?.(e);
    };
    let worker: Worker;
    try {
      // Absolute URLs: an evaluated worker resolves bare names from the working directory, which
      // need not be the project's (the server may be started from anywhere).
      const entry = new URL('./judge-worker.ts', import.meta.url).href;
      const boot = `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
      worker = new Worker(boot, { eval: true });
    } catch (e) {
      // No thread to be had (ERR_WORKER_INIT_FAILED under a thread or memory limit), or no tsx: never asked again.
      fail(e as Error);
      return;
    }
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: { ready?: boolean; rid?: number; judged?: JudgedTicket[]; error?: string }) => {
      if (m.ready) {
        if (this.state !== 'starting') return;
        this.state = 'ready';
        this.events.onReady?.();
        return;
      }
      const w = this.waiting.get(m.rid!);
      this.waiting.delete(m.rid!);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.judged!);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the judge worker exited (${code})`)));
  }

  judge(tickets: { id: string; changes: Uint8Array[] }[], actor: PolicyActor): Promise<JudgedTicket[]> {
    if (this.state !== 'ready' || !this.worker) return Promise.reject(new Error('the judge worker is not running'));
    const rid = ++this.rid;
    return new Promise((resolve, reject) => {
      this.waiting.set(rid, { resolve, reject });
      this.worker!.postMessage({ rid, tickets, actor });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.state = 'failed'; // closing is not a failure: nothing is reported
    for (const w of this.waiting.values()) w.reject(new Error('the judge worker was closed'));
    this.waiting.clear();
    if (worker) await worker.terminate();
  }
}
