import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/**
 * `npm run -s icons`: the app icons electron-builder needs, rendered from build/icon.svg with sharp.
 * Linux: build/icons/<N>x<N>.png (the hicolor sizes) and build/icon.png (512); Windows: build/icon.ico
 * with PNG images inside (16–256, the sizes Explorer and the NSIS installer use). The generated files
 * are committed: packaging machines need no sharp, and CI checks them (tests/ops/packaging.test.ts).
 */
const BUILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** An ICO file holding PNG images (Windows Vista and later read PNG-compressed entries). */
export function ico(images: { size: number; png: Uint8Array }[]): Uint8Array {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2);
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(png.byteLength, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.byteLength;
  });
  const out = new Uint8Array(offset);
  out.set(new Uint8Array(header.buffer, header.byteOffset, header.length), 0);
  let at = header.length;
  for (const { png } of images) {
    out.set(png, at);
    at += png.byteLength;
  }
  return out;
}

async function main(): Promise<void> {
  const svg = readFileSync(join(BUILD, 'icon.svg'));
  const render = async (size: number): Promise<Uint8Array> => {
    const b = await sharp(svg, { density: Math.max(72, ((72 * size) / 512) * 4) }).resize(size, size).png({ compressionLevel: 9 }).toBuffer();
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  };
  mkdirSync(join(BUILD, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) writeFileSync(join(BUILD, 'icons', `${size}x${size}.png`), await render(size));
  writeFileSync(join(BUILD, 'icon.png'), await render(512));
  writeFileSync(join(BUILD, 'icon.ico'), ico(await Promise.all(ICO_SIZES.map(async (size) => ({ size, png: await render(size) })))));
  process.stdout.write(`icons written to ${BUILD}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
