import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageError, ImageWorker } from './image-worker';

const worker = new ImageWorker({ timeoutMs: 20_000 });
afterAll(() => worker.close());

/** The GPS IFD pointer tag (0x8825), in either byte order. */
const hasGpsPointer = (exif: Buffer): boolean => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

async function photoWithGps(width = 640, height = 480): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: '#3a6ea5' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'HUAWEI', Model: 'P60' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' } })
    .toBuffer());
}

describe('processing images off the event loop', () => {
  it('strips GPS and every other EXIF tag from the stored image', async () => {
    const input = await photoWithGps();
    const before = await sharp(input).metadata();
    expect(before.exif && hasGpsPointer(before.exif)).toBe(true);
    const out = await worker.process(input, 'image/jpeg');
    const after = await sharp(out.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(Buffer.from(out.bytes).includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(out).toMatchObject({ mime: 'image/jpeg', width: 640, height: 480 });
  });

  it('makes a WebP thumbnail at most 320 px on its long side', async () => {
    const out = await worker.process(await photoWithGps(1600, 900), 'image/jpeg');
    const t = await sharp(out.thumb).metadata();
    expect(t).toMatchObject({ format: 'webp', width: 320, height: 180 });
    expect(t.exif).toBeUndefined();
  });

  it('keeps a PNG screenshot a PNG', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 200, height: 100, channels: 4, background: '#fff' } }).png().toBuffer());
    const out = await worker.process(png, 'image/png');
    expect((await sharp(out.bytes).metadata()).format).toBe('png');
  });

  it('refuses a file whose image data is broken, and keeps working afterwards', async () => {
    const broken = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(200).fill(7)]);
    await expect(worker.process(broken, 'image/jpeg')).rejects.toBeInstanceOf(ImageError);
    await expect(worker.process(broken, 'image/jpeg')).rejects.toThrow(/图片无法解码/);
    const ok = await worker.thumbnail(await photoWithGps(100, 100));
    expect(ok.thumb.length).toBeGreaterThan(0);
  });
});
