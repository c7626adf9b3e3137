import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { CHANNEL_FILE, FeedFileError, parseChannel, type ChannelInfo } from './feed';

/**
 * `admin updates publish <dist>`: puts an electron-builder build into the feed folder the sync
 * server serves. Everything is checked before anything is written (every channel file parses,
 * every file it names is in the build with the SHA-512 it states); then the installers and their
 * blockmaps are copied (each to a dot-named temporary file, hashed again while copied, renamed),
 * and the channel files last, the same way: a seat never reads a channel file naming a file that
 * is not there yet. On any mismatch nothing is left in the feed.
 */
export class PublishRefused extends Error {}

export interface Published {
  feed: string;
  version: string;
  channels: string[];
  files: string[];
}

export interface ChannelListing {
  channel: string;
  version: string;
  releaseDate: string | null;
  files: { name: string; size: number | null; present: boolean }[];
  blockmaps: string[];
  problem?: string;
}

const sha512File = async (path: string): Promise<string> => {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(path) as AsyncIterable<Uint8Array>) h.update(chunk);
  return h.digest('base64');
};

const channelFiles = (dir: string): string[] => readdirSync(dir).filter((n) => CHANNEL_FILE.test(n)).sort();

interface Plan {
  channels: { name: string; text: string; info: ChannelInfo }[];
  /** Installer name → its expected SHA-512 (null: a blockmap, not named in the channel file). */
  files: Map<string, string | null>;
}

async function plan(dist: string): Promise<Plan> {
  if (!existsSync(dist) || !statSync(dist).isDirectory()) throw new PublishRefused(`${dist}: no such folder (give electron-builder's output folder, dist/)`);
  const names = channelFiles(dist);
  if (names.length === 0) throw new PublishRefused(`${dist}: no latest*.yml — is it electron-builder's output folder with publish configured (electron-builder.yml)?`);
  const channels: Plan['channels'] = [];
  const files = new Map<string, string | null>();
  for (const name of names) {
    const text = readFileSync(join(dist, name), 'utf8');
    let info: ChannelInfo;
    try {
      info = parseChannel(text, name);
    } catch (e) {
      throw e instanceof FeedFileError ? new PublishRefused(e.message) : e;
    }
    channels.push({ name, text, info });
    for (const f of info.files) {
      const path = join(dist, f.url);
      if (!existsSync(path) || !statSync(path).isFile()) throw new PublishRefused(`${name} names ${f.url}, which is not in ${dist}`);
      if (f.size !== undefined && statSync(path).size !== f.size) throw new PublishRefused(`${f.url}: ${statSync(path).size} bytes, ${name} says ${f.size}`);
      const actual = await sha512File(path);
      if (actual !== f.sha512) throw new PublishRefused(`${f.url}: its SHA-512 is ${actual}, ${name} says ${f.sha512} — the build and its channel file do not belong together`);
      files.set(f.url, f.sha512);
      if (existsSync(`${path}.blockmap`)) files.set(`${f.url}.blockmap`, null);
    }
  }
  const versions = new Set(channels.map((c) => c.info.version));
  if (versions.size > 1) throw new PublishRefused(`the channel files name different versions (${[...versions].join(', ')}): publish one build at a time`);
  return { channels, files };
}

/** Copies `from` to a dot-named file in `dir`, hashing it on the way; returns the temporary path. */
async function stage(from: string, dir: string, name: string, expected: string | null): Promise<string> {
  const temp = join(dir, `.${name}.${process.pid}.partial`);
  const h = createHash('sha512');
  const hashing = new Transform({
    transform(chunk: Uint8Array, _enc, done) {
      h.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), hashing, createWriteStream(temp, { mode: 0o644, flush: true }));
  if (expected !== null && h.digest('base64') !== expected) throw new PublishRefused(`${name} changed while it was being copied: publish again`);
  return temp;
}

export async function publishUpdate(dist: string, feed: string): Promise<Published> {
  const p = await plan(dist);
  mkdirSync(feed, { recursive: true });
  // A version is published once: replacing an installer under the same name would leave the old
  // channel file naming bytes with another SHA-512 until the new one is renamed in.
  for (const [name, sha] of p.files) {
    const there = join(feed, name);
    if (sha !== null && existsSync(there) && (await sha512File(there)) !== sha) {
      throw new PublishRefused(`${name} is already in the feed with other bytes: a version is published once — build the next version`);
    }
  }
  const staged: { temp: string; name: string }[] = [];
  try {
    for (const [name, sha] of p.files) staged.push({ temp: await stage(join(dist, name), feed, name, sha), name });
    for (const c of p.channels) staged.push({ temp: await stage(join(dist, c.name), feed, c.name, null), name: c.name });
  } catch (e) {
    for (const s of staged) rmSync(s.temp, { force: true });
    for (const n of readdirSync(feed)) if (n.endsWith(`.${process.pid}.partial`)) rmSync(join(feed, n), { force: true });
    throw e;
  }
  // Files first, channel files last (they come last in `staged`).
  for (const s of staged) renameSync(s.temp, join(feed, s.name));
  return { feed, version: p.channels[0]!.info.version, channels: p.channels.map((c) => c.name), files: [...p.files.keys()] };
}

/** What the feed folder offers: each channel file with its version, date and files (and whether they are there). */
export function listFeed(feed: string): ChannelListing[] {
  if (!existsSync(feed)) return [];
  return channelFiles(feed).map((channel): ChannelListing => {
    try {
      const info = parseChannel(readFileSync(join(feed, channel), 'utf8'), channel);
      return {
        channel,
        version: info.version,
        releaseDate: info.releaseDate ?? null,
        files: info.files.map((f) => ({ name: f.url, size: f.size ?? null, present: existsSync(join(feed, f.url)) })),
        blockmaps: info.files.map((f) => `${f.url}.blockmap`).filter((b) => existsSync(join(feed, b))),
      };
    } catch (e) {
      return { channel, version: '?', releaseDate: null, files: [], blockmaps: [], problem: (e as Error).message };
    }
  });
}
