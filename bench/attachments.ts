/**
 * Attachments bench (`npm run -s bench:attachments -- --json [--quick]`), in one run on this machine:
 *
 *   thumbWorkerMs        thumbnail (320 px WebP) of a 12 MP JPEG in the image worker: median of the
 *                        time inside the worker, and the round trip seen by the node
 *   thumbMainMs          baseline: the same sharp pipeline called on the node's main thread
 *   loopDelayMaxMs       the worst event-loop delay while each of those runs (perf_hooks histogram)
 *   upload100Ms          100 photos added while the sync server is down, from the server coming
 *                        back until the seat's upload queue is empty (real server on 127.0.0.1)
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { COMPLETE_SYSTEM_FORM } from '../domain/testing/fixtures';
import { ImageWorker } from '../electron/main/attachments';
import { createLocalNode } from '../electron/main/node';
import type { CallContext } from '../electron/contract/ipc';
import { startServer } from '../tests/sync/helpers/server-process';
import { waitFor } from '../tests/sync/helpers/seat';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const RUNS = quick ? 3 : 7;
const UPLOADS = 100;
const started = Date.now();
const log = (line: string) => process.stderr.write(`[bench:attachments ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number) => Math.round(n * 10) / 10;

async function photo12mp(): Promise<Uint8Array> {
  // Noise, so the JPEG is photo-sized (a flat colour would compress to nothing).
  const raw = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#6a7f5c', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .blur(1.2).jpeg({ quality: 88 }).toBuffer();
  return new Uint8Array(raw);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; loopMaxMs: number; value: T }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  h.disable();
  return { ms, loopMaxMs: h.max / 1e6, value };
}

async function thumbnails(input: Uint8Array) {
  const worker = new ImageWorker();
  await worker.thumbnail(input); // start the worker, warm sharp
  const inside: number[] = [];
  const round1: number[] = [];
  const loopW: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(() => worker.thumbnail(input));
    inside.push(r.value.thumbMs);
    round1.push(r.ms);
    loopW.push(r.loopMaxMs);
  }
  await worker.close();
  const main: number[] = [];
  const loopM: number[] = [];
  const pipeline = () => sharp(Buffer.from(input)).rotate().resize(320, 320, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
  await pipeline();
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(pipeline);
    main.push(r.ms);
    loopM.push(r.loopMaxMs);
  }
  return {
    thumbWorkerMs: round(median(inside)), thumbWorkerRoundTripMs: round(median(round1)), loopDelayMaxWorkerMs: round(Math.max(...loopW)),
    thumbMainMs: round(median(main)), loopDelayMaxMainMs: round(Math.max(...loopM)),
  };
}

async function upload100() {
  const server = await startServer({ demo: 1 });
  const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-bench-att-'));
  const node = await createLocalNode({ dataDir, seat: 'AA', rules: false, log: () => undefined, sync: { server: server.url, client: { backoff: { baseMs: 50, maxMs: 300 }, antiEntropyMs: 0 } }, attachments: { flushEveryMs: 50 } });
  try {
    const ctx: CallContext = { session: null };
    ctx.session = await node.handlers['session.signIn']({ userId: 'wang.fang', password: 'demo1234' }, ctx);
    await waitFor(() => node.link?.status().online === true, 30_000, 'online');
    const { ticket } = await node.handlers['tickets.create']({ form: COMPLETE_SYSTEM_FORM }, ctx);
    await server.kill9();
    await waitFor(() => node.link?.status().online === false, 10_000, 'offline');
    let bytes = 0;
    for (let i = 0; i < UPLOADS; i++) {
      const img = await sharp({ create: { width: 1280, height: 960, channels: 3, background: { r: i, g: 255 - i, b: (i * 7) % 256 }, noise: { type: 'gaussian', mean: 128, sigma: 20 } } }).jpeg({ quality: 80 }).toBuffer();
      bytes += img.length;
      await node.handlers['attachments.add']({ ticketId: ticket.id, name: `照片${i}.jpg`, dataBase64: img.toString('base64') }, ctx);
    }
    const queued = await node.attachments.pending();
    log(`${UPLOADS} photos added offline (${(bytes / 1e6).toFixed(1)} MB, ${queued} blobs queued with thumbnails); server back`);
    await server.restart();
    const t0 = performance.now();
    await waitFor(async () => (await node.attachments.pending()) === 0, 300_000, 'the queue to drain');
    const ms = performance.now() - t0;
    return { upload100Ms: Math.round(ms), upload100Blobs: queued, upload100MB: round(bytes / 1e6) };
  } finally {
    await node.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`load ${loadavg().map((n) => n.toFixed(2)).join(' ')}; making a 12 MP photo`);
  const input = await photo12mp();
  log(`12 MP JPEG: ${(input.length / 1e6).toFixed(1)} MB; thumbnails ×${RUNS}`);
  const thumbs = await thumbnails(input);
  log(JSON.stringify(thumbs));
  const uploads = await upload100();
  const result = { bench: 'attachments', goalThumbMs: 100, photoMB: round(input.length / 1e6), ...thumbs, ...uploads, loadavg: loadavg().map((n) => round(n)) };
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  else for (const [k, v] of Object.entries(result)) process.stdout.write(`${k.padEnd(26)} ${JSON.stringify(v)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
