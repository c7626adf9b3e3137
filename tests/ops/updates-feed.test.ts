import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVerdict, updateVerdict } from '../../electron/main/updates/check';
import { admin, auditLines } from '../sync/helpers/admin';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';
import { makePki } from './helpers/pki';

/**
 * The update feed end to end: a fake electron-builder build is published with the admin CLI into
 * the running server's feed folder (audited through its admin socket), served over TLS with the
 * plant CA, read in ranges the way electron-updater reads them, and judged by the seat's check.
 */
interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const sha512 = (b: Uint8Array) => createHash('sha512').update(b).digest('base64');

/** A raw HTTPS request: the path is sent exactly as given (no `..` folding, no re-encoding). */
function get(port: number, ca: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', servername: 'localhost', port, path, method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks as Uint8Array[]) }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** A build folder as electron-builder leaves it: installers, a blockmap, and channel files naming them. */
function fakeBuild(version: string, opts: { wrongSha?: boolean } = {}): { dir: string; exe: Buffer; appImage: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), `closeloop-dist-${version}-`));
  const exe = randomBytes(300_000);
  const appImage = randomBytes(120_000);
  const exeName = `Closeloop-Setup-${version}.exe`;
  const appName = `Closeloop-${version}-x86_64.AppImage`;
  writeFileSync(join(dir, exeName), exe as Uint8Array);
  writeFileSync(join(dir, `${exeName}.blockmap`), randomBytes(900) as Uint8Array);
  writeFileSync(join(dir, appName), appImage as Uint8Array);
  writeFileSync(join(dir, 'builder-debug.yml'), 'x: 1\n');
  const exeSha = opts.wrongSha ? sha512(randomBytes(8) as Uint8Array) : sha512(exe as Uint8Array);
  const date = '2026-12-01T08:00:00.000Z';
  writeFileSync(join(dir, 'latest.yml'), `version: ${version}\nfiles:\n  - url: ${exeName}\n    sha512: ${exeSha}\n    size: ${exe.length}\npath: ${exeName}\nsha512: ${exeSha}\nreleaseDate: '${date}'\n`);
  writeFileSync(join(dir, 'latest-linux.yml'), `version: ${version}\nfiles:\n  - url: ${appName}\n    sha512: ${sha512(appImage as Uint8Array)}\n    size: ${appImage.length}\n    blockMapSize: 0\npath: ${appName}\nsha512: ${sha512(appImage as Uint8Array)}\nreleaseDate: '${date}'\n`);
  return { dir, exe, appImage };
}

describe('the update feed served by the sync server', () => {
  let server: ServerProcess;
  let ca: string;
  let feed: string;
  let build: ReturnType<typeof fakeBuild>;
  const fetch = (path: string, headers?: Record<string, string>, method?: string) => get(server.port, ca, path, headers, method);

  beforeAll(async () => {
    const plant = makePki('feed');
    const issued = plant.issue('sync-feed');
    ca = plant.pem(plant.caCert);
    server = await startServer({ demo: 0, args: ['--tls-cert', issued.cert, '--tls-key', issued.key] });
    feed = join(server.data, 'updates');
    build = fakeBuild('0.2.0');
    const r = await admin(server.data, 'updates', 'publish', build.dir);
    expect(r.code, r.err).toBe(0);
    // Files outside the feed that a traversal would reach, a dotfile inside it, and a symlink out of it.
    writeFileSync(join(server.data, 'config.json'), '{"secret":true}');
    writeFileSync(join(feed, '.secret.yml'), 'version: 9.9.9\n');
    symlinkSync(join(server.data, 'config.json'), join(feed, 'link.yml'));
    mkdirSync(join(feed, 'sub'));
    copyFileSync(join(feed, 'latest.yml'), join(feed, 'sub', 'latest.yml'));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('publishes the installers, their blockmaps and the channel files, and audits the publication', async () => {
    expect(readdirSync(feed).filter((n) => !['.secret.yml', 'link.yml', 'sub'].includes(n)).sort()).toEqual(
      ['Closeloop-0.2.0-x86_64.AppImage', 'Closeloop-Setup-0.2.0.exe', 'Closeloop-Setup-0.2.0.exe.blockmap', 'latest-linux.yml', 'latest.yml'],
    );
    const line = (await auditLines(server.data)).find((l) => l.kind === 'update_published');
    expect(line?.detail).toMatchObject({ version: '0.2.0', channels: ['latest-linux.yml', 'latest.yml'], by: 'admin-cli' });
    const list = await admin(server.data, 'updates', 'list');
    expect(list.code, list.err).toBe(0);
    const shown = JSON.parse(list.out) as { channels: { channel: string; version: string; releaseDate: string; files: { name: string; present: boolean }[]; blockmaps: string[] }[] };
    expect(shown.channels.find((c) => c.channel === 'latest.yml')).toEqual({
      channel: 'latest.yml', version: '0.2.0', releaseDate: '2026-12-01T08:00:00.000Z',
      files: [{ name: 'Closeloop-Setup-0.2.0.exe', size: 300_000, present: true }], blockmaps: ['Closeloop-Setup-0.2.0.exe.blockmap'],
    });
  });

  it('serves latest.yml over the plant-CA TLS listener, uncached, without a seat token', async () => {
    const r = await fetch('/updates/latest.yml');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.body.toString()).toBe(readFileSync(join(build.dir, 'latest.yml'), 'utf8'));
    // electron-updater adds ?noCache=… to the channel file's URL.
    expect((await fetch('/updates/latest.yml?noCache=1k2j3h')).body.toString()).toBe(r.body.toString());
  });

  it('serves an installer whole, and answers HEAD with its length and no body', async () => {
    const whole = await fetch('/updates/Closeloop-Setup-0.2.0.exe');
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe('300000');
    expect(sha512(whole.body as Uint8Array)).toBe(sha512(build.exe as Uint8Array));
    const head = await fetch('/updates/Closeloop-Setup-0.2.0.exe', {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '300000', 0]);
    expect((await fetch('/updates/latest.yml', {}, 'PUT')).status).toBe(405);
  });

  it('returns exactly the bytes of a range (206, Content-Range), and 416 when none is satisfiable', async () => {
    const r = await fetch('/updates/Closeloop-Setup-0.2.0.exe', { range: 'bytes=1000-66535' });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('bytes 1000-66535/300000');
    expect(r.headers['content-length']).toBe(String(65_536));
    expect(r.body.equals(build.exe.subarray(1000, 66_536) as Uint8Array)).toBe(true);
    const tail = await fetch('/updates/Closeloop-Setup-0.2.0.exe', { range: 'bytes=-10' });
    expect(tail.body.equals(build.exe.subarray(299_990) as Uint8Array)).toBe(true);
    const none = await fetch('/updates/Closeloop-Setup-0.2.0.exe', { range: 'bytes=300000-' });
    expect([none.status, none.headers['content-range'], none.body.length]).toEqual([416, 'bytes */300000', 0]);
  });

  it('answers several ranges as multipart/byteranges that electron-updater’s own splitter reads back', async () => {
    const ranges = [[0, 99], [5_000, 70_000], [299_000, 299_999]] as const;
    const r = await fetch('/updates/Closeloop-Setup-0.2.0.exe', { range: `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(', ')}` });
    expect(r.status).toBe(206);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(String(r.headers['content-type']))?.[1];
    expect(boundary).toBeTruthy();
    // electron-updater's DataSplitter, fed the response as its differential download does.
    const { DataSplitter } = (await import('electron-updater/out/differentialDownloader/DataSplitter.js')) as unknown as {
      DataSplitter: new (...args: unknown[]) => NodeJS.WritableStream & { on(e: 'error', f: (e: Error) => void): void };
    };
    const out = new PassThrough();
    const got: Buffer[] = [];
    out.on('data', (c: Buffer) => got.push(c));
    const tasks = ranges.map(([a, b]) => ({ kind: 1 /* OperationKind.DOWNLOAD */, start: a, end: b + 1 }));
    await new Promise<void>((resolve, reject) => {
      const splitter = new DataSplitter(out, { tasks, start: 0, end: tasks.length, oldFileFd: -1 }, new Map(tasks.map((_, i) => [i, i])), boundary, tasks.map((t) => t.end - t.start), resolve, 0, undefined);
      splitter.on('error', reject);
      splitter.end(r.body as Uint8Array);
    });
    expect(Buffer.concat(got as Uint8Array[]).equals(Buffer.concat(ranges.map(([a, b]) => build.exe.subarray(a, b + 1)) as Uint8Array[]) as Uint8Array)).toBe(true);
  });

  it('refuses traversal, encoded or not, dotfiles, symlinks out of the folder and sub-folders (404)', async () => {
    for (const path of [
      '/updates/../config.json', '/updates/%2e%2e/config.json', '/updates/%2e%2e%2fconfig.json', '/updates/..%5cconfig.json',
      '/updates/.secret.yml', '/updates/%2esecret.yml', '/updates/link.yml', '/updates/sub/latest.yml', '/updates/sub%2flatest.yml',
      '/updates/', '/updates/sub', '/updates/latest.yml%00', '/updates/%zz', '/updates/no-such.yml',
    ]) {
      const r = await fetch(path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toMatch(/secret|9\.9\.9/);
    }
  });

  it('tells a 0.1.0 seat "update 0.2.0 available" and a 0.2.0 seat "none", from the server’s own latest.yml', async () => {
    const text = (await fetch('/updates/latest.yml')).body.toString();
    expect(describeVerdict(updateVerdict('0.1.0', text))).toBe('update 0.2.0 available (running 0.1.0)');
    expect(updateVerdict('0.2.0', text)).toEqual({ kind: 'none', version: '0.2.0', current: '0.2.0' });
    const linux = (await fetch('/updates/latest-linux.yml')).body.toString();
    expect(updateVerdict('0.1.0', linux, 'latest-linux.yml')).toMatchObject({ kind: 'available', files: ['Closeloop-0.2.0-x86_64.AppImage'] });
  });

  it('refuses a build whose channel file does not match its installers, and leaves the feed as it was', async () => {
    const before = readdirSync(feed).sort().map((n) => [n, n.endsWith('.yml') ? readFileSync(join(feed, n), 'utf8') : '']);
    const bad = fakeBuild('0.3.0', { wrongSha: true });
    const r = await admin(server.data, 'updates', 'publish', bad.dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Closeloop-Setup-0\.3\.0\.exe: its SHA-512 is .* latest\.yml says/);
    const missing = fakeBuild('0.3.0');
    writeFileSync(join(missing.dir, 'latest-linux.yml'), readFileSync(join(missing.dir, 'latest-linux.yml'), 'utf8').replaceAll('x86_64.AppImage', 'arm64.AppImage'));
    const r2 = await admin(server.data, 'updates', 'publish', missing.dir);
    expect([r2.code, r2.err]).toEqual([2, expect.stringMatching(/latest-linux\.yml names Closeloop-0\.3\.0-arm64\.AppImage, which is not in/)]);
    expect((await admin(server.data, 'updates', 'publish', join(tmpdir(), 'no-such-dist'))).code).toBe(2);
    expect(readdirSync(feed).sort().map((n) => [n, n.endsWith('.yml') ? readFileSync(join(feed, n), 'utf8') : ''])).toEqual(before);
    expect((await auditLines(server.data)).filter((l) => l.kind === 'update_published')).toHaveLength(1);
    expect(updateVerdict('0.2.0', (await fetch('/updates/latest.yml')).body.toString()).kind).toBe('none');
  });
});
