import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PublishRefused, publishUpdate } from './publish';

/** A version goes into the feed once: the same installer name with other bytes is refused, the feed left as it was. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function build(version: string, bytes: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-dist-'));
  dirs.push(dir);
  const exe = `Closeloop-Setup-${version}.exe`;
  const sha = createHash('sha512').update(bytes).digest('base64');
  writeFileSync(join(dir, exe), bytes);
  writeFileSync(join(dir, 'latest.yml'), `version: ${version}\nfiles:\n  - url: ${exe}\n    sha512: ${sha}\n    size: ${Buffer.byteLength(bytes)}\npath: ${exe}\nsha512: ${sha}\nreleaseDate: '2026-12-02T10:00:00.000Z'\n`);
  return dir;
}

describe('publishing into the update feed', () => {
  it('publishes a version again only with the same bytes', async () => {
    const feed = mkdtempSync(join(tmpdir(), 'closeloop-feed-'));
    dirs.push(feed);
    await publishUpdate(build('0.2.0', 'first build'), feed);
    const channel = readFileSync(join(feed, 'latest.yml'), 'utf8');
    await expect(publishUpdate(build('0.2.0', 'first build'), feed)).resolves.toMatchObject({ version: '0.2.0' });
    await expect(publishUpdate(build('0.2.0', 'a rebuild with other bytes'), feed)).rejects.toThrow(PublishRefused);
    expect(readFileSync(join(feed, 'Closeloop-Setup-0.2.0.exe'), 'utf8')).toBe('first build');
    expect(readFileSync(join(feed, 'latest.yml'), 'utf8')).toBe(channel);
  });
});
