import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches, ensureApiToken } from './token';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'closeloop-token-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the REST token', () => {
  it('is 32 random bytes in hex, created 0600 on first start and kept after', async () => {
    const data = join(dir, 'seat');
    const first = await ensureApiToken(data);
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(first.path).toBe(join(data, 'api-token'));
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect((await readFile(first.path, 'utf8')).trim()).toBe(first.token);
    expect((await ensureApiToken(data)).token).toBe(first.token);
  });

  it('refuses a token file that holds something else', async () => {
    const data = join(dir, 'broken');
    await ensureApiToken(data);
    await writeFile(join(data, 'api-token'), 'hunter2');
    await expect(ensureApiToken(data)).rejects.toThrow(/64-hex-digit/);
  });

  it('matches only "Bearer <token>"', () => {
    const token = 'ab'.repeat(32);
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token.toUpperCase()}`, token)).toBe(true);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(`Bearer ${'cd'.repeat(32)}`, token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches('Bearer short', token)).toBe(false);
  });
});
