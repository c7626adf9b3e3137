import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './helpers/server-process';

/**
 * The real server warms up (sync-server/engine/warm-up.ts) after it says it listens, in the
 * background: it answers at once, and says in its log what the warm-up did.
 */
let server: ServerProcess | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

describe('the server warming up after a start', () => {
  it('answers once it listens, and logs the warm-up once done', async () => {
    server = await startServer({ demo: 60 });
    const s = server;
    // It answers at once; whether before or after the warm-up ends depends on the machine's load
    // (engine/warm-up.test.ts proves a push goes through while the warm-up waits on storage).
    const health = await fetch(s.url + '/healthz');
    expect(health.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (!/warm-up:/.test(s.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(s.stderr()).toMatch(/warm-up: 5 edits rehearsed, 60 recently changed tickets loaded into the document cache in \d+ ms\n/);
  }, 60_000);
});
