import { FeedFileError, parseChannel } from '../../../sync-server/updates/feed';

/**
 * The seat's side of the update feed, pure: where the feed is (the sync server's `/updates/`),
 * which channel file this platform reads, and whether a fetched channel file offers a newer
 * version. electron-updater does the downloading and installing (auto-update.ts); this module is
 * what can be tested in plain Node and what the status line says.
 */

/** The feed folder's URL on the seat's sync server (`CLOSELOOP_SERVER`), always with a trailing slash. */
export function updateFeedUrl(server: string): string {
  const url = new URL(server);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the sync server address ${server} is not http(s)://`);
  return new URL('/updates/', url.origin).href;
}

/** The channel file electron-updater reads on a platform (electron-builder's names). */
export function channelFileFor(platform: string, arch: string): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return arch === 'x64' ? 'latest-linux.yml' : `latest-linux-${arch}.yml`;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Semantic-version order (semver.org §11): <0, 0, >0. Build metadata is ignored; a bad version throws. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [SEMVER.exec(a.trim()), SEMVER.exec(b.trim())];
  if (!x || !y) throw new Error(`not a semantic version: ${!x ? a : b}`);
  for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
  const [p, q] = [x[4]?.split('.') ?? [], y[4]?.split('.') ?? []];
  if (p.length === 0 || q.length === 0) return q.length - p.length; // a release outranks its pre-releases
  for (let i = 0; i < Math.min(p.length, q.length); i++) {
    const [s, t] = [p[i]!, q[i]!];
    const [ns, nt] = [/^\d+$/.test(s), /^\d+$/.test(t)];
    if (ns && nt && Number(s) !== Number(t)) return Number(s) - Number(t);
    if (ns !== nt) return ns ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    if (!ns && s !== t) return s < t ? -1 : 1;
  }
  return p.length - q.length;
}

export type UpdateVerdict =
  | { kind: 'available'; version: string; current: string; files: string[]; releaseDate: string | null }
  | { kind: 'none'; version: string; current: string }
  | { kind: 'unreadable'; problem: string };

/** What a channel file fetched from the feed means for a seat running `current`. */
export function updateVerdict(current: string, channelText: string, channel = 'latest.yml'): UpdateVerdict {
  try {
    const info = parseChannel(channelText, channel);
    if (compareVersions(info.version, current) <= 0) return { kind: 'none', version: info.version, current };
    return { kind: 'available', version: info.version, current, files: info.files.map((f) => f.url), releaseDate: info.releaseDate ?? null };
  } catch (e) {
    if (e instanceof FeedFileError) return { kind: 'unreadable', problem: e.message };
    return { kind: 'unreadable', problem: `${channel}: ${(e as Error).message}` };
  }
}

/** The verdict in words, for the log and the status line. */
export function describeVerdict(v: UpdateVerdict): string {
  if (v.kind === 'available') return `update ${v.version} available (running ${v.current})`;
  if (v.kind === 'none') return `none: ${v.current} is current (the feed offers ${v.version})`;
  return `the update feed could not be read: ${v.problem}`;
}
