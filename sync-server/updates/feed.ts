import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The update feed's layout: electron-updater's *generic provider*, flat in one folder. Each
 * platform has a channel file (`latest.yml` for Windows, `latest-linux.yml`, `latest-linux-arm64.yml`…)
 * written by electron-builder next to the installers; it names the installer files with their size
 * and SHA-512 (base64). Differential downloads also fetch `<installer>.blockmap`. Pure: no I/O here.
 */

/**
 * A channel file's name, as electron-builder writes them: `<channel>[-mac|-linux[-<arch>]].yml`
 * (`latest.yml`, `latest-linux.yml`, `latest-linux-arm64.yml`, `beta-mac.yml`); not its
 * `builder-debug.yml`, which lies in the same folder.
 */
export const CHANNEL_FILE = /^[a-z][a-z0-9]*(-(mac|linux)(-[a-z0-9_]+)?)?\.yml$/;

/**
 * A file the feed may serve: one plain name (the feed is flat), no dotfile (temporary files of a
 * publication are dotfiles), no separator, no NUL, no control character.
 */
export function isFeedName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !name.startsWith('.') && !/[/\\\0\x01-\x1f\x7f]/.test(name);
}

const SHA512_B64 = /^[A-Za-z0-9+/]{86}==$/;

const feedFile = z.object({
  url: z.string().refine(isFeedName, { message: 'a file name in the same folder (no path, no URL, not a dotfile)' }),
  sha512: z.string().regex(SHA512_B64, 'SHA-512 in base64, as electron-builder writes it'),
  size: z.number().int().nonnegative().optional(),
  blockMapSize: z.number().int().nonnegative().optional(),
});

/** electron-builder's UpdateInfo (builder-util-runtime), the fields the feed relies on; others pass through. */
export const channelInfo = z.looseObject({
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'a semantic version (1.2.3)'),
  files: z.array(feedFile).min(1, 'names no file'),
  /** Deprecated duplicates of files[0] that older updaters read: checked against `files` when present. */
  path: z.string().optional(),
  sha512: z.string().optional(),
  releaseDate: z.string().optional(),
});
export type ChannelInfo = z.infer<typeof channelInfo>;

export class FeedFileError extends Error {}

/** Parses a channel file's text, or throws FeedFileError saying what is wrong and where. */
export function parseChannel(text: string, name: string): ChannelInfo {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new FeedFileError(`${name}: not YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const r = channelInfo.safeParse(raw);
  if (!r.success) throw new FeedFileError(`${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  const info = r.data;
  if (info.path !== undefined && !info.files.some((f) => f.url === info.path)) throw new FeedFileError(`${name}: path "${info.path}" is not one of its files`);
  if (info.sha512 !== undefined && info.path !== undefined && info.files.find((f) => f.url === info.path)?.sha512 !== info.sha512) {
    throw new FeedFileError(`${name}: sha512 differs from the one given for ${info.path} in files`);
  }
  return info;
}

/** The content type a feed file is served with. */
export function feedContentType(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.yml')) return 'text/yaml; charset=utf-8';
  if (lower.endsWith('.deb')) return 'application/vnd.debian.binary-package';
  if (lower.endsWith('.exe')) return 'application/vnd.microsoft.portable-executable';
  return 'application/octet-stream';
}
