#!/usr/bin/env node
// Renders build/icon.svg to build/icon.png (512×512), the app icon electron-builder packs.
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';

const svg = fileURLToPath(new URL('../build/icon.svg', import.meta.url));
const png = fileURLToPath(new URL('../build/icon.png', import.meta.url));
const info = await sharp(svg, { density: 144 }).resize(512, 512).png({ compressionLevel: 9 }).toFile(png);
console.log(`build/icon.png ${info.width}×${info.height}, ${info.size} bytes`);
