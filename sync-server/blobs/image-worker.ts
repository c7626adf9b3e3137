import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Image work off the node's event loop: a worker_threads worker runs sharp (re-encode, strip
 * EXIF/GPS, thumbnail), so a 12 MP photo never stalls sync, IPC or the rule timers, and a file
 * that crashes the decoder takes the worker down, not the node. The worker's code is a string
 * (plain CommonJS) so it needs no bundler entry of its own in the packaged app.
 */
export interface ProcessedImage {
  /** The re-encoded image: no EXIF, no GPS, no comments; orientation applied to the pixels. */
  bytes: Uint8Array;
  mime: string;
  width: number;
  height: number;
  /** 320 px WebP preview. */
  thumb: Uint8Array;
  /** Time spent on the thumbnail inside the worker (ms). */
  thumbMs: number;
}

export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

export const THUMB_PX = 320;
/** Refuse decompression bombs: 12 MP photos are fine, 100 MP screenshots of nothing are not. */
export const MAX_PIXELS = 60_000_000;

// The worker: one message per job {id, op, mime, bytes}; replies {id, ok, …}. Runs jobs one at a time.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const sharp = require(workerData.sharpPath);
sharp.cache(false);
const THUMB = workerData.thumbPx, LIMIT = workerData.maxPixels;
async function thumb(input) {
  const t0 = performance.now();
  const out = await sharp(input, { limitInputPixels: LIMIT, failOn: 'error' }).rotate()
    .resize(THUMB, THUMB, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
  return { thumb: out, thumbMs: performance.now() - t0 };
}
async function full(input, mime) {
  const animated = mime === 'image/gif';
  let img = sharp(input, { limitInputPixels: LIMIT, failOn: 'error', animated }).rotate();
  if (mime === 'image/png') img = img.png();
  else if (mime === 'image/webp') img = img.webp({ quality: 85 });
  else if (animated) img = img.gif();
  else { img = img.jpeg({ quality: 85 }); mime = 'image/jpeg'; }
  const { data, info } = await img.toBuffer({ resolveWithObject: true });
  return { bytes: data, mime, width: info.width, height: info.pageHeight || info.height };
}
parentPort.on('message', async (job) => {
  try {
    const input = Buffer.from(job.bytes);
    const r = job.op === 'thumb' ? await thumb(input) : await Promise.all([full(input, job.mime), thumb(input)]).then(([f, t]) => ({ ...f, ...t }));
    parentPort.postMessage({ id: job.id, ok: true, result: r });
  } catch (e) {
    parentPort.postMessage({ id: job.id, ok: false, error: String(e && e.message || e) });
  }
});
`;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export interface ImageWorkerOptions {
  /** A job that takes longer is abandoned and the worker restarted (default 30 s). */
  timeoutMs?: number;
}

/** One worker, started on first use, restarted after a crash or a stuck job. */
export class ImageWorker {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly opts: ImageWorkerOptions = {}) {}

  /** Re-encodes the image without metadata and makes its thumbnail. */
  async process(bytes: Uint8Array, mime: string): Promise<ProcessedImage> {
    const r = (await this.run('full', bytes, mime)) as ProcessedImage;
    return { ...r, bytes: asBytes(r.bytes), thumb: asBytes(r.thumb) };
  }

  /** The thumbnail alone (benchmarks; previews of images already stored). */
  async thumbnail(bytes: Uint8Array): Promise<{ thumb: Uint8Array; thumbMs: number }> {
    const r = (await this.run('thumb', bytes, '')) as { thumb: Uint8Array; thumbMs: number };
    return { thumb: asBytes(r.thumb), thumbMs: r.thumbMs };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(new ImageError('图片处理已停止'));
    await w?.terminate();
  }

  private start(): Worker {
    const sharpPath = createRequire(import.meta.url).resolve('sharp');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { sharpPath, thumbPx: THUMB_PX, maxPixels: MAX_PIXELS } });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new ImageError(imageProblem(m.error ?? '')));
    });
    const died = (e: Error) => {
      if (this.worker === w) this.worker = null;
      this.failAll(new ImageError(`图片处理进程意外退出（${e.message}）：文件可能已损坏`));
    };
    w.on('error', died);
    w.on('exit', (code) => code !== 0 && died(new Error(`exit ${code}`)));
    return w;
  }

  private run(op: 'full' | 'thumb', bytes: Uint8Array, mime: string): Promise<unknown> {
    this.worker ??= this.start();
    const w = this.worker;
    const id = this.next++;
    // A copy is transferred: the caller keeps its bytes.
    const copy = bytes.slice().buffer;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ImageError('图片处理超时：文件过大或已损坏'));
        if (this.worker === w) this.worker = null;
        void w.terminate();
      }, this.opts.timeoutMs ?? 30_000);
      this.pending.set(id, { resolve, reject, timer });
      w.postMessage({ id, op, mime, bytes: copy }, [copy]);
    });
  }

  private failAll(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(e);
      this.pending.delete(id);
    }
  }
}

/** A Buffer cloned across threads arrives as a plain Uint8Array; keep it one. */
const asBytes = (b: Uint8Array): Uint8Array => (b instanceof Uint8Array ? b : new Uint8Array(b));

function imageProblem(raw: string): string {
  if (/pixel limit/i.test(raw)) return `图片像素过多（上限 ${MAX_PIXELS / 1_000_000} 百万像素）`;
  if (/heif|heic|compression format/i.test(raw)) return '无法处理这张 HEIC 照片：请在手机相机设置中选择“兼容性最佳”（JPEG）后重拍';
  return `图片无法解码，文件可能已损坏（${raw.slice(0, 120)}）`;
}
