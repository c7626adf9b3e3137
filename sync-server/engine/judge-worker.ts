/**
 * The judge worker's entry (a worker thread, see judge-pool.ts): judges pushed tickets the server
 * does not have yet, off the main thread, and posts the verdicts back as plain data.
 */
import { parentPort } from 'node:worker_threads';
import { judgeNewTickets } from './new-tickets';
import type { PolicyActor } from './policy';

interface Job {
  rid: number;
  tickets: { id: string; changes: Uint8Array[] }[];
  actor: PolicyActor;
}

const port = parentPort!;
port.on('message', (job: Job) => {
  judgeNewTickets(job.tickets, job.actor).then(
    (judged) => port.postMessage({ rid: job.rid, judged }),
    (e: unknown) => port.postMessage({ rid: job.rid, error: (e as Error).message ?? String(e) }),
  );
});
port.postMessage({ ready: true });
