import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../electron/main/sync/login';
import { admin, auditLines } from '../sync/helpers/admin';
import { startServer, type ServerProcess } from '../sync/helpers/server-process';

/**
 * Attachment bytes stay within the sites they were uploaded for, against the real server: knowing a
 * blob's hash is not enough to read it from another site (404, as if it did not exist), a blob is
 * added to another site only by someone who sends its bytes, and an upload for a site the person
 * does not work for is refused and audited.
 */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const png = (size: number, seed: number) => {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) b[i] = (i * seed) % 251;
  return b;
};

describe('attachment blobs are scoped to their sites', () => {
  let server: ServerProcess;
  const tokens: Record<string, string> = {};
  const blob = (hash: string, token: string, init: RequestInit = {}, site?: string) =>
    fetch(`${server.url}/blobs/${hash}${site ? `?site=${site}` : ''}`, { ...init, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startServer({ demo: 1 });
    expect((await admin(server.data, 'add-site', 'other-plant', '--prefix', 'OT')).code).toBe(0);
    expect((await admin(server.data, 'add-user', 'outsider', '--role', 'agent', '--sites', 'other-plant', '--password', 'outside-pw-1')).code).toBe(0);
    expect((await admin(server.data, 'add-user', 'zhao.both', '--role', 'agent', '--sites', 'mx-plant,other-plant', '--password', 'both-pw-123')).code).toBe(0);
    for (const [user, password] of [['wang.fang', 'demo1234'], ['outsider', 'outside-pw-1'], ['zhao.both', 'both-pw-123']] as const) {
      tokens[user] = (await login(server.url, { user, password, device: `${user}-blob-pc` })).token;
    }
  }, 120_000);
  afterAll(() => server?.stop());

  it('gives another site’s person 404 for a blob they know the hash of; the site’s own people read it', async () => {
    const body = png(20_000, 7);
    const hash = sha(body);
    expect((await blob(hash, tokens['wang.fang']!, { method: 'PUT', body }, 'mx-plant')).status).toBe(201);
    expect((await blob(hash, tokens.outsider!)).status).toBe(404);
    expect((await blob(hash, tokens.outsider!, { method: 'HEAD' })).status).toBe(404);
    const own = await blob(hash, tokens['wang.fang']!);
    expect(own.status).toBe(200);
    expect(sha(new Uint8Array(await own.arrayBuffer()))).toBe(hash);
    expect((await blob(hash, tokens['zhao.both']!)).status).toBe(200);
  });

  it('adds a blob to another site only for someone who sends its bytes', async () => {
    const body = png(30_000, 11);
    const hash = sha(body);
    expect((await blob(hash, tokens['wang.fang']!, { method: 'PUT', body }, 'mx-plant')).status).toBe(201);
    expect((await blob(hash, tokens['zhao.both']!, { method: 'PUT', body: new Uint8Array(0) }, 'other-plant')).status).toBe(400);
    expect((await blob(hash, tokens.outsider!)).status).toBe(404);
    expect((await blob(hash, tokens['zhao.both']!, { method: 'PUT', body }, 'other-plant')).status).toBe(200);
    expect((await blob(hash, tokens.outsider!)).status).toBe(200);
  });

  it('refuses an upload for a site the person does not work for, and audits it', async () => {
    const body = png(10_000, 13);
    const hash = sha(body);
    const r = await blob(hash, tokens.outsider!, { method: 'PUT', body }, 'mx-plant');
    expect(r.status).toBe(403);
    expect((await blob(hash, tokens['wang.fang']!, { method: 'HEAD' })).status).toBe(404);
    const audit = await auditLines(server.data);
    expect(audit.some((l) => l.kind === 'blob_refused' && l.user === 'outsider' && l.reason === 'not a site of the user' && l.detail?.hash === hash && l.detail?.site === 'mx-plant')).toBe(true);
  });
});
