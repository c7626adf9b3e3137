import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';

/**
 * Bad input at the requester portal, against the real server: files that are not photos, bodies
 * over the limit, path tricks in names, incomplete reports, floods of reports and guessed links
 * are refused with a message, and nothing is created for them.
 */
describe('the requester portal refuses bad input without harm', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ demo: 1 });
  }, 120_000);
  afterAll(() => server?.stop());

  const photo = (body: Uint8Array<ArrayBuffer>, name: string) =>
    fetch(`${server.url}/portal/photos?site=mx-plant`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) }, body });
  const report = (answers: Record<string, string>) =>
    fetch(`${server.url}/portal/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'mx-plant', answers, photos: [] }) });

  it('refuses a fake photo, an oversized body and a PDF; strips folders from a name', async () => {
    const fake = await photo(new TextEncoder().encode('MZ not a photo at all'), '现场.jpg');
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as { error: string }).error).toContain('不是有效的图片');
    const big = new Uint8Array(15_100_000);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    expect((await photo(big, 'big.jpg')).status).toBe(413);
    const pdf = new TextEncoder().encode('%PDF-1.7\n' + 'x'.repeat(100));
    expect((await photo(pdf, 'a.pdf')).status).toBe(415);
    const sharp = (await import('sharp')).default;
    const jpg = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f00' } }).jpeg().toBuffer());
    const ok = await photo(jpg, '../../etc/passwd.jpg');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ name: 'passwd.jpg', mime: 'image/jpeg' });
  });

  it('says what an incomplete report lacks, then slows a flood of reports down', async () => {
    const first = await report({ title: '漏水' });
    expect(first.status).toBe(422);
    expect(((await first.json()) as { error: string }).error).toContain('请填写报修人');
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await report({ title: `flood ${i}` })).status);
    expect(codes).toContain(429);
    expect(await (await fetch(`${server.url}/portal/report`, { method: 'POST', body: 'not json' })).json()).toMatchObject({ error: expect.any(String) });
  });

  it('answers guessed follow links with 404 and, past twenty tries a minute, with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await fetch(`${server.url}/portal/f/00000000-0000-4000-8000-00000000000${i % 10}.${'g'.repeat(32)}`)).status);
    expect(codes.slice(0, 20).every((c) => c === 404)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
    expect((await fetch(`${server.url}/portal/f/..%2F..%2Fdb`)).status).toBe(429);
  });

  it('prints the QR sheet only for an admin, by password in a browser', async () => {
    const url = `${server.url}/portal/sheet?site=mx-plant&place=${encodeURIComponent('CNC-07@2号楼/车间')}`;
    const basic = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
    const anon = await fetch(url);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(url, { headers: basic('admin', 'wrong-password') })).status).toBe(401);
    expect((await fetch(url, { headers: basic('wang.fang', 'demo1234') })).status).toBe(401);
    const ok = await fetch(url, { headers: basic('admin', 'demo1234') });
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('<svg');
    expect(html).toContain('CNC-07');
  });
});
